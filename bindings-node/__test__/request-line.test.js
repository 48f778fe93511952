'use strict'
// The request line (schemes that sign the URL: twilio, square, hubspot) through the Node API:
// the `url` / `method` options' conversions, `signsRequestLine`, the receivers' `publicUrl`
// option, and each integration behind a proxy. What the core does with the URL is covered by the
// shared tables (tests/vectors/{twilio,square,hubspot}.json, tests/receivers/cases.json).
const test = require('node:test')
const assert = require('node:assert/strict')
const { Verifier, HooksigError, sign, customScheme } = require('..')
const { post } = require('./helpers.js')
const { SERVERS } = require('./frameworks.js')
const { check, receiverOptions, publicUrl } = require('../lib/receiver.js')
const { verifyWebhook } = require('../express.js')
const { withWebhook, verifyRequest } = require('../fetch.js')

const TOKEN = '12345678901234567890123456789012'
const FORM = 'AccountSid=AC0123&Body=Hello+%2B+bye&From=%2B14155550100'
const PUBLIC = 'https://hooks.example.com'

function throwsCode(fn, code) {
  assert.throws(fn, (err) => err instanceof HooksigError && err.code === code, `expected ${code}`)
}

test('signsRequestLine: twilio, square, hubspot, custom {url}/{method} templates and anyOf holding one', () => {
  for (const scheme of ['twilio', 'square', 'hubspot']) assert.equal(new Verifier(scheme, { secret: TOKEN }).signsRequestLine, true, scheme)
  const github = new Verifier('github', { secret: 's' })
  assert.equal(github.signsRequestLine, false)
  assert.equal(Verifier.anyOf([github, new Verifier('square', { secret: 's' })]).signsRequestLine, true)
  assert.equal(Verifier.anyOf([github, new Verifier('stripe', { secret: 'whsec_x' })]).signsRequestLine, false)
  const urlScheme = customScheme({ id: 'acme', signatureHeader: 'X-Acme-Signature', template: '{method} {url}.{body}' })
  assert.equal(new Verifier(urlScheme, { secret: 's' }).signsRequestLine, true)
})

test('verify / verifyAsync / sign: url and method options', async () => {
  const url = 'https://hooks.example.com/twilio?x=1'
  const v = new Verifier('twilio', { secret: TOKEN })
  const headers = sign('twilio', TOKEN, FORM, { url })
  assert.deepEqual(headers, v.sign(FORM, { url }))
  for (const shape of [headers, Object.fromEntries(Object.entries(headers).map(([n, x]) => [n.toLowerCase(), x])), Object.entries(headers)]) {
    assert.equal(v.verify(shape, FORM, { url }).scheme, 'twilio')
    assert.equal((await v.verifyAsync(shape, FORM, { url })).scheme, 'twilio')
    throwsCode(() => v.verify(shape, FORM), 'invalid_argument')
    throwsCode(() => v.verify(shape, FORM, { url: `${url}&y=2` }), 'signature_mismatch')
  }
  await assert.rejects(v.verifyAsync(headers, FORM), (err) => err.code === 'invalid_argument')
  // HubSpot signs the method too; an absent method is POST.
  const hubspot = new Verifier('hubspot', { secret: 's' })
  const now = 1767225600
  const put = sign('hubspot', 's', '[]', { url, method: 'PUT', timestamp: now })
  assert.equal(hubspot.verify(put, '[]', { url, method: 'PUT', now }).scheme, 'hubspot')
  throwsCode(() => hubspot.verify(put, '[]', { url, now }), 'signature_mismatch')
  const byDefault = sign('hubspot', 's', '[]', { url, timestamp: now })
  assert.equal(hubspot.verify(byDefault, '[]', { url, method: 'POST', now }).scheme, 'hubspot')
  // The other schemes ignore the request line.
  const github = new Verifier('github', { secret: 's' })
  assert.equal(github.verify(sign('github', 's', '{}'), '{}', { url, method: 'GET' }).scheme, 'github')
  // Signing a URL scheme without a URL is the caller's mistake.
  throwsCode(() => sign('square', 's', '{}'), 'invalid_argument')
})

test('url / method of the wrong type: invalid_argument; null is "not given"', () => {
  const v = new Verifier('square', { secret: 's' })
  const headers = sign('square', 's', '{}', { url: 'https://e.com/h' })
  for (const bad of [42, new URL('https://e.com/h'), ['https://e.com/h'], true]) {
    throwsCode(() => v.verify(headers, '{}', { url: bad }), 'invalid_argument')
    throwsCode(() => v.verify(headers, '{}', { url: 'https://e.com/h', method: bad }), 'invalid_argument')
    throwsCode(() => sign('square', 's', '{}', { url: bad }), 'invalid_argument')
    throwsCode(() => v.sign('{}', { url: 'https://e.com/h', method: bad }), 'invalid_argument')
  }
  throwsCode(() => v.verify(headers, '{}', { url: null }), 'invalid_argument') // none given: required
  throwsCode(() => v.verify(headers, '{}', { uri: 'https://e.com/h' }), 'invalid_config') // unknown option
})

test('publicUrl: checked at setup; joined with the path and query with exactly one /', () => {
  const v = new Verifier('twilio', { secret: TOKEN })
  throwsCode(() => verifyWebhook(v, { publicUrl: 42 }), 'invalid_argument')
  throwsCode(() => withWebhook(v, async () => new Response(null), { publicUrl: {} }), 'invalid_argument')
  for (const bad of ['hooks.example.com', '/webhooks', 'ftp://hooks.example.com', '']) {
    throwsCode(() => verifyWebhook(v, { publicUrl: bad }), 'invalid_config')
  }
  assert.equal(receiverOptions('x', { publicUrl: 'https://e.com/base//' }, { publicUrl: 'string' }).publicUrl, 'https://e.com/base')
  assert.equal(publicUrl('https://e.com', '/a?b=1'), 'https://e.com/a?b=1')
  assert.equal(publicUrl('https://e.com/p', '//a'), 'https://e.com/p/a')
})

test('the request URL is built only for verifiers that sign the request line', async () => {
  const route = receiverOptions('x', { publicUrl: PUBLIC }, { publicUrl: 'string' })
  const trap = () => assert.fail('the URL was built for a scheme that does not sign it')
  const body = Buffer.from('{}')
  const github = new Verifier('github', { secret: 's' })
  const request = { headers: sign('github', 's', body), method: 'POST', url: trap, path: trap }
  assert.equal((await check(github, route, request, body)).webhook.scheme, 'github')
  // A forged request too.
  const forged = { ...request, headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` } }
  assert.equal((await check(github, route, forged, body)).answer.status, 401)
  // A scheme that signs it asks for the path (publicUrl) or the URL (none).
  const square = new Verifier('square', { secret: 's' })
  let asked = []
  const squareRequest = (headers) => ({ headers, method: 'POST', url: () => (asked.push('url'), 'http://10.0.0.5:8000/sq'), path: () => (asked.push('path'), '/sq') })
  const signed = sign('square', 's', body, { url: `${PUBLIC}/sq` })
  assert.equal((await check(square, route, squareRequest(signed), body)).webhook.scheme, 'square')
  assert.deepEqual(asked, ['path'])
  asked = []
  const direct = receiverOptions('x', {}, { publicUrl: 'string' })
  const signedDirect = sign('square', 's', body, { url: 'http://10.0.0.5:8000/sq' })
  assert.equal((await check(square, direct, squareRequest(signedDirect), body)).webhook.scheme, 'square')
  assert.deepEqual(asked, ['url'])
})

// One per integration: a Twilio form POST that reached the app through a proxy (the sender
// signed the public URL, the app sees 127.0.0.1:<port>) verifies with publicUrl and is a 401
// without it.
for (const framework of Object.keys(SERVERS)) {
  test(`${framework}: a Twilio form POST behind a proxy verifies with publicUrl, 401 without`, async () => {
    const verifier = new Verifier('twilio', { secret: TOKEN })
    const path = '/hook?source=sms&n=1'
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'hooks.example.com',
      ...sign('twilio', TOKEN, FORM, { url: `${PUBLIC}${path}` }),
    }
    const calls = { n: 0 }
    const handle = async (webhook) => {
      calls.n++
      return { status: 200, headers: [], body: JSON.stringify({ scheme: webhook.scheme }) }
    }
    for (const [options, status] of [[{ publicUrl: `${PUBLIC}/` }, 200], [{}, 401]]) {
      const server = await SERVERS[framework](verifier, options, handle)
      try {
        const r = await post(server.port, path, headers, FORM)
        assert.equal(r.status, status, `${JSON.stringify(options)}: ${r.text}`)
        if (status === 401) assert.equal(r.json.error, 'signature_mismatch')
        else assert.deepEqual(r.json, { scheme: 'twilio' })
        // Without publicUrl, the URL the app sees verifies (http://<Host><path and query>).
        if (status === 401) {
          const direct = { ...headers, ...sign('twilio', TOKEN, FORM, { url: `http://127.0.0.1:${server.port}${path}` }) }
          assert.equal((await post(server.port, path, direct, FORM)).status, 200)
        }
      } finally {
        await server.close()
      }
    }
    assert.equal(calls.n, 2)
  })
}

test('hooksig/fetch verifyRequest: url from request.url, or publicUrl + its path and query', async () => {
  const verifier = new Verifier('square', { secret: 's' })
  const body = '{"event_id":"e1"}'
  const make = (signedFor) =>
    new Request('http://10.0.0.5:8000/sq?a=1', { method: 'POST', headers: sign('square', 's', body, { url: signedFor }), body })
  assert.equal((await verifyRequest(verifier, make('http://10.0.0.5:8000/sq?a=1'))).scheme, 'square')
  assert.equal((await verifyRequest(verifier, make(`${PUBLIC}/sq?a=1`), { publicUrl: PUBLIC })).scheme, 'square')
  await assert.rejects(verifyRequest(verifier, make(`${PUBLIC}/sq?a=1`)), (err) => err.code === 'signature_mismatch')
  // The Host header as received names the host (Next.js's `next start` gives request.url the
  // host it listens on, localhost): request.url's scheme, path and query with that host.
  const viaNext = new Request('http://localhost:3000/sq?a=1', {
    method: 'POST',
    headers: { host: '127.0.0.1:3000', ...sign('square', 's', body, { url: 'http://127.0.0.1:3000/sq?a=1' }) },
    body,
  })
  assert.equal(viaNext.headers.get('host'), '127.0.0.1:3000')
  assert.equal((await verifyRequest(verifier, viaNext)).scheme, 'square')
})

test('hooksig/fetch: bodies of 1 MiB or more (threadpool) get the request line too', async () => {
  const verifier = new Verifier('square', { secret: 's' })
  const body = `{"event_id":"big","pad":"${'x'.repeat(1100 * 1024)}"}`
  const make = () =>
    new Request('http://10.0.0.5:8000/sq', { method: 'POST', headers: sign('square', 's', body, { url: `${PUBLIC}/sq` }), body })
  assert.equal((await verifyRequest(verifier, make(), { publicUrl: PUBLIC })).id, 'big')
  const route = withWebhook(verifier, async (webhook) => Response.json({ id: webhook.id }), { publicUrl: PUBLIC })
  const ok = await route(make())
  assert.deepEqual([ok.status, await ok.json()], [200, { id: 'big' }])
  const without = await withWebhook(verifier, async () => Response.json({}))(make())
  assert.equal(without.status, 401)
})

test('the README example (examples/twilio/server.js): verified behind a proxy, 401 without publicUrl', async () => {
  const { createApp } = require('../examples/twilio/server.js')
  const { listen } = require('./helpers.js')
  const path = '/webhooks/twilio?source=sms'
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...sign('twilio', TOKEN, FORM, { url: `${PUBLIC}${path}` }) }
  for (const [publicUrl, status] of [[PUBLIC, 200], [undefined, 401]]) {
    const seen = []
    const server = await listen(createApp({ authToken: TOKEN, publicUrl, onMessage: (form) => seen.push(form.get('From')) }))
    try {
      const r = await post(server.port, path, headers, FORM)
      assert.equal(r.status, status, r.text)
      assert.deepEqual(seen, status === 200 ? ['+14155550100'] : [])
      if (status === 200) assert.equal(r.text, '<Response></Response>')
    } finally {
      await server.close()
    }
  }
})
