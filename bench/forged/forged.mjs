// Forged-request cost ÷ valid-request cost through the Node binding (`make bench-forged`).
//
//   node bench/forged/forged.mjs CASES_DIR OUT.jsonl
//
// Times the requests `forged_cost cases` wrote (the same bytes every binding gets): for each
// case a valid request and the same headers with a wrong signature, through the public
// `Verifier.verify(headers, body, { now })` (a rejection throws a HooksigError, caught in the
// timed loop as a receiver would). When the addon has the receivers' non-throwing path
// (`verifyQuiet` in bindings-node/lib/receiver.js, what hooksig/express and hooksig/fetch call), it is timed too, as
// a second row. Interleaved batches (BENCH_ROUNDS, BENCH_BATCH_MS), median of the batch means
// in process CPU time (process.cpuUsage: the machine is shared; it includes V8's helper
// threads, i.e. GC of the thrown errors).
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)
const hooksig = require(path.join(here, '../../bindings-node/index.js'))
const { Verifier } = hooksig
const quiet = (() => {
  try {
    return require(path.join(here, '../../bindings-node/lib/receiver.js')).verifyQuiet
  } catch {
    return hooksig._internal?.verifyQuiet // an addon from before lib/
  }
})()

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 21)
const BATCH_US = Number(process.env.BENCH_BATCH_MS ?? 10) * 1000
const NOW = 1_767_225_600
const FILTER = process.env.BENCH_FILTER ?? ''
const [casesDir, out] = process.argv.slice(2)

function* load() {
  for (const line of fs.readFileSync(path.join(casesDir, 'cases.tsv'), 'utf8').split('\n')) {
    if (!line) continue
    const f = line.split('\t')
    const [scheme, label, shape, size, bodyFile] = f
    const n = Number(f[5])
    const secrets = f.slice(6, 6 + n)
    let rest = f.slice(6 + n)
    const headers = () => {
      const count = Number(rest[0])
      const h = {}
      for (let i = 0; i < count; i++) h[rest[1 + 2 * i].toLowerCase()] = rest[2 + 2 * i]
      rest = rest.slice(1 + 2 * count)
      return h
    }
    const valid = headers()
    const forged = headers()
    const url = rest[0] || undefined // the request URL, for the schemes that sign it
    const body = fs.readFileSync(path.join(casesDir, bodyFile))
    yield { scheme, label, shape, size, secrets, body, valid, forged, url }
  }
}

const cpu = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}

// One compiled loop per call site (monomorphic), like bench/node/bench.mjs.
function makeBatch(fn) {
  return new Function('fn', 'cpu', `return function batch(n) {
    const start = cpu()
    for (let i = 0; i < n; i++) fn()
    return (cpu() - start) / n
  }`)(fn, cpu)
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

function time(ok, bad) {
  ok()
  bad()
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < 3; i++) {
    ok()
    bad()
  }
  const one = Math.max(Number(process.hrtime.bigint() - t0) / 3 / 1000, 0.01)
  const n = Math.max(1, Math.min(1_000_000, Math.floor(BATCH_US / one)))
  const [bo, bb] = [makeBatch(ok), makeBatch(bad)]
  const vs = []
  const fs_ = []
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) {
      vs.push(bo(n))
      fs_.push(bb(n))
    } else {
      fs_.push(bb(n))
      vs.push(bo(n))
    }
  }
  return [median(vs), median(fs_)]
}

const results = []
const pad = (s, n) => String(s).padEnd(n)
const lpad = (s, n) => String(s).padStart(n)
console.log(`${pad('scheme', 24)} ${pad('body', 38)} ${lpad('size', 5)} ${lpad('valid µs', 12)} ${lpad('forged µs', 12)} ${lpad('ratio', 8)}`)
function report(binding, c, v, f) {
  console.log(`${pad(c.label, 24)} ${pad(c.shape, 38)} ${lpad(c.size, 5)} ${lpad(v.toFixed(2), 12)} ${lpad(f.toFixed(2), 12)} ${lpad((f / v).toFixed(2), 7)}×  ${binding}`)
  results.push({ binding, scheme: c.label, shape: c.shape, size: c.size, valid_us: v, forged_us: f })
}
for (const c of load()) {
  if (!c.label.includes(FILTER)) continue
  const v = new Verifier(c.scheme, { secrets: c.secrets })
  const opts = c.url ? { now: NOW, url: c.url } : { now: NOW }
  const ok = () => v.verify(c.valid, c.body, opts)
  const bad = () => {
    try {
      v.verify(c.forged, c.body, opts)
    } catch (e) {
      return e.code
    }
    throw new Error(`${c.label} ${c.shape}: the forged request verified`)
  }
  const [vt, ft] = time(ok, bad)
  report('node', c, vt, ft)
  if (quiet) {
    const qok = () => {
      const r = quiet(v, c.valid, c.body, NOW, true, c.url)
      if (r.error) throw new Error(`${c.label}: valid request refused: ${r.error}`)
    }
    const qbad = () => {
      const r = quiet(v, c.forged, c.body, NOW, true, c.url)
      if (!r.error) throw new Error(`${c.label}: forged request verified`)
    }
    const [qv, qf] = time(qok, qbad)
    report('node (receivers, non-throwing)', c, qv, qf)
  }
}
fs.writeFileSync(out, results.map((r) => JSON.stringify(r) + '\n').join(''))
