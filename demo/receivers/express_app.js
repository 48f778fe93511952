// Demo receiver: every scheme on Express, at /webhooks/<scheme>, with replay protection.
const express = require('express')
const { Verifier, ReplayGuard, schemes } = require('../../bindings-node')
const { verifyWebhook, captureRawBody } = require('../../bindings-node/express')

const secret = (scheme) =>
  ['standard-webhooks', 'svix'].includes(scheme) ? process.env.DEMO_WHSEC_SECRET : process.env.DEMO_TEXT_SECRET

const app = express()
app.use(express.json({ verify: captureRawBody }))
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  app.post(`/webhooks/${scheme}`, verifyWebhook(verifier, { guard: new ReplayGuard({ verifier }) }), (req, res) => {
    res.json({ status: 'received', id: req.webhook.id, eventType: req.webhook.eventType })
  })
}
app.listen(Number(process.argv[2]), '127.0.0.1')
