// app/api/webhooks/stripe/route.js: a Next.js route handler (any Fetch-API runtime works).
import { Verifier, ReplayGuard } from 'hooksig'
import { withWebhook } from 'hooksig/fetch'
import { handleStripeEvent } from './events.js'

export const runtime = 'nodejs' // hooksig is a native addon: not for the Edge runtime

// Unverified requests get 400/401 { error: code }; a retried delivery gets 200
// { status: 'duplicate' } without running the handler; a handler that throws releases it.
function stripeRoute() {
  const verifier = new Verifier('stripe', { secret: process.env.STRIPE_WEBHOOK_SECRET })
  return withWebhook(verifier, async (webhook) => {
    const event = JSON.parse(webhook.payload)
    await handleStripeEvent(event)
    return Response.json({ received: true, id: webhook.id })
  }, { guard: new ReplayGuard({ verifier }) }) // one process; several share a RedisReplayGuard
}

// Built on the first request: `next build` loads this module too, where the secret is not set.
let route
export function POST(request) {
  route ??= stripeRoute()
  return route(request)
}
