// Types of the ESM entry koa.mjs: the same objects as the CommonJS entry koa.js, as named
// exports and as the default export (the CommonJS module itself).
export * from './koa.js'
import * as koaModule from './koa.js'
export default koaModule
