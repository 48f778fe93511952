// AlgoGuard webhook receiver with Koa. Run: ALGOGUARD_SECRET=whsec_... node server.js
const Koa = require('koa')
const { Verifier, ReplayGuard } = require('hooksig')
const { verifyWebhook } = require('hooksig/koa')

function createApp({ secret, guard, onEvent = (event) => console.log('AlgoGuard event', event.event) }) {
  // Build the verifier once; a missing or malformed secret fails here, at start-up.
  const verifier = new Verifier('algoguard', { secret, tolerance: 300 })
  // Replay protection: one process remembers deliveries in memory; several processes share a
  // RedisReplayGuard (hooksig/redis) passed in as `guard`.
  guard ??= new ReplayGuard({ verifier })
  const app = new Koa()

  // verifyWebhook reads the raw body itself, up to `limit` (10 MiB, the default; more is 413
  // { error: 'body_too_large' }): no body parser needed. Mount it before any body parser
  // (koa-bodyparser first would apply its own limit; one that keeps no raw bytes gets
  // hooksig's 500 { error: 'invalid_config' }). Every method reaches it (with @koa/router:
  // router.all): a GET gets hooksig's 405 with Allow: POST. A retried delivery is answered
  // 200 { status: 'duplicate' } without running the handler.
  const verify = verifyWebhook(verifier, { guard, limit: 10 * 1024 * 1024 })
  app.use((ctx, next) => {
    if (ctx.path !== '/webhooks/algoguard') return next()
    return verify(ctx, async () => {
      // Only verified requests get here; act on the authenticated bytes.
      const { webhook } = ctx.state
      const event = JSON.parse(webhook.payload)
      // If this throws, Koa answers 500 and the guard forgets the delivery for the retry.
      await onEvent(event, webhook)
      ctx.body = { received: true, id: webhook.id }
    })
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
