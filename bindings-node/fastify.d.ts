import type { FastifyPluginAsync, FastifyReply, RouteHandlerMethod } from 'fastify'
import type { Verifier, Verified, WebhookGuard, AnswerInput } from './index'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The verified delivery, set by hooksig/fastify before its route's handler runs (`null` on
     * other routes). Parse `webhook.payload`, the authenticated bytes.
     */
    webhook: Verified
  }
}

/** Options of `app.register(fastifyWebhook, options)` (Fastify's own, e.g. `prefix`, also apply). */
export interface FastifyWebhookOptions {
  /** The verifier of the route's deliveries. */
  verifier: Verifier
  /** The route's path; it takes every method, so a GET gets the core's 405. */
  url: string
  /** Runs only for a verified request, with `request.webhook` set (and the raw bytes on `request.body`). */
  handler: RouteHandlerMethod
  /**
   * The largest body accepted, in bytes (default 10 MiB): more gets the core's 413
   * `body_too_large` (from Content-Length, or as soon as the stream passes it). Fastify's
   * `bodyLimit` does not apply to this route.
   */
  limit?: number
  /**
   * A replay guard (`ReplayGuard`, `RedisReplayGuard`, or your own): a delivery already seen is
   * answered 200 `{"status":"duplicate"}` without calling the handler; the delivery is
   * forgotten again when the handler fails (it threw, or its status is not a 2xx, or the
   * request was aborted), confirmed otherwise, before the response is sent.
   */
  guard?: WebhookGuard
  /**
   * The public base URL the sender posts to (e.g. `https://hooks.example.com`), for the schemes
   * that sign the request URL (`twilio`, `square`, `hubspot`; see `Verifier.signsRequestLine`):
   * the URL verified is this base and the request's path and query, joined with one `/`. Set it
   * behind a proxy or a load balancer, where the URL the application sees (`http://10.0.0.5:8000/...`)
   * is not the one the sender signed. Without it: the URL as received (`request.protocol`, the Host header, `request.originalUrl`). Ignored by the other schemes.
   */
  publicUrl?: string
}

/**
 * The plugin, encapsulated: its content-type parser (every type, and none, as raw bytes within
 * `limit`) applies to its own route only. Every answer other than the handler's is the core's
 * receiver policy (`application/json` `{"error":code,"message":description}`: 400/401 for a
 * rejected request, 405 with `Allow: POST`, 413 over `limit`, 409/503 with Retry-After from the
 * guard); a verified Slack/Zoom/Twitch endpoint handshake is answered by the core (no handler, no guard).
 */
export declare const fastifyWebhook: FastifyPluginAsync<FastifyWebhookOptions>

/** Writes a core answer (e.g. `Receiver.received(request.webhook)`): status, its content type, headers, body. */
export declare function sendAnswer(reply: FastifyReply, answer: AnswerInput): FastifyReply

/** The default `limit`: 10 MiB. */
export declare const DEFAULT_LIMIT: number
