import type { Verifier, Verified, VerifyOptions, WebhookGuard, AnswerInput } from './index'

/** Options of `verifyRequest` and `withWebhook`. */
export interface RequestOptions extends Pick<VerifyOptions, 'now'> {
  /** A replay guard: `ReplayGuard`, `RedisReplayGuard`, or your own `WebhookGuard`. */
  guard?: WebhookGuard
  /**
   * The public base URL the sender posts to (e.g. `https://hooks.example.com`), for the schemes
   * that sign the request URL (`twilio`, `square`, `hubspot`; see `Verifier.signsRequestLine`):
   * the URL verified is this base and the request's path and query, joined with one `/`. Set it
   * behind a proxy or a load balancer, where the URL the application sees (`http://10.0.0.5:8000/...`)
   * is not the one the sender signed. Without it: `request.url`, with the Host header's host when there is one. Ignored by the other schemes.
   */
  publicUrl?: string
  /**
   * The largest body accepted, in bytes (default 10 MiB, as in hooksig/express): the body is
   * read chunk by chunk and abandoned as soon as it passes the limit (the core's 413
   * `body_too_large`).
   */
  limit?: number
}

/** The result of `verifyRequest`; `duplicate` is set when a guard was given. */
export interface RequestVerified extends Verified {
  /** With a guard: `true` for a delivery already seen (answer 200, skip the work). */
  duplicate?: boolean
}

/**
 * Reads the body (within `limit`) and verifies it with the request's headers. Resolves to the
 * `Verified` result; rejects with a `HooksigError` for a request that does not verify (or a
 * body over the limit: `body_too_large`, or already consumed: `invalid_config`).
 * With `guard`, the delivery is also checked and remembered (`duplicate`); call
 * `guard.forget(result.dedupeKey)` if your handling fails. `withWebhook` does this for you.
 * A vendor endpoint handshake is not answered here: it resolves as a `Verified` like any request.
 */
export declare function verifyRequest(
  verifier: Verifier,
  request: Request,
  options?: RequestOptions,
): Promise<RequestVerified>

/**
 * The core's answer for a `HooksigError`'s code as a `Response` (its status, Retry-After where
 * the core says, `{"error":code,"message":description}`); 500 `{"error":"internal"}` otherwise.
 */
export declare function errorResponse(err: unknown): Response

/** The core's 200 `{"status":"duplicate"}`: the answer to a delivery already handled. */
export declare function duplicateResponse(): Response

/** A core answer (e.g. `Receiver.received(webhook)`) as a `Response` (its `contentType`, default `application/json`). */
export declare function answerResponse(answer: AnswerInput): Response

/** The default `limit`: 10 MiB. */
export declare const DEFAULT_LIMIT: number

/**
 * A route handler that verifies the request and calls `handler(webhook, request, ...rest)` only
 * for a verified one; every other answer is the core's (405 for a method other than POST, 413,
 * 400/401 rejections, and with `guard` 200 duplicate, 409/503 with Retry-After); a verified Slack/Zoom/Twitch endpoint handshake is answered by the core (no handler, no guard).
 * With `guard`,
 * the delivery is forgotten again when the handler throws (re-thrown) or returns a non-2xx
 * response, and confirmed after a 2xx.
 */
export declare function withWebhook<Rest extends unknown[] = unknown[]>(
  verifier: Verifier,
  handler: (webhook: Verified, request: Request, ...rest: Rest) => Response | Promise<Response>,
  options?: RequestOptions,
): (request: Request, ...rest: Rest) => Promise<Response>
