'use strict'
// hooksig/fetch: verification for Fetch-API runtimes (Next.js route handlers, Hono, Deno-style
// servers, Node's own Request/Response). withWebhook is an adapter: every status, header and
// body it answers is the core's receiver policy (hooksig::receive, README "Receiver policy");
// this file only reads the body (chunk by chunk, abandoned past `limit`, default 10 MiB) and
// turns the core's answers into Responses.

const { Verifier, HooksigError, Receiver, RECEIVER_CONTENT_TYPE, DEFAULT_BODY_LIMIT } = require('./index.js')
const { POLICY, verifyQuiet, quietFailure, receiverOptions, askGuard, settle } = require('./lib/receiver.js')

// Bodies at least this large are hashed on the libuv threadpool (verifyAsync) so the event loop
// stays free; smaller ones are verified inline, which is faster than the thread hop.
const ASYNC_THRESHOLD = 1024 * 1024
const CONFIG = 'invalid_config'
const ARG = 'invalid_argument'

/** The default body limit, the same as hooksig/express's: the core's, 10 MiB. */
const DEFAULT_LIMIT = DEFAULT_BODY_LIMIT

/** A core answer `{ status, headers, body }` as a Response (e.g. `Receiver.received(webhook)`). */
function answerResponse(answer) {
  const headers = new Headers(answer.headers)
  headers.set('content-type', RECEIVER_CONTENT_TYPE)
  return new Response(answer.body, { status: answer.status, headers })
}

/** The body (at most `receiver.limit` bytes), or `{ answer }` saying why there is none. */
async function readBody(request, receiver) {
  const limit = receiver.limit
  const stream = request.body
  if (request.bodyUsed) return { answer: POLICY.rejected(CONFIG) } // already consumed
  try {
    if (stream === null || stream === undefined) {
      // No stream (a Request-like object, or no body at all): arrayBuffer() is all there is.
      const whole = await request.arrayBuffer()
      return whole.byteLength > limit ? { answer: receiver.bodyTooLarge() } : { body: new Uint8Array(whole) }
    }
    const reader = stream.getReader()
    const chunks = []
    let size = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        reader.cancel().catch(() => {})
        return { answer: receiver.bodyTooLarge() }
      }
      chunks.push(value)
    }
    return { body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) }
  } catch {
    return { answer: receiver.bodyReadFailed() }
  }
}

/** The Verified result, or `{ error, answer }`; bodies of 1 MiB or more on the threadpool. */
async function verifyQuietly(verifier, headers, body, opts) {
  if (body.byteLength < ASYNC_THRESHOLD) return verifyQuiet(verifier, headers, body, opts.now)
  try {
    return await verifier.verifyAsync(headers, body, opts.verify)
  } catch (err) {
    return quietFailure(err)
  }
}

const ROUTE = { now: 'integer', guard: 'any', limit: 'any' }

/** `{ now, guard, limit }` split into the verify options, the guard and the receiver policy. */
function routeOptions(where, opts) {
  const { now, guard, receiver } = receiverOptions(where, opts, ROUTE)
  return { verify: now === undefined ? undefined : { now }, guard, now, receiver }
}

function isRequest(request) {
  return !!request && typeof request.arrayBuffer === 'function' && !!request.headers
}

/** Reads the request within the limit and verifies it: `Verified`, or `{ answer }`. */
async function receive(verifier, request, opts, method) {
  const early = opts.receiver.start(method, request.headers.get('content-length'))
  if (early !== null) {
    if (!request.bodyUsed) request.body?.cancel().catch(() => {})
    return { answer: early }
  }
  const got = await readBody(request, opts.receiver)
  return got.answer !== undefined ? got : verifyQuietly(verifier, request.headers, got.body, opts)
}

/**
 * Reads the body (within `limit`) and verifies it with the request's headers. Resolves to the
 * `Verified` result; rejects with a `HooksigError` for a request that does not verify (its
 * code and status are the core's). With `options.guard` the result has `duplicate` (see
 * fetch.d.ts); call `guard.forget(result.dedupeKey)` if your handling fails.
 */
async function verifyRequest(verifier, request, options) {
  if (!isRequest(request)) throw new HooksigError(ARG, 'verifyRequest(verifier, request): expected a Fetch API Request')
  const opts = routeOptions('verifyRequest()', options)
  const result = await receive(verifier, request, opts, 'POST')
  if (result.answer !== undefined) throw new HooksigError(result.error ?? JSON.parse(result.answer.body).error)
  if (opts.guard) result.duplicate = !(await opts.guard.checkAndRemember(result.dedupeKey, opts.verify))
  return result
}

/** The core's Response for a HooksigError (its code); the core's 500 `internal` otherwise. */
function errorResponse(err) {
  if (err instanceof HooksigError) return answerResponse(POLICY.rejected(err.code))
  return answerResponse(Receiver.internal())
}

/** The core's answer to a delivery already handled: 200 `{"status":"duplicate"}`. */
function duplicateResponse() {
  return answerResponse(POLICY.guarded('duplicate'))
}

/**
 * A route handler `(request, ...rest) => Promise<Response>` that verifies the request and calls
 * `handler(webhook, request, ...rest)` only for a verified one; every other answer is the
 * core's. With `options.guard`, the core's rule decides after the handler: a throw (re-thrown
 * after the key is released) or a non-2xx Response releases the key, a 2xx keeps (confirms) it.
 */
function withWebhook(verifier, handler, options) {
  const where = 'withWebhook()'
  if (!(verifier instanceof Verifier)) throw new HooksigError(ARG, `${where}: expected a hooksig Verifier`)
  if (typeof handler !== 'function') throw new HooksigError(ARG, `${where}: expected a handler function`)
  const opts = routeOptions(where, options)
  const { guard, receiver } = opts
  return async function hooksigWebhookRoute(request, ...rest) {
    if (!isRequest(request)) return answerResponse(POLICY.rejected('invalid_argument'))
    const webhook = await receive(verifier, request, opts, request.method ?? 'POST')
    if (webhook.answer !== undefined) return answerResponse(webhook.answer)
    if (!guard) return handler(webhook, request, ...rest)
    const key = webhook.dedupeKey
    const stop = receiver.guarded(await askGuard(guard, key, opts.verify))
    if (stop !== null) return answerResponse(stop)
    let response
    try {
      response = await handler(webhook, request, ...rest)
    } catch (err) {
      await settle(receiver, guard, key, null)
      throw err
    }
    const status = response !== null && typeof response === 'object' && Number.isInteger(response.status) ? response.status : 0
    await settle(receiver, guard, key, status)
    return response
  }
}

module.exports = { verifyRequest, errorResponse, duplicateResponse, answerResponse, withWebhook, DEFAULT_LIMIT }
