'use strict'
// Real receivers on 127.0.0.1, real HTTP POSTs: the Express example (and Express apps with and
// without a JSON parser mounted first) and the Next.js-style route handler served by Node's http.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { sign } = require('..')
const { verifyWebhook, captureRawBody } = require('../express.js')
const { verifyRequest, errorResponse } = require('../fetch.js')
const { REPO, request, post, listen } = require('./helpers.js')

const EXAMPLES = path.join(REPO, 'examples')
const SECRET = 'whsec_receiver_test_secret'
const BODY = JSON.stringify({ id: 'evt_rx_1', event: 'license.created', type: 'invoice.paid', amount: 42 })
const now = () => Math.floor(Date.now() / 1000)

/** The requests every receiver gets, with the status it must answer. */
function requests(scheme, payload) {
  const good = sign(scheme, SECRET, payload, { timestamp: now() })
  const sigName = Object.keys(good)[0]
  const stale = sign(scheme, SECRET, payload, { timestamp: now() - 3600 })
  const withoutSig = { ...good }
  delete withoutSig[sigName]
  return [
    ['valid', good, payload, 200],
    ['tampered body', good, payload.replace('42', '43'), 401],
    ['wrong signature', { ...good, [sigName]: sign(scheme, 'another-secret', payload, { timestamp: now() })[sigName] }, payload, 401],
    ['missing signature header', withoutSig, payload, 400],
    ['stale timestamp', stale, payload, 401],
    // The vendors' samples crash here: timingSafeEqual throws on unequal lengths.
    ['short signature', { ...good, [sigName]: scheme === 'stripe' ? `t=${now()},v1=ab` : 'sha256=ab' }, payload, 400],
    ['empty signature', { ...good, [sigName]: '' }, payload, 400],
  ]
}

async function exercise(t, port, urlPath, scheme, contentType, handled, body0 = BODY) {
  let valid = 0
  for (const [name, headers, body, status] of requests(scheme, body0)) {
    const before = handled.length
    const res = await post(port, urlPath, { 'content-type': contentType, ...headers }, body)
    assert.equal(res.status, status, `${name}: ${res.text}`)
    if (status === 200) {
      valid++
      assert.equal(handled.length, before + 1, `${name}: handler did not run`)
      assert.equal(res.json.received, true)
    } else {
      assert.equal(handled.length, before, `${name}: handler ran for a rejected request`)
      assert.equal(typeof res.json.error, 'string', name)
      assert.ok(require('..').errorCodes().includes(res.json.error), res.json.error)
    }
  }
  assert.equal(valid, 1)
}

test('the Express example (the webhook route before the app-wide express.json)', async (t) => {
  const { createApp } = require(path.join(EXAMPLES, 'express', 'server.js'))
  const handled = []
  const app = createApp({ secret: SECRET, onEvent: (event, webhook) => handled.push([event, webhook]) })
  const server = await listen(app)
  try {
    await exercise(t, server.port, '/webhooks/algoguard', 'algoguard', 'application/json', handled)
    const [event, webhook] = handled[0]
    assert.deepEqual(event, JSON.parse(BODY))
    assert.equal(webhook.id, 'evt_rx_1')
    assert.equal(webhook.eventType, 'license.created')
    // Another content type: the middleware reads the stream all the same.
    // (Another delivery: the example's replay guard answers a repeat of the first as duplicate.)
    const second = BODY.replace('evt_rx_1', 'evt_rx_2')
    await exercise(t, server.port, '/webhooks/algoguard', 'algoguard', 'text/plain', handled, second)
    const again = await post(server.port, '/webhooks/algoguard', { 'content-type': 'application/json', ...sign('algoguard', SECRET, second, { timestamp: now() }) }, second)
    assert.deepEqual([again.status, again.json], [200, { status: 'duplicate' }])
    assert.equal(handled.length, 2)
  } finally {
    await server.close()
  }
})

function expressApp(setup) {
  const express = require('express')
  const { Verifier } = require('..')
  const app = express()
  const handled = []
  setup(app, express)
  app.post('/hook', verifyWebhook(new Verifier('algoguard', { secret: SECRET })), (req, res) => {
    handled.push(req.webhook)
    res.json({ received: true, body: req.body && !Buffer.isBuffer(req.body) ? req.body : null })
  })
  return { app, handled }
}

test('Express without any body parser: the middleware reads the stream', async (t) => {
  const { app, handled } = expressApp(() => {})
  const server = await listen(app)
  try {
    await exercise(t, server.port, '/hook', 'algoguard', 'application/json', handled)
    assert.deepEqual(JSON.parse(handled[0].payload), JSON.parse(BODY))
  } finally {
    await server.close()
  }
})

test('Express with express.json({ verify: captureRawBody }) first: req.body is parsed too', async (t) => {
  const { app, handled } = expressApp((a, express) => a.use(express.json({ verify: captureRawBody })))
  const server = await listen(app)
  try {
    await exercise(t, server.port, '/hook', 'algoguard', 'application/json', handled)
    const { headers, body } = { headers: sign('algoguard', SECRET, BODY, { timestamp: now() }), body: BODY }
    const res = await post(server.port, '/hook', { 'content-type': 'application/json', ...headers }, body)
    assert.deepEqual(res.json.body, JSON.parse(BODY))
  } finally {
    await server.close()
  }
})

test('Express with express.raw() first: the Buffer body is used', async (t) => {
  const { app, handled } = expressApp((a, express) => a.use(express.raw({ type: '*/*' })))
  const server = await listen(app)
  try {
    await exercise(t, server.port, '/hook', 'algoguard', 'application/json', handled)
  } finally {
    await server.close()
  }
})

test('Express with a plain express.json() first: the core\'s 500 invalid_config (and a warning), handler never runs', async () => {
  const { app, handled } = expressApp((a, express) => a.use(express.json()))
  // The fix is explained once per process, in a warning (the body is the core's canonical one).
  const warned = new Promise((resolve) => process.on('warning', (w) => w.code === 'HOOKSIG_RAW_BODY' && resolve(w)))
  const server = await listen(app)
  try {
    const headers = sign('algoguard', SECRET, BODY, { timestamp: now() })
    const res = await post(server.port, '/hook', { 'content-type': 'application/json', ...headers }, BODY)
    assert.equal(res.status, 500)
    assert.equal(res.text, '{"error":"invalid_config","message":"an option was refused"}')
    assert.equal(handled.length, 0)
    const warning = await warned
    assert.match(warning.message, /captureRawBody/)
  } finally {
    await server.close()
  }
})

test('Express: a body over the limit is refused with 413 before verification', async () => {
  const express = require('express')
  const { Verifier } = require('..')
  const app = express()
  let ran = 0
  app.post('/hook', verifyWebhook(new Verifier('algoguard', { secret: SECRET }), { limit: 16 }), (req, res) => {
    ran++
    res.end()
  })
  const server = await listen(app)
  try {
    const res = await post(server.port, '/hook', sign('algoguard', SECRET, BODY, { timestamp: now() }), BODY)
    assert.equal(res.status, 413)
    assert.equal(res.json.error, 'body_too_large')
    assert.equal(ran, 0)
  } finally {
    await server.close()
  }
})

test('verifyWebhook refuses a non-Verifier at setup with a HooksigError', () => {
  const { HooksigError } = require('..')
  assert.throws(() => verifyWebhook({ verify() {} }), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
})

/** Serves a Fetch-API handler `(Request) => Promise<Response>` with Node's http. */
function serveFetch(handler) {
  return listen(async (req, res) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1])
    const request = new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) })
    const response = await handler(request)
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
  })
}

test('the Next.js route handler example served over HTTP', async (t) => {
  process.env.STRIPE_WEBHOOK_SECRET = SECRET
  const { POST } = await import(path.join(EXAMPLES, 'nextjs', 'app', 'api', 'webhooks', 'stripe', 'route.js'))
  const { handled } = await import(path.join(EXAMPLES, 'nextjs', 'app', 'api', 'webhooks', 'stripe', 'events.js'))
  const server = await serveFetch(POST)
  try {
    await exercise(t, server.port, '/api/webhooks/stripe', 'stripe', 'application/json', handled)
    assert.deepEqual(handled[0], { id: 'evt_rx_1', type: 'invoice.paid' })
    // The route's replay guard: the same event again is a duplicate, the handler does not run.
    const again = await post(server.port, '/api/webhooks/stripe', { 'content-type': 'application/json', ...sign('stripe', SECRET, BODY, { timestamp: now() }) }, BODY)
    assert.deepEqual([again.status, again.json], [200, { status: 'duplicate' }])
    assert.equal(handled.length, 1)
  } finally {
    await server.close()
  }
})

test('hooksig/fetch: consumed bodies, errorResponse for foreign errors', async () => {
  const { Verifier, HooksigError } = require('..')
  const v = new Verifier('github', { secret: SECRET })
  const headers = sign('github', SECRET, BODY)
  const ok = await verifyRequest(v, new Request('http://x/', { method: 'POST', headers, body: BODY }))
  assert.equal(ok.scheme, 'github')
  const used = new Request('http://x/', { method: 'POST', headers, body: BODY })
  await used.text()
  await assert.rejects(verifyRequest(v, used), (e) => e instanceof HooksigError && e.code === 'invalid_config')
  await assert.rejects(verifyRequest(v, {}), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
  const r = errorResponse(new Error('boom'))
  assert.equal(r.status, 500)
  assert.deepEqual(await r.json(), { error: 'internal', message: 'an unexpected failure inside hooksig' })
  const big = 'x'.repeat(2 << 20) // over the threadpool threshold
  const bigHeaders = sign('github', SECRET, big)
  assert.equal((await verifyRequest(v, new Request('http://x/', { method: 'POST', headers: bigHeaders, body: big }))).payload.length, big.length)
  await assert.rejects(verifyRequest(v, new Request('http://x/', { method: 'POST', headers: bigHeaders, body: big + 'y' })), (e) => e.code === 'signature_mismatch' && e.status === 401)
})

// ---- the documented limits are the real ones (issue 12, items 3 and 7) ----------------------

const { Readable } = require('node:stream')
const { withWebhook } = require('../fetch.js')
const MiB = 1024 * 1024

/** A signed algoguard delivery whose JSON body is `size` bytes. */
function sized(id, size) {
  const head = JSON.stringify({ id, event: 'license.created', pad: '' })
  const body = head.slice(0, -2) + 'x'.repeat(size - head.length) + '"}'
  assert.equal(body.length, size)
  return { body, headers: { 'content-type': 'application/json', ...sign('algoguard', SECRET, body, { timestamp: now() }) } }
}

/** Serves a Fetch handler with Node's http, streaming the request body (as Next.js does). */
function serveFetchStreaming(handler) {
  return listen(async (req, res) => {
    const headers = new Headers()
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1])
    const init = { method: req.method, headers }
    if (req.method !== 'GET' && req.method !== 'HEAD') Object.assign(init, { body: Readable.toWeb(req), duplex: 'half' })
    const response = await handler(new Request(`http://127.0.0.1${req.url}`, init))
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(Buffer.from(await response.arrayBuffer()))
    req.resume() // drain what the handler did not read
  })
}

async function checkLimits(port, urlPath, handled) {
  const ok = sized('evt_9mib', 9 * MiB)
  const accepted = await request(port, urlPath, 'POST', ok.headers, ok.body)
  assert.equal(accepted.status, 200, `9 MiB: ${accepted.text.slice(0, 200)}`)
  assert.equal(accepted.json.received, true)
  assert.equal(handled(), 1)
  const big = sized('evt_11mib', 11 * MiB)
  const refused = await request(port, urlPath, 'POST', big.headers, big.body)
  assert.equal(refused.status, 413, `11 MiB: ${refused.text.slice(0, 200)}`)
  assert.match(refused.headers['content-type'], /^application\/json/)
  assert.equal(refused.json.error, 'body_too_large')
  assert.equal(typeof refused.json.message, 'string')
  assert.equal(handled(), 1)
  for (const method of ['GET', 'PUT', 'DELETE']) {
    const r = await request(port, urlPath, method, ok.headers, method === 'GET' ? null : ok.body)
    assert.equal(r.status, 405, `${method}: ${r.text.slice(0, 200)}`)
    assert.equal(r.headers.allow, 'POST')
    assert.equal(r.json.error, 'method_not_allowed')
  }
  assert.equal(handled(), 1)
}

test('the Express example: 9 MiB accepted, 11 MiB answered 413 JSON, other methods 405 JSON', async () => {
  const { createApp } = require(path.join(EXAMPLES, 'express', 'server.js'))
  const handled = []
  const server = await listen(createApp({ secret: SECRET, onEvent: (event) => handled.push(event.id) }))
  try {
    await checkLimits(server.port, '/webhooks/algoguard', () => handled.length)
  } finally {
    await server.close()
  }
})

test('hooksig/fetch withWebhook: 9 MiB accepted, 11 MiB answered 413 JSON, other methods 405 JSON', async () => {
  const { Verifier } = require('..')
  let handled = 0
  const route = withWebhook(new Verifier('algoguard', { secret: SECRET }), async () => {
    handled++
    return Response.json({ received: true })
  })
  const server = await serveFetchStreaming(route)
  try {
    await checkLimits(server.port, '/hook', () => handled)
  } finally {
    await server.close()
  }
})

test('hooksig/fetch: the limit is an option; the stream is abandoned as soon as it passes it', async () => {
  const { Verifier, HooksigError } = require('..')
  const v = new Verifier('github', { secret: SECRET })
  const headers = sign('github', SECRET, BODY)
  let pulled = 0
  // An endless body without Content-Length: reading must stop just past the limit.
  const endless = new ReadableStream({
    pull(controller) {
      pulled += 64 * 1024
      controller.enqueue(new Uint8Array(64 * 1024))
    },
  })
  const req = new Request('http://x/', { method: 'POST', headers, body: endless, duplex: 'half' })
  await assert.rejects(verifyRequest(v, req, { limit: MiB }), (e) => e instanceof HooksigError && e.code === 'body_too_large' && e.status === 413)
  assert.ok(pulled <= MiB + 3 * 64 * 1024, `read ${pulled} bytes`)
  const r = await withWebhook(v, async () => Response.json({}), { limit: 10 })(new Request('http://x/', { method: 'POST', headers, body: BODY }))
  assert.deepEqual([r.status, (await r.json()).error], [413, 'body_too_large'])
  for (const limit of [0, -1, 1.5, '10']) {
    assert.throws(() => withWebhook(v, async () => Response.json({}), { limit }), (e) => e.code === 'invalid_argument')
    assert.throws(() => verifyWebhook(v, { limit }), (e) => e.code === 'invalid_argument')
  }
})

// ---- hooksig/fastify, hooksig/koa, hooksig/hono: their README examples and their edges --------

const NODE_EXAMPLES = path.join(__dirname, '..', 'examples')

/** Serves bindings-node/examples/<name> (the README quick starts) on a free port. */
async function serveExample(name, options) {
  if (name === 'hono') {
    const { createApp } = await import(path.join(NODE_EXAMPLES, 'hono', 'server.mjs'))
    return listen(require('@hono/node-server').getRequestListener(createApp(options).fetch))
  }
  const { createApp } = require(path.join(NODE_EXAMPLES, name, 'server.js'))
  const app = createApp(options)
  if (name === 'koa') return listen(app.callback())
  await app.listen({ port: 0, host: '127.0.0.1' })
  return { port: app.server.address().port, close: () => app.close() }
}

for (const name of ['fastify', 'koa', 'hono']) {
  test(`the ${name} example: verified, rejected and repeated deliveries`, async (t) => {
    const handled = []
    const server = await serveExample(name, { secret: SECRET, onEvent: (event, webhook) => handled.push([event, webhook]) })
    try {
      await exercise(t, server.port, '/webhooks/algoguard', 'algoguard', 'application/json', handled)
      assert.deepEqual(handled[0][0], JSON.parse(BODY))
      assert.equal(handled[0][1].id, 'evt_rx_1')
      // Another content type, and none: the raw bytes all the same; the repeat is a duplicate.
      const second = BODY.replace('evt_rx_1', 'evt_rx_2')
      await exercise(t, server.port, '/webhooks/algoguard', 'algoguard', 'text/plain', handled, second)
      const again = await post(server.port, '/webhooks/algoguard', sign('algoguard', SECRET, second, { timestamp: now() }), second)
      assert.deepEqual([again.status, again.json], [200, { status: 'duplicate' }])
      assert.equal(handled.length, 2)
    } finally {
      await server.close()
    }
  })

  test(`the ${name} example: 9 MiB accepted, 11 MiB answered 413 JSON, other methods 405 JSON`, async () => {
    const handled = []
    const server = await serveExample(name, { secret: SECRET, onEvent: (event) => handled.push(event.id) })
    try {
      await checkLimits(server.port, '/webhooks/algoguard', () => handled.length)
    } finally {
      await server.close()
    }
  })
}

test('hooksig/fastify is encapsulated: the rest of the app keeps Fastify\'s parser and bodyLimit', async () => {
  const server = await serveExample('fastify', { secret: SECRET, onEvent: () => {} })
  try {
    const echoed = await post(server.port, '/api/echo', { 'content-type': 'application/json' }, BODY)
    assert.deepEqual([echoed.status, echoed.json], [200, JSON.parse(BODY)])
    const big = sized('evt_2mib', 2 * MiB) // over Fastify's default bodyLimit (1 MiB)
    const refused = await post(server.port, '/api/echo', big.headers, big.body)
    assert.equal(refused.json.code, 'FST_ERR_CTP_BODY_TOO_LARGE')
    const accepted = await post(server.port, '/webhooks/algoguard', big.headers, big.body)
    assert.deepEqual([accepted.status, accepted.json.received], [200, true])
  } finally {
    await server.close()
  }
})

test('hooksig/koa after a body parser: kept raw bytes are verified; a consumed stream is the core\'s 500', async () => {
  const Koa = require('koa')
  const { Verifier } = require('..')
  const { verifyWebhook: koaWebhook } = require('../koa.js')
  const readAll = async (req) => {
    const chunks = []
    for await (const c of req) chunks.push(c)
    return Buffer.concat(chunks).toString('utf8')
  }
  for (const keep of [true, false]) {
    const app = new Koa()
    const handled = []
    // A JSON body parser, as koa-bodyparser: it keeps the text on ctx.request.rawBody (or not).
    app.use(async (ctx, next) => {
      const text = await readAll(ctx.req)
      ctx.request.body = JSON.parse(text)
      if (keep) ctx.request.rawBody = text
      await next()
    })
    app.use(koaWebhook(new Verifier('algoguard', { secret: SECRET })))
    app.use((ctx) => {
      handled.push(ctx.state.webhook)
      ctx.body = { received: true }
    })
    const warned = keep ? null : new Promise((resolve) => process.on('warning', (w) => w.message.startsWith('hooksig/koa') && resolve(w)))
    const server = await listen(app.callback())
    try {
      const res = await post(server.port, '/', { 'content-type': 'application/json', ...sign('algoguard', SECRET, BODY, { timestamp: now() }) }, BODY)
      if (keep) {
        assert.deepEqual([res.status, res.json, handled.length], [200, { received: true }, 1])
      } else {
        assert.equal(res.status, 500)
        assert.equal(res.text, '{"error":"invalid_config","message":"an option was refused"}')
        assert.equal(handled.length, 0)
        assert.match((await warned).message, /before the body parser/)
      }
    } finally {
      await server.close()
    }
  }
})

test('hooksig/hono: a body read before the middleware is the core\'s 500; a thrown handler releases the key', async () => {
  const { Hono } = require('hono')
  const { Verifier, ReplayGuard } = require('..')
  const { webhook } = require('../hono.js')
  const verifier = new Verifier('algoguard', { secret: SECRET })
  const guard = new ReplayGuard({ verifier })
  const app = new Hono()
  app.use('/parsed', async (c, next) => {
    await c.req.json()
    await next()
  })
  let fail = true
  app.all('/parsed', webhook(verifier), (c) => c.json({ received: true }))
  app.all('/hook', webhook(verifier, { guard }), (c) => {
    if (fail) throw new Error('handler failed')
    return c.json({ received: true })
  })
  app.onError((_err, c) => c.text('handler failed', 500))
  const headers = { 'content-type': 'application/json', ...sign('algoguard', SECRET, BODY, { timestamp: now() }) }
  const parsed = await app.request('/parsed', { method: 'POST', headers, body: BODY })
  assert.deepEqual([parsed.status, (await parsed.json()).error], [500, 'invalid_config'])
  assert.equal((await app.request('/hook', { method: 'POST', headers, body: BODY })).status, 500)
  fail = false
  assert.deepEqual(await (await app.request('/hook', { method: 'POST', headers, body: BODY })).json(), { received: true })
  assert.deepEqual(await (await app.request('/hook', { method: 'POST', headers, body: BODY })).json(), { status: 'duplicate' })
})

test('hooksig/fastify, /koa, /hono refuse a bad setup with a HooksigError', async () => {
  const { HooksigError, Verifier } = require('..')
  const v = new Verifier('github', { secret: SECRET })
  const bad = (e) => e instanceof HooksigError && e.code === 'invalid_argument'
  const { fastifyWebhook } = require('../fastify.js')
  const Fastify = require('fastify')
  for (const opts of [{ url: '/', handler() {} }, { verifier: v, handler() {} }, { verifier: v, url: '/' }, { verifier: v, url: '/', handler() {}, limit: 0 }]) {
    const app = Fastify()
    app.register(fastifyWebhook, opts)
    await assert.rejects(app.ready(), bad, JSON.stringify(opts))
  }
  for (const make of [require('../koa.js').verifyWebhook, require('../hono.js').webhook]) {
    assert.throws(() => make({ verify() {} }), bad)
    assert.throws(() => make(v, { limit: 1.5 }), bad)
    assert.throws(() => make(v, { lmit: 10 }), (e) => e instanceof HooksigError && e.code === 'invalid_config')
  }
})
