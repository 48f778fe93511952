'use strict'
// Every shared vector (tests/vectors/*.json) through the Node API: the same outcome, error code
// and header; sign cases produce the exact headers in order.
const test = require('node:test')
const assert = require('node:assert/strict')
const hooksig = require('..')
const { loadVectorCases, caseBody } = require('./helpers.js')

const CASES = loadVectorCases()

function makeScheme(spec) {
  if (typeof spec === 'string') return spec
  const c = spec.custom
  return hooksig.customScheme({
    id: c.id,
    signatureHeader: c.signature_header,
    timestampHeader: c.timestamp_header,
    idHeader: c.id_header,
    eventHeader: c.event_header,
    template: c.template,
    encoding: c.encoding,
    prefix: c.prefix,
    algorithm: c.algorithm,
    jsonFallback: c.json_fallback,
  })
}

function verifierFor(spec, c) {
  const options = { secrets: c.secrets }
  if ('tolerance' in c) options.tolerance = c.tolerance
  if ('secret_format' in c) options.secretFormat = c.secret_format
  if ('json_fallback' in c) options.jsonFallback = c.json_fallback
  return new hooksig.Verifier(makeScheme(spec), options)
}

function checkError(err, expect) {
  assert.ok(err instanceof hooksig.HooksigError, `not a HooksigError: ${err}`)
  assert.equal(err.code, expect.error, err.message)
  if ('header' in expect) assert.equal(err.header, expect.header)
  assert.equal(err.status, hooksig.httpStatus(expect.error))
}

function checkOk(result, expect, spec, body) {
  assert.equal(result.keyIndex, expect.key_index)
  assert.equal(result.timestamp, expect.timestamp)
  assert.equal(result.id, expect.id)
  assert.equal(result.eventType, expect.event_type)
  if ('dedupe_key' in expect) assert.equal(result.dedupeKey, expect.dedupe_key)
  const payload = 'payload' in expect ? Buffer.from(expect.payload, 'utf8') : body
  assert.ok(Buffer.isBuffer(result.payload))
  assert.deepEqual(result.payload, payload)
  assert.equal(result.scheme, typeof spec === 'string' ? spec : spec.custom.id)
}

/** The same headers in other shapes JavaScript code holds (only when no name repeats). */
function headerShapes(pairs) {
  const shapes = [['pairs', pairs]]
  const lower = pairs.map(([n]) => n.toLowerCase())
  if (new Set(lower).size === lower.length) {
    shapes.push(['object', Object.fromEntries(pairs)])
    shapes.push(['incoming', Object.fromEntries(pairs.map(([n, v]) => [n.toLowerCase(), v]))])
    shapes.push(['map', new Map(pairs)])
  }
  return shapes
}

function outcome(fn) {
  try {
    return { ok: true, value: fn() }
  } catch (err) {
    return { ok: false, err }
  }
}

test('the vector files are present', () => {
  assert.ok(CASES.length > 1000, `only ${CASES.length} cases`)
  assert.ok(new Set(CASES.map((c) => c.file)).size >= 13)
})

for (const file of [...new Set(CASES.map((c) => c.file))]) {
  test(`vectors: ${file}`, async () => {
    let checked = 0
    for (const { scheme, case: c } of CASES.filter((x) => x.file === file)) {
      const body = caseBody(c)
      await (c.op === 'sign' ? runSign(scheme, c, body) : runVerify(scheme, c, body))
      checked++
    }
    assert.ok(checked > 0)
  })
}

/** A case's `request` (twilio, square, hubspot) as the `url` / `method` options; absent: not passed. */
function requestOptions(c) {
  const out = {}
  if (c.request !== undefined) {
    if (c.request.url !== undefined) out.url = c.request.url
    if (c.request.method !== undefined) out.method = c.request.method
  }
  return out
}

function verifyOptions(c) {
  return { now: c.now, ...requestOptions(c) }
}

async function runVerify(spec, c, body) {
  const expect = c.expect
  const built = outcome(() => verifierFor(spec, c))
  if (!built.ok) {
    assert.ok(!expect.ok, `${c.name}: unexpected ${built.err.code}: ${built.err.message}`)
    checkError(built.err, expect)
    return
  }
  const verifier = built.value
  const bodies = [['buffer', body], ['arraybuffer', body.buffer.slice(body.byteOffset, body.byteOffset + body.length)]]
  if ('body' in c) bodies.push(['string', c.body])
  for (const [shape, headers] of headerShapes(c.headers)) {
    for (const [kind, b] of bodies) {
      const got = outcome(() => verifier.verify(headers, b, verifyOptions(c)))
      const label = `${c.name} (${shape} headers, ${kind} body)`
      if (got.ok) {
        assert.ok(expect.ok, `${label}: expected ${expect.error}, got success`)
        checkOk(got.value, expect, spec, body)
      } else {
        assert.ok(!expect.ok, `${label}: unexpected ${got.err.code}: ${got.err.message}`)
        checkError(got.err, expect)
      }
    }
  }
  // The threadpool path agrees.
  try {
    const result = await verifier.verifyAsync(c.headers, body, verifyOptions(c))
    assert.ok(expect.ok, `${c.name} (async): expected ${expect.error}, got success`)
    checkOk(result, expect, spec, body)
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err
    assert.ok(!expect.ok, `${c.name} (async): unexpected ${err.code}: ${err.message}`)
    checkError(err, expect)
  }
}

function runSign(spec, c, body) {
  const options = {}
  if ('timestamp' in c) options.timestamp = c.timestamp
  if ('id' in c) options.id = c.id
  if ('event_type' in c) options.eventType = c.event_type
  Object.assign(options, requestOptions(c))
  const expected = c.expect_headers.map(([n, v]) => [String(n), String(v)])
  if (!('secret_format' in c)) {
    const signed = hooksig.sign(makeScheme(spec), c.secrets[0], body, options)
    assert.deepEqual(Object.entries(signed), expected, c.name)
  }
  const signed = verifierFor(spec, c).sign(body, options)
  assert.deepEqual(Object.entries(signed), expected, c.name)
}
