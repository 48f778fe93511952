'use strict'
// hooksig/fastify: a Fastify (5) plugin that registers one webhook route and verifies every
// request to it before your handler runs (an adapter over the core's receiver policy,
// lib/receiver.js). Encapsulated: its parser reads every content type as raw bytes for its own
// route only (the core's limit and 413, not `bodyLimit`). The route takes every method (405).
// Fastify itself answers a Content-Type that is no media type (415) and an unroutable request.
// The public API and its docs: fastify.d.ts.

const { Verifier, HooksigError, DEFAULT_BODY_LIMIT } = require('./index.js')
const { receiverOptions, check, settleOnce, contentTypeOf } = require('./lib/receiver.js')
const { readNodeBody, consumedAnswer } = require('./lib/node-body.js')

const WHO = 'hooksig/fastify'
const ARG = 'invalid_argument'
const GOT = Symbol('hooksig.body')
const SETTLE = Symbol('hooksig.settle')

function sendAnswer(reply, answer) {
  if (reply.sent) return reply
  reply.code(answer.status).header('content-type', contentTypeOf(answer))
  for (const [name, value] of answer.headers) reply.header(name, value)
  return reply.send(Buffer.from(answer.body)) // bytes: Fastify would add a charset to a string's type
}

/** The request stream read within the limit: `{ body }` or `{ answer }`. */
function readRaw(stream, receiver) {
  const onConsumed = () => consumedAnswer(WHO, 'register hooksig/fastify without a preParsing hook that reads the body')
  return readNodeBody(stream, receiver, { onConsumed })
}

/** What `check` reads of a Fastify request: its headers, method, URL as received and path. */
function requestOf(request) {
  const path = () => request.originalUrl ?? request.url
  const url = () => `${request.protocol}://${request.headers.host ?? ''}${path()}`
  return { headers: request.headers, method: request.method, url, path }
}

async function fastifyWebhook(scope, opts) {
  const where = 'hooksig/fastify'
  const { verifier, url, handler, limit, guard: given, publicUrl } = opts ?? {}
  if (!(verifier instanceof Verifier)) throw new HooksigError(ARG, `${where}: \`verifier\` must be a hooksig Verifier`)
  if (typeof url !== 'string') throw new HooksigError(ARG, `${where}: \`url\` must be the route's path, a string`)
  if (typeof handler !== 'function') throw new HooksigError(ARG, `${where}: \`handler\` must be a route handler function`)
  const route = receiverOptions(where, { limit, guard: given, publicUrl }, { limit: 'any', guard: 'any', publicUrl: 'string' })
  const { receiver, guard } = route

  scope.decorateRequest('webhook', null)
  // This scope only: every content type, and none, is read as raw bytes within the limit.
  scope.removeAllContentTypeParsers()
  scope.addContentTypeParser('*', async (request, payload) => {
    request[GOT] = await readRaw(payload, receiver)
    return request[GOT].body
  })

  scope.all(url, {
    // Method and declared length, before the body is read.
    onRequest: async (request, reply) => {
      const early = receiver.start(request.method, request.headers['content-length'] ?? null)
      if (early === null) return
      request.raw.resume()
      return sendAnswer(reply, early)
    },
    preHandler: async (request, reply) => {
      // No parser ran for a POST without a body or a Content-Type: read the (empty) stream.
      const got = request[GOT] ?? (await readRaw(request.raw, receiver))
      const { answer, webhook } = got.answer !== undefined ? got : await check(verifier, route, requestOf(request), got.body)
      if (answer !== undefined) return sendAnswer(reply, answer)
      request.webhook = webhook
      if (guard) request[SETTLE] = settleOnce(receiver, guard, webhook.dedupeKey)
    },
    // The handler's answer (or Fastify's error answer) is known here, before it is sent.
    onSend: async (request, reply, payload) => {
      await request[SETTLE]?.(reply.statusCode)
      return payload
    },
    onRequestAbort: async (request) => {
      await request[SETTLE]?.(null) // closed before any response: failed
    },
    handler,
  })
}
fastifyWebhook[Symbol.for('fastify.display-name')] = 'hooksig'

module.exports = { fastifyWebhook, sendAnswer, DEFAULT_LIMIT: DEFAULT_BODY_LIMIT }
