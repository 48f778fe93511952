'use strict'
// A Fetch API Request through the receiver policy, for hooksig/fetch and hooksig/hono: the body
// read chunk by chunk and abandoned past the limit, bodies of 1 MiB or more verified on the
// threadpool. Every answer is the core's (lib/receiver.js).

const { POLICY, verifyQuiet, verifyQuietAsync, quietFailure, receiverOptions, admit } = require('./receiver.js')

// Bodies at least this large are hashed on the libuv threadpool (verifyAsync) so the event loop
// stays free; smaller ones are verified inline, which is faster than the thread hop.
const ASYNC_THRESHOLD = 1024 * 1024

/** The body (at most `receiver.limit` bytes), or `{ answer }` saying why there is none. */
async function readBody(request, receiver) {
  const limit = receiver.limit
  const stream = request.body
  if (request.bodyUsed) return { answer: POLICY.rejected('invalid_config') } // already consumed
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

/** verifyQuiet (lib/receiver.js), bodies of 1 MiB or more on the threadpool. */
async function verifyQuietly(verifier, headers, body, opts, handshake, url, method) {
  if (body.byteLength < ASYNC_THRESHOLD) return verifyQuiet(verifier, headers, body, opts.now, handshake, url, method)
  if (!handshake) {
    // verifyRequest: the caller writes every answer itself; a handshake is a Verified for it.
    try {
      return await verifier.verifyAsync(headers, body, url === undefined ? opts.verify : { now: opts.now, url, method })
    } catch (err) {
      return quietFailure(err)
    }
  }
  return verifyQuietAsync(verifier, headers, body, opts.now, url, method)
}

const ROUTE = { now: 'integer', guard: 'any', limit: 'any', publicUrl: 'string' }

/** `{ now, guard, limit, publicUrl }` checked, with `verify` (the verify options) and the receiver. */
function routeOptions(where, opts) {
  const { now, guard, receiver, publicUrl } = receiverOptions(where, opts, ROUTE)
  return { verify: now === undefined ? undefined : { now }, guard, now, receiver, publicUrl }
}

/**
 * A Request's URL as received: `request.url` with the Host header's host (Next.js's `next
 * start` names the host it listens on instead, and the sender signed the host it posted to).
 */
function receivedUrl(request) {
  const host = request.headers.get('host')
  if (!host) return request.url
  const url = new URL(request.url)
  return `${url.protocol}//${host}${url.pathname}${url.search}`
}

/** Whether `request` is a Fetch API Request (or one alike). */
const isRequest = (request) => !!request && typeof request.arrayBuffer === 'function' && !!request.headers

/**
 * lib/receiver.js `admit` for a Request. `guard`: null leaves it out; `handshake`: false for
 * verifyRequest, which hands every verified request (handshakes too) to its caller.
 */
function receive(verifier, request, opts, method, guard, handshake = true) {
  return admit(
    verifier,
    { receiver: opts.receiver, guard, publicUrl: opts.publicUrl },
    {
      method,
      signedMethod: request.method,
      url: () => receivedUrl(request),
      path: () => ((url) => url.pathname + url.search)(new URL(request.url)),
      contentLength: request.headers.get('content-length'),
      discard: () => request.bodyUsed || request.body?.cancel().catch(() => {}),
      read: (receiver) => readBody(request, receiver),
      verify: (v, headers, body, _now, _handshake, url, method) => verifyQuietly(v, headers, body, opts, handshake, url, method),
      headers: request.headers,
      guardOptions: opts.verify,
    },
  )
}

module.exports = { routeOptions, isRequest, receive }
