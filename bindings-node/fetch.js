'use strict'
// hooksig/fetch: verification for Fetch-API runtimes (Next.js route handlers, Hono, Deno-style
// servers, Node's own Request/Response).
//
// The body is read from `request.body` chunk by chunk and counted: over `limit` bytes (default
// 10 MiB, as in hooksig/express) reading stops and the answer is 413 `{ error: 'body_too_large' }`.
// withWebhook answers a method other than POST 405 `{ error: 'method_not_allowed' }` with
// `Allow: POST`, a guard whose store is unavailable 503 `{ error: 'replay_store_unavailable' }`
// with Retry-After (409 `delivery_in_progress` for a delivery another request is processing).
// Rejections take a path that creates no Error object (a stack trace costs more than a
// verification).

const { Verifier, HooksigError, INTERNAL_ERROR_CODE, INTERNAL_ERROR_STATUS, _internal } = require('./index.js')

// Bodies at least this large are hashed on the libuv threadpool (verifyAsync) so the event loop
// stays free; smaller ones are verified inline, which is faster than the thread hop.
const ASYNC_THRESHOLD = 1024 * 1024

const CONFIG = 'invalid_config'

/** The default body limit, the same as hooksig/express's: 10 MiB. */
const DEFAULT_LIMIT = 10 * 1024 * 1024
const DEFAULT_RETRY_AFTER = 30

/** Thrown inside this module for a body over the limit (never reaches the caller as such). */
function bodyTooLarge(limit) {
  return new HooksigError('body_too_large', `the body exceeds the limit of ${limit} bytes`)
}

/**
 * The request body, read chunk by chunk and counted: reading stops (and the stream is
 * cancelled) as soon as it passes `limit`, so a forged huge POST costs at most `limit` bytes of
 * memory. A Content-Length over the limit is refused before reading.
 */
async function readBody(request, limit) {
  const declared = request.headers.get('content-length')
  if (declared !== null && /^\d{1,16}$/.test(declared) && Number(declared) > limit) {
    try {
      await request.body?.cancel()
    } catch {}
    throw bodyTooLarge(limit)
  }
  const stream = request.body
  if (request.bodyUsed) throw new Error('body used')
  if (stream === null || stream === undefined) {
    // No stream (a Request-like object): arrayBuffer() is all there is.
    const whole = await request.arrayBuffer()
    if (whole.byteLength > limit) throw bodyTooLarge(limit)
    return new Uint8Array(whole)
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
      throw bodyTooLarge(limit)
    }
    chunks.push(value)
  }
  if (chunks.length === 1) return chunks[0]
  return Buffer.concat(chunks, size)
}

/**
 * The answer to a guard failure (see hooksig/express): the guard's 503/409 with Retry-After,
 * any other store failure 503 replay_store_unavailable, a configuration error 500.
 */
function guardFailureResponse(err) {
  if (err instanceof HooksigError && err.code === CONFIG) return json(INTERNAL_ERROR_STATUS, { error: INTERNAL_ERROR_CODE })
  const known = err instanceof HooksigError && Number.isSafeInteger(err.retryAfter)
  return json(
    known ? err.status : 503,
    known
      ? { error: err.code, message: err.message }
      : { error: 'replay_store_unavailable', message: 'the replay store is unavailable; retry later' },
    { 'retry-after': String(known ? err.retryAfter : DEFAULT_RETRY_AFTER) },
  )
}

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

/** `{ now, guard, limit }` split into the verify options, the guard and the body limit. */
function routeOptions(where, options) {
  if (options === undefined || options === null) return { verify: undefined, guard: null, now: undefined, limit: DEFAULT_LIMIT }
  if (!_internal.isPlainObject(options)) {
    throw new HooksigError(CONFIG, `${where}: options must be an object like { now, guard, limit }, got ${_internal.typeName(options)}`)
  }
  _internal.checkKeys(where, options, ['now', 'guard', 'limit'])
  const { now } = _internal.checkOptions(where, { now: options.now })
  const limit = options.limit == null ? DEFAULT_LIMIT : _internal.positiveInteger(where, 'limit', options.limit)
  return { verify: now === undefined ? undefined : { now }, guard: checkGuard(where, options.guard), now, limit }
}

function json(status, payload, headers) {
  return new Response(JSON.stringify(payload), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

/** readBody, with a HooksigError for every failure (body_too_large: status 413). */
async function readOrThrow(request, limit) {
  try {
    return await readBody(request, limit)
  } catch (err) {
    if (err instanceof HooksigError && err.code === 'body_too_large') {
      err.status = 413
      throw err
    }
    throw new HooksigError(
      CONFIG,
      'the request body could not be read (was it already consumed by request.json() or request.text()?)',
    )
  }
}

/** Reads and verifies; never throws for a request that does not verify: `{ error, status, message? }`. */
async function verifyQuietly(verifier, request, opts) {
  let body
  try {
    body = await readOrThrow(request, opts.limit)
  } catch (err) {
    if (err.code === 'body_too_large') return { error: err.code, status: 413, message: err.message }
    throw err
  }
  if (body.byteLength >= ASYNC_THRESHOLD) {
    try {
      return await verifier.verifyAsync(request.headers, body, opts.verify)
    } catch (err) {
      const e = _internal.toHooksigError(err)
      return { error: e.code, status: e.status }
    }
  }
  return _internal.verifyQuiet(verifier, request.headers, body, opts.now)
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
  const body = await readOrThrow(request, opts.limit)
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
  if (err instanceof HooksigError) {
    if (Number.isSafeInteger(err.retryAfter)) return guardFailureResponse(err)
    if (err.code === 'body_too_large') return json(413, { error: err.code, message: err.message })
    return json(err.status, { error: err.code })
  }
  return json(INTERNAL_ERROR_STATUS, { error: INTERNAL_ERROR_CODE })
}

/** 405 `{ error: 'method_not_allowed' }` with `Allow: POST`. */
function methodNotAllowed() {
  return json(405, { error: 'method_not_allowed', message: 'webhooks are delivered with POST' }, { allow: 'POST' })
}

/** guard.confirm(key) when the guard has one (RedisReplayGuard's two-phase marker). */
async function confirm(guard, key) {
  if (typeof guard.confirm !== 'function') return
  try {
    await guard.confirm(key)
  } catch {}
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
    if (!request || typeof request.arrayBuffer !== 'function' || !request.headers) {
      return errorResponse(null)
    }
    if (request.method !== undefined && request.method !== 'POST') return methodNotAllowed()
    let webhook
    try {
      webhook = await verifyQuietly(verifier, request, opts)
    } catch (err) {
      return errorResponse(err)
    }
    if (webhook.error !== undefined) {
      return json(webhook.status, webhook.message === undefined ? { error: webhook.error } : { error: webhook.error, message: webhook.message })
    }
    const { guard } = opts
    if (!guard) return handler(webhook, request, ...rest)
    const key = webhook.dedupeKey
    let fresh
    try {
      fresh = await guard.checkAndRemember(key, verifyOpts)
    } catch (err) {
      // Fails closed without a hang or a 500: 503 (409 in progress) + Retry-After.
      return guardFailureResponse(err)
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
    if (ok) await confirm(guard, key)
    else await release(guard, key)
    return response
  }
}

module.exports = { verifyRequest, errorResponse, duplicateResponse, withWebhook, DEFAULT_LIMIT }
