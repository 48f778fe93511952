// Types of the ESM entry express.mjs: the same objects as the CommonJS entry express.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './express.js'
import * as expressModule from './express.js'
export default expressModule
