'use strict'
// The Redis replay guard against a real redis-server (started here on a free 127.0.0.1 port,
// stopped at the end), through both clients (`redis` = node-redis, `ioredis`), and two receiver
// PROCESSES (the Express example's createApp) sharing one Redis.
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { spawn } = require('node:child_process')
const readline = require('node:readline')
const { createClient } = require('redis')
const IORedis = require('ioredis')
const { Verifier, HooksigError, sign } = require('..')
const { RedisReplayGuard, DeliveryInProgress } = require('../redis.js')
const { post } = require('./helpers.js')
const { startRedis } = require('./redis-server.js')

const SECRET = 'whsec_redis_test_secret'
const now = () => Math.floor(Date.now() / 1000)

let redis
let nodeRedis
let ioredis

test.before(async () => {
  redis = await startRedis()
  nodeRedis = createClient({ url: redis.url })
  await nodeRedis.connect()
  ioredis = new IORedis(redis.url)
})

test.after(async () => {
  await Promise.allSettled([nodeRedis && nodeRedis.quit(), ioredis && ioredis.quit()])
  if (redis) await redis.stop()
})

test('flavor detection, options, and bad arguments', () => {
  const v = new Verifier('stripe', { secret: 'whsec_x' })
  const a = new RedisReplayGuard(nodeRedis, { verifier: v })
  const b = new RedisReplayGuard(ioredis, { ttl: 60, prefix: 'app:' })
  assert.deepEqual([a.flavor, a.ttl, a.prefix], ['redis', v.replayTtl, 'hooksig:replay:'])
  assert.deepEqual([a.processingTtl, a.commandTimeout, a.retryAfter], [60, 2000, 30])
  assert.equal(new RedisReplayGuard(nodeRedis, { ttl: 30 }).processingTtl, 30, 'at most ttl')
  assert.deepEqual([b.flavor, b.ttl, b.prefix], ['ioredis', 60, 'app:'])
  const fake = { set: async () => 'OK', del: async () => 1 }
  assert.equal(new RedisReplayGuard(fake, { ttl: 1, flavor: 'ioredis' }).flavor, 'ioredis')
  for (const [fn, code] of [
    // A wrong type or an out-of-range number: invalid_argument; a refused option: invalid_config.
    [() => new RedisReplayGuard(undefined, { ttl: 1 }), 'invalid_argument'],
    [() => new RedisReplayGuard({}, { ttl: 1 }), 'invalid_argument'], // not a client
    [() => new RedisReplayGuard(fake, { ttl: 1 }), 'invalid_config'], // cannot tell the flavor
    [() => new RedisReplayGuard(fake, { ttl: 1, flavor: 'memcached' }), 'invalid_config'],
    [() => new RedisReplayGuard(nodeRedis), 'invalid_config'],
    [() => new RedisReplayGuard(nodeRedis, { ttl: 0 }), 'invalid_argument'],
    [() => new RedisReplayGuard(nodeRedis, { ttl: 60, prefix: 7 }), 'invalid_argument'],
    [() => new RedisReplayGuard(nodeRedis, { ttl: 60, tll: 5 }), 'invalid_config'],
    [() => new RedisReplayGuard(nodeRedis, 'hooksig:'), 'invalid_argument'],
    [() => new RedisReplayGuard(nodeRedis, { ttl: 60, processingTtl: 0 }), 'invalid_argument'],
    [() => new RedisReplayGuard(nodeRedis, { ttl: 60, commandTimeout: 1.5 }), 'invalid_argument'],
    [() => new RedisReplayGuard(nodeRedis, { ttl: 60, retryAfter: -1 }), 'invalid_argument'],
  ]) {
    assert.throws(fn, (e) => e instanceof HooksigError && e.code === code, String(fn))
  }
})

for (const [name, client] of [['redis (node-redis)', () => nodeRedis], ['ioredis', () => ioredis]]) {
  test(`${name}: two-phase marker — processing (short ttl), confirm (done, full ttl), forget (DEL)`, async () => {
    const c = client()
    const prefix = `t:${name.split(' ')[0]}:`
    const guard = new RedisReplayGuard(c, { prefix, ttl: 120, processingTtl: 20 })
    const inProgress = (e) => e instanceof DeliveryInProgress && e.code === 'delivery_in_progress' && e.status === 409 && e.retryAfter === 30
    assert.equal(await guard.checkAndRemember('github:id:1'), true)
    assert.equal(await nodeRedis.get(`${prefix}github:id:1`), 'processing')
    let ttl = await nodeRedis.ttl(`${prefix}github:id:1`)
    assert.ok(ttl > 0 && ttl <= 20, `processing ttl ${ttl}`)
    // Not confirmed yet: a second delivery is "in progress", not a duplicate.
    await assert.rejects(guard.checkAndRemember('github:id:1'), inProgress)
    await guard.confirm('github:id:1')
    assert.equal(await nodeRedis.get(`${prefix}github:id:1`), 'done')
    ttl = await nodeRedis.ttl(`${prefix}github:id:1`)
    assert.ok(ttl > 20 && ttl <= 120, `done ttl ${ttl}`)
    assert.equal(await guard.checkAndRemember('github:id:1'), false)
    assert.equal(await guard.checkAndRemember('github:id:2', { now: 5 }), true, '`now` is ignored (Redis clock)')
    await guard.forget('github:id:1')
    assert.equal(await nodeRedis.exists(`${prefix}github:id:1`), 0)
    assert.equal(await guard.checkAndRemember('github:id:1'), true)
    await assert.rejects(guard.checkAndRemember(42), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
    await assert.rejects(guard.forget(null), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
    await assert.rejects(guard.confirm(null), (e) => e instanceof HooksigError && e.code === 'invalid_argument')
    // Atomic under concurrency: 16 racing calls, one winner, the others "in progress".
    const results = await Promise.allSettled(Array.from({ length: 16 }, () => guard.checkAndRemember('race')))
    assert.equal(results.filter((r) => r.status === 'fulfilled' && r.value === true).length, 1)
    assert.ok(results.filter((r) => r.status === 'rejected').every((r) => inProgress(r.reason)))
  })
}

test('node-redis and ioredis share keys: one remembers, the other sees the duplicate', async () => {
  const a = new RedisReplayGuard(nodeRedis, { ttl: 60, prefix: 'shared:' })
  const b = new RedisReplayGuard(ioredis, { ttl: 60, prefix: 'shared:' })
  assert.equal(await a.checkAndRemember('k'), true)
  await assert.rejects(b.checkAndRemember('k'), DeliveryInProgress)
  await a.confirm('k')
  assert.equal(await b.checkAndRemember('k'), false)
  await b.forget('k')
  assert.equal(await a.checkAndRemember('k'), true)
})

/** Starts the Express example in a child process with a RedisReplayGuard; resolves { port, stop }. */
function startWorker(flavor, prefix) {
  const child = spawn(process.execPath, [path.join(__dirname, 'fixtures', 'express-worker.js'), redis.url, flavor, prefix], {
    env: { ...process.env, WEBHOOK_SECRET: SECRET, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (c) => (stderr += c))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${stderr}`)))
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      const { port, pid } = JSON.parse(line)
      resolve({
        port,
        pid,
        stop: () =>
          new Promise((r) => {
            if (child.exitCode !== null) return r()
            child.removeAllListeners('exit')
            child.once('exit', () => r())
            child.kill('SIGTERM')
          }),
      })
    })
  })
}

test('two receiver processes sharing one Redis: every delivery handled exactly once', async () => {
  const prefix = 'procs:'
  const workers = await Promise.all([startWorker('redis', prefix), startWorker('ioredis', prefix)])
  try {
    assert.notEqual(workers[0].pid, workers[1].pid)
    const deliveries = 20
    for (let i = 0; i < deliveries; i++) {
      const id = `evt_multi_${i}`
      const b = JSON.stringify({ id, event: 'license.created' })
      const headers = { 'content-type': 'application/json', ...sign('algoguard', SECRET, b, { timestamp: now() }) }
      // The same delivery reaches both processes at once (a retry racing the original): one
      // runs the handler; the other is told `duplicate` (200) if the first already confirmed
      // it, or `delivery_in_progress` (409, the sender retries) while it is still running.
      const answers = await Promise.all(workers.map((w) => post(w.port, '/webhooks/algoguard', headers, b)))
      const kinds = answers.map((a) =>
        a.status === 200 && a.json.status === 'duplicate'
          ? 'other'
          : a.status === 409 && a.json.error === 'delivery_in_progress'
            ? 'other'
            : a.status === 200 && a.json.received === true
              ? 'handled'
              : a.text,
      )
      assert.deepEqual(kinds.sort(), ['handled', 'other'], id)
      assert.equal(await nodeRedis.get(`${prefix}handled:${id}`), '1', `${id}: the handler ran once`)
    }
    const by = await nodeRedis.lRange(`${prefix}by`, 0, -1)
    assert.equal(by.length, deliveries, 'handler runs across both processes')

    // A handler failure in one process releases the delivery: the retry, sent to the other
    // process, runs the handler; a third delivery is a duplicate again.
    const id = 'evt_multi_fail'
    const b = JSON.stringify({ id, event: 'license.created', fail_attempts: 1 })
    const headers = { 'content-type': 'application/json', ...sign('algoguard', SECRET, b, { timestamp: now() }) }
    const failed = await post(workers[0].port, '/webhooks/algoguard', headers, b)
    assert.equal(failed.status, 500)
    assert.equal(await nodeRedis.exists(`${prefix}algoguard:id:${id}`), 0, 'released before the 500 was finished')
    const retry = await post(workers[1].port, '/webhooks/algoguard', headers, b)
    assert.deepEqual([retry.status, retry.json.received], [200, true])
    const again = await post(workers[0].port, '/webhooks/algoguard', headers, b)
    assert.deepEqual([again.status, again.json], [200, { status: 'duplicate' }])
    assert.equal(await nodeRedis.get(`${prefix}attempts:${id}`), '2')
    assert.equal(await nodeRedis.get(`${prefix}handled:${id}`), '1')

    // Forged deliveries are never remembered in Redis.
    const forgedBody = JSON.stringify({ id: 'evt_multi_forged', event: 'x' })
    const forged = { 'content-type': 'application/json', ...sign('algoguard', 'attacker', forgedBody, { timestamp: now() }) }
    assert.equal((await post(workers[1].port, '/webhooks/algoguard', forged, forgedBody)).status, 401)
    assert.deepEqual(await nodeRedis.keys(`${prefix}algoguard:id:evt_multi_forged`), [])
  } finally {
    await Promise.all(workers.map((w) => w.stop()))
  }
})
