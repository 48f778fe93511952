import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./redis.js')

export const { RedisReplayGuard } = mod
export default mod
