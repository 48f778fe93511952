'use strict'
// hooksig/express: Express (4 or 5) middleware that verifies a webhook before your handler runs
// (an adapter over the core's receiver policy, lib/receiver.js). The raw body: `req.rawBody`
// (`express.json({ verify: captureRawBody })`), a Buffer `req.body` (`express.raw()`), or the
// stream itself. Mount with app.all(path, ...) so that other methods get the core's 405. With
// `{ guard }`, the key is confirmed or forgotten by the core's rule before the response ends.
// The public API and its docs: express.d.ts.

const { Verifier, HooksigError, Receiver, DEFAULT_BODY_LIMIT } = require('./index.js')
const { receiverOptions, admit, settleOnce, contentTypeOf } = require('./lib/receiver.js')
const { readNodeBody, consumedAnswer, nodeRequest } = require('./lib/node-body.js')

const captureRawBody = (req, _res, buf) => void (req.rawBody = buf)

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

/** The URL as received: `req.protocol` (or the socket's), the Host header, `req.originalUrl` (or `req.url`). */
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

function verifyWebhook(verifier, opts = {}) {
  const where = 'verifyWebhook()'
  if (!(verifier instanceof Verifier)) throw new HooksigError('invalid_argument', 'verifyWebhook(verifier): expected a hooksig Verifier')
  const route = receiverOptions(where, opts, { limit: 'any', guard: 'any', publicUrl: 'string' }, true)
  const { receiver, guard } = route
  return function hooksigVerifyWebhook(req, res, next) {
    const path = () => req.originalUrl ?? req.url
    admit(verifier, route, nodeRequest(req, (r) => rawBody(req, r), () => requestUrl(req), path))
      .then(({ answer, webhook }) => {
        if (answer !== undefined) return sendAnswer(res, answer)
        if (guard) settleOnEnd(res, settleOnce(receiver, guard, webhook.dedupeKey))
        req.webhook = webhook
        next()
      })
      .catch(() => sendAnswer(res, Receiver.internal()))
  }
}

module.exports = { verifyWebhook, captureRawBody, sendAnswer, DEFAULT_LIMIT: DEFAULT_BODY_LIMIT }
