// app/api/webhooks/stripe/events.js: your application's webhook logic. Here it only records what it handled.
export const handled = []

export async function handleStripeEvent(event) {
  handled.push({ id: event.id, type: event.type })
}
