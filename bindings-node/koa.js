'use strict'
// hooksig/koa: Koa (2 or 3) middleware that verifies a webhook before the next middleware runs
// (an adapter over the core's receiver policy, lib/receiver.js). It reads the raw body from
// `ctx.req`, or the bytes a parser kept on `ctx.request.rawBody`. Mount it on a route that takes
// every method (router.all(path, ...)) so that a GET gets the core's 405.
// The public API and its docs: koa.d.ts.

const { Verifier, HooksigError, DEFAULT_BODY_LIMIT } = require('./index.js')
const { receiverOptions, admit, runGuarded, contentTypeOf } = require('./lib/receiver.js')
const { readNodeBody, consumedAnswer, nodeRequest } = require('./lib/node-body.js')

const WHO = 'hooksig/koa'
const FIX = 'mount verifyWebhook() before the body parser (or keep the raw bytes on ctx.request.rawBody)'

function sendAnswer(ctx, answer) {
  ctx.status = answer.status
  ctx.set('Content-Type', contentTypeOf(answer)) // before the body: Koa keeps a type already set
  for (const [name, value] of answer.headers) ctx.set(name, value)
  ctx.body = answer.body
}

function verifyWebhook(verifier, opts = {}) {
  const where = 'hooksig/koa verifyWebhook()'
  if (!(verifier instanceof Verifier)) throw new HooksigError('invalid_argument', `${where}: expected a hooksig Verifier`)
  const route = receiverOptions(where, opts, { limit: 'any', guard: 'any', publicUrl: 'string' }, true)
  return async function hooksigVerifyWebhook(ctx, next) {
    const req = ctx.req
    const read = (r) =>
      readNodeBody(req, r, {
        kept: ctx.request.rawBody,
        keep: (body) => (ctx.request.rawBody = body),
        onConsumed: () => consumedAnswer(WHO, FIX),
      })
    const url = () => `${ctx.protocol}://${req.headers.host ?? ''}${ctx.originalUrl}`
    const { answer, webhook } = await admit(verifier, route, nodeRequest(req, read, url, () => ctx.originalUrl))
    if (answer !== undefined) return sendAnswer(ctx, answer)
    ctx.state.webhook = webhook
    return runGuarded(route, webhook, next, () => ctx.status)
  }
}

module.exports = { verifyWebhook, sendAnswer, DEFAULT_LIMIT: DEFAULT_BODY_LIMIT }
