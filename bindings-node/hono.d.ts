import type { MiddlewareHandler } from 'hono'
import type { Verifier, Verified, AnswerInput } from './index'
import type { RequestOptions } from './fetch'

/** The Hono environment `webhook()` adds: `c.get('webhook')` is the verified delivery. */
export type WebhookEnv = { Variables: { webhook: Verified } }

/**
 * Hono middleware (on @hono/node-server, Bun, Deno): reads the body of `c.req.raw` within
 * `limit` (default 10 MiB), verifies it, `c.set('webhook', verified)` and awaits `next()`;
 * otherwise answers the core's receiver policy (400/401, 405 with `Allow: POST`, 413, and with
 * `guard` 200 duplicate, 409/503 with Retry-After); a verified Slack/Zoom/Twitch endpoint handshake is answered by the core (no handler, no guard).
 * With `guard`, the delivery is forgotten
 * again when the handler threw (Hono's onError answered) or answered a non-2xx, confirmed
 * otherwise. Read `c.get('webhook').payload`: the body stream is consumed.
 */
export declare function webhook(verifier: Verifier, options?: RequestOptions): MiddlewareHandler<WebhookEnv>

/** A core answer (e.g. `Receiver.received(c.get('webhook'))`) as a `Response` (its `contentType`, default `application/json`). */
export declare function answerResponse(answer: AnswerInput): Response

/** The default `limit`: 10 MiB. */
export declare const DEFAULT_LIMIT: number
