// Types of the ESM entry redis.mjs: the same objects as the CommonJS entry redis.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './redis.js'
import * as redisModule from './redis.js'
export default redisModule
