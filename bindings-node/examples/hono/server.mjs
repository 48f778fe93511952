// AlgoGuard webhook receiver with Hono on Node. Run: ALGOGUARD_SECRET=whsec_... node server.mjs
import { pathToFileURL } from 'node:url'
import { Hono } from 'hono'
import { serve } from '@hono/node-server'
import { Verifier, ReplayGuard } from 'hooksig'
import { webhook } from 'hooksig/hono'

export function createApp({ secret, guard, onEvent = (event) => console.log('AlgoGuard event', event.event) }) {
  // Build the verifier once; a missing or malformed secret fails here, at start-up.
  const verifier = new Verifier('algoguard', { secret, tolerance: 300 })
  // Replay protection: one process remembers deliveries in memory; several processes share a
  // RedisReplayGuard (hooksig/redis) passed in as `guard`.
  guard ??= new ReplayGuard({ verifier })
  const app = new Hono()

  // webhook() reads the body up to `limit` (10 MiB, the default; more is 413
  // { error: 'body_too_large' }). app.all: a GET gets hooksig's 405 with Allow: POST. A retried
  // delivery is answered 200 { status: 'duplicate' } without running the handler.
  app.all('/webhooks/algoguard', webhook(verifier, { guard, limit: 10 * 1024 * 1024 }), async (c) => {
    // Only verified requests get here; act on the authenticated bytes (the body stream is read).
    const verified = c.get('webhook')
    const event = JSON.parse(verified.payload)
    // If this throws, Hono answers 500 and the guard forgets the delivery for the retry.
    await onEvent(event, verified)
    return c.json({ received: true, id: verified.id })
  })
  return app
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT || 3000)
  serve({ fetch: createApp({ secret: process.env.ALGOGUARD_SECRET }).fetch, port, hostname: '127.0.0.1' }, () => {
    console.log(`listening on http://127.0.0.1:${port}/webhooks/algoguard`)
  })
}
