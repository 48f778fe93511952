// AlgoGuard webhook receiver with Express. Run: ALGOGUARD_SECRET=whsec_... node server.js
const express = require('express')
const { Verifier, ReplayGuard } = require('hooksig')
const { verifyWebhook, captureRawBody } = require('hooksig/express')

function createApp({ secret, guard, onEvent = (event) => console.log('AlgoGuard event', event.event) }) {
  // Build the verifier once; a missing or malformed secret fails here, at start-up.
  const verifier = new Verifier('algoguard', { secret, tolerance: 300 })
  // Replay protection: one process remembers deliveries in memory; several processes share a
  // RedisReplayGuard (hooksig/redis) passed in as `guard`.
  guard ??= new ReplayGuard({ verifier })
  const app = express()

  // An app-wide JSON parser is fine: `captureRawBody` keeps the exact bytes for the signature.
  app.use(express.json({ verify: captureRawBody }))

  // A retried delivery is answered 200 { status: 'duplicate' } without running the handler.
  app.post('/webhooks/algoguard', verifyWebhook(verifier, { guard }), async (req, res) => {
    // Only verified requests get here; act on the authenticated bytes.
    const event = JSON.parse(req.webhook.payload)
    // If this throws, Express answers 500 and the guard forgets the delivery for the retry.
    await onEvent(event, req.webhook)
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
