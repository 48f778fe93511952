// Demo receiver: every scheme on Express, at /webhooks/<scheme>, with replay protection.
const express = require('express')
const { Verifier, ReplayGuard, schemes } = require('../../bindings-node')
const { verifyWebhook } = require('../../bindings-node/express')

const secret = (scheme) =>
  ['standard-webhooks', 'svix'].includes(scheme) ? process.env.DEMO_WHSEC_SECRET : process.env.DEMO_TEXT_SECRET

const app = express()
// No body parser in front: verifyWebhook reads the raw body itself (with its 10 MiB limit), and
// app.all lets it answer other methods 405 JSON with Allow: POST.
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  app.all(`/webhooks/${scheme}`, verifyWebhook(verifier, { guard: new ReplayGuard({ verifier }) }), (req, res) => {
    res.json({ status: 'received', id: req.webhook.id, eventType: req.webhook.eventType })
  })
}
app.listen(Number(process.argv[2]), '127.0.0.1')
