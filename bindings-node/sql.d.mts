// Types of the ESM entry sql.mjs: the same objects as the CommonJS entry sql.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './sql.js'
import * as sqlModule from './sql.js'
export default sqlModule
