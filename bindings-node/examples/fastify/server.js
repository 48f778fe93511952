// AlgoGuard webhook receiver with Fastify. Run: ALGOGUARD_SECRET=whsec_... node server.js
const Fastify = require('fastify')
const { Verifier, ReplayGuard } = require('hooksig')
const { fastifyWebhook } = require('hooksig/fastify')

function createApp({ secret, guard, onEvent = (event) => console.log('AlgoGuard event', event.event) }) {
  // Build the verifier once; a missing or malformed secret fails here, at start-up.
  const verifier = new Verifier('algoguard', { secret, tolerance: 300 })
  // Replay protection: one process remembers deliveries in memory; several processes share a
  // RedisReplayGuard (hooksig/redis) passed in as `guard`.
  guard ??= new ReplayGuard({ verifier })
  const app = Fastify()

  // The plugin registers the webhook route in its own encapsulated scope: its content-type
  // parser (every type, raw bytes, up to `limit`: 10 MiB, the default; more is 413
  // { error: 'body_too_large' }) serves this route only. The route takes every method: a GET
  // gets hooksig's 405 { error: 'method_not_allowed' } with Allow: POST. A retried delivery is
  // answered 200 { status: 'duplicate' } without running the handler.
  app.register(fastifyWebhook, {
    verifier,
    guard,
    limit: 10 * 1024 * 1024,
    url: '/webhooks/algoguard',
    handler: async (request) => {
      // Only verified requests get here; act on the authenticated bytes.
      const event = JSON.parse(request.webhook.payload)
      // If this throws, Fastify answers 500 and the guard forgets the delivery for the retry.
      await onEvent(event, request.webhook)
      return { received: true, id: request.webhook.id }
    },
  })

  // The rest of the app keeps Fastify's own JSON parser and bodyLimit.
  app.post('/api/echo', async (request) => request.body)
  return app
}

module.exports = { createApp }

if (require.main === module) {
  const port = Number(process.env.PORT || 3000)
  createApp({ secret: process.env.ALGOGUARD_SECRET })
    .listen({ port, host: '127.0.0.1' })
    .then((address) => console.log(`listening on ${address}/webhooks/algoguard`))
}
