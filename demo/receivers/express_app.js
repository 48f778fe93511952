// Demo receiver: every scheme on Express, at /webhooks/<scheme>, with replay protection.
const express = require('express')
const { Verifier, ReplayGuard, Receiver, schemes } = require('../../bindings-node')
const { verifyWebhook, sendAnswer } = require('../../bindings-node/express')

// One secret for every scheme (demo/run.py signs with the same one), except where
// DEMO_SECRET_<SCHEME> is set: the public key of a public-key scheme (discord, sendgrid), whose
// private half demo/run.py signs with.
const secret = (scheme) =>
  process.env[`DEMO_SECRET_${scheme.toUpperCase().replace(/-/g, '_')}`] || process.env.DEMO_SECRET

// Schemes that sign the request URL (twilio, square, hubspot): with DEMO_PUBLIC_URL set
// (demo/run.py: https://demo.hooksig.invalid), the URL verified is that public base and the
// request's path, as behind a proxy; without it, the URL the receiver sees.
const publicUrl = process.env.DEMO_PUBLIC_URL || undefined

const app = express()
// No body parser in front: verifyWebhook reads the raw body itself (with its 10 MiB limit), and
// app.all lets it answer other methods (the core's 405 with Allow: POST). Every answer is the
// core's; the handler answers the core's success body, the same in every demo receiver.
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  app.all(`/webhooks/${scheme}`, verifyWebhook(verifier, { guard: new ReplayGuard({ verifier }), publicUrl }), (req, res) => {
    sendAnswer(res, Receiver.received(req.webhook))
  })
}
app.listen(Number(process.argv[2]), '127.0.0.1')
