// Type test for hooksig/fastify, hooksig/koa and hooksig/hono: `tsc --strict` on a user's file
// (test.sh). Not executed.
import Fastify from 'fastify'
import Koa from 'koa'
import { Hono } from 'hono'
import { serve } from '@hono/node-server'
import { Verifier, ReplayGuard, Receiver, type Verified } from 'hooksig'
import { fastifyWebhook, sendAnswer as sendFastify, type FastifyWebhookOptions } from 'hooksig/fastify'
import { verifyWebhook, sendAnswer as sendKoa, type WebhookState } from 'hooksig/koa'
import { webhook, answerResponse, type WebhookEnv } from 'hooksig/hono'
import { RedisReplayGuard } from 'hooksig/redis'
import { createClient } from 'redis'

const verifier = new Verifier('github', { secret: 'k' })
const guard = new ReplayGuard({ verifier })

// Fastify: declaration merging puts `webhook` on every FastifyRequest.
const app = Fastify()
app.register(fastifyWebhook, {
  verifier,
  guard,
  limit: 1024,
  url: '/webhooks/github',
  prefix: '/v1',
  handler: async (request, reply) => {
    const w: Verified = request.webhook
    // @ts-expect-error: a Verified, not any
    const notAny: string = request.webhook
    const id: string | null = w.id
    return sendFastify(reply, Receiver.received(w)).header('x-id', id ?? '')
  },
})
const options: FastifyWebhookOptions = { verifier, url: '/', handler: async (request) => ({ key: request.webhook.dedupeKey }) }
// @ts-expect-error: url is required
const noUrl: FastifyWebhookOptions = { verifier, handler: async () => 'x' }

// Koa: ctx.state.webhook is typed.
const koa = new Koa()
koa.use(verifyWebhook(verifier, { guard: new RedisReplayGuard(createClient(), { verifier }), limit: 10 }))
koa.use(async (ctx) => {
  const state: WebhookState = ctx.state as WebhookState
  sendKoa(ctx, Receiver.received(state.webhook))
})
const typed: Koa.Middleware<WebhookState> = async (ctx, next) => {
  const payload: Buffer = ctx.state.webhook.payload
  // @ts-expect-error: a Verified, not any
  const notAny: string = ctx.state.webhook
  ctx.body = { size: payload.length }
  await next()
}
koa.use(typed)
// @ts-expect-error: options are an object
verifyWebhook(verifier, 1024)

// Hono: c.get('webhook') is typed through the middleware's environment.
const hono = new Hono()
hono.all('/webhooks/github', webhook(verifier, { guard }), (c) => {
  const w: Verified = c.get('webhook')
  // @ts-expect-error: a Verified, not any
  const notAny: string = c.get('webhook')
  return c.json({ received: true, id: w.id })
})
const env = new Hono<WebhookEnv>()
env.use('/hook', webhook(verifier))
env.post('/hook', (c) => answerResponse(Receiver.received(c.get('webhook'))))
serve({ fetch: hono.fetch, port: 3000 })

// publicUrl (schemes that sign the request URL, behind a proxy) on every integration.
const twilio = new Verifier('twilio', { secret: 'token' })
const behindProxy: FastifyWebhookOptions = { verifier: twilio, url: '/twilio', publicUrl: 'https://hooks.example.com', handler: async () => 'ok' }
koa.use(verifyWebhook(twilio, { publicUrl: 'https://hooks.example.com' }))
hono.all('/twilio', webhook(twilio, { publicUrl: 'https://hooks.example.com' }), (c) => c.json({ id: c.get('webhook').id }))
// @ts-expect-error: publicUrl is a string
verifyWebhook(twilio, { publicUrl: new URL('https://hooks.example.com') })

void [options, noUrl, typed, env, behindProxy]
