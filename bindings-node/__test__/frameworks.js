'use strict'
// Every integration serving /hook on 127.0.0.1 with the same app handler, for the suites that
// run one scenario through each (receiver-cases, redis-faults). `handle(webhook, header)` is
// the handler, framework-neutral: it resolves an answer `{ status, headers, body }` (written
// with the integration's own writer) or throws (the framework's own 500). Every method reaches
// the receiver. Each server resolves { port, close() }.
const { Readable } = require('node:stream')
const { listen } = require('./helpers.js')
const { verifyWebhook, sendAnswer } = require('../express.js')
const { withWebhook, answerResponse } = require('../fetch.js')
const fastify = require('../fastify.js')
const koa = require('../koa.js')
const hono = require('../hono.js')

function expressServer(verifier, options, handle) {
  const express = require('express')
  const app = express()
  app.set('env', 'test') // Express's own 500 for a raising handler, without logging the stack
  app.all('/hook', verifyWebhook(verifier, options), async (req, res) => {
    sendAnswer(res, await handle(req.webhook, (name) => req.headers[name]))
  })
  return listen(app)
}

/** withWebhook's route served by Node's http, the request body streamed (as Next.js does). */
function fetchServer(verifier, options, handle) {
  const route = withWebhook(verifier, async (webhook, request) => answerResponse(await handle(webhook, (name) => request.headers.get(name) ?? undefined)), options)
  return listen(async (req, res) => {
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1])
    const init = { method: req.method, headers }
    if (req.method !== 'GET' && req.method !== 'HEAD') Object.assign(init, { body: Readable.toWeb(req), duplex: 'half' })
    let response
    try {
      // The URL as a Fetch runtime builds it: the Host header and the path and query.
      response = await route(new Request(`http://${req.headers.host}${req.url}`, init))
    } catch {
      // What a Fetch runtime does with a route that throws: 500 (the framework's own answer).
      response = new Response('Internal Server Error', { status: 500, headers: { 'content-type': 'text/plain' } })
    }
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
    req.resume() // drain what the route did not read
  })
}

/** The Fastify plugin, registered in its own scope beside a route that keeps Fastify's parsers. */
async function fastifyServer(verifier, options, handle) {
  const app = require('fastify')()
  app.post('/parsed', async (request) => ({ parsed: request.body }))
  await app.register(fastify.fastifyWebhook, {
    ...options,
    verifier,
    url: '/hook',
    handler: async (request, reply) => fastify.sendAnswer(reply, await handle(request.webhook, (name) => request.headers[name])),
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { port: app.server.address().port, close: () => app.close() }
}

/** The Koa middleware on the /hook path (every method), no body parser. */
function koaServer(verifier, options, handle) {
  const Koa = require('koa')
  const app = new Koa()
  app.silent = true // Koa's own 500 for a raising handler, without logging the stack
  const verify = koa.verifyWebhook(verifier, options)
  app.use((ctx, next) => {
    if (ctx.path !== '/hook') return next()
    return verify(ctx, async () => koa.sendAnswer(ctx, await handle(ctx.state.webhook, (name) => ctx.req.headers[name])))
  })
  return listen(app.callback())
}

/** The Hono middleware served by @hono/node-server. */
function honoServer(verifier, options, handle) {
  const { Hono } = require('hono')
  const { getRequestListener } = require('@hono/node-server')
  const app = new Hono()
  app.onError((_err, c) => c.text('Internal Server Error', 500)) // Hono's answer, without the log
  app.all('/hook', hono.webhook(verifier, options), async (c) => answerResponse(await handle(c.get('webhook'), (name) => c.req.header(name))))
  return listen(getRequestListener(app.fetch))
}

const SERVERS = { express: expressServer, fetch: fetchServer, fastify: fastifyServer, koa: koaServer, hono: honoServer }

module.exports = { SERVERS }
