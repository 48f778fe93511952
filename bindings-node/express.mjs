import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./express.js')

export const { verifyWebhook, captureRawBody } = mod
export default mod
