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
// With `{ guard }` (a ReplayGuard, a RedisReplayGuard or any object with checkAndRemember and
// forget), a verified request's `dedupeKey` is checked and remembered before the handler runs;
// a duplicate is answered 200 `{ status: 'duplicate' }` and the handler is not called. The key
// is released again (guard.forget) when the handler does not succeed: a response status outside
// 2xx (a thrown or rejected handler or `next(err)`, answered 500 by Express's error handler, or
// an explicit 4xx/5xx), or a connection closed before any response. The release completes
// before the failed response is finished, so the sender's retry finds the key free.

const { Verifier, HooksigError, INTERNAL_ERROR_CODE, INTERNAL_ERROR_STATUS, _internal } = require('./index.js')

const DEFAULT_LIMIT = 10 * 1024 * 1024

/** `express.json({ verify: captureRawBody })`: keeps the exact bytes on `req.rawBody`. */
function captureRawBody(req, _res, buf) {
  req.rawBody = buf
}

function send(res, status, payload) {
  if (res.headersSent) return
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.end(JSON.stringify(payload))
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
  if (typeof raw === 'string' || raw instanceof Uint8Array) return { body: raw }
  if (Buffer.isBuffer(req.body)) return { body: req.body }
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
  try {
    const body = await readStream(req, limit)
    req.rawBody = body
    return { body }
  } catch (err) {
    if (err && err.hooksigReason === 'body_too_large') {
      return { status: 413, error: 'body_too_large', message: `the body exceeds ${limit} bytes` }
    }
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

/**
 * Keeps `key` remembered only if the handler's response is a 2xx. Otherwise the key is
 * forgotten, and the response is finished only after that (for an async store such as Redis),
 * so a retry sent after the failure is seen as new.
 */
function releaseUnlessSuccessful(res, guard, key) {
  let decided = false
  const end = res.end
  res.end = function hooksigEnd(...args) {
    res.end = end
    if (decided) return end.apply(this, args)
    decided = true
    if (res.statusCode >= 200 && res.statusCode < 300) return end.apply(this, args)
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
 * options.limit: the largest body read from the stream, in bytes (default 10 MiB).
 * options.guard: a replay guard; duplicates get 200 { status: 'duplicate' } (see above).
 */
function verifyWebhook(verifier, options = {}) {
  if (!(verifier instanceof Verifier)) {
    throw new HooksigError('invalid_config', 'verifyWebhook(verifier): expected a hooksig Verifier')
  }
  const limit = options && Number.isSafeInteger(options.limit) && options.limit > 0 ? options.limit : DEFAULT_LIMIT
  const guard = checkGuard('verifyWebhook()', options && options.guard)
  return function hooksigVerifyWebhook(req, res, next) {
    rawBody(req, limit)
      .then(async (got) => {
        if (got.error) {
          send(res, got.status, { error: got.error, message: got.message })
          return
        }
        let result
        try {
          result = verifier.verify(req.headers, got.body)
        } catch (err) {
          const e = _internal.toHooksigError(err)
          send(res, e.status, { error: e.code })
          return
        }
        if (guard) {
          // Only verified deliveries reach the guard: forged requests cannot burn ids.
          const key = result.dedupeKey
          // A store failure fails closed (500): the sender retries later.
          const fresh = await guard.checkAndRemember(key)
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

module.exports = { verifyWebhook, captureRawBody }
