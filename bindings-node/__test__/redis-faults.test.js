'use strict'
// The Redis replay guard's fault cases, against a real redis-server this file starts on a free
// port and then pauses (SIGSTOP), stops and restarts, through every integration over HTTP
// (Express, Fetch's withWebhook, Fastify, Koa, Hono: frameworks.js) and both clients (node-redis, ioredis):
//   - a successful delivery runs the handler once, is confirmed ("done", full ttl), and its
//     retry is a duplicate;
//   - the link drops between a failed handler and its DEL: the retry is not answered
//     `duplicate` (the old guard lost the event); it runs the handler once the processing
//     marker expired;
//   - a paused Redis: 503 + Retry-After within the command timeout, not a hang;
//   - a stopped Redis: 503 + Retry-After; after a restart the delivery is handled.
const test = require('node:test')
const assert = require('node:assert/strict')
const { createClient } = require('redis')
const IORedis = require('ioredis')
const { Verifier, sign } = require('..')
const { RedisReplayGuard } = require('../redis.js')
const { post } = require('./helpers.js')
const { SERVERS } = require('./frameworks.js')
const { startRedis } = require('./redis-server.js')

const SECRET = 'whsec_redis_faults'
const COMMAND_TIMEOUT = 500 // ms
const PROCESSING_TTL = 1 // s
const now = () => Math.floor(Date.now() / 1000)
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let redis
test.before(async () => {
  redis = await startRedis()
})
test.after(async () => {
  if (redis) await redis.stop()
})

async function client(flavor) {
  if (flavor === 'ioredis') {
    const c = new IORedis(redis.url, { lazyConnect: false })
    c.on('error', () => {}) // reconnects by itself; the guard reports the outage
    return { c, close: () => c.disconnect() }
  }
  const c = createClient({ url: redis.url, socket: { connectTimeout: 1000, reconnectStrategy: () => 100 } })
  c.on('error', () => {})
  await c.connect()
  return { c, close: () => c.destroy() }
}

/** An admin connection for assertions, reopened after restarts. */
async function admin() {
  const c = createClient({ url: redis.url })
  c.on('error', () => {})
  await c.connect()
  return c
}

/** A receiver whose handler obeys `behaviour(id)`; counts attempts and successes per id. */
function makeHandler(behaviour) {
  const attempts = new Map()
  const handled = new Map()
  const run = async (id) => {
    attempts.set(id, (attempts.get(id) ?? 0) + 1)
    await behaviour(id, attempts.get(id))
    handled.set(id, (handled.get(id) ?? 0) + 1)
  }
  return { run, attempts, handled }
}

/** Each integration (frameworks.js) with a RedisReplayGuard, its handler running `run(id)`. */
function serve(integration, guard, run) {
  const verifier = new Verifier('algoguard', { secret: SECRET })
  const json = (status, value) => ({ status, headers: [], body: JSON.stringify(value) })
  return SERVERS[integration](verifier, { guard }, async (webhook) => {
    try {
      await run(webhook.id)
    } catch {
      return json(500, { error: 'handler_failed' })
    }
    return json(200, { received: true })
  })
}

function delivery(id) {
  const body = JSON.stringify({ id, event: 'license.created' })
  return { body, headers: { 'content-type': 'application/json', ...sign('algoguard', SECRET, body, { timestamp: now() }) } }
}

/** POST with a wall-clock deadline, so a hang fails the test instead of stalling it. */
async function send(port, d, deadlineMs = 5000) {
  const started = Date.now()
  const answer = await Promise.race([
    post(port, '/hook', d.headers, d.body),
    sleep(deadlineMs).then(() => ({ status: 'hang', json: null, text: '' })),
  ])
  return { ...answer, ms: Date.now() - started }
}

for (const integration of Object.keys(SERVERS)) {
  for (const flavor of ['redis', 'ioredis']) {
    test(`${integration} + ${flavor === 'redis' ? 'node-redis' : 'ioredis'}: Redis fault cases`, async () => {
      const prefix = `faults:${integration}:${flavor}:`
      const { c, close } = await client(flavor)
      const verifier = new Verifier('algoguard', { secret: SECRET })
      // The client as the guard sees it: while `linkDown`, its DEL never reaches Redis (the
      // link dropped between the failed handler and the DEL; a client's offline queue would
      // otherwise replay it late).
      let linkDown = false
      const link = new Proxy(c, {
        get(target, prop) {
          if (prop === 'del' && linkDown) return () => Promise.reject(new Error('Connection is closed.'))
          const value = Reflect.get(target, prop)
          return typeof value === 'function' ? value.bind(target) : value
        },
      })
      // retryAfter: 7 stays on the guard's errors; the HTTP answers are the core's (Retry-After: 30).
      const guard = new RedisReplayGuard(link, { verifier, prefix, processingTtl: PROCESSING_TTL, commandTimeout: COMMAND_TIMEOUT, retryAfter: 7 })
      assert.equal(guard.flavor, flavor)
      assert.equal(guard.ttl, verifier.replayTtl, "the full ttl is the core's replay window")
      let mode = 'ok'
      const h = makeHandler(async (id, attempt) => {
        if (mode === 'fail-and-drop-link' && attempt === 1) {
          linkDown = true
          throw new Error('handler failed')
        }
      })
      const server = await serve(integration, guard, h.run)
      let a = await admin()
      try {
        // 1. A delivery: handled once, confirmed for the full ttl; its retry is a duplicate.
        const d1 = delivery(`evt_ok_${integration}_${flavor}`)
        const first = await send(server.port, d1)
        assert.deepEqual([first.status, first.json], [200, { received: true }])
        assert.equal(await a.get(`${prefix}algoguard:id:evt_ok_${integration}_${flavor}`), 'done')
        const ttl = await a.ttl(`${prefix}algoguard:id:evt_ok_${integration}_${flavor}`)
        assert.ok(ttl > PROCESSING_TTL && ttl <= verifier.replayTtl, `ttl ${ttl}`)
        assert.deepEqual([(await send(server.port, d1)).json], [{ status: 'duplicate' }])
        assert.equal(h.handled.get(`evt_ok_${integration}_${flavor}`), 1)

        // 2. The link drops between the failed handler and its DEL.
        mode = 'fail-and-drop-link'
        const idLost = `evt_lostdel_${integration}_${flavor}`
        const d2 = delivery(idLost)
        const failed = await send(server.port, d2)
        assert.equal(failed.status, 500, 'the handler failed')
        assert.ok(failed.ms < 3000, `the lost DEL held the response ${failed.ms} ms`)
        linkDown = false
        mode = 'ok'
        // The marker is still "processing": the retry is NOT told `duplicate` (that lost the event).
        const early = await send(server.port, d2)
        assert.equal(early.status, 409, `early retry: ${early.status} ${early.text}`)
        assert.equal(early.json.error, 'delivery_in_progress')
        assert.equal(early.retryAfter, '30')
        await sleep(PROCESSING_TTL * 1000 + 1100)
        const late = await send(server.port, d2)
        assert.deepEqual([late.status, late.json], [200, { received: true }], 'the retry after the processing ttl runs the handler')
        assert.deepEqual([h.attempts.get(idLost), h.handled.get(idLost)], [2, 1])

        // 3. A paused Redis: 503 + Retry-After within the command timeout, not a hang.
        redis.pause()
        const idPause = `evt_pause_${integration}_${flavor}`
        const paused = await send(server.port, delivery(idPause))
        redis.resume()
        assert.equal(paused.status, 503, `paused: ${paused.status} after ${paused.ms} ms`)
        assert.equal(paused.json.error, 'replay_store_unavailable')
        assert.equal(paused.retryAfter, '30')
        assert.ok(paused.ms < COMMAND_TIMEOUT + 1500, `answered after ${paused.ms} ms`)
        assert.equal(h.attempts.get(idPause), undefined, 'the handler did not run')
        // The resumed Redis may still apply the abandoned SET NX: the retry is then "in
        // progress" (409) until that marker expires, never a duplicate; it runs exactly once.
        const afterPause = await retryUntilHandled(server.port, delivery(idPause))
        assert.deepEqual([afterPause.status, h.handled.get(idPause)], [200, 1])

        // 4. A stopped Redis: 503 + Retry-After; after a restart the delivery is handled once.
        await redis.stop()
        const idStop = `evt_stop_${integration}_${flavor}`
        const stopped = await send(server.port, delivery(idStop))
        assert.equal(stopped.status, 503, `stopped: ${stopped.status} ${stopped.text}`)
        assert.equal(stopped.json.error, 'replay_store_unavailable')
        assert.equal(stopped.retryAfter, '30')
        assert.ok(stopped.ms < COMMAND_TIMEOUT + 1500, `answered after ${stopped.ms} ms`)
        redis = await redis.restart()
        a.destroy()
        a = await admin()
        const restarted = await retryUntilHandled(server.port, delivery(idStop))
        assert.deepEqual([restarted.status, h.handled.get(idStop)], [200, 1])
        assert.equal(await a.get(`${prefix}algoguard:id:${idStop}`), 'done')
      } finally {
        redis.resume()
        await server.close()
        for (const fn of [close, () => a.destroy()]) {
          try {
            await fn()
          } catch {}
        }
      }
    })
  }
}

/** The sender's retries (every 250 ms, 10 s at most) until a 2xx. */
async function retryUntilHandled(port, d) {
  const seen = []
  for (let i = 0; i < 40; i++) {
    const r = await send(port, d)
    seen.push(r.status)
    if (r.status === 200) return r
    assert.ok([409, 503].includes(r.status), `retry answered ${r.status}: ${r.text}`)
    await sleep(250)
  }
  assert.fail(`never handled: ${seen.join(' ')}`)
}

test('every integration: a foreign store error is a 503', async () => {
  const verifier = new Verifier('algoguard', { secret: SECRET })
  const broken = { checkAndRemember: async () => { throw new Error('ECONNRESET') }, forget: async () => {} }
  for (const integration of Object.keys(SERVERS)) {
    const server = await serve(integration, broken, async () => {})
    try {
      const r = await send(server.port, delivery('evt_foreign'))
      assert.deepEqual([r.status, r.json.error, r.retryAfter], [503, 'replay_store_unavailable', '30'])
    } finally {
      await server.close()
    }
  }
  assert.ok(verifier)
})
