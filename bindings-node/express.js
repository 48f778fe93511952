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

const { Verifier, HooksigError, Receiver, DEFAULT_BODY_LIMIT } = require('./index.js')
const { receiverOptions, admit, settleOnce, contentTypeOf } = require('./lib/receiver.js')
const { readNodeBody, consumedAnswer } = require('./lib/node-body.js')

/** The default body limit: the core's, 10 MiB. */
const DEFAULT_LIMIT = DEFAULT_BODY_LIMIT

/** `express.json({ verify: captureRawBody })`: keeps the exact bytes on `req.rawBody`. */
function captureRawBody(req, _res, buf) {
  req.rawBody = buf
}

/** Writes a core answer `{ status, contentType, headers, body }` (e.g. `Receiver.received(req.webhook)`). */
function sendAnswer(res, answer) {
  if (res.headersSent) return
  res.statusCode = answer.status
  res.setHeader('Content-Type', contentTypeOf(answer))
  for (const [name, value] of answer.headers) res.setHeader(name, value)
  res.end(answer.body)
}

const WHO = 'hooksig/express'
const FIX = 'mount express.json({ verify: captureRawBody }) instead of a plain express.json(), or mount verifyWebhook() before the parser'

/** The body (at most `receiver.limit` bytes), or `{ answer }` saying why there is none. */
function rawBody(req, receiver) {
  return readNodeBody(req, receiver, {
    kept: req.rawBody ?? (Buffer.isBuffer(req.body) ? req.body : undefined),
    keep: (body) => (req.rawBody = body),
    onConsumed: () => consumedAnswer(WHO, FIX),
  })
}

/**
 * The URL of the request as received: Express's `req.protocol` (which follows X-Forwarded-Proto
 * only with `trust proxy`), the Host header and `req.originalUrl`; on a plain Node request (a
 * Next.js Pages Router API route), the socket's protocol and `req.url`.
 */
function requestUrl(req) {
  const protocol = req.protocol ?? (req.socket?.encrypted ? 'https' : 'http')
  return `${protocol}://${req.headers.host ?? ''}${req.originalUrl ?? req.url}`
}

/** Settles the guard (core rule) from the handler's response status before that response ends. */
function settleOnEnd(res, settleWith) {
  const end = res.end
  res.end = function hooksigEnd(...args) {
    res.end = end
    settleWith(res.statusCode).then(() => end.apply(this, args))
    return this
  }
  res.once('close', () => {
    res.end = end
    settleWith(null) // closed before any response: failed (a no-op once the response ended)
  })
}

/**
 * Middleware: verifies the request, puts the `Verified` result on `req.webhook` and calls
 * `next()`; otherwise writes the core's answer. Never throws; never calls your handler for an
 * unverified request. options.limit: the largest body in bytes; options.guard: a replay guard;
 * options.publicUrl: the public base URL (behind a proxy) for the schemes that sign the URL.
 */
function verifyWebhook(verifier, opts = {}) {
  const where = 'verifyWebhook()'
  if (!(verifier instanceof Verifier)) {
    throw new HooksigError('invalid_argument', 'verifyWebhook(verifier): expected a hooksig Verifier')
  }
  const route = receiverOptions(where, opts, { limit: 'any', guard: 'any', publicUrl: 'string' }, true)
  const { receiver, guard } = route
  return function hooksigVerifyWebhook(req, res, next) {
    admit(verifier, route, {
      method: req.method,
      contentLength: req.headers['content-length'],
      discard: () => req.resume(),
      read: (r) => rawBody(req, r),
      headers: req.headers,
      // The request line, built only for a verifier that signs it (see requestUrl).
      url: () => requestUrl(req),
      path: () => req.originalUrl ?? req.url,
    })
      .then(({ answer, webhook }) => {
        if (answer !== undefined) return sendAnswer(res, answer)
        if (guard) settleOnEnd(res, settleOnce(receiver, guard, webhook.dedupeKey))
        req.webhook = webhook
        next()
      })
      .catch(() => sendAnswer(res, Receiver.internal()))
  }
}

module.exports = { verifyWebhook, captureRawBody, sendAnswer, DEFAULT_LIMIT }
