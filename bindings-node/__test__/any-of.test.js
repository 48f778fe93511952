'use strict'
// Verifier.anyOf: the conversions (the selection rules are the core's, tested there), the README
// example, and one Express endpoint answering Stripe, GitHub and Slack (the receiver uses the
// scheme that matched: its dedupe key, its handshake).
const test = require('node:test')
const assert = require('node:assert/strict')
const path = require('node:path')
const { execFileSync } = require('node:child_process')
const { Verifier, HooksigError, ReplayGuard, sign } = require('..')
const { verifyWebhook } = require('../express.js')
const { post, listen } = require('./helpers.js')

const STRIPE = 'whsec_stripe_any_of_test'
const GITHUB = 'github_any_of_test'
const SLACK = 'slack_any_of_test'
const NOW = 1767225600

function endpoint() {
  return Verifier.anyOf([
    new Verifier('stripe', { secret: STRIPE }),
    new Verifier('github', { secret: GITHUB }),
    new Verifier('slack', { secret: SLACK }),
  ])
}

const code = (c) => (e) => e instanceof HooksigError && e.code === c

test('anyOf builds a Verifier whose results name the matched scheme', async () => {
  const v = endpoint()
  assert.ok(v instanceof Verifier)
  assert.equal(v.scheme, 'any')
  assert.equal(v.replayTtl, 86400) // github is untimed: the longest ttl
  const body = '{"id":"evt_1","type":"charge.succeeded"}'
  const ok = v.verify(sign('stripe', STRIPE, body, { timestamp: NOW }), body, { now: NOW })
  assert.deepEqual([ok.scheme, ok.id, ok.dedupeKey], ['stripe', 'evt_1', 'stripe:id:evt_1'])
  // Every member's headers are read (GitHub's event header), on the fast path and the flat one.
  const gh = sign('github', GITHUB, '{}', { id: 'd-1', eventType: 'push' })
  for (const headers of [gh, new Headers(gh), Object.entries(gh)]) {
    const r = v.verify(headers, '{}')
    assert.deepEqual([r.scheme, r.eventType], ['github', 'push'])
    assert.ok(r.dedupeKey.startsWith('github:sig:'))
  }
  const r = await v.verifyAsync(gh, '{}')
  assert.deepEqual([r.scheme, r.eventType], ['github', 'push'])
  // A member still works on its own.
  const stripe = new Verifier('stripe', { secret: STRIPE })
  Verifier.anyOf([stripe])
  assert.equal(stripe.verify(sign('stripe', STRIPE, body), body).scheme, 'stripe')
})

test('anyOf errors', () => {
  assert.throws(() => endpoint().verify({ 'content-type': 'application/json' }, '{}'), (e) =>
    code('missing_signature')(e) && e.header === 'Stripe-Signature' && e.message.includes('X-Hub-Signature-256'))
  assert.throws(() => endpoint().verify(sign('github', 'other', '{}'), '{}'), code('signature_mismatch'))
  assert.throws(() => endpoint().sign('{}'), (e) => code('invalid_config')(e) && /sign with one of its verifiers/.test(e.message))
  assert.throws(() => Verifier.anyOf([]), code('invalid_config'))
  assert.throws(() => Verifier.anyOf([endpoint()]), code('invalid_config'))
  const twice = new Verifier('slack', { secret: SLACK })
  assert.throws(() => Verifier.anyOf([twice, twice]), (e) => code('invalid_config')(e) && /same scheme id/.test(e.message))
  for (const bad of [undefined, null, 'stripe', new Verifier('github', { secret: 'x1' }), { length: 1, 0: twice }]) {
    assert.throws(() => Verifier.anyOf(bad), (e) => code('invalid_argument')(e) && /must be an array of Verifier/.test(e.message))
  }
  assert.throws(() => Verifier.anyOf([twice, 'stripe']), (e) => code('invalid_argument')(e) && /verifiers\[1\] must be a Verifier, got string/.test(e.message))
})

test('the README example prints what it says', () => {
  const file = path.join(__dirname, '..', 'examples', 'any-of.js')
  const promised = require('node:fs').readFileSync(file, 'utf8').split('\n')
    .filter((l) => l.startsWith('console.log(')).map((l) => l.split('// ').pop())
  const out = execFileSync(process.execPath, [file], { encoding: 'utf8' })
  assert.deepEqual(out.trim().split('\n'), promised)
})

test('one Express endpoint for Stripe, GitHub and Slack', async () => {
  const express = require('express')
  const v = endpoint()
  const app = express()
  const seen = []
  app.post('/webhooks', verifyWebhook(v, { guard: new ReplayGuard({ verifier: v }) }), (req, res) => {
    seen.push([req.webhook.scheme, req.webhook.id])
    res.json({ scheme: req.webhook.scheme })
  })
  const server = await listen(app)
  try {
    const stripeBody = '{"id":"evt_9","type":"charge.succeeded"}'
    const stripe = sign('stripe', STRIPE, stripeBody)
    let res = await post(server.port, '/webhooks', stripe, stripeBody)
    assert.deepEqual([res.status, res.json], [200, { scheme: 'stripe' }])
    res = await post(server.port, '/webhooks', sign('github', GITHUB, '{"zen":"z"}', { id: 'd-9' }), '{"zen":"z"}')
    assert.deepEqual([res.status, res.json], [200, { scheme: 'github' }])
    // The same Stripe delivery again: a duplicate under Stripe's key.
    res = await post(server.port, '/webhooks', stripe, stripeBody)
    assert.deepEqual([res.status, res.json], [200, { status: 'duplicate' }])
    // Slack's url_verification is answered by the receiver, as for a Slack verifier alone.
    const slackBody = '{"type":"url_verification","challenge":"ch4ll"}'
    res = await post(server.port, '/webhooks', sign('slack', SLACK, slackBody), slackBody)
    assert.deepEqual([res.status, res.json], [200, { challenge: 'ch4ll' }])
    res = await post(server.port, '/webhooks', { 'content-type': 'application/json' }, '{}')
    assert.deepEqual([res.status, res.json.error], [400, 'missing_signature'])
    assert.deepEqual(seen, [['stripe', 'evt_9'], ['github', 'd-9']])
  } finally {
    await server.close()
  }
})
