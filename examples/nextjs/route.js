// app/api/webhooks/stripe/route.js: a Next.js route handler (any Fetch-API runtime works).
import { Verifier } from 'hooksig'
import { verifyRequest, errorResponse } from 'hooksig/fetch'
import { handleStripeEvent } from './events.js'

export const runtime = 'nodejs' // hooksig is a native addon: not for the Edge runtime

const verifier = new Verifier('stripe', { secret: process.env.STRIPE_WEBHOOK_SECRET })

export async function POST(request) {
  let webhook
  try {
    webhook = await verifyRequest(verifier, request)
  } catch (err) {
    return errorResponse(err) // 400/401 with { error: code }
  }
  const event = JSON.parse(webhook.payload)
  await handleStripeEvent(event)
  return Response.json({ received: true, id: webhook.id })
}
