// Types of the ESM entry hono.mjs: the same objects as the CommonJS entry hono.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './hono.js'
import * as honoModule from './hono.js'
export default honoModule
