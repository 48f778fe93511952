'use strict'
// hooksig/fetch: verification for Fetch-API runtimes (Next.js route handlers, Hono, Deno-style
// servers, Node's own Request/Response).

const { HooksigError, _internal } = require('./index.js')

// Bodies at least this large are hashed on the libuv threadpool (verifyAsync) so the event loop
// stays free; smaller ones are verified inline, which is faster than the thread hop.
const ASYNC_THRESHOLD = 1024 * 1024

/**
 * Reads `await request.arrayBuffer()` and verifies it with the request's headers. Resolves to
 * the `Verified` result; rejects with a `HooksigError` (never anything else).
 */
async function verifyRequest(verifier, request, options) {
  if (!request || typeof request.arrayBuffer !== 'function' || !request.headers) {
    throw new HooksigError('invalid_config', 'verifyRequest(verifier, request): expected a Fetch API Request')
  }
  let body
  try {
    body = await request.arrayBuffer()
  } catch {
    throw new HooksigError(
      'invalid_config',
      'the request body could not be read (was it already consumed by request.json() or request.text()?)',
    )
  }
  try {
    if (body.byteLength >= ASYNC_THRESHOLD) {
      return await verifier.verifyAsync(request.headers, body, options)
    }
    return verifier.verify(request.headers, body, options)
  } catch (err) {
    throw _internal.toHooksigError(err)
  }
}

/**
 * A `Response` for a failed verification: the status from the core's table (400, 401, 500) and
 * the JSON body `{ error: code }`. Any other error becomes 500 `{ error: 'internal_error' }`.
 */
function errorResponse(err) {
  const known = err instanceof HooksigError
  const status = known ? err.status : 500
  const payload = { error: known ? err.code : 'internal_error' }
  return new Response(JSON.stringify(payload), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  })
}

module.exports = { verifyRequest, errorResponse }
