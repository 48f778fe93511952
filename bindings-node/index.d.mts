// Types of the ESM entry index.mjs: the same objects as the CommonJS entry index.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './index.js'
import * as indexModule from './index.js'
export default indexModule
