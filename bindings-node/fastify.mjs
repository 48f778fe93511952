import { createRequire } from 'node:module'

const mod = createRequire(import.meta.url)('./fastify.js')

export const { fastifyWebhook, sendAnswer, DEFAULT_LIMIT } = mod
export default mod
