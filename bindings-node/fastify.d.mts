// Types of the ESM entry fastify.mjs: the same objects as the CommonJS entry fastify.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './fastify.js'
import * as fastifyModule from './fastify.js'
export default fastifyModule
