'use strict'
// The raw body of a Node `http.IncomingMessage` (or any readable stream of it), for the
// integrations that sit on Node's http (hooksig/express, /fastify, /koa): bytes a body parser
// kept, else the stream itself, read up to the receiver's limit. Answers are the core's.

const { POLICY } = require('./receiver.js')

const warned = new Set()

/**
 * The core's 500 `invalid_config` for a stream a body parser consumed without keeping the bytes,
 * with a process warning (`HOOKSIG_RAW_BODY`, once per integration) saying how to mount it.
 */
function consumedAnswer(who, fix) {
  if (!warned.has(who)) {
    warned.add(who)
    process.emitWarning(`${who}: a body parser consumed the request before hooksig could read the raw bytes; ${fix}`, {
      code: 'HOOKSIG_RAW_BODY',
    })
  }
  return POLICY.rejected('invalid_config')
}

/** Whether a body parser already read `stream` to its end. */
const consumed = (stream) => stream._body === true || stream.readableEnded === true || (stream.complete === true && stream.readable === false)

/**
 * `{ body }` (at most `receiver.limit` bytes) or `{ answer }`: `kept` (bytes a parser kept) when
 * given, else the stream, drained past the limit, its bytes also handed to `keep(buffer)`.
 * `onConsumed()`: the answer when a parser read the stream already.
 */
function readNodeBody(stream, receiver, { kept, keep, onConsumed }) {
  const limit = receiver.limit
  if (typeof kept === 'string' || kept instanceof Uint8Array) {
    const size = typeof kept === 'string' ? Buffer.byteLength(kept) : kept.byteLength
    return Promise.resolve(size > limit ? { answer: receiver.bodyTooLarge() } : { body: kept })
  }
  if (consumed(stream)) return Promise.resolve({ answer: onConsumed() })
  return new Promise((resolve) => {
    const chunks = []
    let size = 0
    const finish = (value) => {
      stream.removeListener('data', onData).removeListener('end', onEnd).removeListener('error', onError)
      resolve(value)
    }
    const onData = (chunk) => {
      size += chunk.length
      if (size > limit) {
        finish({ answer: receiver.bodyTooLarge() })
        stream.resume() // drained, not buffered
        return
      }
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
    }
    const onEnd = () => {
      const body = Buffer.concat(chunks, size)
      keep?.(body)
      finish({ body })
    }
    const onError = () => finish({ answer: receiver.bodyReadFailed() })
    stream.on('data', onData).on('end', onEnd).on('error', onError)
  })
}

/** What lib/receiver.js `admit` reads of a Node request `req`, with `read`, `url` and `path`. */
function nodeRequest(req, read, url, path) {
  const discard = () => req.resume()
  return { method: req.method, contentLength: req.headers['content-length'], discard, read, headers: req.headers, url, path }
}

module.exports = { readNodeBody, consumedAnswer, nodeRequest }
