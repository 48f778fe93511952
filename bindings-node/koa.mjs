import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./koa.js')

export const { verifyWebhook, sendAnswer, DEFAULT_LIMIT } = mod
export default mod
