'use strict'
// hooksig/express: Express (4 or 5) middleware that verifies a webhook before your handler runs.
// An adapter: every status, header and body it writes is the core's receiver policy
// (hooksig::receive, README "Receiver policy"); this file only reads the body and writes answers.
//
// The raw body comes from `req.rawBody` (e.g. `express.json({ verify: captureRawBody })`),
// `req.body` when it is a Buffer (`express.raw()`), or the request stream itself, read up to
// `limit` bytes (default 10 MiB). A parser that consumed the stream without keeping the bytes
// is a configuration error: 500 invalid_config (and a process warning explaining the fix).
// Mount with app.all(path, ...) so that other methods get the core's 405 instead of a 404.
//
// With `{ guard }` (ReplayGuard, RedisReplayGuard or any { checkAndRemember, forget, confirm? }),
// a verified delivery's key is checked before the handler; afterwards the core's rule (a thrown
// handler or a status outside 2xx failed) decides confirm or forget, before the response ends.

const { Verifier, HooksigError, Receiver, RECEIVER_CONTENT_TYPE, DEFAULT_BODY_LIMIT } = require('./index.js')
const { POLICY, verifyQuiet, receiverOptions, askGuard, settle } = require('./lib/receiver.js')

/** The default body limit: the core's, 10 MiB. */
const DEFAULT_LIMIT = DEFAULT_BODY_LIMIT

/** `express.json({ verify: captureRawBody })`: keeps the exact bytes on `req.rawBody`. */
function captureRawBody(req, _res, buf) {
  req.rawBody = buf
}

/** Writes a core answer `{ status, headers, body }` (e.g. `Receiver.received(req.webhook)`). */
function sendAnswer(res, answer) {
  if (res.headersSent) return
  res.statusCode = answer.status
  res.setHeader('Content-Type', RECEIVER_CONTENT_TYPE)
  for (const [name, value] of answer.headers) res.setHeader(name, value)
  res.end(answer.body)
}

let warned = false
function consumedAnswer() {
  if (!warned) {
    warned = true
    process.emitWarning(
      'hooksig/express: a body parser consumed the request before hooksig could read the raw bytes; ' +
        'mount express.json({ verify: captureRawBody }) instead of a plain express.json(), or mount verifyWebhook() before the parser',
      { code: 'HOOKSIG_RAW_BODY' },
    )
  }
  return POLICY.rejected('invalid_config')
}

/** The body (at most `receiver.limit` bytes), or `{ answer }` saying why there is none. */
function rawBody(req, receiver) {
  const limit = receiver.limit
  const kept = req.rawBody ?? (Buffer.isBuffer(req.body) ? req.body : undefined)
  if (typeof kept === 'string' || kept instanceof Uint8Array) {
    const size = typeof kept === 'string' ? Buffer.byteLength(kept) : kept.byteLength
    return Promise.resolve(size > limit ? { answer: receiver.bodyTooLarge() } : { body: kept })
  }
  if (req._body === true || req.readableEnded === true || (req.complete === true && req.readable === false)) {
    return Promise.resolve({ answer: consumedAnswer() })
  }
  return new Promise((resolve) => {
    const chunks = []
    let size = 0
    const finish = (value) => {
      req.removeListener('data', onData).removeListener('end', onEnd).removeListener('error', onError)
      resolve(value)
    }
    const onData = (chunk) => {
      size += chunk.length
      if (size > limit) {
        finish({ answer: receiver.bodyTooLarge() })
        req.resume() // drained, not buffered
        return
      }
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    }
    const onEnd = () => {
      req.rawBody = Buffer.concat(chunks, size)
      finish({ body: req.rawBody })
    }
    const onError = () => finish({ answer: receiver.bodyReadFailed() })
    req.on('data', onData).on('end', onEnd).on('error', onError)
  })
}

/** Settles the guard (core rule) from the handler's response status before that response ends. */
function settleOnEnd(res, receiver, guard, key) {
  let decided = false
  const end = res.end
  res.end = function hooksigEnd(...args) {
    res.end = end
    if (decided) return end.apply(this, args)
    decided = true
    settle(receiver, guard, key, res.statusCode).then(() => end.apply(this, args))
    return this
  }
  res.once('close', () => {
    if (decided) return
    decided = true
    res.end = end
    settle(receiver, guard, key, null) // closed before any response: failed
  })
}

/**
 * Middleware: verifies the request, puts the `Verified` result on `req.webhook` and calls
 * `next()`; otherwise writes the core's answer. Never throws; never calls your handler for an
 * unverified request. options.limit: the largest body in bytes; options.guard: a replay guard.
 */
function verifyWebhook(verifier, opts = {}) {
  const where = 'verifyWebhook()'
  if (!(verifier instanceof Verifier)) {
    throw new HooksigError('invalid_argument', 'verifyWebhook(verifier): expected a hooksig Verifier')
  }
  const { receiver, guard } = receiverOptions(where, opts, { limit: 'any', guard: 'any' }, true)
  return function hooksigVerifyWebhook(req, res, next) {
    const early = receiver.start(req.method, req.headers['content-length'] ?? null)
    if (early !== null) {
      req.resume()
      sendAnswer(res, early)
      return
    }
    rawBody(req, receiver)
      .then(async (got) => {
        if (got.answer !== undefined) return sendAnswer(res, got.answer)
        const result = verifyQuiet(verifier, req.headers, got.body, undefined)
        if (result.answer !== undefined) return sendAnswer(res, result.answer)
        if (guard) {
          // Only verified deliveries reach the guard: forged requests cannot burn ids.
          const stop = receiver.guarded(await askGuard(guard, result.dedupeKey))
          if (stop !== null) return sendAnswer(res, stop)
          settleOnEnd(res, receiver, guard, result.dedupeKey)
        }
        req.webhook = result
        next()
      })
      .catch(() => sendAnswer(res, Receiver.internal()))
  }
}

module.exports = { verifyWebhook, captureRawBody, sendAnswer, DEFAULT_LIMIT }
