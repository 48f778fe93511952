import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./redis.js')

export const { RedisReplayGuard, ReplayStoreUnavailable, DeliveryInProgress, DEFAULT_PREFIX, DEFAULT_PROCESSING_TTL } = mod
export default mod
