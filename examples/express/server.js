// AlgoGuard webhook receiver with Express. Run: ALGOGUARD_SECRET=whsec_... node server.js
const express = require('express')
const { Verifier } = require('hooksig')
const { verifyWebhook, captureRawBody } = require('hooksig/express')

function createApp({ secret, onEvent = (event) => console.log('AlgoGuard event', event.event) }) {
  // Build the verifier once; a missing or malformed secret fails here, at start-up.
  const verifier = new Verifier('algoguard', { secret, tolerance: 300 })
  const app = express()

  // An app-wide JSON parser is fine: `captureRawBody` keeps the exact bytes for the signature.
  app.use(express.json({ verify: captureRawBody }))

  app.post('/webhooks/algoguard', verifyWebhook(verifier), (req, res) => {
    // Only verified requests get here; act on the authenticated bytes.
    const event = JSON.parse(req.webhook.payload)
    onEvent(event, req.webhook)
    res.json({ received: true, id: req.webhook.id })
  })
  return app
}

module.exports = { createApp }

if (require.main === module) {
  const port = Number(process.env.PORT || 3000)
  createApp({ secret: process.env.ALGOGUARD_SECRET }).listen(port, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${port}/webhooks/algoguard`)
  })
}
