import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./fetch.js')

export const { verifyRequest, errorResponse, duplicateResponse, answerResponse, withWebhook, DEFAULT_LIMIT } = mod
export default mod
