// AlgoGuard webhook receiver with Express. Run: ALGOGUARD_SECRET=whsec_... node server.js
const express = require('express')
const { Verifier, ReplayGuard } = require('hooksig')
const { verifyWebhook } = require('hooksig/express')

function createApp({ secret, guard, onEvent = (event) => console.log('AlgoGuard event', event.event) }) {
  // Build the verifier once; a missing or malformed secret fails here, at start-up.
  const verifier = new Verifier('algoguard', { secret, tolerance: 300 })
  // Replay protection: one process remembers deliveries in memory; several processes share a
  // RedisReplayGuard (hooksig/redis) passed in as `guard`.
  guard ??= new ReplayGuard({ verifier })
  const app = express()

  // The webhook route comes before any body parser: verifyWebhook reads the raw body itself,
  // up to `limit` (10 MiB, the default; more is 413 { error: 'body_too_large' }). A parser
  // mounted first would apply its own limit (express.json: 100 kB) and answer HTML 413s.
  // app.all: a GET or PUT gets hooksig's 405 { error: 'method_not_allowed' } with Allow: POST.
  // A retried delivery is answered 200 { status: 'duplicate' } without running the handler.
  app.all('/webhooks/algoguard', verifyWebhook(verifier, { guard, limit: 10 * 1024 * 1024 }), async (req, res) => {
    // Only verified requests get here; act on the authenticated bytes.
    const event = JSON.parse(req.webhook.payload)
    // If this throws, Express answers 500 and the guard forgets the delivery for the retry.
    await onEvent(event, req.webhook)
    res.json({ received: true, id: req.webhook.id })
  })

  // The rest of the app can use an app-wide JSON parser (mounted after the webhook route).
  // (If it must come first, give it the limit and keep the raw bytes: express.json({ limit:
  //  '10mb', verify: captureRawBody }) with captureRawBody from hooksig/express.)
  app.use(express.json())
  return app
}

module.exports = { createApp }

if (require.main === module) {
  const port = Number(process.env.PORT || 3000)
  createApp({ secret: process.env.ALGOGUARD_SECRET }).listen(port, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${port}/webhooks/algoguard`)
  })
}
