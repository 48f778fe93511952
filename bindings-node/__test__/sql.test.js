'use strict'
// hooksig/sql against a real PostgreSQL (scripts/postgres.sh: initdb in a temp dir, 127.0.0.1, a
// free port) and a real SQLite file (better-sqlite3), each:
//   - expiry follows the injected clock: "processing" blocks retries for processingTtl, "done"
//     for ttl; an expired row is reclaimed by the claim itself;
//   - exactly once: two receiver processes, 8 concurrent deliveries of one event → one run;
//   - a failed handler releases the claim, so the retry runs it;
//   - the database stopped (PostgreSQL) or locked (SQLite): 503 + Retry-After and no handler
//     run; afterwards handled once; a release lost in the outage blocks retries (409) only until
//     processingTtl, then the handler runs (no event lost, none run twice).
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')
const { spawn } = require('node:child_process')
const Database = require('better-sqlite3')
const pg = require('pg')
const express = require('express')
const { Verifier, sign } = require('..')
const { verifyWebhook } = require('../express.js')
const { SqlReplayGuard, DeliveryInProgress, ddl } = require('../sql.js')
const { post, listen } = require('./helpers.js')
const { startPostgres } = require('./postgres-server.js')

const SECRET = 'whsec_sql_node'
const verifier = () => new Verifier('algoguard', { secret: SECRET })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

let postgres
let dir
test.before(async () => {
  postgres = await startPostgres()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-sql-'))
})
test.after(() => {
  if (postgres) postgres.destroy()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

/** A backend: `db()` what a receiver passes, `query(sql)` rows, `target` for a process. */
function backend(kind) {
  const table = `replay_${crypto.randomBytes(4).toString('hex')}`
  if (kind === 'sqlite') {
    const target = path.join(dir, `${table}.sqlite3`)
    return {
      kind, table, target,
      db: (opts = {}) => new Database(target, opts),
      query: async (sql) => {
        const d = new Database(target)
        try {
          const st = d.prepare(sql)
          return st.reader ? st.raw(true).all() : (st.run(), [])
        } finally {
          d.close()
        }
      },
    }
  }
  return {
    kind, table, target: postgres.url,
    db: () => {
      const pool = new pg.Pool({ connectionString: postgres.url, max: 4, connectionTimeoutMillis: 2000 })
      pool.on('error', () => {})
      return pool
    },
    query: async (sql) => {
      const c = new pg.Client({ connectionString: postgres.url })
      await c.connect()
      try {
        return (await c.query({ text: sql, rowMode: 'array' })).rows
      } finally {
        await c.end()
      }
    },
  }
}

const close = async (db) => (typeof db.end === 'function' ? db.end() : db.close())

function signed(id) {
  const body = Buffer.from(JSON.stringify({ id, event: 'license.created' }))
  return { body, headers: sign('algoguard', SECRET, body) }
}

test('ddl, table names, dialect detection', () => {
  assert.equal(
    ddl('app.seen'),
    'CREATE TABLE IF NOT EXISTS app.seen (replay_key TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, expires_at BIGINT NOT NULL)',
  )
  const mem = new Database(':memory:')
  for (const bad of ['x; DROP TABLE y', '', 'a.b.c', '1x']) {
    assert.throws(() => new SqlReplayGuard(mem, { ttl: 5, table: bad }), { code: 'invalid_argument' })
  }
  assert.throws(() => new SqlReplayGuard(mem, {}), /ttl/)
  assert.throws(() => new SqlReplayGuard({}, { ttl: 5 }), /pg Pool/)
  const g = new SqlReplayGuard(mem, { verifier: verifier() })
  assert.deepEqual([g.dialect, g.table, g.ttl, g.processingTtl], ['sqlite', 'hooksig_replay', 660, 60])
  assert.equal(new SqlReplayGuard({ query() {} }, { ttl: 5 }).dialect, 'postgres')
  mem.close()
})

for (const kind of ['sqlite', 'postgres']) {
  test(`${kind}: expiry follows the injected clock`, async () => {
    const b = backend(kind)
    const db = b.db()
    let now = 1_000_000
    const g = new SqlReplayGuard(db, { ttl: 600, processingTtl: 30, table: b.table, clock: () => now })
    try {
      await g.createTable()
      await g.createTable()
      assert.equal(await g.checkAndRemember('k'), true)
      await assert.rejects(g.checkAndRemember('k'), DeliveryInProgress)
      now += 30
      assert.equal(await g.checkAndRemember('k'), true) // the expired claim is taken over
      await g.confirm('k')
      now += 599
      assert.equal(await g.checkAndRemember('k'), false)
      now += 1
      assert.equal(await g.checkAndRemember('k'), true) // expired: reclaimed, no cron
      await g.forget('k')
      assert.equal(await g.checkAndRemember('k'), true)
      const rows = await b.query(`SELECT replay_key, state, expires_at FROM ${b.table}`)
      assert.deepEqual(rows.map((r) => [r[0], r[1], Number(r[2])]), [['hooksig:replay:k', 'processing', now + 30]])
      await g.checkAndRemember('other')
      now += 31
      await g.purge()
      assert.deepEqual((await b.query(`SELECT count(*) FROM ${b.table}`)).map((r) => Number(r[0])), [0])
    } finally {
      await close(db)
    }
  })

  test(`${kind}: a failed handler releases the claim`, async () => {
    const b = backend(kind)
    const db = b.db()
    const guard = new SqlReplayGuard(db, { verifier: verifier(), table: b.table })
    await guard.createTable()
    const runs = []
    const app = express()
    app.set('env', 'test')
    app.post('/hook', verifyWebhook(verifier(), { guard }), (req, res) => {
      runs.push(req.webhook.id)
      if (runs.length === 1) throw new Error('the handler failed (a test)')
      res.json({ handled: req.webhook.id })
    })
    const server = await listen(app)
    try {
      const { body, headers } = signed('evt_fail')
      assert.equal((await post(server.port, '/hook', headers, body)).status, 500)
      assert.deepEqual(await b.query(`SELECT * FROM ${b.table}`), [])
      const second = await post(server.port, '/hook', headers, body)
      assert.deepEqual([second.status, second.json], [200, { handled: 'evt_fail' }])
      const third = await post(server.port, '/hook', headers, body)
      assert.deepEqual([third.status, third.json], [200, { status: 'duplicate' }])
      assert.deepEqual(runs, ['evt_fail', 'evt_fail'])
    } finally {
      await server.close()
      await close(db)
    }
  })

  test(`${kind}: exactly once with two receiver processes and 8 concurrent deliveries`, async () => {
    const b = backend(kind)
    const setup = b.db()
    await new SqlReplayGuard(setup, { ttl: 600, table: b.table }).createTable()
    await close(setup)
    await b.query(`CREATE TABLE ${b.table}_runs (id TEXT NOT NULL, pid INTEGER NOT NULL)`)
    const procs = []
    const ports = []
    try {
      for (let i = 0; i < 2; i++) {
        const p = spawn(process.execPath, [path.join(__dirname, 'fixtures/sql-receiver.js'), kind, b.target, b.table], {
          env: { ...process.env, ALGOGUARD_SECRET: SECRET },
          stdio: ['ignore', 'pipe', 'inherit'],
        })
        procs.push(p)
        ports.push(await new Promise((resolve, reject) => {
          p.stdout.once('data', (d) => resolve(Number(String(d).trim())))
          p.once('exit', (code) => reject(new Error(`sql-receiver exited ${code}`)))
        }))
      }
      const { body, headers } = signed('evt_once')
      const deliver = async (i) => {
        const r = await post(ports[i % 2], '/hook', headers, body)
        return [r.status, r.json]
      }
      const answers = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(deliver))
      const handled = answers.filter(([s, a]) => s === 200 && a.handled === 'evt_once')
      assert.equal(handled.length, 1, JSON.stringify(answers))
      for (const [status, answer] of answers) {
        if (status === 409) assert.equal(answer.error, 'delivery_in_progress')
        else assert.equal(status, 200)
      }
      for (let i = 0; i < 4; i++) assert.deepEqual(await deliver(i), [200, { status: 'duplicate' }])
      assert.deepEqual(await b.query(`SELECT id FROM ${b.table}_runs`), [['evt_once']])
    } finally {
      for (const p of procs) p.kill()
    }
  })

  test(`${kind}: the database down mid-run`, async () => {
    const b = backend(kind)
    let now = 2_000_000
    const db = kind === 'sqlite' ? b.db({ timeout: 200 }) : b.db()
    const guard = new SqlReplayGuard(db, { verifier: verifier(), table: b.table, clock: () => now })
    await guard.createTable()
    let holder = null
    const down = () => {
      if (kind === 'postgres') return postgres.stop()
      holder = new Database(b.target)
      holder.exec('BEGIN EXCLUSIVE')
    }
    const up = () => {
      if (kind === 'postgres') return postgres.start()
      holder.exec('ROLLBACK')
      holder.close()
    }
    const runs = {}
    const failOnce = new Set(['evt_lost_release'])
    const app = express()
    app.set('env', 'test')
    app.post('/hook', verifyWebhook(verifier(), { guard }), (req, res) => {
      const id = req.webhook.id
      if (failOnce.delete(id)) {
        down() // the database goes away before the release
        throw new Error('the handler failed (a test)')
      }
      runs[id] = (runs[id] ?? 0) + 1
      res.json({ handled: id })
    })
    const server = await listen(app)
    const send = async (id) => {
      const { body, headers } = signed(id)
      const r = await post(server.port, '/hook', headers, body)
      return { status: r.status, headers: r.headers, json: r.json ?? {} }
    }
    try {
      down()
      for (let i = 0; i < 2; i++) {
        const r = await send('evt_down')
        assert.equal(r.status, 503)
        assert.equal(r.headers['retry-after'], '30')
        assert.equal(r.json.error, 'replay_store_unavailable')
      }
      up()
      assert.deepEqual(runs, {})
      let r
      for (let i = 0; i < 50 && (r = await send('evt_down')).status === 503; i++) await sleep(100)
      assert.deepEqual([r.status, r.json], [200, { handled: 'evt_down' }])
      assert.deepEqual((await send('evt_down')).json, { status: 'duplicate' })

      assert.equal((await send('evt_lost_release')).status, 500)
      up()
      for (let i = 0; i < 50 && (r = await send('evt_lost_release')).status === 503; i++) await sleep(100)
      assert.equal(r.status, 409)
      now += guard.processingTtl
      r = await send('evt_lost_release')
      assert.deepEqual([r.status, r.json], [200, { handled: 'evt_lost_release' }])
      assert.deepEqual((await send('evt_lost_release')).json, { status: 'duplicate' })
      assert.deepEqual(runs, { evt_down: 1, evt_lost_release: 1 })
    } finally {
      await server.close()
      await close(db)
    }
  })
}
