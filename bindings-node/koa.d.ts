import type { Middleware, ParameterizedContext } from 'koa'
import type { Verifier, Verified, WebhookGuard, AnswerInput } from './index'

/** Options of `verifyWebhook`. */
export interface KoaWebhookOptions {
  /**
   * The largest body accepted, in bytes (default 10 MiB): more gets the core's 413
   * `body_too_large` (from Content-Length, or as soon as the stream passes it).
   */
  limit?: number
  /**
   * A replay guard (`ReplayGuard`, `RedisReplayGuard`, or your own): a delivery already seen is
   * answered 200 `{"status":"duplicate"}` without calling `next()`; after `next()` the delivery
   * is forgotten again when it threw or `ctx.status` is not a 2xx, confirmed otherwise.
   */
  guard?: WebhookGuard
  /**
   * The public base URL the sender posts to (e.g. `https://hooks.example.com`), for the schemes
   * that sign the request URL (`twilio`, `square`, `hubspot`; see `Verifier.signsRequestLine`):
   * the URL verified is this base and the request's path and query, joined with one `/`. Set it
   * behind a proxy or a load balancer, where the URL the application sees (`http://10.0.0.5:8000/...`)
   * is not the one the sender signed. Without it: the URL as received (`ctx.protocol`, the Host header, `ctx.originalUrl`). Ignored by the other schemes.
   */
  publicUrl?: string
}

/** `ctx.state` after `verifyWebhook` passed the request on. */
export interface WebhookState {
  webhook: Verified
}

/**
 * Koa middleware: reads the raw body itself (no body parser needed; bytes a parser kept on
 * `ctx.request.rawBody` are used, a stream a parser consumed without keeping them is the core's
 * 500 `invalid_config`), verifies it, puts the `Verified` result on `ctx.state.webhook` and
 * awaits `next()`; otherwise answers the core's receiver policy (400/401, 405 with
 * `Allow: POST`, 413, 409/503 with Retry-After from the guard); a verified Slack/Zoom/Twitch endpoint handshake is answered by the core (no handler, no guard).
 * Never throws for a request.
 */
export declare function verifyWebhook<StateT = unknown>(verifier: Verifier, options?: KoaWebhookOptions): Middleware<StateT & WebhookState>

/** Writes a core answer (e.g. `Receiver.received(ctx.state.webhook)`): status, its content type, headers, body. */
export declare function sendAnswer(ctx: ParameterizedContext<any, any, any>, answer: AnswerInput): void

/** The default `limit`: 10 MiB. */
export declare const DEFAULT_LIMIT: number
