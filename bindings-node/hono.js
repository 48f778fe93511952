'use strict'
// hooksig/hono: Hono (4) middleware that verifies a webhook before the route's handler runs
// (hooksig/fetch's request logic). Mount it with app.all(path, webhook(verifier), handler); the
// handler reads `c.get('webhook')` (its `payload` is the verified bytes; the body is consumed).
// The public API and its docs: hono.d.ts.

const { Verifier, HooksigError, DEFAULT_BODY_LIMIT } = require('./index.js')
const { runGuarded } = require('./lib/receiver.js')
const { routeOptions, receive } = require('./lib/fetch-request.js')
const { answerResponse } = require('./fetch.js')

function webhook(verifier, options) {
  const where = 'hooksig/hono webhook()'
  if (!(verifier instanceof Verifier)) throw new HooksigError('invalid_argument', `${where}: expected a hooksig Verifier`)
  const opts = routeOptions(where, options)
  return async function hooksigWebhook(c, next) {
    const { webhook: verified, answer } = await receive(verifier, c.req.raw, opts, c.req.method, opts.guard)
    if (answer !== undefined) return answerResponse(answer)
    c.set('webhook', verified)
    // Hono's compose catches the handler's error (c.error, onError's answer on c.res).
    await runGuarded(opts, verified, next, () => (c.error ? null : c.res.status))
  }
}

module.exports = { webhook, answerResponse, DEFAULT_LIMIT: DEFAULT_BODY_LIMIT }
