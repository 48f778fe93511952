import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Verifier, Verified, WebhookGuard, AnswerInput } from './index'

/** Options of `verifyWebhook`. */
export interface VerifyWebhookOptions {
  /**
   * The largest body accepted, in bytes (default 10 MiB): more gets the core's 413
   * `body_too_large` answer (from Content-Length, or as soon as the stream passes it).
   */
  limit?: number
  /**
   * A replay guard (`ReplayGuard`, `RedisReplayGuard`, or your own): a delivery already seen is
   * answered 200 `{"status":"duplicate"}` without calling the handler; the delivery is
   * forgotten again when the handler fails (the core's rule: it threw, or its response is not a
   * 2xx, or none is sent), confirmed otherwise.
   */
  guard?: WebhookGuard
  /**
   * The public base URL the sender posts to (e.g. `https://hooks.example.com`), for the schemes
   * that sign the request URL (`twilio`, `square`, `hubspot`; see `Verifier.signsRequestLine`):
   * the URL verified is this base and the request's path and query, joined with one `/`. Set it
   * behind a proxy or a load balancer, where the URL the application sees (`http://10.0.0.5:8000/...`)
   * is not the one the sender signed. Without it: the URL as received (`req.protocol`, the Host header, `req.originalUrl`). Ignored by the other schemes.
   */
  publicUrl?: string
}

/** A request after `verifyWebhook` passed it on. */
export interface WebhookRequest extends IncomingMessage {
  webhook: Verified
  rawBody?: Buffer | Uint8Array | string
}

/**
 * Express middleware: verifies the request, puts the `Verified` result on `req.webhook` and
 * calls `next()`; otherwise writes the core's receiver answer (`application/json`
 * `{"error":code,"message":description}`: 400/401 for a rejected request, 405 with
 * `Allow: POST` for another method, 413 over `limit`, 409/503 with Retry-After from the guard,
 * 500 `invalid_config` for a raw body a parser consumed); a verified Slack/Zoom/Twitch endpoint handshake is answered by the core (no handler, no guard). Never throws.
 */
export declare function verifyWebhook(
  verifier: Verifier,
  options?: VerifyWebhookOptions,
): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/** Writes a core answer (e.g. `Receiver.received(req.webhook)`): status, its content type, headers, body. */
export declare function sendAnswer(res: ServerResponse, answer: AnswerInput): void

/** The default `limit`: 10 MiB. */
export declare const DEFAULT_LIMIT: number

/** Use as `express.json({ verify: captureRawBody })` to keep the exact bytes on `req.rawBody`. */
export declare function captureRawBody(req: IncomingMessage, res: ServerResponse, buf: Buffer): void
