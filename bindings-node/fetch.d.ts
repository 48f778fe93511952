import type { Verifier, Verified, VerifyOptions } from './index'

/**
 * Reads `await request.arrayBuffer()` and verifies it with the request's headers. Resolves to
 * the `Verified` result; rejects with a `HooksigError`.
 */
export declare function verifyRequest(
  verifier: Verifier,
  request: Request,
  options?: VerifyOptions,
): Promise<Verified>

/** A JSON `Response` `{ error: code }` with the status for the error (500 for non-hooksig errors). */
export declare function errorResponse(err: unknown): Response
