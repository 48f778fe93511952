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

const { Verifier, HooksigError, _internal } = require('./index.js')

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

/**
 * Middleware: verifies the request with `verifier`, puts the result on `req.webhook` and calls
 * `next()`; otherwise answers 400/401 (500 for configuration errors) with `{ error: code }`.
 * Never throws and never calls your handler for an unverified request.
 *
 * options.limit: the largest body read from the stream, in bytes (default 10 MiB).
 */
function verifyWebhook(verifier, options = {}) {
  if (!(verifier instanceof Verifier)) {
    throw new HooksigError('invalid_config', 'verifyWebhook(verifier): expected a hooksig Verifier')
  }
  const limit = options && Number.isSafeInteger(options.limit) && options.limit > 0 ? options.limit : DEFAULT_LIMIT
  return function hooksigVerifyWebhook(req, res, next) {
    rawBody(req, limit)
      .then((got) => {
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
        req.webhook = result
        next()
      })
      .catch(() => send(res, 500, { error: 'internal_error' }))
  }
}

module.exports = { verifyWebhook, captureRawBody }
