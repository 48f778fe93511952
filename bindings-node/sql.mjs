import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./sql.js')

export const { SqlReplayGuard, ReplayStoreUnavailable, DeliveryInProgress, DEFAULT_TABLE, ddl } = mod
export default mod
