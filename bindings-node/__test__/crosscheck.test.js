'use strict'
// Known answers from independent implementations: Node's crypto HMAC, and the vendors' own npm
// packages (standardwebhooks, svix, stripe, @octokit/webhooks-methods). What they sign, hooksig
// verifies; what hooksig signs, they verify.
const test = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const { Verifier, sign, HooksigError } = require('..')

const now = () => Math.floor(Date.now() / 1000)
const hmac = (key, data, enc) => crypto.createHmac('sha256', key).update(data).digest(enc)
const BODY = JSON.stringify({ id: 'evt_x1', type: 'invoice.paid', event: 'license.created', event_id: 'e1', event_type: 't1', action: 'opened' })

test('node crypto HMAC: hooksig signs the documented bytes, and verifies what crypto signs', () => {
  const ts = 1767225600
  const secret = 'cross-check-secret'
  const expected = {
    algoguard: { 'X-AlgoGuard-Signature': 'sha256=' + hmac(secret, `${ts}.${BODY}`, 'hex'), 'X-AlgoGuard-Timestamp': String(ts) },
    chaindoc: { 'X-Webhook-Signature': hmac(secret, BODY, 'hex') },
    certifylize: { 'X-Certifylize-Signature': 'sha256=' + hmac(secret, BODY, 'hex') },
    easycart: { 'X-Webhook-Signature': hmac(secret, BODY, 'hex') },
    aghanim: { 'x-aghanim-signature': hmac(secret, `${ts}.${BODY}`, 'hex'), 'x-aghanim-signature-timestamp': String(ts) },
    stripe: { 'Stripe-Signature': `t=${ts},v1=${hmac(secret, `${ts}.${BODY}`, 'hex')}` },
    github: { 'X-Hub-Signature-256': 'sha256=' + hmac(secret, BODY, 'hex') },
    slack: { 'X-Slack-Signature': 'v0=' + hmac(secret, `v0:${ts}:${BODY}`, 'hex'), 'X-Slack-Request-Timestamp': String(ts) },
    shopify: { 'X-Shopify-Hmac-Sha256': hmac(secret, BODY, 'base64') },
    paddle: { 'Paddle-Signature': `ts=${ts};h1=${hmac(secret, `${ts}:${BODY}`, 'hex')}` },
  }
  for (const [scheme, headers] of Object.entries(expected)) {
    assert.deepEqual(sign(scheme, secret, BODY, { timestamp: ts }), headers, scheme)
    const v = new Verifier(scheme, { secret })
    assert.equal(v.verify(headers, BODY, { now: ts }).keyIndex, 0, scheme)
    const bad = Object.fromEntries(Object.entries(headers).map(([k, val], i) => [k, i === 0 ? val.replace(/[0-9a-f](?=[^0-9a-f]*$)/, (c) => (c === '0' ? '1' : '0')) : val]))
    assert.throws(() => v.verify(bad, BODY, { now: ts }), (e) => e instanceof HooksigError && e.code === 'signature_mismatch', scheme)
  }
  // Standard Webhooks: base64 key after whsec_, content id.ts.body
  const key = crypto.randomBytes(24)
  const sw = sign('standard-webhooks', `whsec_${key.toString('base64')}`, BODY, { timestamp: ts, id: 'msg_1' })
  assert.equal(sw['webhook-signature'], 'v1,' + hmac(key, `msg_1.${ts}.${BODY}`, 'base64'))
})

test('standardwebhooks package <-> hooksig', async () => {
  const { Webhook } = await import('standardwebhooks')
  const secret = 'whsec_' + crypto.randomBytes(32).toString('base64')
  const wh = new Webhook(secret)
  const v = new Verifier('standard-webhooks', { secret })
  const date = new Date()
  const headers = { 'webhook-id': 'msg_sw1', 'webhook-timestamp': String(Math.floor(date / 1000)), 'webhook-signature': wh.sign('msg_sw1', date, BODY) }
  const r = v.verify(headers, BODY)
  assert.equal(r.id, 'msg_sw1')
  assert.throws(() => v.verify(headers, BODY + 'x'), (e) => e.code === 'signature_mismatch')
  const ours = sign('standard-webhooks', secret, BODY, { timestamp: now(), id: 'msg_hs1' })
  assert.deepEqual(wh.verify(BODY, ours), JSON.parse(BODY))
  assert.throws(() => wh.verify(BODY + ' ', ours))
})

test('svix package <-> hooksig', async () => {
  const { Webhook } = await import('svix')
  const secret = 'whsec_' + crypto.randomBytes(32).toString('base64')
  const wh = new Webhook(secret)
  const v = new Verifier('svix', { secret })
  const date = new Date()
  const headers = { 'svix-id': 'msg_sv1', 'svix-timestamp': String(Math.floor(date / 1000)), 'svix-signature': wh.sign('msg_sv1', date, BODY) }
  assert.equal(v.verify(headers, BODY).id, 'msg_sv1')
  assert.throws(() => v.verify({ ...headers, 'svix-id': 'msg_other' }, BODY), (e) => e.code === 'signature_mismatch')
  const ours = sign('svix', secret, BODY, { timestamp: now(), id: 'msg_hs2' })
  // svix 2.x's verify() returns nothing and throws on any failure
  assert.doesNotThrow(() => wh.verify(BODY, ours))
  assert.throws(() => wh.verify(BODY.replace('opened', 'closed'), ours))
})

test('stripe package <-> hooksig', () => {
  const Stripe = require('stripe')
  const stripe = new Stripe('sk_test_hooksig_crosscheck')
  const secret = 'whsec_stripe_' + crypto.randomBytes(8).toString('hex')
  const v = new Verifier('stripe', { secret })
  const timestamp = now()
  const header = stripe.webhooks.generateTestHeaderString({ payload: BODY, secret, timestamp })
  const r = v.verify({ 'stripe-signature': header }, BODY)
  assert.deepEqual([r.id, r.eventType, r.timestamp], ['evt_x1', 'invoice.paid', timestamp])
  assert.throws(() => v.verify({ 'stripe-signature': header }, BODY + ' '), (e) => e.code === 'signature_mismatch')
  const ours = sign('stripe', secret, BODY, { timestamp })
  const event = stripe.webhooks.constructEvent(BODY, ours['Stripe-Signature'], secret)
  assert.equal(event.id, 'evt_x1')
  assert.throws(() => stripe.webhooks.constructEvent(BODY, ours['Stripe-Signature'], secret + 'x'))
})

test('@octokit/webhooks-methods <-> hooksig', async () => {
  const octo = await import('@octokit/webhooks-methods')
  const secret = "It's a Secret to Everybody"
  const v = new Verifier('github', { secret })
  const signature = await octo.sign(secret, BODY)
  assert.equal(v.verify({ 'x-hub-signature-256': signature, 'x-github-event': 'issues', 'x-github-delivery': 'd-1' }, BODY).eventType, 'issues')
  assert.throws(() => v.verify({ 'x-hub-signature-256': signature }, BODY + '\n'), (e) => e.code === 'signature_mismatch')
  const ours = sign('github', secret, BODY)
  assert.equal(await octo.verify(secret, BODY, ours['X-Hub-Signature-256']), true)
  assert.equal(await octo.verify(secret + '!', BODY, ours['X-Hub-Signature-256']), false)
  // GitHub's documented example (docs: "Validating webhook deliveries")
  assert.equal(sign('github', secret, 'Hello, World!')['X-Hub-Signature-256'],
    'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17')
})
