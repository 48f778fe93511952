'use strict'
// The shared receiver table (tests/receivers/cases.json) against a real Next.js server: `next
// start` of this app's production build (scripts/test-nextjs.sh runs `next build` first), every
// case through the App Router route (app/api/webhooks/[vendor]/route.ts, hooksig/fetch) and the
// Pages Router route (pages/api/pages/webhooks/[vendor].ts, hooksig/express), over HTTP on
// 127.0.0.1. The harness (request building, answer checks) is bindings-node's
// (__test__/receiver-harness.js), the one every Node integration runs.
//
// How each case reaches the built app: case N is the vendor `case-N`. HOOKSIG_RECEIVERS names a
// JSON file giving every vendor its scheme, secret, guard, limit and public URL, which lib/receivers.ts reads
// at request time, so each case meets a fresh verifier and guard in each router; the handler
// appends "<router> <vendor>" to HOOKSIG_HANDLER_LOG on every run, which gives the run counts.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const http = require('node:http')
const { spawn } = require('node:child_process')
const harness = require('../../../bindings-node/__test__/receiver-harness.js')
const { sign } = require('../../../bindings-node')

const APP = path.resolve(__dirname, '..')
const NEXT_BIN = require.resolve('next/dist/bin/next', { paths: [APP] })
const ROUTERS = {
  app: { label: 'App Router (hooksig/fetch withWebhook)', prefix: '/api/webhooks/' },
  pages: { label: 'Pages Router (hooksig/express verifyWebhook, bodyParser: false)', prefix: '/api/pages/webhooks/' },
}
const STRIPE_SECRET = 'whsec_nextjs_quickstart'

const cases = harness.loadCases()
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hooksig-nextjs-'))
const receiversFile = path.join(dir, 'receivers.json')
const handlerLog = path.join(dir, 'handler.log')
// next start's output, kept for a failed run (scripts/test-nextjs.sh prints it).
const serverLog = path.join(APP, 'test-out', 'next.log')
fs.mkdirSync(path.dirname(serverLog), { recursive: true })

fs.writeFileSync(
  receiversFile,
  JSON.stringify(Object.fromEntries(cases.map((c, n) => [`case-${n}`, { scheme: c.scheme, secret: c.secret, guard: c.guard ?? null, limit: c.limit ?? null, publicUrl: c.public_url ?? null }]))),
)
fs.writeFileSync(handlerLog, '')

/** How many times the handler ran for `vendor` in `router`. */
function calls(router, vendor) {
  const line = `${router} ${vendor}`
  return fs.readFileSync(handlerLog, 'utf8').split('\n').filter((l) => l === line).length
}

/** A free port on 127.0.0.1 (`next start -p 0` prints 0 rather than the port it got). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = http.createServer()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => resolve(port))
    })
  })
}

/** `next start` on 127.0.0.1; resolves once it answers HTTP. */
async function startNext() {
  const port = await freePort()
  const out = fs.openSync(serverLog, 'w')
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: APP,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', HOOKSIG_RECEIVERS: receiversFile, HOOKSIG_HANDLER_LOG: handlerLog, STRIPE_WEBHOOK_SECRET: STRIPE_SECRET },
    stdio: ['ignore', out, out],
  })
  fs.closeSync(out)
  process.on('exit', () => child.kill('SIGTERM')) // also when this runner is cut short
  let exited = null
  child.on('exit', (code, signal) => (exited = `next start exited (${code ?? signal})`))
  const deadline = Date.now() + 60_000
  for (;;) {
    if (exited) throw new Error(`${exited}:\n${fs.readFileSync(serverLog, 'utf8')}`)
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s:\n${fs.readFileSync(serverLog, 'utf8')}`)
    const up = await new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/webhooks/-', agent: false }, (res) => (res.resume(), resolve(true)))
      req.on('error', () => resolve(false))
    })
    if (up) return { port, child }
    await new Promise((r) => setTimeout(r, 100))
  }
}

let server
test.before(async () => {
  server = await startNext()
})
test.after(() => {
  if (server && server.child.exitCode === null) server.child.kill('SIGTERM')
  fs.rmSync(dir, { recursive: true, force: true })
})

for (const [router, { label, prefix }] of Object.entries(ROUTERS)) {
  test(`${path.relative(path.resolve(APP, '../..'), harness.CASES_FILE)} over HTTP: next start, ${label} (${cases.length} cases)`, async (t) => {
    for (const [n, c] of cases.entries()) {
      const vendor = `case-${n}`
      await t.test(c.name, () => harness.exchange(`next ${router} / ${c.name}`, server.port, prefix + vendor, c, () => calls(router, vendor)))
    }
  })
}

/** POSTs `body` with `headers`; resolves { status, headers, text }. */
function post(urlPath, headers, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: urlPath, method: 'POST', agent: false, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = []
      res.on('data', (c) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

test('the Stripe quick start (app/api/webhooks/stripe/route.js) under next start', async () => {
  const body = JSON.stringify({ id: 'evt_next_1', type: 'invoice.paid' })
  const signed = () => ({ 'content-type': 'application/json', ...sign('stripe', STRIPE_SECRET, body, { timestamp: Math.floor(Date.now() / 1000) }) })
  const first = await post('/api/webhooks/stripe', signed(), body)
  assert.deepEqual([first.status, JSON.parse(first.text)], [200, { received: true, id: 'evt_next_1' }])
  const again = await post('/api/webhooks/stripe', signed(), body)
  assert.deepEqual([again.status, JSON.parse(again.text)], [200, { status: 'duplicate' }])
  const forged = await post('/api/webhooks/stripe', { ...signed(), 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` }, body)
  assert.equal(forged.status, 401)
  assert.equal(JSON.parse(forged.text).error, 'signature_mismatch')
})

test('a vendor the app does not know: 404 from both routers', async () => {
  for (const { prefix } of Object.values(ROUTERS)) {
    const r = await post(`${prefix}nobody`, { 'content-type': 'application/json' }, '{}')
    assert.deepEqual([r.status, JSON.parse(r.text)], [404, { error: 'unknown_vendor' }], prefix)
  }
})

test('Pages Router with Next.js\'s body parser left on: hooksig refuses (500 invalid_config)', async () => {
  const c = cases.find((k) => k.scheme === 'github')
  const vendor = `case-${cases.indexOf(c)}`
  const body = '{"zen":"parsed"}'
  const before = calls('pages', vendor)
  const r = await post(`/api/pages/parsed/${vendor}`, { 'content-type': 'application/json', ...sign(c.scheme, c.secret, body) }, body)
  assert.equal(r.status, 500, r.text)
  assert.equal(JSON.parse(r.text).error, 'invalid_config')
  assert.equal(calls('pages', vendor), before)
  // The same delivery through the route with `bodyParser: false` verifies.
  const ok = await post(`/api/pages/webhooks/${vendor}`, { 'content-type': 'application/json', ...sign(c.scheme, c.secret, body) }, body)
  assert.equal(ok.status, 200, ok.text)
})
