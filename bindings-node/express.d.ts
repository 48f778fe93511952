import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Verifier, Verified, WebhookGuard } from './index'

/** Options of `verifyWebhook`. */
export interface VerifyWebhookOptions {
  /**
   * The largest body accepted, in bytes (default 10 MiB): more is answered 413
   * `{ error: 'body_too_large' }` (from Content-Length, or as soon as the stream passes it).
   */
  limit?: number
  /**
   * A replay guard (`ReplayGuard`, `RedisReplayGuard`, or your own): a delivery already seen is
   * answered 200 `{ status: 'duplicate' }` without calling the handler; the delivery is
   * forgotten again when the handler's response is not a 2xx (or none is sent).
   */
  guard?: WebhookGuard
}

/** A request after `verifyWebhook` passed it on. */
export interface WebhookRequest extends IncomingMessage {
  webhook: Verified
  rawBody?: Buffer | Uint8Array | string
}

/**
 * Express middleware: verifies the request, puts the `Verified` result on `req.webhook` and
 * calls `next()`; otherwise answers 400/401 (500 for a configuration error or a raw body that
 * a parser consumed) with JSON `{ error: code }`; 405 (`Allow: POST`) for another method, 413
 * over `limit`, 503 + Retry-After when the guard's store is unavailable (409 while another
 * request processes the delivery). Never throws.
 */
export declare function verifyWebhook(
  verifier: Verifier,
  options?: VerifyWebhookOptions,
): (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

/** Use as `express.json({ verify: captureRawBody })` to keep the exact bytes on `req.rawBody`. */
/** The default `limit`: 10 MiB. */
export declare const DEFAULT_LIMIT: number

export declare function captureRawBody(req: IncomingMessage, res: ServerResponse, buf: Buffer): void
