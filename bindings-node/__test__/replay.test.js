'use strict'
// Replay protection in one process: the in-memory ReplayGuard (the core's), Verified.dedupeKey,
// and the guard in the Express middleware and the Fetch-API wrapper, over real HTTP.
const test = require('node:test')
const assert = require('node:assert/strict')
const express = require('express')
const hooksig = require('..')
const { Verifier, ReplayGuard, HooksigError, sign } = hooksig
const { verifyWebhook, captureRawBody } = require('../express.js')
const { withWebhook, verifyRequest } = require('../fetch.js')
const { post, listen } = require('./helpers.js')

const NOW = 1767225600
const SECRET = 'whsec_replay_test_secret'
const now = () => Math.floor(Date.now() / 1000)
const body = (id, extra = {}) => JSON.stringify({ id, event: 'license.created', ...extra })

function thrown(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  assert.fail('expected a throw')
}

test('ReplayGuard: ttl from the verifier (core default_ttl), capacity, size', () => {
  assert.equal(new Verifier('stripe', { secret: 'whsec_x' }).replayTtl, 660) // past + future + 60 s
  assert.equal(new Verifier('algoguard', { secret: 'x', tolerance: 10 }).replayTtl, 80)
  assert.equal(new Verifier('github', { secret: 'x' }).replayTtl, 86400, 'no timestamp: 24 h')
  const v = new Verifier('algoguard', { secret: SECRET, tolerance: 300 })
  const g = new ReplayGuard({ verifier: v })
  assert.deepEqual([g.ttl, g.capacity, g.size], [660, 100000, 0])
  const h = new ReplayGuard({ ttl: 5, capacity: 2, verifier: v })
  assert.deepEqual([h.ttl, h.capacity], [5, 2], 'an explicit ttl wins over the verifier')
})

// Expiry, eviction and key semantics are the core's (hooksig-core replay::tests); this checks
// the conversions: the boolean, the injected clock, forget, size.
test('ReplayGuard: check-and-remember, forget, the injected and the system clock', () => {
  const g = new ReplayGuard({ ttl: 100 })
  assert.equal(g.checkAndRemember('k', { now: NOW }), true)
  assert.equal(g.checkAndRemember('k', { now: NOW + 99 }), false)
  assert.equal(g.checkAndRemember('k', { now: NOW + 100 }), true, 'the clock reaches the core')
  g.forget('k')
  assert.equal(g.checkAndRemember('k', { now: NOW + 101 }), true, 'forgotten')
  assert.equal(g.size, 1)
  // the system clock when `now` is omitted
  assert.equal(g.checkAndRemember('sys'), true)
  assert.equal(g.checkAndRemember('sys'), false)
})

test('ReplayGuard: bad arguments are HooksigError(invalid_argument), refused options invalid_config', () => {
  const v = new Verifier('github', { secret: 'x' })
  const g = new ReplayGuard({ verifier: v })
  const [ARG, CONFIG] = ['invalid_argument', 'invalid_config']
  for (const [fn, code] of [
    [() => new ReplayGuard(), ARG],
    [() => new ReplayGuard(null), ARG],
    [() => new ReplayGuard({}), CONFIG], // neither ttl nor verifier
    [() => new ReplayGuard({ ttl: 0 }), ARG],
    [() => new ReplayGuard({ ttl: -5 }), ARG],
    [() => new ReplayGuard({ ttl: 1.5 }), ARG],
    [() => new ReplayGuard({ ttl: '60' }), ARG],
    [() => new ReplayGuard({ ttl: 60, capacity: 0 }), ARG],
    [() => new ReplayGuard({ ttl: 60, tll: 5 }), CONFIG], // unknown option
    [() => new ReplayGuard({ verifier: { replayTtl: 5 } }), ARG],
    [() => g.checkAndRemember(undefined), ARG],
    [() => g.checkAndRemember(42), ARG],
    [() => g.checkAndRemember(Symbol('k')), ARG],
    [() => g.checkAndRemember('k', { now: 'soon' }), ARG],
    [() => g.checkAndRemember('k', { when: 1 }), CONFIG],
    [() => g.forget(null), ARG],
  ]) {
    const err = thrown(fn)
    assert.ok(err instanceof HooksigError, String(err))
    assert.equal(err.code, code, String(fn))
  }
})

test('dedupeKey: the signed delivery id, or a fingerprint of the signed content', async () => {
  const ag = new Verifier('algoguard', { secret: SECRET })
  const h1 = sign('algoguard', SECRET, body('evt_1'), { timestamp: NOW })
  assert.equal(ag.verify(h1, body('evt_1'), { now: NOW }).dedupeKey, 'algoguard:id:evt_1')
  assert.equal((await ag.verifyAsync(h1, body('evt_1'), { now: NOW })).dedupeKey, 'algoguard:id:evt_1')
  const gh = new Verifier('github', { secret: SECRET })
  // X-GitHub-Delivery is not signed: a replay could edit it, so it is not part of the key.
  const ghKey = gh.verify(sign('github', SECRET, '{}', { id: 'd-7' }), '{}').dedupeKey
  assert.match(ghKey, /^github:sig:[0-9a-f]{32}$/)
  assert.equal(gh.verify(sign('github', SECRET, '{}', { id: 'd-8' }), '{}').dedupeKey, ghKey)
  const slack = new Verifier('slack', { secret: SECRET })
  const hs = sign('slack', SECRET, 'a=1', { timestamp: NOW })
  const k1 = slack.verify(hs, 'a=1', { now: NOW }).dedupeKey
  assert.match(k1, /^slack:sig:[0-9a-f]{32}$/)
  assert.equal(slack.verify(hs, 'a=1', { now: NOW }).dedupeKey, k1, 'a retry carries the same signature')
  assert.notEqual(slack.verify(sign('slack', SECRET, 'a=2', { timestamp: NOW }), 'a=2', { now: NOW }).dedupeKey, k1)
})

// ---- Express -------------------------------------------------------------------------------

/** An Express app with the guard; `behaviour(req, res, next)` decides what the handler does. */
function guardedApp(guard, behaviour) {
  const app = express()
  app.use(express.json({ verify: captureRawBody }))
  const verifier = new Verifier('algoguard', { secret: SECRET })
  const runs = []
  app.post('/hook', verifyWebhook(verifier, { guard }), async (req, res, next) => {
    runs.push(req.webhook.id)
    await behaviour(req, res, next, runs.length)
  })
  // Quiet error handler with Express's default status (500).
  app.use((err, req, res, _next) => res.status(500).json({ error: 'handler_failed' }))
  return { app, runs }
}

const ok = (req, res) => res.json({ received: true })
const deliver = (port, id, extra) => {
  const b = body(id, extra)
  return post(port, '/hook', { 'content-type': 'application/json', ...sign('algoguard', SECRET, b, { timestamp: now() }) }, b)
}

test('Express: 8 concurrent POSTs of one delivery run the handler exactly once', async () => {
  const guard = new ReplayGuard({ ttl: 600 })
  let openGate
  const gate = new Promise((r) => (openGate = r))
  // The handler holds its response until the 7 duplicates have been answered, so all 8 requests
  // are in flight together.
  const { app, runs } = guardedApp(guard, async (req, res) => {
    await gate
    res.json({ received: true })
  })
  const server = await listen(app)
  try {
    const b = body('evt_concurrent')
    const headers = { 'content-type': 'application/json', ...sign('algoguard', SECRET, b, { timestamp: now() }) }
    let duplicates = 0
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        post(server.port, '/hook', headers, b).then((res) => {
          if (res.json && res.json.status === 'duplicate' && ++duplicates === 7) openGate()
          return res
        }),
      ),
    )
    assert.deepEqual(runs, ['evt_concurrent'])
    assert.ok(responses.every((r) => r.status === 200))
    assert.equal(responses.filter((r) => r.json.received === true).length, 1)
    assert.equal(responses.filter((r) => r.json.status === 'duplicate').length, 7)
    assert.equal(guard.size, 1)
  } finally {
    await server.close()
  }
})

test('Express: a failing handler releases the key, so the retry runs it', async () => {
  const guard = new ReplayGuard({ ttl: 600 })
  const failures = {
    throws: () => {
      throw new Error('boom')
    },
    rejects: async () => {
      await null
      throw new Error('boom')
    },
    'next(err)': (req, res, next) => next(new Error('boom')),
    '503 response': (req, res) => res.status(503).json({ retry: true }),
    '400 response': (req, res) => res.status(400).end(),
    'connection closed without a response': (req, res) => req.socket.destroy(),
  }
  for (const [name, fail] of Object.entries(failures)) {
    const { app, runs } = guardedApp(guard, (req, res, next, attempt) => (attempt === 1 ? fail(req, res, next) : ok(req, res)))
    const server = await listen(app)
    try {
      const id = `evt_fail_${name}`
      const first = await deliver(server.port, id).catch((err) => ({ status: 'socket closed', err }))
      assert.notEqual(first.status, 200, name)
      const retry = await deliver(server.port, id)
      assert.deepEqual([retry.status, retry.json], [200, { received: true }], name)
      const third = await deliver(server.port, id)
      assert.deepEqual([third.status, third.json], [200, { status: 'duplicate' }], name)
      assert.deepEqual(runs, [id, id], `${name}: the handler ran for the failure and the retry only`)
    } finally {
      await server.close()
    }
  }
})

test('Express: forged or unverifiable requests are never remembered', async () => {
  const guard = new ReplayGuard({ ttl: 600 })
  const { app, runs } = guardedApp(guard, ok)
  const server = await listen(app)
  try {
    const b = body('evt_target')
    const good = sign('algoguard', SECRET, b, { timestamp: now() })
    const forged = [
      { ...good, 'X-AlgoGuard-Signature': sign('algoguard', 'attacker-secret', b, { timestamp: now() })['X-AlgoGuard-Signature'] },
      { ...good, 'X-AlgoGuard-Timestamp': String(now() - 3600) },
      { 'X-AlgoGuard-Timestamp': String(now()) },
    ]
    for (const headers of forged) {
      const res = await post(server.port, '/hook', { 'content-type': 'application/json', ...headers }, b)
      assert.ok(res.status === 400 || res.status === 401, res.text)
    }
    // same headers, tampered body (claims the same id)
    const tampered = await post(server.port, '/hook', { 'content-type': 'application/json', ...good }, body('evt_target', { amount: 1 }))
    assert.equal(tampered.status, 401)
    assert.equal(guard.size, 0, 'nothing remembered')
    assert.deepEqual(runs, [])
    const real = await post(server.port, '/hook', { 'content-type': 'application/json', ...good }, b)
    assert.deepEqual([real.status, real.json], [200, { received: true }])
    assert.deepEqual(runs, ['evt_target'])
  } finally {
    await server.close()
  }
})

test('Express: a guard that fails answers 503 + Retry-After and skips the handler; bad guards refused at setup', async () => {
  const broken = {
    checkAndRemember: async () => {
      throw new Error('store down')
    },
    forget() {},
  }
  const { app, runs } = guardedApp(broken, ok)
  const server = await listen(app)
  try {
    const res = await deliver(server.port, 'evt_store_down')
    assert.deepEqual([res.status, res.json.error], [503, 'replay_store_unavailable'])
    assert.deepEqual(runs, [])
  } finally {
    await server.close()
  }
  const v = new Verifier('github', { secret: 'x' })
  for (const guard of [42, 'guard', {}, { checkAndRemember() {} }, () => true]) {
    const err = thrown(() => verifyWebhook(v, { guard }))
    assert.ok(err instanceof HooksigError && err.code === 'invalid_argument', String(err))
  }
})

// ---- Fetch API ------------------------------------------------------------------------------

function request(id, { ts = NOW, secret = SECRET, payload } = {}) {
  const b = payload ?? body(id)
  return new Request('http://x/hook', { method: 'POST', headers: sign('algoguard', secret, body(id), { timestamp: ts }), body: b })
}

test('withWebhook: duplicates skip the handler; expiry follows the injected clock', async () => {
  const verifier = new Verifier('algoguard', { secret: SECRET, tolerance: 300 })
  const guard = new ReplayGuard({ verifier })
  const runs = []
  const handler = async (webhook, req, ctx) => {
    runs.push([webhook.id, ctx])
    return Response.json({ received: true })
  }
  const at = (t) => withWebhook(verifier, handler, { guard, now: t })
  const first = await at(NOW)(request('evt_f1'), 'ctx')
  assert.deepEqual([first.status, await first.json()], [200, { received: true }])
  const dup = await at(NOW + 10)(request('evt_f1'), 'ctx')
  assert.deepEqual([dup.status, await dup.json()], [200, { status: 'duplicate' }])
  assert.deepEqual(runs, [['evt_f1', 'ctx']])
  // Remembered for replayTtl = 660 s; a retry signed later is still the same delivery.
  const late = await at(NOW + 659)(request('evt_f1', { ts: NOW + 400 }))
  assert.equal((await late.json()).status, 'duplicate')
  const expired = await at(NOW + 660)(request('evt_f1', { ts: NOW + 400 }))
  assert.deepEqual(await expired.json(), { received: true })
  assert.equal(runs.length, 2)
  // An unverified request: 401, not remembered, handler not run.
  const forged = await at(NOW)(request('evt_f2', { secret: 'attacker' }))
  assert.deepEqual([forged.status, await forged.json()], [401, { error: 'signature_mismatch', message: 'no signature matched any secret' }])
  const real = await at(NOW)(request('evt_f2'))
  assert.equal(real.status, 200)
  assert.deepEqual(runs.map((r) => r[0]), ['evt_f1', 'evt_f1', 'evt_f2'])
})

test('withWebhook: a throwing handler or a non-2xx response releases the key', async () => {
  const verifier = new Verifier('algoguard', { secret: SECRET })
  const guard = new ReplayGuard({ verifier })
  let attempt = 0
  const route = withWebhook(
    verifier,
    async () => {
      attempt++
      if (attempt === 1) throw new Error('boom')
      if (attempt === 2) return new Response('busy', { status: 503 })
      return Response.json({ received: true })
    },
    { guard, now: NOW },
  )
  await assert.rejects(route(request('evt_r')), /boom/, 'the error reaches the framework')
  assert.equal((await route(request('evt_r'))).status, 503)
  assert.equal((await route(request('evt_r'))).status, 200)
  assert.deepEqual(await (await route(request('evt_r'))).json(), { status: 'duplicate' })
  assert.equal(attempt, 3)
})

test('verifyRequest with a guard reports duplicates; bad options are refused', async () => {
  const verifier = new Verifier('algoguard', { secret: SECRET })
  const guard = new ReplayGuard({ verifier })
  const a = await verifyRequest(verifier, request('evt_v'), { now: NOW, guard })
  const b = await verifyRequest(verifier, request('evt_v'), { now: NOW, guard })
  assert.deepEqual([a.duplicate, b.duplicate, a.dedupeKey], [false, true, 'algoguard:id:evt_v'])
  assert.equal((await verifyRequest(verifier, request('evt_v'), { now: NOW })).duplicate, undefined)
  await assert.rejects(verifyRequest(verifier, request('evt_v'), { now: NOW, guard: {} }), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
  await assert.rejects(verifyRequest(verifier, request('evt_v'), { when: 1 }), (e) => e instanceof HooksigError && e.code === 'invalid_config')
  assert.throws(() => withWebhook(verifier, 'not a function'), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
  assert.throws(() => withWebhook({}, () => {}), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
})

test('one in-memory guard shared by 8 concurrent Fetch requests: one handler run', async () => {
  const verifier = new Verifier('algoguard', { secret: SECRET })
  const guard = new ReplayGuard({ verifier })
  let runs = 0
  const route = withWebhook(verifier, async () => {
    runs++
    await new Promise((r) => setImmediate(r))
    return Response.json({ received: true })
  }, { guard, now: NOW })
  const results = await Promise.all(Array.from({ length: 8 }, () => route(request('evt_c')).then((r) => r.json())))
  assert.equal(runs, 1)
  assert.equal(results.filter((r) => r.received).length, 1)
  assert.equal(results.filter((r) => r.status === 'duplicate').length, 7)
})
