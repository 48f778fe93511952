// hooksig's Node `Verifier.verify` against node:crypto and the peers' npm packages, in one process.
//
//   node bench/node/bench.mjs [OUT.json]     (make bench runs it; BENCH_ROUNDS / BENCH_BATCH_MS)
//
// For each body size, every case gets its own warm-up and calibration, then ROUNDS rounds run one
// batch of every case each (interleaved, so machine load drifts hit all cases alike); a batch is
// N back-to-back calls timed with process.hrtime.bigint(). Reported: the median over the rounds of
// the batch means, in ns per verification. Every call gets the same request: a Buffer body (what
// a server receives) and a Node IncomingHttpHeaders-like object (lower-case names) holding the
// scheme's signed headers plus eight ordinary request headers. Header lookups, the timestamp
// window check and the constant-time compare are inside the timed call for every case.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

import { Verifier, sign, version as hooksigVersion } from '../../bindings-node/index.mjs'
import * as standardwebhooks from 'standardwebhooks'
import { Webhook as SvixWebhook } from 'svix'
import { verify as octokitVerify } from '@octokit/webhooks-methods'
import Stripe from 'stripe'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const ROUNDS = Number(process.env.BENCH_ROUNDS || 41)
const BATCH_MS = Number(process.env.BENCH_BATCH_MS || 10)
const SIZES = [
  [64, '64B'],
  [1024, '1KiB'],
  [16 * 1024, '16KiB'],
  [1 << 20, '1MiB'],
]
// The same secrets as core/benches/verify.rs.
const SW_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const SECRET = 'whsec_benchmark_secret_value'
const TOLERANCE = 300

/** JSON-looking filler, byte for byte the body of core/benches/verify.rs. */
function makeBody(len) {
  const head = Buffer.from('{"id":"evt_1","event":"x","data":"')
  const b = Buffer.alloc(Math.max(len, 2), 'a')
  head.copy(b, 0, 0, Math.min(head.length, Math.max(len - 2, 0)))
  b.write('"}', b.length - 2)
  return b
}

const ORDINARY = {
  host: 'hooks.example.com',
  'user-agent': 'Sender-Hookshot/1.0',
  'content-type': 'application/json',
  accept: '*/*',
  'accept-encoding': 'gzip',
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-proto': 'https',
  'x-request-id': '5f0c4e0e-7a43-4c41-9f5e-1f6a3f0b2c9d',
}

/** Signed headers for `scheme` at the current time, as Node's http module presents them. */
function requestHeaders(scheme, secret, body) {
  const ts = Math.floor(Date.now() / 1000)
  const signed = sign(scheme, secret, body, { timestamp: ts, id: 'msg_1', eventType: 'x' })
  const headers = { ...ORDINARY, 'content-length': String(body.length) }
  for (const [name, value] of Object.entries(signed)) headers[name.toLowerCase()] = value
  return headers
}

// ---- the cases ------------------------------------------------------------------------------
// setup(body) -> { fn, a, b }: the timed call is fn(a, b). `async` cases are awaited.

const verifiers = {}
function hooksigCase(scheme, secret) {
  verifiers[scheme] ??= new Verifier(scheme, { secret, tolerance: TOLERANCE })
  const v = verifiers[scheme]
  return (body) => ({
    fn: (headers, b) => v.verify(headers, b),
    a: requestHeaders(scheme, secret, body),
    b: body,
  })
}

/** The vendor-page idiom: createHmac over `${ts}.${body}`, hex, timingSafeEqual. */
function idiomVerify(headers, body) {
  const signature = headers['x-algoguard-signature']
  const ts = headers['x-algoguard-timestamp']
  if (typeof signature !== 'string' || typeof ts !== 'string') throw new Error('missing header')
  if (Math.abs(Math.floor(Date.now() / 1000) - Number(ts)) > TOLERANCE) throw new Error('stale')
  const expected = 'sha256=' + crypto.createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')
  const a = Buffer.from(expected)
  const b = Buffer.from(signature)
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) throw new Error('mismatch')
  return true
}

const sw = new standardwebhooks.Webhook(SW_SECRET)
const svix = new SvixWebhook(SW_SECRET)
const stripe = new Stripe('sk_test_benchmark_not_a_key')

const GROUPS = [
  {
    scheme: 'algoguard',
    cases: [
      ['hooksig', hooksigCase('algoguard', SECRET)],
      ['createHmac+timingSafeEqual (Buffer body)', (body) => ({
        fn: idiomVerify, a: requestHeaders('algoguard', SECRET, body), b: body })],
      // The same idiom when the framework already handed over a string (no UTF-8 decode).
      ['createHmac+timingSafeEqual (string body)', (body) => ({
        fn: idiomVerify, a: requestHeaders('algoguard', SECRET, body), b: body.toString() })],
    ],
  },
  {
    scheme: 'standard-webhooks',
    cases: [
      ['hooksig', hooksigCase('standard-webhooks', SW_SECRET)],
      ['standardwebhooks', (body) => ({
        fn: (headers, b) => sw.verify(b, headers),
        a: requestHeaders('standard-webhooks', SW_SECRET, body), b: body })],
    ],
  },
  {
    scheme: 'svix',
    cases: [
      ['hooksig', hooksigCase('svix', SW_SECRET)],
      ['svix', (body) => ({
        fn: (headers, b) => svix.verify(b, headers),
        a: requestHeaders('svix', SW_SECRET, body), b: body })],
    ],
  },
  {
    scheme: 'github',
    cases: [
      ['hooksig', hooksigCase('github', SECRET)],
      // verifyAsync: the MAC on the libuv threadpool (copies the body first).
      ['hooksig verifyAsync', (body) => {
        const v = verifiers.github
        return { fn: (headers, b) => v.verifyAsync(headers, b), a: requestHeaders('github', SECRET, body), b: body, async: true }
      }],
      // Its API takes the payload as a string: decoded once here, outside the timed call.
      ['@octokit/webhooks-methods', (body) => ({
        fn: async (headers, b) => {
          if (!(await octokitVerify(SECRET, b, headers['x-hub-signature-256']))) throw new Error('mismatch')
          return true
        },
        a: requestHeaders('github', SECRET, body), b: body.toString(), async: true })],
    ],
  },
  {
    scheme: 'stripe',
    cases: [
      ['hooksig', hooksigCase('stripe', SECRET)],
      ['stripe', (body) => ({
        fn: (headers, b) => stripe.webhooks.signature.verifyHeader(b, headers['stripe-signature'], SECRET, TOLERANCE),
        a: requestHeaders('stripe', SECRET, body), b: body })],
    ],
  },
]

// ---- timing ---------------------------------------------------------------------------------

// One runner compiled per case, so each loop's call site stays monomorphic.
function makeRunner(isAsync) {
  const src = `
    let sink
    const c0 = process.cpuUsage()
    const t0 = hr()
    for (let i = 0; i < n; i++) sink = ${isAsync ? 'await ' : ''}fn(a, b)
    const t1 = hr()
    const c1 = process.cpuUsage(c0)
    globalThis.__benchSink = sink
    return [Number(t1 - t0) / n, ((c1.user + c1.system) * 1000) / n]`
  const AsyncFunction = (async () => {}).constructor
  return isAsync ? new AsyncFunction('fn', 'a', 'b', 'n', 'hr', src) : new Function('fn', 'a', 'b', 'n', 'hr', src)
}

const hr = process.hrtime.bigint

/** One call must pass and a tampered body must fail: each case really verifies. */
async function check(name, c) {
  await c.fn(c.a, c.b)
  const bad = typeof c.b === 'string' ? c.b.slice(0, -1) + ' ' : Buffer.from(c.b)
  if (typeof bad !== 'string') bad[bad.length - 3] ^= 1
  let failed = false
  try {
    const r = await c.fn(c.a, bad)
    failed = r === false
  } catch {
    failed = true
  }
  if (!failed) throw new Error(`${name}: a tampered body verified`)
}

async function calibrate(c) {
  // Warm up for >= 150 ms (and >= 5 calls), then size a batch to BATCH_MS.
  let calls = 0
  const start = hr()
  let elapsed = 0
  while (elapsed < 150e6 || calls < 5) {
    const n = Math.max(1, Math.min(1000, calls))
    await c.run(c.fn, c.a, c.b, n, hr)
    calls += n
    elapsed = Number(hr() - start)
  }
  const per = elapsed / calls
  c.n = Math.max(1, Math.round((BATCH_MS * 1e6) / per))
}

function median(xs) {
  const s = [...xs].sort((x, y) => x - y)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main() {
  const out = process.argv[2] || path.join(here, '..', '..', 'target', 'bench', 'node.json')
  const results = []
  for (const [len, label] of SIZES) {
    const body = makeBody(len)
    const cases = []
    for (const g of GROUPS) {
      for (const [impl, setup] of g.cases) {
        const c = { scheme: g.scheme, impl, ...setup(body) }
        c.run = makeRunner(!!c.async)
        await check(`${g.scheme}/${impl}/${label}`, c)
        await calibrate(c)
        c.samples = []
        cases.push(c)
      }
    }
    for (let r = 0; r < ROUNDS; r++) {
      for (let k = 0; k < cases.length; k++) {
        const c = cases[(k + r) % cases.length]
        c.samples.push(await c.run(c.fn, c.a, c.b, c.n, hr))
      }
    }
    for (const c of cases) {
      const row = {
        scheme: c.scheme, impl: c.impl, size: len, label,
        median_ns: median(c.samples.map((x) => x[0])),
        cpu_median_ns: median(c.samples.map((x) => x[1])),
        batch: c.n, batches: c.samples.length,
        min_ns: Math.min(...c.samples.map((x) => x[0])), max_ns: Math.max(...c.samples.map((x) => x[0])),
      }
      results.push(row)
      console.log(`node ${label.padEnd(5)} ${c.scheme.padEnd(17)} ${c.impl.padEnd(42)} ${row.median_ns.toFixed(0).padStart(10)} ns`)
    }
  }
  const pkg = (name) => require(path.join(here, 'node_modules', name, 'package.json')).version
  const doc = {
    lang: 'node',
    versions: {
      node: process.version,
      openssl: process.versions.openssl,
      v8: process.versions.v8,
      hooksig: hooksigVersion,
      standardwebhooks: pkg('standardwebhooks'),
      svix: pkg('svix'),
      '@octokit/webhooks-methods': pkg('@octokit/webhooks-methods'),
      stripe: pkg('stripe'),
    },
    config: { rounds: ROUNDS, batch_ms: BATCH_MS },
    results,
  }
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(doc, null, 2) + '\n')
}

await main()
