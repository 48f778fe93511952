// Demo receiver: every scheme on Hono, served by @hono/node-server, with replay protection.
const { Hono } = require('hono')
const { serve } = require('@hono/node-server')
const { Verifier, ReplayGuard, Receiver, schemes } = require('../../bindings-node')
const { webhook, answerResponse } = require('../../bindings-node/hono')

// One secret for every scheme (demo/run.py signs with the same one), except where
// DEMO_SECRET_<SCHEME> is set: the public key of a public-key scheme (discord, sendgrid), whose
// private half demo/run.py signs with.
const secret = (scheme) =>
  process.env[`DEMO_SECRET_${scheme.toUpperCase().replace(/-/g, '_')}`] || process.env.DEMO_SECRET

// Schemes that sign the request URL (twilio, square, hubspot): with DEMO_PUBLIC_URL set
// (demo/run.py: https://demo.hooksig.invalid), the URL verified is that public base and the
// request's path, as behind a proxy; without it, the URL the receiver sees.
const publicUrl = process.env.DEMO_PUBLIC_URL || undefined

const app = new Hono()
// app.all: every method reaches the middleware (the core's 405 with Allow: POST); it reads the
// body with its 10 MiB limit. Every answer is the core's; the handler answers the core's success
// body, the same in every demo receiver.
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  app.all(`/webhooks/${scheme}`, webhook(verifier, { guard: new ReplayGuard({ verifier }), publicUrl }), (c) =>
    answerResponse(Receiver.received(c.get('webhook'))),
  )
}
serve({ fetch: app.fetch, port: Number(process.argv[2]), hostname: '127.0.0.1' })
