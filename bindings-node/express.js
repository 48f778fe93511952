'use strict'
// hooksig/express: Express (4 or 5) middleware that verifies a webhook before your handler runs.
// No dependency on Express itself: it uses only Node's request/response API.
//
// Where the raw body comes from, in this order:
//   1. `req.rawBody` (Buffer, Uint8Array or string), e.g. captured by an app-wide
//      `express.json({ verify: captureRawBody })`;
//   2. `req.body` when it is a Buffer (`express.raw()` mounted before);
//   3. the request stream itself, when no body parser has consumed it (no parser mounted, or a
//      parser that skipped this content type); the bytes are then left on `req.rawBody`.
// When a parser consumed the stream and kept no raw bytes, the signature cannot be checked:
// the middleware answers 500 `{ error: 'raw_body_unavailable' }` and explains the fix.
//
// Limits: a body over `limit` bytes (default 10 MiB) is answered 413 `{ error: 'body_too_large' }`
// (from Content-Length before reading, or as soon as the stream passes the limit); a parser
// mounted before the middleware applies its own limit first (express.json's default is 100 kB:
// mount verifyWebhook before any parser, or give the parser `limit` too). A method other than
// POST is answered 405 `{ error: 'method_not_allowed' }` with `Allow: POST` (mount the middleware
// with app.all(path, ...) to get this answer instead of Express's HTML 404).
//
// Every rejection is JSON `{ error: code, message? }`; verification failures take a path that
// creates no Error object (a stack trace cost several times an accepted request).
//
// With `{ guard }` (a ReplayGuard, a RedisReplayGuard or any object with checkAndRemember and
// forget), a verified request's `dedupeKey` is checked and remembered before the handler runs;
// a duplicate is answered 200 `{ status: 'duplicate' }` and the handler is not called. The key
// is released again (guard.forget) when the handler does not succeed: a response status outside
// 2xx (a thrown or rejected handler or `next(err)`, answered 500 by Express's error handler, or
// an explicit 4xx/5xx), or a connection closed before any response. The release completes
// before the failed response is finished, so the sender's retry finds the key free. After a 2xx
// the guard's `confirm(key)` (RedisReplayGuard: the two-phase marker) runs before the response
// is finished. A guard that cannot reach its store is answered 503 `{ error:
// 'replay_store_unavailable' }` with a Retry-After header (the sender retries), a delivery
// another request is still processing 409 `{ error: 'delivery_in_progress' }` with Retry-After.

const { Verifier, HooksigError, INTERNAL_ERROR_CODE, INTERNAL_ERROR_STATUS, _internal } = require('./index.js')

const DEFAULT_LIMIT = 10 * 1024 * 1024

/** `express.json({ verify: captureRawBody })`: keeps the exact bytes on `req.rawBody`. */
function captureRawBody(req, _res, buf) {
  req.rawBody = buf
}

const DEFAULT_RETRY_AFTER = 30

function send(res, status, payload, headers) {
  if (res.headersSent) return
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  if (headers) for (const name of Object.keys(headers)) res.setHeader(name, headers[name])
  res.end(JSON.stringify(payload))
}

function tooLarge(limit) {
  return { status: 413, error: 'body_too_large', message: `the body exceeds the limit of ${limit} bytes` }
}

/** Content-Length as a number, or -1 when absent or not a plain decimal. */
function declaredLength(req) {
  const value = req.headers['content-length']
  return typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : -1
}

/**
 * The answer to a guard failure: the guard's own error (RedisReplayGuard: 503
 * replay_store_unavailable or 409 delivery_in_progress, with retryAfter), any other failure of
 * the store 503 replay_store_unavailable; a configuration error stays a 500.
 */
function guardFailure(err) {
  if (err instanceof HooksigError && err.code === 'invalid_config') {
    return { status: INTERNAL_ERROR_STATUS, payload: { error: INTERNAL_ERROR_CODE }, headers: null }
  }
  const known = err instanceof HooksigError && Number.isSafeInteger(err.retryAfter)
  const retryAfter = known ? err.retryAfter : DEFAULT_RETRY_AFTER
  return {
    status: known ? err.status : 503,
    payload: known
      ? { error: err.code, message: err.message }
      : { error: 'replay_store_unavailable', message: 'the replay store is unavailable; retry later' },
    headers: { 'Retry-After': String(retryAfter) },
  }
}

function streamConsumed(req) {
  return req._body === true || req.readableEnded === true || (req.complete === true && req.readable === false)
}

function readStream(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    let done = false
    const finish = (err, value) => {
      if (done) return
      done = true
      req.removeListener('data', onData)
      req.removeListener('end', onEnd)
      req.removeListener('error', onError)
      if (err) reject(err)
      else resolve(value)
    }
    const onData = (chunk) => {
      size += chunk.length
      if (size > limit) {
        finish(Object.assign(new Error('body too large'), { hooksigReason: 'body_too_large' }))
        req.resume()
        return
      }
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    }
    const onEnd = () => finish(null, Buffer.concat(chunks, size))
    const onError = () => finish(Object.assign(new Error('read failed'), { hooksigReason: 'body_read_failed' }))
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** The raw body, or a `{ status, error, message }` describing why there is none. */
async function rawBody(req, limit) {
  const raw = req.rawBody
  if (typeof raw === 'string' || raw instanceof Uint8Array) {
    return (typeof raw === 'string' ? Buffer.byteLength(raw) : raw.byteLength) > limit ? tooLarge(limit) : { body: raw }
  }
  if (Buffer.isBuffer(req.body)) return req.body.length > limit ? tooLarge(limit) : { body: req.body }
  if (streamConsumed(req)) {
    return {
      status: 500,
      error: 'raw_body_unavailable',
      message:
        'a body parser consumed the request before hooksig could read the raw bytes; mount ' +
        'express.json({ verify: captureRawBody }) (from hooksig/express) instead of a plain ' +
        'express.json(), or mount verifyWebhook() before the parser',
    }
  }
  if (declaredLength(req) > limit) {
    // Refused before reading; the rest is drained (not buffered) so the client reads the 413.
    req.resume()
    return tooLarge(limit)
  }
  try {
    const body = await readStream(req, limit)
    req.rawBody = body
    return { body }
  } catch (err) {
    if (err && err.hooksigReason === 'body_too_large') return tooLarge(limit)
    return { status: 400, error: 'body_read_failed', message: 'the request body could not be read' }
  }
}

/** The guard option, checked at setup (a HooksigError for anything without the two methods). */
function checkGuard(where, guard) {
  if (guard === undefined || guard === null) return null
  if (typeof guard !== 'object' || typeof guard.checkAndRemember !== 'function' || typeof guard.forget !== 'function') {
    throw new HooksigError(
      'invalid_config',
      `${where}: \`guard\` must be a ReplayGuard, a RedisReplayGuard or an object with checkAndRemember(key) and forget(key)`,
    )
  }
  return guard
}

/** guard.forget(key), sync or async, never throwing; resolves when the key is released. */
function release(guard, key) {
  try {
    return Promise.resolve(guard.forget(key)).then(
      () => {},
      () => {},
    )
  } catch {
    return Promise.resolve()
  }
}

/** guard.confirm(key) when the guard has one (the two-phase Redis marker), never throwing. */
function confirm(guard, key) {
  if (typeof guard.confirm !== 'function') return null
  try {
    return Promise.resolve(guard.confirm(key)).then(
      () => {},
      () => {},
    )
  } catch {
    return null
  }
}

/**
 * Keeps `key` remembered only if the handler's response is a 2xx (and confirms it, for a guard
 * with `confirm`). Otherwise the key is forgotten. Either way the response is finished only
 * after the store answered (or timed out), so a retry sent after the response sees the outcome.
 */
function releaseUnlessSuccessful(res, guard, key) {
  let decided = false
  const end = res.end
  res.end = function hooksigEnd(...args) {
    res.end = end
    if (decided) return end.apply(this, args)
    decided = true
    if (res.statusCode >= 200 && res.statusCode < 300) {
      const confirmed = confirm(guard, key)
      if (confirmed === null) return end.apply(this, args)
      confirmed.then(() => end.apply(this, args))
      return this
    }
    release(guard, key).then(() => end.apply(this, args))
    return this
  }
  res.once('close', () => {
    if (decided) return
    decided = true
    res.end = end
    release(guard, key)
  })
}

/**
 * Middleware: verifies the request with `verifier`, puts the result on `req.webhook` and calls
 * `next()`; otherwise answers 400/401 (500 for configuration errors) with `{ error: code }`.
 * Never throws and never calls your handler for an unverified request.
 *
 * options.limit: the largest body accepted, in bytes (default 10 MiB); more is 413.
 * options.guard: a replay guard; duplicates get 200 { status: 'duplicate' } (see above).
 */
function verifyWebhook(verifier, options = {}) {
  const where = 'verifyWebhook()'
  if (!(verifier instanceof Verifier)) {
    throw new HooksigError('invalid_config', 'verifyWebhook(verifier): expected a hooksig Verifier')
  }
  if (options === null || typeof options !== 'object') {
    throw new HooksigError('invalid_config', `${where}: options must be an object like { limit, guard }`)
  }
  _internal.checkKeys(where, options, ['limit', 'guard'])
  const limit = options.limit == null ? DEFAULT_LIMIT : _internal.positiveInteger(where, 'limit', options.limit)
  const guard = checkGuard(where, options.guard)
  return function hooksigVerifyWebhook(req, res, next) {
    if (req.method !== 'POST') {
      send(res, 405, { error: 'method_not_allowed', message: 'webhooks are delivered with POST' }, { Allow: 'POST' })
      return
    }
    rawBody(req, limit)
      .then(async (got) => {
        if (got.error) {
          send(res, got.status, { error: got.error, message: got.message }, got.status === 413 ? { Connection: 'close' } : null)
          return
        }
        // Never throws: a rejection is { error, status } (no Error, no stack trace).
        const result = _internal.verifyQuiet(verifier, req.headers, got.body, undefined)
        if (result.error !== undefined) {
          send(res, result.status, { error: result.error })
          return
        }
        if (guard) {
          // Only verified deliveries reach the guard: forged requests cannot burn ids.
          const key = result.dedupeKey
          let fresh
          try {
            fresh = await guard.checkAndRemember(key)
          } catch (err) {
            // Fails closed without a hang or a 500: 503 (409 in progress) + Retry-After.
            const failure = guardFailure(err)
            send(res, failure.status, failure.payload, failure.headers)
            return
          }
          if (!fresh) {
            send(res, 200, { status: 'duplicate' })
            return
          }
          releaseUnlessSuccessful(res, guard, key)
        }
        req.webhook = result
        next()
      })
      .catch(() => send(res, INTERNAL_ERROR_STATUS, { error: INTERNAL_ERROR_CODE }))
  }
}

module.exports = { verifyWebhook, captureRawBody, DEFAULT_LIMIT }
