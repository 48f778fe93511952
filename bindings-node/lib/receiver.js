'use strict'
// What every integration (hooksig/express, /fetch, /fastify, /koa, /hono) shares. They are
// adapters: every status, header and body they write is the core's receiver policy (native
// Receiver, hooksig::receive, README "Receiver policy"); an integration only reads the body and
// writes answers.

const { native, toHooksigError, fail, ARG, CONFIG } = require('./errors.js')
const { options, positiveInteger } = require('./options.js')
const { VERIFY_QUIET, VERIFY_QUIET_ASYNC } = require('./verifier.js')

// The receiver policy with the default limit, for answers that do not depend on the limit.
const POLICY = new native.Receiver()

// The core's answer to a rejected request, asked of the addon once per code (building it on
// every forged request was half of its cost) and frozen: every such request shares it.
const REJECTED = new Map()

/** `{ error: code, answer }`: a request refused with `code`, and the core's answer to it. */
function refused(code) {
  let answer = REJECTED.get(code)
  if (answer === undefined) {
    answer = POLICY.rejected(code)
    Object.freeze(answer.headers).forEach(Object.freeze)
    Object.freeze(answer)
    if (REJECTED.size < 64) REJECTED.set(code, answer)
  }
  return { error: code, answer }
}

/** `{ error, answer }` for a thrown value (verifyAsync's rejection, a conversion failure). */
const quietFailure = (err) => refused(toHooksigError(err).code)

/** The `Content-Type` of an answer: the core's, or `application/json` for one without it. */
const contentTypeOf = (answer) => (typeof answer.contentType === 'string' ? answer.contentType : native.RECEIVER_CONTENT_TYPE)

/**
 * `verifier.verify(headers, body, { now, url, method })`, never throwing: the `Verified` result,
 * `{ error: code, answer }` for a request that does not verify, or (unless `handshake` is false)
 * `{ answer, handshake: true }` for a vendor's endpoint handshake, which the core answers.
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

/** The `publicUrl` option (the base URL the sender posts to): trailing slashes trimmed, or null. */
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

/** `base` and a request's path and query joined with one `/` (the core's RequestLine::public_url). */
const publicUrl = (base, pathAndQuery) => `${base}/${pathAndQuery.replace(/^\/+/, '')}`

/**
 * The signed request line's URL: `route.publicUrl` + `request.path()` (path and query as
 * received), else `request.url()` (scheme://host[:port]/path?query, Host header as received).
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

/** A receiver's options (`spec`), checked, with the core's `receiver` policy for `limit`. */
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

/** A guard's answer for `Receiver.guarded`: new, duplicate, in_progress or unavailable; never rejects. */
async function askGuard(guard, key, options) {
  try {
    return (await guard.checkAndRemember(key, options)) ? 'new' : 'duplicate'
  } catch (err) {
    return err !== null && typeof err === 'object' && err.code === 'delivery_in_progress' ? 'in_progress' : 'unavailable'
  }
}

/** After the handler (`status`; `null`: it threw or sent nothing): the core's keep or release. */
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
 * After the body was read: verification (`request.verify`, default verifyQuiet), then the guard
 * (with `request.guardOptions`). Resolves `{ webhook }` (run the handler) or `{ answer }` (write
 * it); a vendor's handshake is answered before the guard. Never rejects for a request's fault.
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
 * The policy's steps before the handler: method and declared length (`request.discard()` when
 * that answers), the body (`request.read(receiver)`: `{ body }` or `{ answer }`), then `check`.
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

/** `settle` for one delivery, decided by the first call; later calls return the same promise. */
function settleOnce(receiver, guard, key) {
  let settled = null
  return (status) => (settled ??= settle(receiver, guard, key, status))
}

/** `run()` (the handler) and, with a guard, the settling of its key: a throw or `statusOf(result)`. */
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
