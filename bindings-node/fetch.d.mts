// Types of the ESM entry fetch.mjs: the same objects as the CommonJS entry fetch.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './fetch.js'
import * as fetchModule from './fetch.js'
export default fetchModule
