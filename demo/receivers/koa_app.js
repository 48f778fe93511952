// Demo receiver: every scheme on Koa, at /webhooks/<scheme>, with replay protection.
const Koa = require('koa')
const { Verifier, ReplayGuard, Receiver, schemes } = require('../../bindings-node')
const { verifyWebhook, sendAnswer } = require('../../bindings-node/koa')

// One secret for every scheme (demo/run.py signs with the same one), except where
// DEMO_SECRET_<SCHEME> is set: the public key of a public-key scheme (discord, sendgrid), whose
// private half demo/run.py signs with.
const secret = (scheme) =>
  process.env[`DEMO_SECRET_${scheme.toUpperCase().replace(/-/g, '_')}`] || process.env.DEMO_SECRET

// Schemes that sign the request URL (twilio, square, hubspot): with DEMO_PUBLIC_URL set
// (demo/run.py: https://demo.hooksig.invalid), the URL verified is that public base and the
// request's path, as behind a proxy; without it, the URL the receiver sees.
const publicUrl = process.env.DEMO_PUBLIC_URL || undefined

const routes = new Map()
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  routes.set(`/webhooks/${scheme}`, verifyWebhook(verifier, { guard: new ReplayGuard({ verifier }), publicUrl }))
}

const app = new Koa()
// No body parser: verifyWebhook reads the raw body itself (with its 10 MiB limit); every method
// reaches it (the core's 405 with Allow: POST). Every answer is the core's; the handler answers
// the core's success body, the same in every demo receiver.
app.use((ctx, next) => {
  const verify = routes.get(ctx.path)
  if (!verify) return next()
  return verify(ctx, async () => sendAnswer(ctx, Receiver.received(ctx.state.webhook)))
})
app.listen(Number(process.argv[2]), '127.0.0.1')
