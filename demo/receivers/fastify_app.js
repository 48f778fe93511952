// Demo receiver: every scheme on Fastify, at /webhooks/<scheme>, with replay protection.
const Fastify = require('fastify')
const { Verifier, ReplayGuard, Receiver, schemes } = require('../../bindings-node')
const { fastifyWebhook, sendAnswer } = require('../../bindings-node/fastify')

// One secret for every scheme (demo/run.py signs with the same one), except where
// DEMO_SECRET_<SCHEME> is set: the public key of a public-key scheme (discord, sendgrid), whose
// private half demo/run.py signs with.
const secret = (scheme) =>
  process.env[`DEMO_SECRET_${scheme.toUpperCase().replace(/-/g, '_')}`] || process.env.DEMO_SECRET

// Schemes that sign the request URL (twilio, square, hubspot): with DEMO_PUBLIC_URL set
// (demo/run.py: https://demo.hooksig.invalid), the URL verified is that public base and the
// request's path, as behind a proxy; without it, the URL the receiver sees.
const publicUrl = process.env.DEMO_PUBLIC_URL || undefined

const app = Fastify()
// One encapsulated plugin per scheme: each reads its raw body itself (every content type, with
// its 10 MiB limit) and takes every method (the core's 405 with Allow: POST). Every answer is the
// core's; the handler answers the core's success body, the same in every demo receiver.
for (const scheme of schemes()) {
  const verifier = new Verifier(scheme, { secret: secret(scheme) })
  app.register(fastifyWebhook, {
    verifier,
    guard: new ReplayGuard({ verifier }),
    publicUrl,
    url: `/webhooks/${scheme}`,
    handler: async (request, reply) => sendAnswer(reply, Receiver.received(request.webhook)),
  })
}
app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' })
