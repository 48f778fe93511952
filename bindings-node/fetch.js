'use strict'
// hooksig/fetch: verification for Fetch-API runtimes (Next.js route handlers, Hono, Deno-style
// servers, Node's own Request/Response).

const { Verifier, HooksigError, INTERNAL_ERROR_CODE, INTERNAL_ERROR_STATUS, _internal } = require('./index.js')

// Bodies at least this large are hashed on the libuv threadpool (verifyAsync) so the event loop
// stays free; smaller ones are verified inline, which is faster than the thread hop.
const ASYNC_THRESHOLD = 1024 * 1024

const CONFIG = 'invalid_config'

function checkGuard(where, guard) {
  if (guard === undefined || guard === null) return null
  if (typeof guard !== 'object' || typeof guard.checkAndRemember !== 'function' || typeof guard.forget !== 'function') {
    throw new HooksigError(
      CONFIG,
      `${where}: \`guard\` must be a ReplayGuard, a RedisReplayGuard or an object with checkAndRemember(key) and forget(key)`,
    )
  }
  return guard
}

/** `{ now, guard }` split into the verify options and the guard. */
function routeOptions(where, options) {
  if (options === undefined || options === null) return { verify: undefined, guard: null, now: undefined }
  if (!_internal.isPlainObject(options)) {
    throw new HooksigError(CONFIG, `${where}: options must be an object like { now, guard }, got ${_internal.typeName(options)}`)
  }
  _internal.checkKeys(where, options, ['now', 'guard'])
  const { now } = _internal.checkOptions(where, { now: options.now })
  return { verify: now === undefined ? undefined : { now }, guard: checkGuard(where, options.guard), now }
}

function json(status, payload) {
  return new Response(JSON.stringify(payload), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

/** guard.forget(key), sync or async; resolves when done, never rejects. */
async function release(guard, key) {
  try {
    await guard.forget(key)
  } catch {}
}

/**
 * Reads `await request.arrayBuffer()` and verifies it with the request's headers. Resolves to
 * the `Verified` result; rejects with a `HooksigError` for a request that does not verify.
 *
 * With `options.guard`, a verified delivery's `dedupeKey` is also checked and remembered: the
 * result then has `duplicate: true` for a delivery already seen (answer it 200 and skip the
 * work) and `duplicate: false` otherwise (call `guard.forget(result.dedupeKey)` if your handling
 * fails). A guard's own failure (Redis unreachable) rejects with the guard's error.
 * `withWebhook` does all of this for you.
 */
async function verifyRequest(verifier, request, options) {
  if (!request || typeof request.arrayBuffer !== 'function' || !request.headers) {
    throw new HooksigError(CONFIG, 'verifyRequest(verifier, request): expected a Fetch API Request')
  }
  const opts = routeOptions('verifyRequest()', options)
  let body
  try {
    body = await request.arrayBuffer()
  } catch {
    throw new HooksigError(
      CONFIG,
      'the request body could not be read (was it already consumed by request.json() or request.text()?)',
    )
  }
  let result
  try {
    result =
      body.byteLength >= ASYNC_THRESHOLD
        ? await verifier.verifyAsync(request.headers, body, opts.verify)
        : verifier.verify(request.headers, body, opts.verify)
  } catch (err) {
    throw _internal.toHooksigError(err)
  }
  if (opts.guard) {
    // Only verified deliveries reach the guard: forged requests cannot burn ids.
    result.duplicate = !(await opts.guard.checkAndRemember(result.dedupeKey, opts.verify))
  }
  return result
}

/**
 * A `Response` for a failed verification: the status from the core's table (400, 401, 500) and
 * the JSON body `{ error: code }`. Any other error becomes 500 `{ error: 'internal' }`.
 */
function errorResponse(err) {
  if (err instanceof HooksigError) return json(err.status, { error: err.code })
  return json(INTERNAL_ERROR_STATUS, { error: INTERNAL_ERROR_CODE })
}

/** The answer to a delivery the guard has already seen: 200 `{ status: 'duplicate' }`. */
function duplicateResponse() {
  return json(200, { status: 'duplicate' })
}

/**
 * A route handler `(request, ...rest) => Promise<Response>` that verifies the request and calls
 * `handler(webhook, request, ...rest)` only for a verified one (400/401 `{ error: code }`
 * otherwise).
 *
 * With `options.guard`, a delivery already seen is answered 200 `{ status: 'duplicate' }`
 * without calling the handler. When the handler throws or rejects (the error is re-thrown, for
 * the framework to log and answer 500) or returns anything but a 2xx `Response`, the delivery's
 * key is forgotten first, so the sender's retry is processed. A guard failure answers 500
 * `{ error: 'internal' }` (the sender retries later).
 */
function withWebhook(verifier, handler, options) {
  const where = 'withWebhook()'
  if (!(verifier instanceof Verifier)) throw new HooksigError(CONFIG, `${where}: expected a hooksig Verifier`)
  if (typeof handler !== 'function') throw new HooksigError(CONFIG, `${where}: expected a handler function`)
  const opts = routeOptions(where, options)
  const verifyOpts = opts.now === undefined ? undefined : { now: opts.now }
  return async function hooksigWebhookRoute(request, ...rest) {
    let webhook
    try {
      webhook = await verifyRequest(verifier, request, verifyOpts)
    } catch (err) {
      return errorResponse(err)
    }
    const { guard } = opts
    if (!guard) return handler(webhook, request, ...rest)
    const key = webhook.dedupeKey
    let fresh
    try {
      fresh = await guard.checkAndRemember(key, verifyOpts)
    } catch {
      return errorResponse(null)
    }
    if (!fresh) return duplicateResponse()
    let response
    try {
      response = await handler(webhook, request, ...rest)
    } catch (err) {
      await release(guard, key)
      throw err
    }
    const ok = response !== null && typeof response === 'object' && response.status >= 200 && response.status < 300
    if (!ok) await release(guard, key)
    return response
  }
}

module.exports = { verifyRequest, errorResponse, duplicateResponse, withWebhook }
