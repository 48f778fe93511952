'use strict'
// hooksig/fetch: verification for Fetch-API runtimes (Next.js route handlers, Hono, Deno-style
// servers, Node's own Request/Response); withWebhook is an adapter over the core's receiver
// policy (lib/receiver.js).
// The public API and its docs: fetch.d.ts.

const { Verifier, HooksigError, Receiver, DEFAULT_BODY_LIMIT } = require('./index.js')
const { POLICY, runGuarded, contentTypeOf } = require('./lib/receiver.js')
const { routeOptions, isRequest, receive } = require('./lib/fetch-request.js')

const ARG = 'invalid_argument'

function answerResponse(answer) {
  const headers = new Headers(answer.headers)
  headers.set('content-type', contentTypeOf(answer))
  return new Response(answer.body, { status: answer.status, headers })
}

async function verifyRequest(verifier, request, options) {
  if (!isRequest(request)) throw new HooksigError(ARG, 'verifyRequest(verifier, request): expected a Fetch API Request')
  const opts = routeOptions('verifyRequest()', options)
  // No handshake answers here: a verified Slack/Zoom/Twitch handshake is a Verified result too.
  const { webhook: result, answer, error } = await receive(verifier, request, opts, 'POST', null, false)
  if (answer !== undefined) throw new HooksigError(error ?? JSON.parse(answer.body).error)
  if (opts.guard) result.duplicate = !(await opts.guard.checkAndRemember(result.dedupeKey, opts.verify))
  return result
}

function errorResponse(err) {
  if (err instanceof HooksigError) return answerResponse(POLICY.rejected(err.code))
  return answerResponse(Receiver.internal())
}

function duplicateResponse() {
  return answerResponse(POLICY.guarded('duplicate'))
}

function withWebhook(verifier, handler, options) {
  const where = 'withWebhook()'
  if (!(verifier instanceof Verifier)) throw new HooksigError(ARG, `${where}: expected a hooksig Verifier`)
  if (typeof handler !== 'function') throw new HooksigError(ARG, `${where}: expected a handler function`)
  const opts = routeOptions(where, options)
  const { guard } = opts
  return async function hooksigWebhookRoute(request, ...rest) {
    if (!isRequest(request)) return answerResponse(POLICY.rejected('invalid_argument'))
    const { webhook, answer } = await receive(verifier, request, opts, request.method ?? 'POST', guard)
    if (answer !== undefined) return answerResponse(answer)
    return runGuarded(opts, webhook, () => handler(webhook, request, ...rest), statusOf)
  }
}

/** A handler's Response status (0, a failure, for anything that is not a Response-like object). */
function statusOf(response) {
  return response !== null && typeof response === 'object' && Number.isInteger(response.status) ? response.status : 0
}

module.exports = { verifyRequest, errorResponse, duplicateResponse, answerResponse, withWebhook, DEFAULT_LIMIT: DEFAULT_BODY_LIMIT }
