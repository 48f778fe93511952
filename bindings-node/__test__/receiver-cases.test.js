'use strict'
// The shared receiver table (tests/receivers/cases.json, issue 13) over real HTTP on 127.0.0.1:
// every case through each integration (frameworks.js): hooksig/express on an Express app,
// hooksig/fetch's withWebhook served by Node's http (IncomingMessage -> Request with a streamed
// body, Response -> the ServerResponse), the hooksig/fastify plugin, the hooksig/koa middleware
// (no body parser) and the hooksig/hono middleware on @hono/node-server. Each case gets one fresh receiver (verifier, optional guard, optional
// limit); its requests are sent in order and each answer is checked: status, exact body bytes,
// the listed headers, and how many times the handler ran so far.
//
// The harness handler obeys `X-Test-Handler`: `ok` answers the core's success body
// (Receiver.received), `raise` throws, a number N answers N `{"status":"handler_status"}`.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const { Verifier, ReplayGuard } = require('..')
const { REPO } = require('./helpers.js')
const { SERVERS } = require('./frameworks.js')
const { CASES_FILE, loadCases, harnessHandler, exchange } = require('./receiver-harness.js')

// ---- the table --------------------------------------------------------------------------------

async function runCase(framework, c, makeGuard = (verifier) => new ReplayGuard({ verifier })) {
  const verifier = new Verifier(c.scheme, { secret: c.secret })
  const options = {}
  if (c.guard === 'memory') options.guard = makeGuard(verifier, c)
  else assert.equal(c.guard ?? null, null, `${c.name}: unknown guard ${c.guard}`)
  if (c.limit !== undefined && c.limit !== null) options.limit = c.limit
  if (c.public_url !== undefined && c.public_url !== null) options.publicUrl = c.public_url
  const counter = { calls: 0 }
  const server = await SERVERS[framework](verifier, options, harnessHandler(counter))
  try {
    await exchange(`${framework} / ${c.name}`, server.port, '/hook', c, () => counter.calls)
  } finally {
    await server.close()
  }
}


const cases = loadCases()
for (const framework of Object.keys(SERVERS)) {
  test(`${path.relative(REPO, CASES_FILE)} over HTTP: ${framework} (${cases.length} cases)`, async (t) => {
    for (const c of cases) {
      await t.test(c.name, () => runCase(framework, c))
    }
  })
}

// The `memory` guard cases with each SQL store (hooksig/sql) in place of the in-memory guard:
// Express, a real SQLite file and a real PostgreSQL (scripts/postgres.sh), one key prefix a case.
test('the memory-guard cases with hooksig/sql stores (express)', async (t) => {
  const os = require('node:os')
  const Database = require('better-sqlite3')
  const pg = require('pg')
  const { SqlReplayGuard } = require('../sql.js')
  const { startPostgres } = require('./postgres-server.js')
  const guarded = cases.filter((c) => c.guard === 'memory')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-cases-'))
  const postgres = await startPostgres()
  const pool = new pg.Pool({ connectionString: postgres.url, max: 4 })
  pool.on('error', () => {})
  const stores = { sqlite: new Database(path.join(dir, 'cases.sqlite3')), postgres: pool }
  try {
    for (const [kind, db] of Object.entries(stores)) {
      await new SqlReplayGuard(db, { ttl: 5 }).createTable()
      for (const [n, c] of guarded.entries()) {
        await t.test(`${kind}: ${c.name}`, () =>
          runCase('express', c, (verifier) => new SqlReplayGuard(db, { verifier, prefix: `${kind}${n}:` })),
        )
      }
    }
  } finally {
    stores.sqlite.close()
    await pool.end()
    postgres.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
