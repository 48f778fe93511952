'use strict'
// The public API: shapes it accepts, the error contract (always a HooksigError with a code,
// never a secret in a message), the typed surface matching the runtime, ESM and CommonJS.
const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const hooksig = require('..')
const { Verifier, HooksigError, sign } = hooksig

const NOW = 1767225600
const SECRET = 'whsec_api_test_secret_value'
const BODY = '{"id":"evt_42","event":"license.created","n":1}'

function signed(body = BODY, ts = NOW) {
  return sign('algoguard', SECRET, body, { timestamp: ts })
}

function thrown(fn) {
  try {
    fn()
  } catch (err) {
    return err
  }
  assert.fail('expected a throw')
}

test('sign then verify: result fields and header order', () => {
  const headers = signed()
  assert.deepEqual(Object.keys(headers), ['X-AlgoGuard-Signature', 'X-AlgoGuard-Timestamp'])
  const v = new Verifier('algoguard', { secret: SECRET, tolerance: 300 })
  const r = v.verify(headers, BODY, { now: NOW })
  const { json, ...fields } = r
  assert.deepEqual({ ...fields, payload: r.payload.toString() }, {
    scheme: 'algoguard', timestamp: NOW, id: 'evt_42', eventType: 'license.created', keyIndex: 0, payload: BODY,
    dedupeKey: 'algoguard:id:evt_42',
  })
  assert.equal(typeof json, 'function')
  assert.equal(v.scheme, 'algoguard')
})

test('json() parses the payload, from verify and verifyAsync', async () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const expected = { id: 'evt_42', event: 'license.created', n: 1 }
  assert.deepEqual(v.verify(signed(), BODY, { now: NOW }).json(), expected)
  assert.deepEqual((await v.verifyAsync(signed(), Buffer.from(BODY), { now: NOW })).json(), expected)
  const form = 'id=1&event=x'
  assert.throws(() => v.verify(signed(form), form, { now: NOW }).json(), SyntaxError)
})

test('tolerance not given is the scheme\'s default, decided by the core', () => {
  assert.equal(new Verifier('twitch', { secret: SECRET }).tolerance, 600)
  assert.equal(new Verifier('box', { secret: SECRET, tolerance: undefined }).tolerance, 600)
  assert.equal(new Verifier('stripe', { secret: SECRET }).tolerance, 300)
  assert.equal(new Verifier('twitch', { secret: SECRET, tolerance: 300 }).tolerance, 300)
})

test('every header shape gives the same result', () => {
  const h = signed()
  const v = new Verifier('algoguard', { secret: SECRET })
  const shapes = {
    object: h,
    incoming: Object.fromEntries(Object.entries(h).map(([k, val]) => [k.toLowerCase(), val])),
    upper: Object.fromEntries(Object.entries(h).map(([k, val]) => [k.toUpperCase(), val])),
    arrayValues: Object.fromEntries(Object.entries(h).map(([k, val]) => [k, [val]])),
    pairs: Object.entries(h),
    fetch: new Headers(h),
    map: new Map(Object.entries(h)),
  }
  for (const [name, headers] of Object.entries(shapes)) {
    assert.equal(v.verify(headers, BODY, { now: NOW }).id, 'evt_42', name)
  }
})

test('every body shape gives the same result, and is not modified', () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const h = signed()
  const buf = Buffer.from(BODY)
  const u8 = new Uint8Array(buf)
  const ab = u8.slice().buffer
  const padded = Buffer.concat([Buffer.from('xx'), buf, Buffer.from('yy')])
  const view = new DataView(padded.buffer, padded.byteOffset + 2, buf.length)
  const sub = padded.subarray(2, 2 + buf.length)
  for (const body of [BODY, buf, u8, ab, view, sub]) {
    assert.equal(v.verify(h, body, { now: NOW }).keyIndex, 0)
  }
  assert.equal(buf.toString(), BODY)
  // a subarray is read in place: the bytes around it are not part of the body
  assert.equal(thrown(() => v.verify(h, padded, { now: NOW })).code, 'signature_mismatch')
})

test('error codes, headers and statuses come from the core', () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const h = signed()
  const cases = [
    [{}, BODY, NOW, 'missing_signature', 'X-AlgoGuard-Signature', 400],
    [{ 'X-AlgoGuard-Signature': h['X-AlgoGuard-Signature'] }, BODY, NOW, 'missing_timestamp', 'X-AlgoGuard-Timestamp', 400],
    [{ ...h, 'X-AlgoGuard-Signature': 'sha256=abc' }, BODY, NOW, 'malformed_signature', 'X-AlgoGuard-Signature', 400],
    [{ ...h, 'X-AlgoGuard-Timestamp': '-1' }, BODY, NOW, 'malformed_timestamp', 'X-AlgoGuard-Timestamp', 400],
    [h, BODY + ' ', NOW, 'signature_mismatch', 'X-AlgoGuard-Signature', 401],
    [h, BODY, NOW + 301, 'timestamp_expired', 'X-AlgoGuard-Timestamp', 401],
    [h, BODY, NOW - 301, 'timestamp_in_future', 'X-AlgoGuard-Timestamp', 401],
  ]
  for (const [headers, body, now, code, header, status] of cases) {
    const err = thrown(() => v.verify(headers, body, { now }))
    assert.ok(err instanceof HooksigError && err instanceof Error, code)
    assert.equal(err.name, 'HooksigError')
    assert.deepEqual([err.code, err.header, err.status], [code, header, status])
    assert.equal(hooksig.httpStatus(code), status)
    assert.ok(typeof err.stack === 'string')
  }
  assert.deepEqual(hooksig.errorCodes().map(hooksig.httpStatus), [400, 400, 400, 400, 400, 401, 401, 401, 500, 500, 500, 405, 413, 400, 409, 503, 500])
  assert.equal(hooksig.httpStatus('nope'), null)
  assert.equal(hooksig.httpStatus(42), null)
})

test('constructor errors are HooksigErrors with config codes', () => {
  const cases = [
    [() => new Verifier('nope', { secret: 'x' }), 'unknown_scheme'],
    [() => new Verifier('algoguard', { secret: '' }), 'invalid_secret'],
    [() => new Verifier('algoguard', { secret: 'abc\n' }), 'invalid_secret'],
    [() => new Verifier('algoguard', {}), 'invalid_secret'],
    [() => new Verifier('algoguard', { secrets: [] }), 'invalid_secret'],
    [() => new Verifier('svix', { secret: 'whsec_!!!' }), 'invalid_secret'],
    [() => new Verifier('algoguard', { secret: 'x', tolerance: -1 }), 'invalid_config'],
    [() => new Verifier('algoguard', { secret: 'x', secretFormat: 'rot13' }), 'invalid_config'],
    [() => new Verifier('algoguard', { secret: 'x', tolerence: 5 }), 'invalid_config'],
    [() => new Verifier('algoguard', { secret: 'x', secrets: ['y'] }), 'invalid_config'],
    [() => hooksig.customScheme({ id: 'a', signatureHeader: 'X-A', template: '{ts}.{body}' }), 'invalid_config'],
    [() => hooksig.customScheme({ id: 'a', signatureHeader: 'bad header' }), 'invalid_config'],
    [() => sign('nope', 'k', '{}'), 'unknown_scheme'],
    [() => sign('github', '', '{}'), 'invalid_secret'],
    [() => sign('github', 'k', '{}', { timestamp: -5 }), 'invalid_config'],
  ]
  for (const [fn, code] of cases) {
    const err = thrown(fn)
    assert.ok(err instanceof HooksigError, String(err))
    assert.equal(err.code, code, err.message)
    assert.equal(err.header, null)
    assert.equal(err.status, 500)
  }
})

test('wrong types anywhere are HooksigErrors, never TypeErrors or crashes', async () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const weird = [undefined, null, 0, 42, -1.5, NaN, true, Symbol('s'), 10n, () => 1, {}, [], [1, 2], { a: {} }, 'x'.repeat(1 << 20), new Date(), Promise.resolve()]
  const calls = []
  for (const w of weird) {
    calls.push(() => new Verifier(w, { secret: SECRET }))
    calls.push(() => new Verifier('algoguard', w))
    calls.push(() => new Verifier('algoguard', { secret: w }))
    calls.push(() => new Verifier('algoguard', { secrets: w }))
    calls.push(() => new Verifier('algoguard', { secret: SECRET, tolerance: w }))
    calls.push(() => v.verify(w, BODY))
    calls.push(() => v.verify(signed(), w))
    calls.push(() => v.verify(signed(), BODY, w))
    calls.push(() => v.verify({ 'X-AlgoGuard-Signature': w }, BODY))
    calls.push(() => v.verify([[w, w]], BODY))
    calls.push(() => v.sign(w))
    calls.push(() => sign(w, SECRET, BODY))
    calls.push(() => sign('algoguard', w, BODY))
    calls.push(() => sign('algoguard', SECRET, w))
    calls.push(() => sign('algoguard', SECRET, BODY, w))
    calls.push(() => hooksig.customScheme(w))
  }
  let errors = 0
  for (const call of calls) {
    try {
      call()
    } catch (err) {
      errors++
      assert.ok(err instanceof HooksigError, `${err && err.name}: ${err && err.message}`)
      assert.ok(hooksig.errorCodes().includes(err.code), err.code)
    }
  }
  assert.ok(errors > calls.length / 2)
  for (const w of weird) {
    await assert.rejects(v.verifyAsync(w, BODY), HooksigError)
    await assert.rejects(v.verifyAsync(signed(), w), HooksigError)
  }
})

test('the documented codes for wrong-typed arguments', () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  assert.equal(thrown(() => v.verify(undefined, BODY)).code, 'invalid_argument')
  assert.equal(thrown(() => v.verify(signed(), 123)).code, 'invalid_argument')
  assert.equal(thrown(() => new Verifier('algoguard', { secret: 123 })).code, 'invalid_secret')
  assert.equal(thrown(() => new Verifier(7, { secret: SECRET })).code, 'invalid_argument')
  // an empty or irrelevant header set is a request problem, not a programming error
  assert.equal(thrown(() => v.verify({}, BODY)).code, 'missing_signature')
  assert.equal(thrown(() => v.verify({ 'x-algoguard-signature': undefined }, BODY)).code, 'missing_signature')
})

test('huge and hostile inputs stay errors with codes', () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const huge = 'a'.repeat(8 << 20)
  for (const headers of [
    { 'X-AlgoGuard-Signature': huge, 'X-AlgoGuard-Timestamp': String(NOW) },
    { 'X-AlgoGuard-Signature': 'sha256=' + 'f'.repeat(64), 'X-AlgoGuard-Timestamp': huge },
    { 'X-AlgoGuard-Signature': '\u0000\uffff\ud800', 'X-AlgoGuard-Timestamp': '9'.repeat(400) },
  ]) {
    const err = thrown(() => v.verify(headers, huge, { now: NOW }))
    assert.ok(err instanceof HooksigError)
    assert.ok(err.message.length < 1000, 'messages stay short')
  }
})

test('no secret appears in any message', () => {
  const secret = 'S3cr3t-Value-That-Must-Not-Leak'
  const v = new Verifier('algoguard', { secret })
  const messages = []
  const collect = (fn) => {
    try {
      fn()
    } catch (err) {
      messages.push(err.message, String(err), err.stack)
    }
  }
  collect(() => v.verify({ 'X-AlgoGuard-Signature': 'sha256=' + '0'.repeat(64), 'X-AlgoGuard-Timestamp': String(NOW) }, BODY, { now: NOW }))
  collect(() => new Verifier('algoguard', { secret: ` ${secret}` }))
  collect(() => new Verifier('svix', { secret: `whsec_${secret}` }))
  collect(() => new Verifier('algoguard', { secret, secretFormat: 'hex' }))
  collect(() => new Verifier('algoguard', { secret, secretFormat: 'base64' }))
  assert.equal(messages.length, 15)
  for (const m of messages) assert.ok(!m.includes(secret) && !m.includes(secret.slice(0, 10)), m)
  assert.ok(!require('node:util').inspect(v).includes(secret))
  assert.ok(!JSON.stringify(v).includes(secret))
})

test('secret rotation reports the matching key', () => {
  const v = new Verifier('github', { secrets: ['old-secret', 'new-secret'] })
  const body = '{"action":"opened"}'
  assert.equal(v.verify(sign('github', 'new-secret', body), body).keyIndex, 1)
  assert.equal(v.verify(sign('github', 'old-secret', body), body).keyIndex, 0)
})

test('verifyAsync hashes on the threadpool and copies the body', async () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const big = Buffer.alloc(4 << 20, 'x')
  const h = sign('algoguard', SECRET, big, { timestamp: NOW })
  const pending = v.verifyAsync(h, big, { now: NOW })
  big.fill('y') // the caller may reuse its buffer at once
  const r = await pending
  assert.equal(r.payload.length, big.length)
  assert.equal(r.payload[0], 'x'.charCodeAt(0))
  await assert.rejects(v.verifyAsync(h, big, { now: NOW }), (err) => err instanceof HooksigError && err.code === 'signature_mismatch')
  const many = await Promise.all(Array.from({ length: 16 }, () => v.verifyAsync(signed(), BODY, { now: NOW })))
  assert.ok(many.every((m) => m.id === 'evt_42'))
})

test('custom schemes work for verify and sign', () => {
  const acme = hooksig.customScheme({
    id: 'acme', signatureHeader: 'X-Acme-Signature', timestampHeader: 'X-Acme-Timestamp', template: '{ts}.{body}', prefix: 'sha256=', algorithm: 'sha512',
  })
  assert.ok(acme instanceof hooksig.CustomScheme)
  assert.deepEqual([acme.id, acme.signatureHeader, acme.timestampHeader, acme.idHeader, acme.eventHeader], ['acme', 'X-Acme-Signature', 'X-Acme-Timestamp', null, null])
  const h = sign(acme, 'k3y', '{}', { timestamp: NOW })
  assert.match(h['X-Acme-Signature'], /^sha256=[0-9a-f]{128}$/)
  const r = new Verifier(acme, { secret: 'k3y' }).verify(h, '{}', { now: NOW })
  assert.equal(r.scheme, 'acme')
})

test('schemes() lists the built-ins; version matches Cargo and package.json', () => {
  assert.deepEqual(hooksig.schemes(), ['algoguard', 'chaindoc', 'certifylize', 'easycart', 'aghanim', 'standard-webhooks', 'svix', 'stripe', 'github', 'slack', 'shopify', 'paddle', 'razorpay', 'coinbase-commerce', 'lemon-squeezy', 'woocommerce', 'typeform', 'mux', 'calendly', 'zoom', 'intercom', 'vercel', 'dropbox', 'sentry', 'pagerduty', 'twitch', 'zendesk', 'box', 'replicate', 'clerk', 'resend', 'polar', 'discord', 'sendgrid', 'docusign', 'linear', 'openai', 'workos', 'gocardless', 'pusher', 'twilio', 'square', 'hubspot'])
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'))
  const cargo = fs.readFileSync(path.join(__dirname, '..', '..', 'Cargo.toml'), 'utf8')
  const workspaceVersion = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/.exec(cargo)[1]
  assert.equal(hooksig.version, workspaceVersion)
  assert.equal(pkg.version, workspaceVersion)
})

test('index.d.ts declares exactly the runtime exports', () => {
  // index.d.ts re-exports the typings napi generates from the Rust source (generated/).
  const entry = fs.readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8')
  assert.deepEqual(entry.match(/^export .*$/gm), ["export * from './generated/index'"])
  const dts = fs.readFileSync(path.join(__dirname, '..', 'generated', 'index.d.ts'), 'utf8')
  const declared = new Set([...dts.matchAll(/^export declare (?:class|function|const) (\w+)/gm)].map((m) => m[1]))
  const runtime = new Set(Object.keys(hooksig))
  assert.deepEqual([...runtime].sort(), [...declared].sort())
})

test('ESM import gives the same objects', async () => {
  const esm = await import('hooksig')
  assert.equal(esm.Verifier, hooksig.Verifier)
  assert.equal(esm.HooksigError, hooksig.HooksigError)
  assert.equal(esm.default, hooksig)
  const fetchEsm = await import('hooksig/fetch')
  assert.equal(fetchEsm.verifyRequest, require('hooksig/fetch').verifyRequest)
  const expressEsm = await import('hooksig/express')
  assert.equal(expressEsm.verifyWebhook, require('hooksig/express').verifyWebhook)
})

test('the README quotes the examples verbatim', () => {
  const root = path.join(__dirname, '..', '..')
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')
  for (const example of ['examples/express/server.js', 'examples/nextjs/app/api/webhooks/stripe/route.js']) {
    const code = fs.readFileSync(path.join(root, example), 'utf8')
    assert.ok(readme.includes('```js\n' + code + '```'), `${example} is not quoted verbatim`)
  }
})

test('an integer option out of range says so (not "must be an integer")', () => {
  for (const [value, expected] of [
    [2 ** 63, /`tolerance` is out of range: 9223372036854776000 is not a safe integer/],
    [-(2 ** 60), /`tolerance` is out of range/],
    [1.5, /`tolerance` must be an integer, got number 1\.5/],
    ['300', /`tolerance` must be an integer, got string/],
  ]) {
    const err = thrown(() => new Verifier('algoguard', { secret: SECRET, tolerance: value }))
    assert.ok(err instanceof HooksigError && err.code === 'invalid_argument', String(err))
    assert.match(err.message, expected)
  }
  const err = thrown(() => new Verifier('algoguard', { secret: SECRET }).verify({}, BODY, { now: 2 ** 64 }))
  assert.match(err.message, /`now` is out of range/)
})

test('a rejected verification throws one HooksigError with the core message and header', () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const err = thrown(() => v.verify({ 'X-AlgoGuard-Signature': 'sha256=00' }, BODY))
  assert.ok(err instanceof HooksigError)
  assert.equal(typeof err.code, 'string')
  assert.ok([400, 401].includes(err.status))
  assert.ok(err.message.length > 0 && err.message !== err.code)
  const missing = thrown(() => v.verify({}, BODY))
  assert.deepEqual([missing.code, missing.status, typeof missing.header], ['missing_signature', 400, 'string'])
})

test('a Rust panic is a HooksigError with code internal, and Node carries on', async () => {
  const native = require('../lib/native.js')
  const { toHooksigError } = require('../lib/errors.js')
  for (const mode of ['core', 'threadpool', 'napi']) {
    let err
    try {
      await native._panicThroughBoundary(mode)
    } catch (e) {
      err = toHooksigError(e)
    }
    assert.ok(err instanceof HooksigError, mode)
    assert.deepEqual([err.code, err.status, err.header], ['internal', 500, null], mode)
    assert.match(err.message, /panicked/)
    assert.ok(!err.message.includes('deliberate'), 'the panic message is not copied')
  }
  assert.deepEqual(hooksig.schemes().length > 0, true)
})

test('a rejection is a HooksigError without stack frames; an argument error keeps its stack', () => {
  const v = new Verifier('algoguard', { secret: SECRET })
  const forged = sign('algoguard', 'whsec_another_secret_value', BODY, { timestamp: NOW })
  const limit = Error.stackTraceLimit
  for (const headers of [forged, new Headers(forged)]) {
    // A plain object takes the headers-by-position path, a Headers object the flat one.
    const err = thrown(() => v.verify(headers, BODY, { now: NOW }))
    assert.ok(err instanceof HooksigError)
    assert.equal(err.code, 'signature_mismatch')
    assert.equal(err.status, 401)
    assert.equal(err.header, 'X-AlgoGuard-Signature')
    assert.equal(err.stack, `HooksigError: ${err.message}`)
    assert.equal(Error.stackTraceLimit, limit)
  }
  const missing = thrown(() => v.verify({}, BODY, { now: NOW }))
  assert.equal(missing.code, 'missing_signature')
  assert.equal(missing.status, 400)
  const wrong = thrown(() => v.verify(forged, 42))
  assert.equal(wrong.code, 'invalid_argument')
  assert.match(wrong.stack, /\n\s+at /)
})
