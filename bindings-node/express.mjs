import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./express.js')

export const { verifyWebhook, captureRawBody, sendAnswer, DEFAULT_LIMIT } = mod
export default mod
