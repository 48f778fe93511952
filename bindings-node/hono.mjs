import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./hono.js')

export const { webhook, answerResponse, DEFAULT_LIMIT } = mod
export default mod
