'use strict'
// The bad-input table (issue 7, item 4) through the Node API: every row of
// tests/bad-inputs/cases.json, then the Node-specific rows (undefined/null and wrong types for
// each argument, NUL bytes, non-UTF-8 header bytes, a 1 MiB header, a 100 MiB body). The
// expected outcome of every row is read from BAD_INPUTS.md, so the document the lead merges into
// SECURITY.md is exactly what this test checks: each outcome is a documented success or a
// HooksigError with the documented code — a bare Error, a TypeError or a crash fails the row.
//
// HOOKSIG_BAD_INPUTS_REPORT=1 prints the observed tables (for editing BAD_INPUTS.md).
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const fs = require('node:fs')
const path = require('node:path')
const { spawnSync } = require('node:child_process')
const hooksig = require('..')
const { Verifier, HooksigError, ReplayGuard, sign } = hooksig
const { REPO } = require('./helpers.js')

const DOC = fs.readFileSync(path.join(__dirname, '..', 'BAD_INPUTS.md'), 'utf8')
const CASES = JSON.parse(fs.readFileSync(path.join(REPO, 'tests', 'bad-inputs', 'cases.json'), 'utf8')).cases
const REPORT = process.env.HOOKSIG_BAD_INPUTS_REPORT === '1'

const NOW = 1767225600
const SECRET = 'whsec_bad_input_secret'
const BODY = '{"id":"evt_1"}'

/** What a call did: 'ok', or 'HooksigError `code`'; anything else is reported as it is. */
async function outcome(fn) {
  try {
    await fn()
    return 'ok'
  } catch (err) {
    if (err instanceof HooksigError && hooksig.errorCodes().includes(err.code)) {
      assert.equal(err.status, hooksig.httpStatus(err.code))
      assert.ok(err.message.length < 1000, 'messages stay short')
      return `HooksigError \`${err.code}\``
    }
    return `NOT A HooksigError: ${err && err.constructor && err.constructor.name}: ${String(err && err.message).slice(0, 200)}`
  }
}

/** `| cell | cell |` rows of a markdown section, as arrays of trimmed cells (header rows dropped). */
function tableRows(section) {
  const start = DOC.indexOf(`<!-- table: ${section} -->`)
  assert.ok(start >= 0, `BAD_INPUTS.md has no table ${section}`)
  const rows = []
  for (const line of DOC.slice(start).split('\n').slice(1)) {
    if (!line.startsWith('|')) {
      if (rows.length) break
      continue
    }
    const cells = line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'))
    if (cells.every((c) => /^:?-+:?$/.test(c))) continue
    rows.push(cells)
  }
  return rows.slice(1) // the header row
}

const str = (b) => (typeof b === 'string' ? b : b.toString('latin1'))

// ---- tests/bad-inputs/cases.json ------------------------------------------------------------

/** A byte value of the case file: { text } | { hex } | { repeat, count }. */
function bytes(v, asHeader) {
  if (typeof v === 'string') return v
  if ('text' in v) return asHeader ? v.text : Buffer.from(v.text, 'utf8')
  if ('hex' in v) return Buffer.from(v.hex, 'hex') // a Buffer header value: raw header bytes
  if (v.repeat.length === 1) return asHeader ? v.repeat.repeat(v.count) : Buffer.alloc(v.count, v.repeat)
  const text = v.repeat.repeat(v.count)
  return asHeader ? text : Buffer.from(text, 'utf8')
}

/** Runs one case; `latin1` spells byte header values as latin1 strings (what Node's http gives). */
function runCase(c, latin1) {
  let verifier
  try {
    verifier = new Verifier(c.scheme, { secrets: c.secrets, ...(c.tolerance === undefined ? {} : { tolerance: c.tolerance }) })
  } catch (err) {
    if (err instanceof HooksigError) throw err
    throw new Error(`construction threw ${err}`)
  }
  const body = c.body === undefined ? Buffer.from(BODY) : bytes(c.body, false)
  const ts = c.sign_timestamp ?? c.now
  let headers
  if (Number.isSafeInteger(ts)) {
    headers = Object.entries(sign(c.scheme, c.secrets[0], body, { timestamp: ts }))
  } else {
    // JavaScript numbers hold integers up to 2^53 only, so sign() cannot take i64::MAX: sign
    // with node:crypto over the exact decimal the case puts in the header (AlgoGuard's
    // `{ts}.{body}`, hex, `sha256=`; a text secret).
    assert.equal(c.scheme, 'algoguard', 'only AlgoGuard is signed by hand')
    const mac = crypto.createHmac('sha256', c.secrets[0]).update(`${c.timestamp_header}.`).update(body).digest('hex')
    headers = [['X-AlgoGuard-Signature', `sha256=${mac}`], ['X-AlgoGuard-Timestamp', c.timestamp_header]]
  }
  if (c.headers) headers = c.headers.map(([name, value]) => [name, bytes(value, true)])
  const [sigName, tsName] = headerNames(c.scheme, c.secrets[0])
  headers = headers.map(([name, value]) => {
    if (name === tsName && c.timestamp_header !== undefined) return [name, bytes(c.timestamp_header, true)]
    if (name === sigName && c.signature_header !== undefined) return [name, bytes(c.signature_header, true)]
    return [name, value]
  })
  if (latin1) headers = headers.map(([name, value]) => [name, str(value)])
  verifier.verify(headers, body, { now: c.now })
}

/** [signature header, timestamp header] of a built-in scheme (the first two signed headers). */
function headerNames(scheme, secret) {
  const names = Object.keys(sign(scheme, secret, '{}', { timestamp: NOW, id: 'msg_1' }))
  const sig = names.find((n) => /signature/i.test(n))
  const ts = names.find((n) => /timestamp/i.test(n))
  return [sig, ts]
}

test('tests/bad-inputs/cases.json: every row, with the outcome the case file and BAD_INPUTS.md give', async () => {
  const documented = new Map(tableRows('cases.json').map(([name, got]) => [name, got]))
  const observed = []
  for (const c of CASES) {
    const want = c.expect === 'ok' ? 'ok' : `HooksigError \`${c.expect}\``
    const got = await outcome(() => runCase(c, false))
    observed.push([c.name, got])
    assert.equal(got, want, `${c.name} (case file)`)
    if (!REPORT) assert.equal(documented.get(c.name), got, `${c.name}: BAD_INPUTS.md says ${documented.get(c.name)}`)
    if (c.signature_header && c.signature_header.hex) {
      // The same bytes as a latin1 string, the way a real Node receiver sees them.
      assert.equal(await outcome(() => runCase(c, true)), want, `${c.name} (latin1 string)`)
    }
  }
  if (REPORT) return console.log(observed.map(([n, o]) => `| ${n} | ${o} |`).join('\n'))
  assert.equal(documented.size, CASES.length, 'BAD_INPUTS.md lists every case, and only those')
})

// ---- wrong types, argument by argument -------------------------------------------------------

const VALUES = [
  ['undefined', undefined],
  ['null', null],
  ['42', 42],
  ['NaN', NaN],
  ['{}', {}],
  ['[]', []],
  ['Symbol()', Symbol('s')],
  ['10n', 10n],
  ['() => {}', () => {}],
  ["Buffer 'x'", Buffer.from('x')],
]

function signed() {
  return sign('algoguard', SECRET, BODY, { timestamp: NOW })
}

/** Signed at the system clock, for the rows that leave `now` to it. */
function signedNow() {
  return sign('algoguard', SECRET, BODY)
}

const v = new Verifier('algoguard', { secret: SECRET })
const ARGUMENTS = [
  ['`new Verifier(scheme, …)`', (w) => new Verifier(w, { secret: SECRET })],
  ['`new Verifier(…, options)`', (w) => new Verifier('algoguard', w)],
  ['`options.secret`', (w) => new Verifier('algoguard', { secret: w })],
  ['`options.secrets`', (w) => new Verifier('algoguard', { secrets: w })],
  ['`options.tolerance`', (w) => new Verifier('algoguard', { secret: SECRET, tolerance: w })],
  ['`options.secretFormat`', (w) => new Verifier('algoguard', { secret: SECRET, secretFormat: w })],
  ['`options.jsonFallback`', (w) => new Verifier('algoguard', { secret: SECRET, jsonFallback: w })],
  ['`verify(headers, …)`', (w) => v.verify(w, BODY, { now: NOW })],
  ['`verify(…, body, …)`', (w) => v.verify(signed(), w, { now: NOW })],
  ['`verify(…, options)`', (w) => v.verify(signedNow(), BODY, w)],
  ['`verify` `options.now`', (w) => v.verify(signedNow(), BODY, { now: w })],
  ['a header value', (w) => v.verify({ ...signed(), 'X-AlgoGuard-Signature': w }, BODY, { now: NOW })],
  ['`verifyAsync(headers, …)`', (w) => v.verifyAsync(w, BODY, { now: NOW })],
  ['`verifyAsync(…, body, …)`', (w) => v.verifyAsync(signed(), w, { now: NOW })],
  ['`sign(scheme, …)`', (w) => sign(w, SECRET, BODY)],
  ['`sign(…, secret, …)`', (w) => sign('algoguard', w, BODY)],
  ['`sign(…, body, …)`', (w) => sign('algoguard', SECRET, w)],
  ['`sign(…, options)`', (w) => sign('algoguard', SECRET, BODY, w)],
  ['`sign` `options.timestamp`', (w) => sign('algoguard', SECRET, BODY, { timestamp: w })],
  ['`sign` `options.id`', (w) => sign('algoguard', SECRET, BODY, { id: w })],
  ['`verifier.sign(body, …)`', (w) => v.sign(w)],
  ['`new ReplayGuard(options)`', (w) => new ReplayGuard(w)],
  ['`guard.checkAndRemember(key)`', (w) => new ReplayGuard({ ttl: 60 }).checkAndRemember(w)],
]

/** A cell as written in the matrix: the bare code, or `ok`. */
const cell = (o) => (o === 'ok' ? 'ok' : o.replace(/^HooksigError `(.*)`$/, '`$1`'))

test('undefined, null and wrong types for every argument: the matrix in BAD_INPUTS.md', async () => {
  const rows = tableRows('types')
  const header = DOC.slice(DOC.indexOf('<!-- table: types -->')).split('\n')[1]
  assert.ok(header.includes('undefined') && header.includes('10n'), 'the matrix header lists the values')
  const documented = new Map(rows.map(([arg, ...cells]) => [arg, cells]))
  const report = []
  for (const [arg, call] of ARGUMENTS) {
    const got = []
    for (const [, value] of VALUES) {
      const o = await outcome(() => call(value))
      assert.ok(o === 'ok' || o.startsWith('HooksigError'), `${arg} = ${String(value)}: ${o}`)
      got.push(cell(o))
    }
    report.push(`| ${arg} | ${got.join(' | ')} |`)
    if (!REPORT) assert.deepEqual(documented.get(arg), got, `${arg}: BAD_INPUTS.md differs from what the API does`)
  }
  if (REPORT) return console.log(report.join('\n'))
  assert.equal(documented.size, ARGUMENTS.length, 'the matrix has exactly these arguments')
})

// ---- hostile values ---------------------------------------------------------------------------

const SIGNED_BODY = Buffer.from(BODY)
const MIB = 1 << 20

const SPECIAL = [
  ['secret with a NUL byte (`"a\\0b"`)', () => new Verifier('algoguard', { secret: 'a\0b' })],
  ['secret with a lone surrogate (`"a\\ud800"`)', () => new Verifier('algoguard', { secret: 'a\ud800' })],
  ['`sign()` secret with a lone surrogate', () => sign('algoguard', 'a\udc00', BODY)],
  ['`secrets: ["ok", 42]`', () => new Verifier('algoguard', { secrets: ['ok', 42] })],
  ['`secrets: "abc"` (a string, not an array)', () => new Verifier('algoguard', { secrets: 'abc' })],
  ['both `secret` and `secrets`', () => new Verifier('algoguard', { secret: 'a', secrets: ['b'] })],
  ['unknown option `tolerence`', () => new Verifier('algoguard', { secret: SECRET, tolerence: 5 })],
  ['`tolerance: 2 ** 53` (not a safe integer)', () => new Verifier('algoguard', { secret: SECRET, tolerance: 2 ** 53 })],
  ['`tolerance: Infinity`', () => new Verifier('algoguard', { secret: SECRET, tolerance: Infinity })],
  ['`tolerance: 1.5`', () => new Verifier('algoguard', { secret: SECRET, tolerance: 1.5 })],
  ['`secretFormat: "rot13"`', () => new Verifier('algoguard', { secret: SECRET, secretFormat: 'rot13' })],
  ['empty scheme id `""`', () => new Verifier('', { secret: SECRET })],
  ['`now: -1`', () => v.verify(signed(), BODY, { now: -1 })],
  ['`now: Number.MAX_SAFE_INTEGER`', () => v.verify(signed(), BODY, { now: Number.MAX_SAFE_INTEGER })],
  ['`now: 1.5`', () => v.verify(signed(), BODY, { now: 1.5 })],
  ['unknown verify option `{ when: 1 }`', () => v.verify(signed(), BODY, { when: 1 })],
  ['headers `{}` (none)', () => v.verify({}, BODY, { now: NOW })],
  ['headers `[]` (no pairs)', () => v.verify([], BODY, { now: NOW })],
  ['a pair with a non-string name `[[42, "x"]]`', () => v.verify([[42, 'x']], BODY, { now: NOW })],
  ['a pair of three `[["a", "b", "c"]]`', () => v.verify([['a', 'b', 'c']], BODY, { now: NOW })],
  ['a header value array with a number', () => v.verify({ ...signed(), 'X-AlgoGuard-Timestamp': [NOW] }, BODY, { now: NOW })],
  ['a header value `{ toString() }` object', () => v.verify({ ...signed(), 'X-AlgoGuard-Signature': { toString: () => 'x' } }, BODY, { now: NOW })],
  ['a Headers-like object whose `forEach` throws', () => v.verify({ forEach() { throw new Error('boom') } }, BODY, { now: NOW })],
  ['a header getter that throws', () => v.verify(Object.defineProperty({}, 'x-algoguard-signature', { enumerable: true, get() { throw new Error('boom') } }), BODY, { now: NOW })],
  ['Symbol-keyed header (ignored)', () => v.verify({ [Symbol('x')]: 'y' }, BODY, { now: NOW })],
  ['NUL byte in a header name', () => v.verify([['X-AlgoGuard-Signature\0', signed()['X-AlgoGuard-Signature']], ['X-AlgoGuard-Timestamp', String(NOW)]], BODY, { now: NOW })],
  ['NUL byte in the signature (string)', () => v.verify({ ...signed(), 'X-AlgoGuard-Signature': 'sha256=\0' + 'a'.repeat(63) }, BODY, { now: NOW })],
  ['NUL byte after the timestamp (string)', () => v.verify({ ...signed(), 'X-AlgoGuard-Timestamp': `${NOW}\0` }, BODY, { now: NOW })],
  ['non-UTF-8 signature bytes (Buffer `sha256=\\xff\\xfe`)', () => v.verify({ ...signed(), 'X-AlgoGuard-Signature': Buffer.from('7368613235363dfffe', 'hex') }, BODY, { now: NOW })],
  ['non-UTF-8 timestamp bytes (Buffer `\\xff`)', () => v.verify({ ...signed(), 'X-AlgoGuard-Timestamp': Buffer.from([0xff]) }, BODY, { now: NOW })],
  ['a valid signature given as a Buffer', () => v.verify({ ...signed(), 'X-AlgoGuard-Signature': Buffer.from(signed()['X-AlgoGuard-Signature']) }, BODY, { now: NOW })],
  ['a lone surrogate in the signature (string)', () => v.verify({ ...signed(), 'X-AlgoGuard-Signature': 'sha256=\ud800' }, BODY, { now: NOW })],
  ['1 MiB signature string', () => v.verify({ ...signed(), 'X-AlgoGuard-Signature': 'a'.repeat(MIB) }, BODY, { now: NOW })],
  ['1 MiB timestamp string', () => v.verify({ ...signed(), 'X-AlgoGuard-Timestamp': '1'.repeat(MIB) }, BODY, { now: NOW })],
  ['1 MiB unrelated header, valid request', () => v.verify({ ...signed(), 'x-padding': 'p'.repeat(MIB) }, BODY, { now: NOW })],
  ['10 000 repeated signature headers', () => v.verify([...Array.from({ length: 10000 }, () => ['X-AlgoGuard-Signature', 'sha256=' + '0'.repeat(64)]), ['X-AlgoGuard-Timestamp', String(NOW)]], BODY, { now: NOW })],
  ['empty body, signature of another body', () => v.verify(signed(), '', { now: NOW })],
  ['body as a detached ArrayBuffer', () => { const ab = new ArrayBuffer(8); structuredClone(ab, { transfer: [ab] }); return v.verify(signed(), ab, { now: NOW }) }],
  ['body as a `DataView` over the signed bytes', () => v.verify(signed(), new DataView(SIGNED_BODY.buffer, SIGNED_BODY.byteOffset, SIGNED_BODY.length), { now: NOW })],
  ['body as a `Uint8ClampedArray`', () => v.verify(signed(), new Uint8ClampedArray(SIGNED_BODY), { now: NOW })],
  ['body string with a lone surrogate (`"\\ud800"`, signed the same way)', () => v.verify(sign('algoguard', SECRET, '\ud800', { timestamp: NOW }), '\ud800', { now: NOW })],
  ['`sign()` id with a NUL byte', () => sign('github', SECRET, BODY, { id: 'a\0b' })],
  ['`sign()` id with CR LF', () => sign('standard-webhooks', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', BODY, { id: 'a\r\nX-Evil: 1' })],
  ['`sign()` timestamp `-5`', () => sign('algoguard', SECRET, BODY, { timestamp: -5 })],
  ['`sign()` unknown option', () => sign('algoguard', SECRET, BODY, { at: 1 })],
  ['`verifyAsync` with a 1 MiB signature string', () => v.verifyAsync({ ...signed(), 'X-AlgoGuard-Signature': 'a'.repeat(MIB) }, BODY, { now: NOW })],
]

test('hostile values: NUL bytes, non-UTF-8 header bytes, 1 MiB headers, odd shapes', async () => {
  const documented = new Map(tableRows('special').map(([name, got]) => [name, got]))
  const report = []
  for (const [name, call] of SPECIAL) {
    const got = await outcome(call)
    report.push(`| ${name.replace(/\|/g, '\\|')} | ${got} |`)
    assert.ok(got === 'ok' || got.startsWith('HooksigError'), `${name}: ${got}`)
    if (!REPORT) assert.equal(documented.get(name), got, `${name}: BAD_INPUTS.md says ${documented.get(name)}`)
  }
  if (REPORT) return console.log(report.join('\n'))
  assert.equal(documented.size, SPECIAL.length, 'the table has exactly these rows')
})

test('a 100 MiB body Buffer: verified once, in place (no copy of the body, peak RSS unchanged)', () => {
  // In a fresh process, so the peak resident set (VmHWM) is this check's own.
  const script = `
    const { Verifier, sign } = require(${JSON.stringify(path.join(__dirname, '..', 'index.js'))})
    const hwm = () => Number(/VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1])
    const body = Buffer.alloc(100 * 1024 * 1024, 'a')
    const v = new Verifier('algoguard', { secret: 'whsec_big' })
    const headers = sign('algoguard', 'whsec_big', body, { timestamp: 1767225600 })
    const before = hwm()
    const r = v.verify(headers, body, { now: 1767225600 })
    const after = hwm()
    let mismatch
    try { v.verify(headers, body.subarray(1), { now: 1767225600 }) } catch (e) { mismatch = e.code }
    console.log(JSON.stringify({
      grewKiB: after - before,
      payloadIsTheBody: r.payload.buffer === body.buffer && r.payload.length === body.length,
      mismatch,
    }))
  `
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' })
  assert.equal(run.status, 0, run.stderr)
  const got = JSON.parse(run.stdout)
  assert.equal(got.payloadIsTheBody, true, 'the payload is a view of the body')
  assert.ok(got.grewKiB < 32 * 1024, `peak RSS grew by ${got.grewKiB} KiB during verify (a copy would be 102400)`)
  assert.equal(got.mismatch, 'signature_mismatch')
})
