import type { Verifier, Verified, VerifyOptions, WebhookGuard } from './index'

/** Options of `verifyRequest` and `withWebhook`. */
export interface RequestOptions extends VerifyOptions {
  /** A replay guard: `ReplayGuard`, `RedisReplayGuard`, or your own `WebhookGuard`. */
  guard?: WebhookGuard
  /**
   * The largest body accepted, in bytes (default 10 MiB, as in hooksig/express): the body is
   * read chunk by chunk and abandoned as soon as it passes the limit (413 `body_too_large`).
   */
  limit?: number
}

/** The result of `verifyRequest`; `duplicate` is set when a guard was given. */
export interface RequestVerified extends Verified {
  /** With a guard: `true` for a delivery already seen (answer 200, skip the work). */
  duplicate?: boolean
}

/**
 * Reads `await request.arrayBuffer()` and verifies it with the request's headers. Resolves to
 * the `Verified` result; rejects with a `HooksigError` for a request that does not verify.
 * With `guard`, the delivery is also checked and remembered (`duplicate`); call
 * `guard.forget(result.dedupeKey)` if your handling fails. `withWebhook` does this for you.
 */
export declare function verifyRequest(
  verifier: Verifier,
  request: Request,
  options?: RequestOptions,
): Promise<RequestVerified>

/** A JSON `Response` `{ error: code }` with the status for the error (500 `internal` for non-hooksig errors). */
export declare function errorResponse(err: unknown): Response

/** 200 `{ status: 'duplicate' }`: the answer to a delivery already handled. */
export declare function duplicateResponse(): Response

/** The default `limit`: 10 MiB. */
export declare const DEFAULT_LIMIT: number

/**
 * A route handler that verifies the request and calls `handler(webhook, request, ...rest)` only
 * for a verified one. With `guard`, a duplicate gets 200 `{ status: 'duplicate' }` without the
 * handler running, and the delivery is forgotten again when the handler throws or returns a
 * non-2xx response.
 */
export declare function withWebhook<Rest extends unknown[] = unknown[]>(
  verifier: Verifier,
  handler: (webhook: Verified, request: Request, ...rest: Rest) => Response | Promise<Response>,
  options?: RequestOptions,
): (request: Request, ...rest: Rest) => Promise<Response>
