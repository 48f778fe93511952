'use strict'
// What every integration (hooksig/express, /fetch, /fastify, /koa, /hono) shares: the policy's
// steps before the handler (`admit`, or `check` after a body read elsewhere), non-throwing
// verification and the replay-guard steps around the handler. Every answer is the core's
// receiver policy (native Receiver); an integration only reads the body and writes answers.

const { native, toHooksigError, fail, ARG, CONFIG } = require('./errors.js')
const { options, positiveInteger } = require('./options.js')
const { VERIFY_QUIET, VERIFY_QUIET_ASYNC } = require('./verifier.js')

// The receiver policy with the default limit, for answers that do not depend on the limit.
const POLICY = new native.Receiver()

// The core's answer to a rejected request depends on its code only: asked of the addon once
// per code (building it through napi on every forged request was half of its cost) and
// frozen, since every request with that code is handed the same object.
const REJECTED = new Map()

/** `{ error: code, answer }`: a request refused with `code`, and the core's answer to it. */
function refused(code) {
  let answer = REJECTED.get(code)
  if (answer === undefined) {
    answer = POLICY.rejected(code)
    answer.headers.forEach(Object.freeze)
    Object.freeze(answer.headers)
    Object.freeze(answer)
    if (REJECTED.size < 64) REJECTED.set(code, answer)
  }
  return { error: code, answer }
}

/** `{ error, answer }` for a thrown value (verifyAsync's rejection, a conversion failure). */
function quietFailure(err) {
  return refused(toHooksigError(err).code)
}

/**
 * The `Content-Type` every writer sets for a core answer: the core's (`answer.contentType`:
 * `application/json`, or `text/plain; charset=utf-8` for Twitch's challenge); `application/json`
 * for an answer object built without one (e.g. a handler's own `{ status, headers, body }`).
 */
function contentTypeOf(answer) {
  return typeof answer.contentType === 'string' ? answer.contentType : native.RECEIVER_CONTENT_TYPE
}

/**
 * `verifier.verify(headers, body, { now, url, method })` for the receivers, never throwing: the
 * `Verified` result, `{ error: code, answer }` (the core's answer) for a request that does not
 * verify, or (unless `handshake` is false) `{ answer, handshake: true }` for a verified vendor
 * endpoint handshake (Slack, Zoom, Twitch), which the core answers itself. `url` and `method`:
 * the request line (undefined unless the verifier signs it, see `requestLine`).
 */
function verifyQuiet(verifier, headers, body, now, handshake = true, url, method) {
  try {
    const result = verifier[VERIFY_QUIET](headers, body, now, handshake, url, method)
    return result.error === undefined ? result : refused(result.error)
  } catch (err) {
    return quietFailure(err)
  }
}

/** `verifyQuiet` on the libuv threadpool (large bodies), handshakes answered; never rejects. */
async function verifyQuietAsync(verifier, headers, body, now, url, method) {
  try {
    return await verifier[VERIFY_QUIET_ASYNC](headers, body, now, url, method)
  } catch (err) {
    return quietFailure(err)
  }
}

/**
 * The `publicUrl` option of the receivers, checked at setup: an absolute http(s) URL (the
 * public base URL the sender posts to, e.g. `https://hooks.example.com`), kept without its
 * trailing slashes; null when absent.
 */
function checkPublicUrl(where, value) {
  if (value === undefined || value === null) return null
  let parsed = null
  try {
    parsed = new URL(value)
  } catch {}
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    fail(CONFIG, `${where}: \`publicUrl\` must be an absolute http(s) URL such as https://hooks.example.com (the public base URL the sender posts to)`)
  }
  return value.replace(/\/+$/, '')
}

/**
 * The public URL of a request: `base` (checkPublicUrl's, trailing slashes trimmed) and the
 * request's path and query joined with exactly one `/` (the core's RequestLine::public_url).
 */
function publicUrl(base, pathAndQuery) {
  return `${base}/${pathAndQuery.replace(/^\/+/, '')}`
}

/**
 * The URL of the request line a verifier signs: with `route.publicUrl`, that base and
 * `request.path()` (the path and query as received); otherwise `request.url()`, the URL the
 * framework reports (scheme://host[:port]/path?query, from the Host header as received).
 * Called only when the verifier signs the request line.
 */
function requestUrl(route, request) {
  return route.publicUrl ? publicUrl(route.publicUrl, request.path()) : request.url()
}

/** The `guard` option of the receivers, checked at setup (null when absent). */
function checkGuard(where, guard) {
  if (guard === undefined || guard === null) return null
  if (typeof guard !== 'object' || typeof guard.checkAndRemember !== 'function' || typeof guard.forget !== 'function') {
    fail(ARG, `${where}: \`guard\` must be a ReplayGuard, a RedisReplayGuard or an object with checkAndRemember(key) and forget(key)`)
  }
  return guard
}

/**
 * A receiver's options (`spec`: `{ limit, guard, publicUrl }` and, for hooksig/fetch, `now`),
 * checked: the values, the core's receiver policy for `limit` (default DEFAULT_BODY_LIMIT,
 * 10 MiB), the guard (null when absent) and `publicUrl` (null when absent).
 */
function receiverOptions(where, opts, spec, required) {
  const checked = options(where, opts, spec, required) ?? {}
  const limit = checked.limit == null ? undefined : positiveInteger(where, 'limit', checked.limit)
  return {
    ...checked,
    receiver: new native.Receiver(limit),
    guard: checkGuard(where, checked.guard),
    publicUrl: checkPublicUrl(where, checked.publicUrl),
  }
}

/**
 * Asks a replay guard about a verified delivery's key; never rejects. The answer the core's
 * `Receiver.guarded` takes: 'new' | 'duplicate', 'in_progress' (the guard threw a
 * delivery_in_progress error: RedisReplayGuard's marker), 'unavailable' (any other failure).
 */
async function askGuard(guard, key, options) {
  try {
    return (await guard.checkAndRemember(key, options)) ? 'new' : 'duplicate'
  } catch (err) {
    return err !== null && typeof err === 'object' && err.code === 'delivery_in_progress' ? 'in_progress' : 'unavailable'
  }
}

/**
 * After the handler (`status` its HTTP status, `null` if it threw or sent nothing): the core
 * says keep (guard.confirm(key), when the guard has one) or release (guard.forget(key)).
 * Resolves once the guard answered; never rejects.
 */
async function settle(receiver, guard, key, status) {
  try {
    if (receiver.finished(status) === 'keep') {
      if (typeof guard.confirm === 'function') await guard.confirm(key)
    } else {
      await guard.forget(key)
    }
  } catch {}
}

/**
 * After the body was read: verification (`request.verify`, default verifyQuiet, with
 * `request.headers` and `request.now`, and, when the verifier signs the request line, the URL
 * (`requestUrl`: `request.url()` or `route.publicUrl` + `request.path()`) and `request.method`),
 * then the guard (asked with `request.guardOptions`).
 * Resolves `{ webhook }` (run the handler; with a guard, `settleOnce` after it) or `{ answer }`
 * (write it; the handler does not run). A vendor's endpoint handshake (Slack url_verification,
 * Zoom endpoint.url_validation, Twitch webhook_callback_verification) is `{ answer, handshake:
 * true }`, the core's answer, before the guard: no replay key is taken. Never rejects for a
 * request's fault.
 */
async function check(verifier, route, request, body) {
  const { receiver, guard } = route
  let url
  let method
  // Only for the schemes that sign it: the others' path (forged requests included) builds nothing.
  if (verifier.signsRequestLine) {
    url = requestUrl(route, request)
    method = request.signedMethod ?? request.method
  }
  const webhook = await (request.verify ?? verifyQuiet)(verifier, request.headers, body, request.now, true, url, method)
  if (webhook.answer !== undefined) return webhook
  if (guard) {
    // Only verified deliveries reach the guard: forged requests cannot burn ids.
    const stop = receiver.guarded(await askGuard(guard, webhook.dedupeKey, request.guardOptions))
    if (stop !== null) return { answer: stop }
  }
  return { webhook }
}

/**
 * The policy's steps before the handler, in order: the method and the declared length
 * (`request.method`, `request.contentLength`; `request.discard()` is called when that answers
 * early), the body (`request.read(receiver)` resolves `{ body }` or `{ answer }`), then `check`.
 */
async function admit(verifier, route, request) {
  const early = route.receiver.start(request.method, request.contentLength ?? null)
  if (early !== null) {
    request.discard?.()
    return { answer: early }
  }
  const got = await request.read(route.receiver)
  return got.answer !== undefined ? got : check(verifier, route, request, got.body)
}

/**
 * `settle` for one delivery, decided once: the first call's status (`null`: the handler threw
 * or sent nothing) keeps or releases the key; later calls return the same promise.
 */
function settleOnce(receiver, guard, key) {
  let settled = null
  return (status) => (settled ??= settle(receiver, guard, key, status))
}

/**
 * Runs what comes after a verified delivery (`run()`: the handler, or the rest of a middleware
 * chain) and, with `route.guard`, settles its key by the core's rule: a throw (re-thrown once
 * the key is released) fails; otherwise `statusOf(result)` is the status (`null`: failed).
 */
async function runGuarded({ receiver, guard }, webhook, run, statusOf) {
  if (!guard) return run()
  const settleWith = settleOnce(receiver, guard, webhook.dedupeKey)
  let result
  try {
    result = await run()
  } catch (err) {
    await settleWith(null)
    throw err
  }
  await settleWith(statusOf(result))
  return result
}

module.exports = {
  POLICY, contentTypeOf, verifyQuiet, verifyQuietAsync, quietFailure, receiverOptions, publicUrl, requestUrl,
  askGuard, settle, check, admit, settleOnce, runGuarded,
}
