// lib/events.js: your application's webhook logic. Here it only records what it handled.
export const handled = []

export async function handleGitHubEvent(type, event, deliveryId) {
  handled.push({ type, deliveryId, action: event.action ?? null })
}
