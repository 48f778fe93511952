'use strict'
// `verify` hands the addon only the headers the verifier reads and builds `Verified` in
// JavaScript from a compact result (lib/verifier.js, for speed). `verifyAsync` still hands over every
// header and gets the object from the addon, so it is the reference here: both must agree on
// every result and every error, for every header shape, case, repetition and string content.
const test = require('node:test')
const assert = require('node:assert/strict')
const { Verifier, sign } = require('../index.js')

const NOW = 1767225600
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

async function both(v, headers, body, options = { now: NOW }) {
  let sync
  let async_
  try {
    sync = { ok: v.verify(headers, body, options) }
  } catch (e) {
    sync = { err: [e.name, e.code, e.header, e.status, e.message] }
  }
  try {
    async_ = { ok: await v.verifyAsync(headers, body, options) }
  } catch (e) {
    async_ = { err: [e.name, e.code, e.header, e.status, e.message.replace('verifyAsync()', 'verify()')] }
  }
  if (sync.ok) {
    assert.ok(async_.ok, `verify passed, verifyAsync failed: ${async_.err}`)
    assert.deepEqual(Object.keys(sync.ok), Object.keys(async_.ok))
    assert.deepEqual({ ...sync.ok, payload: [...sync.ok.payload] }, { ...async_.ok, payload: [...async_.ok.payload] })
    assert.ok(Buffer.isBuffer(sync.ok.payload))
  } else {
    assert.deepEqual(sync, async_)
  }
  return sync
}

const upper = (h) => Object.fromEntries(Object.entries(h).map(([k, x]) => [k.toUpperCase(), x]))
const lower = (h) => Object.fromEntries(Object.entries(h).map(([k, x]) => [k.toLowerCase(), x]))
const noise = { host: 'x', 'user-agent': 'y', 'X-Request-Id': 'z', accept: ['a', 'b'], 'content-length': 12, raw: Buffer.from('q') }

test('verify and verifyAsync agree: shapes, case, noise, non-ASCII ids and event types', async () => {
  const body = Buffer.from('{"id":"evt_é😀","event":"ping✓","type":"ping✓"}')
  for (const scheme of ['algoguard', 'github', 'stripe', 'standard-webhooks', 'svix', 'slack']) {
    const secret = scheme.includes('webhooks') || scheme === 'svix' ? SECRET : 's3cret'
    const v = new Verifier(scheme, { secret })
    const h = sign(scheme, secret, body, { timestamp: NOW, id: 'dé😀-1', eventType: 'push✓' })
    const shapes = [h, upper(h), lower(h), { ...noise, ...lower(h) }, Object.entries(h), new Map(Object.entries(h))]
    for (const shape of shapes) {
      const r = await both(v, shape, body)
      assert.ok(r.ok, `${scheme}: ${r.err}`)
      assert.equal(r.ok.scheme, scheme)
    }
    // Fetch Headers hold byte strings: the UTF-8 bytes as latin1 (agreement only), and ASCII.
    const latin1 = Object.entries(h).map(([k, x]) => [k, Buffer.from(x).toString('latin1')])
    await both(v, new Headers(latin1), body)
    const ascii = sign(scheme, secret, body, { timestamp: NOW, id: 'msg_2', eventType: 'push' })
    assert.equal((await both(v, new Headers(ascii), body)).ok.scheme, scheme)
    // Failures: tampered body, no headers, a wrong-typed unrelated header.
    assert.equal((await both(v, h, Buffer.from('{}'))).err[1], 'signature_mismatch')
    assert.equal((await both(v, noise, body)).err[1], 'missing_signature')
    assert.equal((await both(v, { ...h, 'x-other': {} }, body)).err[1], 'invalid_argument')
    assert.equal((await both(v, { ...h, 'x-other': [1, {}] }, body)).err[1], 'invalid_argument')
  }
})

test('verify and verifyAsync agree: repeated and conflicting headers, Svix fallback names, JSON fallback', async () => {
  const body = Buffer.from('{"a": 1}')
  const v = new Verifier('algoguard', { secret: 's3cret' })
  const h = sign('algoguard', 's3cret', body, { timestamp: NOW })
  const [[sigName, sig], [tsName, ts]] = Object.entries(h)
  const bad = 'sha256=' + '0'.repeat(64)
  assert.ok((await both(v, [[sigName, bad], [sigName.toLowerCase(), sig], [tsName, ts]], body)).ok)
  assert.ok((await both(v, [[sigName, [bad, sig]], [tsName, ts]], body)).ok)
  assert.equal((await both(v, [[sigName, sig], [tsName, ts], [tsName.toUpperCase(), String(NOW + 1)]], body)).err[1], 'malformed_timestamp')
  assert.equal((await both(v, [[sigName, sig], [tsName, [ts, ts]]], body)).ok.timestamp, NOW)
  assert.equal((await both(v, [[sigName, sig], [tsName, ts]], body, { now: NOW + 10_000 })).err[1], 'timestamp_expired')
  // Svix verifies Standard Webhooks' webhook-* names too (the core's header fallback).
  const sv = new Verifier('svix', { secret: SECRET })
  const sw = sign('standard-webhooks', SECRET, body, { timestamp: NOW, id: 'msg_1' })
  const r = await both(sv, sw, body)
  assert.equal(r.ok.id, 'msg_1')
  assert.equal(r.ok.dedupeKey, 'svix:id:msg_1')
  // A JSON-fallback match: the payload is the re-serialized JSON, not the body.
  const cd = new Verifier('chaindoc', { secret: 's3cret' })
  const signedCompact = sign('chaindoc', 's3cret', '{"a":1}', { timestamp: NOW })
  const fb = await both(cd, signedCompact, body)
  assert.equal(fb.ok.payload.toString(), '{"a":1}')
  assert.notEqual(fb.ok.payload.buffer, body.buffer)
  // When the payload is the body: a view of the caller's bytes.
  assert.equal(v.verify(h, body, { now: NOW }).payload.buffer, body.buffer)
})

test('verify and verifyAsync agree: lower-case plain objects (the headers-by-position path) and their edges', async () => {
  const body = Buffer.from('{"id":"evt_1","event":"x"}')
  const v = new Verifier('algoguard', { secret: 's3cret' })
  const h = lower(sign('algoguard', 's3cret', body, { timestamp: NOW }))
  const [[sigName, sig], [tsName, ts]] = Object.entries(h)
  const cases = [
    h,
    { ...noise, ...h },
    Object.assign(Object.create(null), noise, h),
    // Inherited names are not the object's headers (Object.keys semantics).
    Object.assign(Object.create({ [sigName]: 'sha256=' + '0'.repeat(64) }), { [tsName]: ts }),
    Object.assign(Object.create({ inherited: {} }), h),
    // A read header that is absent, undefined, null, empty, a number, an array or bytes.
    { [tsName]: ts },
    { ...h, [sigName]: undefined },
    { ...h, [sigName]: null },
    { ...h, [sigName]: '' },
    { ...h, [tsName]: NOW },
    { ...h, [tsName]: [ts] },
    { ...h, [sigName]: ['sha256=' + '0'.repeat(64), sig] },
    { ...h, [sigName]: Buffer.from(sig) },
    { ...h, [sigName]: {} },
    // The same name spelled twice (both values reach the core, in order).
    { ...h, [sigName.toUpperCase()]: 'sha256=' + '0'.repeat(64) },
    { [sigName.toUpperCase()]: 'sha256=' + '0'.repeat(64), ...h },
    // Non-ASCII, lone surrogates and values longer than the addon's stack buffer.
    { ...h, [sigName]: `${sig}, sha256=\u00e9\ud800` },
    { ...h, [sigName]: `${'sha256=' + 'ab'.repeat(32) + ','.repeat(3)}`.repeat(40) + sig },
    { ...h, [sigName]: `${sig},${'\u00e9'.repeat(700)}` },
    { ...h, [tsName]: ` ${ts}\t` },
    // A bad unrelated value before / after the verifier's headers.
    { 'x-bad': 1n, ...h },
    { ...h, 'x-bad': [1, Symbol('s')] },
  ]
  for (const shape of cases) await both(v, shape, body)
  assert.ok((await both(v, { ...noise, ...h }, body)).ok)
  assert.equal((await both(v, { ...h, [sigName]: sig.repeat(20) + ',' + sig }, body)).ok?.keyIndex, 0)
  // Svix reads six names, the most of any scheme.
  const sv = new Verifier('svix', { secret: SECRET })
  const sw = lower(sign('svix', SECRET, body, { timestamp: NOW, id: 'msg_1' }))
  const swFallback = lower(sign('standard-webhooks', SECRET, body, { timestamp: NOW, id: 'msg_2' }))
  assert.equal((await both(sv, { ...noise, ...sw }, body)).ok.id, 'msg_1')
  assert.equal((await both(sv, { ...noise, ...swFallback }, body)).ok.id, 'msg_2')
  await both(sv, { ...swFallback, ...sw }, body)
})
