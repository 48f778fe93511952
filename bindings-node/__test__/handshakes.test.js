'use strict'
// Vendor endpoint handshakes over real HTTP through every integration (frameworks.js): a
// verified Slack url_verification, Zoom endpoint.url_validation or Twitch
// webhook_callback_verification is answered by the core's receiver policy (status, content
// type and body bytes from the core), the handler does not run and the replay guard is not
// asked; a forged one is the core's 401; a Twitch notification reaches the handler.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const { Verifier, ReplayGuard, Receiver, sign } = require('..')
const { post } = require('./helpers.js')
const { SERVERS } = require('./frameworks.js')

const SECRET = 'hs_handshake_test_secret'
const now = () => Math.floor(Date.now() / 1000)

const SLACK_CHALLENGE = '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'
const SLACK_BODY = JSON.stringify({ token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: SLACK_CHALLENGE, type: 'url_verification' })
const TWITCH_CHALLENGE = 'pogchamp-kappa-360noscope-vohiyo'
const TWITCH_BODY = JSON.stringify({ challenge: TWITCH_CHALLENGE, subscription: { status: 'webhook_callback_verification_pending' } })
const PLAIN_TOKEN = 'qgg8vlvZRS6UYooatFL8Aw'
const ZOOM_BODY = JSON.stringify({ payload: { plainToken: PLAIN_TOKEN }, event_ts: 1654503849680, event: 'endpoint.url_validation' })

/** A handler that counts its runs and answers the core's success body. */
function counting() {
  const counter = { calls: 0 }
  const handle = async (webhook) => {
    counter.calls++
    return Receiver.received(webhook)
  }
  return { counter, handle }
}

/** A guard that records every call (a handshake must not reach it). */
function recordingGuard(verifier) {
  const inner = new ReplayGuard({ verifier })
  const calls = []
  return {
    calls,
    checkAndRemember: (key, o) => (calls.push(['check', key]), inner.checkAndRemember(key, o)),
    forget: (key) => (calls.push(['forget', key]), inner.forget(key)),
  }
}

async function serve(framework, scheme, t, { guard = false, secrets = [SECRET] } = {}) {
  const verifier = new Verifier(scheme, { secrets })
  const options = {}
  let recorded = null
  if (guard) options.guard = recorded = recordingGuard(verifier)
  const { counter, handle } = counting()
  const server = await SERVERS[framework](verifier, options, handle)
  t.after(() => server.close())
  return { port: server.port, counter, guard: recorded }
}

const headersFor = (scheme, body, secret = SECRET, extra = {}) => ({
  'content-type': 'application/json',
  ...sign(scheme, secret, body, { timestamp: now(), id: `msg-${crypto.randomUUID()}` }),
  ...extra,
})

for (const framework of Object.keys(SERVERS)) {
  test(`${framework}: a signed Slack url_verification is answered with the challenge; the handler and the guard are not`, async (t) => {
    const { port, counter, guard } = await serve(framework, 'slack', t, { guard: true })
    for (let i = 0; i < 2; i++) {
      // Twice with the same bytes: a handshake takes no replay key (never "duplicate").
      const res = await post(port, '/hook', headersFor('slack', SLACK_BODY), SLACK_BODY)
      assert.equal(res.status, 200, res.text)
      assert.equal(res.headers['content-type'], 'application/json')
      assert.equal(res.text, `{"challenge":"${SLACK_CHALLENGE}"}`)
    }
    assert.equal(counter.calls, 0)
    assert.deepEqual(guard.calls, [])
  })

  test(`${framework}: a forged Slack url_verification is the core's 401`, async (t) => {
    const { port, counter, guard } = await serve(framework, 'slack', t, { guard: true })
    const res = await post(port, '/hook', headersFor('slack', SLACK_BODY, 'not-the-secret'), SLACK_BODY)
    assert.equal(res.status, 401, res.text)
    assert.equal(res.headers['content-type'], 'application/json')
    assert.equal(res.json.error, 'signature_mismatch')
    assert.equal(res.text.includes(SLACK_CHALLENGE), false)
    assert.equal(counter.calls, 0)
    assert.deepEqual(guard.calls, [])
  })

  test(`${framework}: a signed Twitch webhook_callback_verification is answered in text/plain`, async (t) => {
    const { port, counter, guard } = await serve(framework, 'twitch', t, { guard: true })
    const headers = headersFor('twitch', TWITCH_BODY, SECRET, { 'Twitch-Eventsub-Message-Type': 'webhook_callback_verification' })
    const res = await post(port, '/hook', headers, TWITCH_BODY)
    assert.equal(res.status, 200, res.text)
    assert.equal(res.headers['content-type'], 'text/plain; charset=utf-8')
    assert.equal(res.text, TWITCH_CHALLENGE)
    assert.equal(counter.calls, 0)
    assert.deepEqual(guard.calls, [])
  })

  test(`${framework}: a Twitch notification reaches the handler (and the guard)`, async (t) => {
    const { port, counter, guard } = await serve(framework, 'twitch', t, { guard: true })
    const body = JSON.stringify({ subscription: { type: 'channel.follow' }, event: { user_id: '1' } })
    const headers = headersFor('twitch', body, SECRET, { 'Twitch-Eventsub-Message-Type': 'notification' })
    const res = await post(port, '/hook', headers, body)
    assert.equal(res.status, 200, res.text)
    assert.equal(res.headers['content-type'], 'application/json')
    assert.equal(res.json.status, 'received')
    assert.equal(counter.calls, 1)
    assert.deepEqual(guard.calls.map(([what]) => what), ['check'])
  })

  test(`${framework}: a Zoom endpoint.url_validation gets the encryptedToken under the secret that verified`, async (t) => {
    // Rotation: the request is signed with the second secret; the token is HMAC'd with it.
    const { port, counter } = await serve(framework, 'zoom', t, { secrets: ['zoom_old_secret', SECRET] })
    const res = await post(port, '/hook', headersFor('zoom', ZOOM_BODY), ZOOM_BODY)
    assert.equal(res.status, 200, res.text)
    assert.equal(res.headers['content-type'], 'application/json')
    const encryptedToken = crypto.createHmac('sha256', SECRET).update(PLAIN_TOKEN).digest('hex')
    assert.equal(res.text, JSON.stringify({ plainToken: PLAIN_TOKEN, encryptedToken }))
    assert.equal(counter.calls, 0)
  })
}

// Bodies of 1 MiB or more are verified on the threadpool (hooksig/fetch and hooksig/hono): the
// handshake is answered there too.
for (const framework of ['fetch', 'hono']) {
  test(`${framework}: a large Slack url_verification (threadpool verification) is answered too`, async (t) => {
    const { port, counter } = await serve(framework, 'slack', t)
    const body = JSON.stringify({ type: 'url_verification', challenge: 'big', pad: 'x'.repeat(1024 * 1024 + 10) })
    const res = await post(port, '/hook', headersFor('slack', body), body)
    assert.equal(res.status, 200, res.text.slice(0, 200))
    assert.equal(res.text, '{"challenge":"big"}')
    assert.equal(counter.calls, 0)
  })
}

test('the answers are the core answer objects, content type included', () => {
  const v = new Verifier('twitch', { secret: SECRET })
  const { verifyQuiet } = require('../lib/receiver.js')
  const headers = headersFor('twitch', TWITCH_BODY, SECRET, { 'Twitch-Eventsub-Message-Type': 'webhook_callback_verification' })
  const got = verifyQuiet(v, headers, TWITCH_BODY)
  assert.deepEqual(got, { answer: { status: 200, contentType: 'text/plain; charset=utf-8', headers: [], body: TWITCH_CHALLENGE }, handshake: true })
  // Verifier.verify is not a receiver: a handshake is a Verified delivery for it.
  assert.equal(v.verify(headers, TWITCH_BODY).scheme, 'twitch')
  assert.equal(new Receiver().rejected('signature_mismatch').contentType, 'application/json')
  assert.equal(Receiver.received({ scheme: 'x', id: null, eventType: null }).contentType, 'application/json')
})
