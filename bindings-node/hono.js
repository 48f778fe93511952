'use strict'
// hooksig/hono: Hono (4) middleware that verifies a webhook before the route's handler runs, on
// @hono/node-server or any runtime that loads Node addons (Bun, Deno with npm: specifiers).
// An adapter over hooksig/fetch's request logic: every status, header and body it answers is
// the core's receiver policy (hooksig::receive, README "Receiver policy"); the body is read from
// `c.req.raw` chunk by chunk and abandoned past `limit` (default 10 MiB).
//
// Mount it with app.all(path, webhook(verifier), handler) so that a GET gets the core's 405.
// The handler reads `c.get('webhook')` (its `payload` is the verified bytes): the request's
// body stream is consumed, so c.req.json() would fail, and a middleware before this one that
// read the body (c.req.json(), a validator) leaves none: the core's 500 invalid_config.

const { Verifier, HooksigError, DEFAULT_BODY_LIMIT } = require('./index.js')
const { runGuarded } = require('./lib/receiver.js')
const { routeOptions, receive } = require('./lib/fetch-request.js')
const { answerResponse } = require('./fetch.js')

/** The default body limit: the core's, 10 MiB. */
const DEFAULT_LIMIT = DEFAULT_BODY_LIMIT

/**
 * Middleware: verifies the request, sets `c.set('webhook', verified)` and awaits `next()`;
 * otherwise answers the core's answer. options: `limit`, `guard` (settled after the handler by
 * the core's rule: it threw, Hono's onError answered, or its status is not a 2xx: released),
 * `now` (a fixed clock, for tests).
 */
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

module.exports = { webhook, answerResponse, DEFAULT_LIMIT }
