'use strict'
// hooksig for Node.js: the public entry point.
//
// The cryptography, the header rules and the error vocabulary live in the Rust core; the napi
// addon (`native.js` loads `hooksig.<platform>.node`) converts types. This file only
//   1. turns the header and body shapes JavaScript code holds into what the addon takes
//      (a flat [name, value, ...] string array and a Uint8Array view, no copy of the body),
//   2. checks argument types, so that a wrong type is a HooksigError('invalid_argument') rather
//      than a TypeError from the conversion layer, and
//   3. re-throws every failure as a HooksigError (code, header, status).
// The types of everything exported here are in index.d.ts, generated from the Rust source.

const native = require('./native.js')

const CONFIG = 'invalid_config'
// A wrong type or an out-of-range number passed to a function: a programming error.
const ARG = 'invalid_argument'
const SECRET = 'invalid_secret'

/** Every failure hooksig reports. */
class HooksigError extends Error {
  constructor(code, message, header) {
    super(message == null ? (native.describeError(String(code)) ?? String(code)) : String(message))
    this.code = code
    this.header = header ?? null
    this.status = native.httpStatus(String(code)) ?? 500
  }
}
Object.defineProperty(HooksigError.prototype, 'name', {
  value: 'HooksigError',
  writable: true,
  configurable: true,
})

/**
 * Any thrown value as a HooksigError; never copies a foreign message (it could echo a value).
 * The addon throws objects marked `hooksig: true` (a core error, or a caught panic: code
 * 'internal'); a plain napi `GenericFailure` is a panic napi's `catch_unwind` caught outside a
 * core call, or the addon's fallback "code: message" error; any other failure is napi refusing
 * to convert an argument.
 */
function toHooksigError(err) {
  if (err instanceof HooksigError) return err
  if (err === null || typeof err !== 'object') return new HooksigError(ARG, CONVERSION)
  if (err.hooksig === true && typeof err.code === 'string') return new HooksigError(err.code, err.message, err.header)
  if (err.code === 'GenericFailure') {
    const code = /^([a-z_]+): /.exec(String(err.message))?.[1]
    if (code !== undefined && native.httpStatus(code) !== null) return new HooksigError(code, err.message.slice(code.length + 2))
    return new HooksigError(native.INTERNAL_ERROR_CODE, 'internal error: hooksig panicked (a bug; please report it)')
  }
  return new HooksigError(ARG, CONVERSION)
}

const CONVERSION = 'an argument could not be converted for the native addon'

function guard(fn) {
  try {
    return fn()
  } catch (err) {
    throw toHooksigError(err)
  }
}

function typeName(value) {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function fail(code, message) {
  throw new HooksigError(code, message)
}

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function checkKeys(where, obj, allowed) {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      fail(CONFIG, `${where}: unknown option \`${key.slice(0, 64)}\` (known: ${allowed.join(', ')})`)
    }
  }
}

function optionalType(where, obj, key, type) {
  const value = obj[key]
  if (value === undefined || value === null) return undefined
  if (type === 'integer') {
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      fail(ARG, `${where}: \`${key}\` is out of range: ${value} is not a safe integer (at most 2 ** 53 - 1 in magnitude)`)
    }
    if (typeof value === 'bigint') {
      fail(ARG, `${where}: \`${key}\` must be a number (an integer), got bigint`)
    }
    if (!Number.isSafeInteger(value)) fail(ARG, `${where}: \`${key}\` must be an integer, got ${typeName(value)}${typeof value === 'number' ? ` ${value}` : ''}`)
  } else if (typeof value !== type) {
    fail(ARG, `${where}: \`${key}\` must be a ${type}, got ${typeName(value)}`)
  }
  return value
}

// ---- headers ---------------------------------------------------------------------------------

function pushValue(flat, name, value, where) {
  if (value === undefined || value === null) return
  if (typeof value === 'string') {
    flat.push(name, value)
  } else if (typeof value === 'number') {
    flat.push(name, String(value))
  } else if (value instanceof Uint8Array) {
    // Header bytes, one character per byte (latin1), the way Node's HTTP parser presents them.
    flat.push(name, Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1'))
  } else if (Array.isArray(value)) {
    for (const v of value) pushValue(flat, name, v, where)
  } else {
    fail(ARG, `${where}: the value of header \`${name.slice(0, 64)}\` must be a string, a number, a Uint8Array or an array of them, got ${typeName(value)}`)
  }
}

function pushPair(flat, pair, where) {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
    fail(ARG, `${where}: header pairs must be [name, value] arrays`)
  }
  pushValue(flat, pair[0], pair[1], where)
}

/**
 * Headers in any supported shape as the flat [name, value, ...] array the addon takes:
 * `[name, value][]` (or any iterable of pairs, e.g. a Map), a Fetch `Headers` (anything with
 * `forEach(value, name)`), or a plain object such as Node's IncomingHttpHeaders.
 */
function flatHeaders(headers, where = 'verify()') {
  const flat = []
  if (Array.isArray(headers)) {
    for (const pair of headers) pushPair(flat, pair, where)
  } else if (headers !== null && typeof headers === 'object') {
    if (typeof headers.forEach === 'function' && !isPlainObject(headers)) {
      headers.forEach((value, name) => {
        if (typeof name !== 'string') fail(ARG, `${where}: header names must be strings`)
        pushValue(flat, name, value, where)
      })
    } else if (typeof headers[Symbol.iterator] === 'function') {
      for (const pair of headers) pushPair(flat, pair, where)
    } else {
      for (const name of Object.keys(headers)) pushValue(flat, name, headers[name], where)
    }
  } else {
    fail(ARG, `${where}: headers must be an object, a Fetch Headers or [name, value] pairs, got ${typeName(headers)}`)
  }
  return flat
}

/**
 * Value checks for a header `verify` does not read: the same type rules as pushValue (so a
 * wrong type anywhere is still invalid_config), without building strings.
 */
function checkValue(name, value, where) {
  if (typeof value === 'string' || value === undefined || value === null || typeof value === 'number' || value instanceof Uint8Array) return
  if (Array.isArray(value)) {
    for (const v of value) checkValue(name, v, where)
    return
  }
  pushValue(null, name, value, where) // throws the same error as for a header that is read
}

// Header names remembered per Verifier (see pickValue), at most this many.
const NAME_CACHE_MAX = 1024

function pickValue(picked, names, name, value, where) {
  // `names` maps the lower-case names the verifier reads to true, and remembers the answer for
  // other names seen (bounded), so a request's usual headers cost one lookup each. The core
  // matches ASCII case-insensitively, so any name it could match lower-cases to one of the
  // names (a non-ASCII name that also does is passed on and simply never matches in the core).
  let read = names.get(name)
  if (read === undefined) {
    read = names.get(name.toLowerCase()) === true
    if (names.size < NAME_CACHE_MAX) names.set(name, read)
  }
  if (read) pushValue(picked, name, value, where)
  else checkValue(name, value, where)
}

function pickPair(picked, names, pair, where) {
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
    fail(ARG, `${where}: header pairs must be [name, value] arrays`)
  }
  pickValue(picked, names, pair[0], pair[1], where)
}

/**
 * Like flatHeaders, but keeps only the headers named in `names` (see pickValue: every header
 * the verifier can read), in their order, every value of a repeated header kept.
 * The addon then converts 2-4 strings instead of every header of the request.
 */
function pickHeaders(headers, names, where) {
  const picked = []
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i++) pickPair(picked, names, headers[i], where)
  } else if (headers !== null && typeof headers === 'object') {
    if (typeof headers.forEach === 'function' && !isPlainObject(headers)) {
      headers.forEach((value, name) => {
        if (typeof name !== 'string') fail(ARG, `${where}: header names must be strings`)
        pickValue(picked, names, name, value, where)
      })
    } else if (typeof headers[Symbol.iterator] === 'function') {
      for (const pair of headers) pickPair(picked, names, pair, where)
    } else {
      const keys = Object.keys(headers)
      for (let i = 0; i < keys.length; i++) pickValue(picked, names, keys[i], headers[keys[i]], where)
    }
  } else {
    fail(ARG, `${where}: headers must be an object, a Fetch Headers or [name, value] pairs, got ${typeName(headers)}`)
  }
  return picked
}

// ---- body ------------------------------------------------------------------------------------

/** The body as a Uint8Array over the caller's bytes (no copy), or UTF-8 for a string. */
function bodyBytes(body, where = 'verify()') {
  if (body instanceof Uint8Array && body.constructor !== Uint8ClampedArray) return body
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (typeof SharedArrayBuffer !== 'undefined' && body instanceof SharedArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  return fail(ARG, `${where}: the body must be a Buffer, Uint8Array, ArrayBuffer or string, got ${typeName(body)}`)
}

// ---- options ---------------------------------------------------------------------------------

function schemeArg(scheme, where) {
  if (typeof scheme === 'string' || scheme instanceof native.CustomScheme) return scheme
  return fail(ARG, `${where}: the scheme must be a scheme id string or a customScheme(...), got ${typeName(scheme)}`)
}

// A lone UTF-16 surrogate has no UTF-8 form: napi would turn it into U+FFFD, so two different
// secrets would become the same key. Refused instead.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

function checkWellFormed(where, secret) {
  if (LONE_SURROGATE.test(secret)) fail(SECRET, `${where}: a secret is not well-formed Unicode (a lone surrogate)`)
}

const VERIFIER_OPTIONS = ['secret', 'secrets', 'tolerance', 'secretFormat', 'jsonFallback']

function verifierOptions(options) {
  const where = 'new Verifier()'
  if (!isPlainObject(options)) fail(ARG, `${where}: options must be an object like { secret }, got ${typeName(options)}`)
  checkKeys(where, options, VERIFIER_OPTIONS)
  const out = {}
  const { secret, secrets } = options
  if (secret != null && secrets != null) fail(CONFIG, `${where}: give \`secret\` or \`secrets\`, not both`)
  if (secret != null) {
    if (typeof secret !== 'string') fail(SECRET, `${where}: \`secret\` must be a string, got ${typeName(secret)} (binary keys: pass hex or base64 text with secretFormat)`)
    checkWellFormed(where, secret)
    out.secret = secret
  }
  if (secrets != null) {
    if (!Array.isArray(secrets) || !secrets.every((s) => typeof s === 'string')) {
      fail(SECRET, `${where}: \`secrets\` must be an array of strings`)
    }
    secrets.forEach((s) => checkWellFormed(where, s))
    out.secrets = secrets.slice()
  }
  out.tolerance = optionalType(where, options, 'tolerance', 'integer')
  out.secretFormat = optionalType(where, options, 'secretFormat', 'string')
  out.jsonFallback = optionalType(where, options, 'jsonFallback', 'boolean')
  return out
}

function verifyOptions(options, where) {
  if (options === undefined || options === null) return undefined
  if (!isPlainObject(options)) fail(ARG, `${where}: options must be an object like { now }, got ${typeName(options)}`)
  checkKeys(where, options, ['now'])
  return { now: optionalType(where, options, 'now', 'integer') }
}

/** `verifyOptions(options).now` without the intermediate object (options given). */
function verifyNow(options, where) {
  if (!isPlainObject(options)) fail(ARG, `${where}: options must be an object like { now }, got ${typeName(options)}`)
  checkKeys(where, options, ['now'])
  return optionalType(where, options, 'now', 'integer')
}

function signOptions(options, where) {
  if (options === undefined || options === null) return undefined
  if (!isPlainObject(options)) fail(ARG, `${where}: options must be an object like { timestamp, id, eventType }, got ${typeName(options)}`)
  checkKeys(where, options, ['timestamp', 'id', 'eventType'])
  return {
    timestamp: optionalType(where, options, 'timestamp', 'integer'),
    id: optionalType(where, options, 'id', 'string'),
    eventType: optionalType(where, options, 'eventType', 'string'),
  }
}

const CUSTOM_SCHEME_OPTIONS = [
  'id', 'signatureHeader', 'timestampHeader', 'idHeader', 'eventHeader',
  'template', 'encoding', 'prefix', 'algorithm', 'jsonFallback',
]

function customSchemeOptions(options) {
  const where = 'customScheme()'
  if (!isPlainObject(options)) fail(ARG, `${where}: options must be an object, got ${typeName(options)}`)
  checkKeys(where, options, CUSTOM_SCHEME_OPTIONS)
  const out = {}
  for (const key of CUSTOM_SCHEME_OPTIONS) {
    out[key] = optionalType(where, options, key, key === 'jsonFallback' ? 'boolean' : 'string')
  }
  if (out.id === undefined) fail(CONFIG, `${where}: \`id\` is required`)
  if (out.signatureHeader === undefined) fail(CONFIG, `${where}: \`signatureHeader\` is required`)
  return out
}

// ---- the API ---------------------------------------------------------------------------------

// Receivers' non-throwing verification (see Verifier[VERIFY_QUIET]).
const VERIFY_QUIET = Symbol('hooksig.verifyQuiet')

/**
 * verifyCompact's answer for a request that does not verify: [code, header, message, answer],
 * `answer` being the core's receiver answer for it ({ status, headers, body }).
 */
function isFailure(result) {
  return typeof result !== 'string' && result.length === 4
}

// The receiver policy with the default limit, for answers that do not depend on the limit.
const POLICY = new native.Receiver()

/**
 * `verifier.verify(headers, body, { now })` for the receivers, never throwing: the `Verified`
 * result, or `{ error: code, answer }` (the core's answer) for a request that does not verify.
 */
function verifyQuiet(verifier, headers, body, now) {
  return verifier[VERIFY_QUIET](headers, body, now)
}

/** `{ error, answer }` for a thrown value (verifyAsync's rejection, a conversion failure). */
function quietFailure(err) {
  const code = toHooksigError(err).code
  return { error: code, answer: POLICY.rejected(code) }
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

// `verifyCompact` writes [keyIndex, timestamp (NaN: none), dedupeKey length, id length (-1:
// none), eventType length (-1: none)] here; verification is synchronous, so one array serves
// every Verifier.
const COMPACT = new Float64Array(5)

/** The public Verified object from verifyCompact's result (one object shape for every call). */
function verified(scheme, result, bytes) {
  let text = result
  let payload
  if (typeof result === 'string') {
    // The payload is the body itself: a view of the caller's bytes, never a copy.
    payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  } else {
    text = result[0]
    payload = result[1]
  }
  const timestamp = COMPACT[1]
  const keyLen = COMPACT[2]
  const idLen = COMPACT[3]
  const eventLen = COMPACT[4]
  return {
    scheme,
    timestamp: timestamp === timestamp ? timestamp : null,
    id: idLen < 0 ? null : text.slice(keyLen, keyLen + idLen),
    eventType: eventLen < 0 ? null : text.slice(text.length - eventLen),
    keyIndex: COMPACT[0],
    payload,
    dedupeKey: keyLen === text.length ? text : text.slice(0, keyLen),
  }
}

/** Verifies webhooks of one scheme against one or more secrets, in constant time. */
class Verifier {
  #inner
  #scheme
  #names

  constructor(scheme, options) {
    this.#inner = guard(() => new native.Verifier(schemeArg(scheme, 'new Verifier()'), verifierOptions(options)))
    this.#scheme = this.#inner.scheme
    this.#names = new Map(this.#inner.headerNames.map((name) => [name, true]))
  }

  get scheme() {
    return this.#scheme
  }

  get replayTtl() {
    return this.#inner.replayTtl
  }

  verify(headers, body, options) {
    let result
    let bytes
    try {
      bytes = bodyBytes(body, 'verify()')
      const picked = pickHeaders(headers, this.#names, 'verify()')
      const now = options === undefined || options === null ? undefined : verifyNow(options, 'verify()')
      result = this.#inner.verifyCompact(picked, bytes, now, COMPACT)
    } catch (err) {
      throw toHooksigError(err)
    }
    if (isFailure(result)) throw new HooksigError(result[0], result[2], result[1])
    return verified(this.#scheme, result, bytes)
  }

  /**
   * For the receivers (hooksig/express, hooksig/fetch), not part of the typed API: like
   * `verify`, but a request that does not verify is returned as `{ error: code, answer }` (the
   * core's receiver answer) instead of thrown. No Error object is created on that path, so a forged request costs
   * about what an accepted one does (an Error's stack trace alone cost several times that).
   */
  [VERIFY_QUIET](headers, body, now) {
    let result
    let bytes
    try {
      bytes = bodyBytes(body, 'verify()')
      result = this.#inner.verifyCompact(pickHeaders(headers, this.#names, 'verify()'), bytes, now, COMPACT)
    } catch (err) {
      return quietFailure(err)
    }
    if (isFailure(result)) return { error: result[0], answer: result[3] }
    return verified(this.#scheme, result, bytes)
  }

  async verifyAsync(headers, body, options) {
    try {
      return await this.#inner.verifyAsync(
        flatHeaders(headers, 'verifyAsync()'),
        bodyBytes(body, 'verifyAsync()'),
        verifyOptions(options, 'verifyAsync()'),
      )
    } catch (err) {
      throw toHooksigError(err)
    }
  }

  sign(body, options) {
    return guard(() => this.#inner.sign(bodyBytes(body, 'sign()'), signOptions(options, 'sign()')))
  }
}

// ---- replay protection -----------------------------------------------------------------------

function positiveInteger(where, name, value) {
  if (!Number.isSafeInteger(value) || value < 1) {
    fail(ARG, `${where}: \`${name}\` must be a positive integer, got ${typeName(value)}${typeof value === 'number' ? ` ${value}` : ''}`)
  }
  return value
}

/**
 * The ttl of a guard from `{ ttl, verifier }` (shared with hooksig/redis): `ttl` when given,
 * else the verifier's replayTtl; one of them is required.
 */
function guardTtl(where, options) {
  const { ttl, verifier } = options
  if (verifier != null && !(verifier instanceof Verifier)) {
    fail(ARG, `${where}: \`verifier\` must be a hooksig Verifier, got ${typeName(verifier)}`)
  }
  if (ttl != null) return positiveInteger(where, 'ttl', ttl)
  if (verifier != null) return verifier.replayTtl
  return fail(CONFIG, `${where}: give \`ttl\` (seconds) or \`verifier\` (its replayTtl is the default)`)
}

function guardKey(where, key) {
  if (typeof key !== 'string') fail(ARG, `${where}: the key must be a string (Verified.dedupeKey), got ${typeName(key)}`)
  return key
}

function checkOptions(where, options) {
  if (options === undefined || options === null) return undefined
  if (!isPlainObject(options)) fail(ARG, `${where}: options must be an object like { now }, got ${typeName(options)}`)
  checkKeys(where, options, ['now'])
  return { now: optionalType(where, options, 'now', 'integer') }
}

/**
 * The in-memory replay guard (one process): remembers verified deliveries' `dedupeKey` for
 * `ttl` seconds. `checkAndRemember` is atomic; `forget` releases a key after a failed handler.
 */
class ReplayGuard {
  #inner

  constructor(options) {
    this.#inner = guard(() => {
      const where = 'new ReplayGuard()'
      if (!isPlainObject(options)) fail(ARG, `${where}: options must be an object like { verifier } or { ttl }, got ${typeName(options)}`)
      checkKeys(where, options, ['ttl', 'capacity', 'verifier'])
      const ttl = guardTtl(where, options)
      const capacity = options.capacity == null ? undefined : positiveInteger(where, 'capacity', options.capacity)
      return new native.ReplayGuard(ttl, capacity)
    })
  }

  checkAndRemember(key, options) {
    return guard(() => {
      const where = 'checkAndRemember()'
      return this.#inner.checkAndRemember(guardKey(where, key), checkOptions(where, options))
    })
  }

  forget(key) {
    guard(() => this.#inner.forget(guardKey('forget()', key)))
  }

  get size() {
    return this.#inner.size
  }

  get ttl() {
    return this.#inner.ttl
  }

  get capacity() {
    return this.#inner.capacity
  }
}

function sign(scheme, secret, body, options) {
  return guard(() => {
    const where = 'sign()'
    if (typeof secret !== 'string') fail(SECRET, `${where}: the secret must be a string, got ${typeName(secret)}`)
    checkWellFormed(where, secret)
    return native.sign(schemeArg(scheme, where), secret, bodyBytes(body, where), signOptions(options, where))
  })
}

function customScheme(options) {
  return guard(() => native.customScheme(customSchemeOptions(options)))
}

function stringArg(fn) {
  return (code) => (typeof code === 'string' ? fn(code) : null)
}

module.exports = {
  HooksigError,
  Verifier,
  ReplayGuard,
  CustomScheme: native.CustomScheme,
  customScheme,
  sign,
  schemes: () => native.schemes(),
  errorCodes: () => native.errorCodes(),
  httpStatus: stringArg(native.httpStatus),
  describeError: stringArg(native.describeError),
  version: native.version,
  INTERNAL_ERROR_CODE: native.INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_STATUS: native.INTERNAL_ERROR_STATUS,
  Receiver: native.Receiver,
  DEFAULT_BODY_LIMIT: native.DEFAULT_BODY_LIMIT,
  RECEIVER_CONTENT_TYPE: native.RECEIVER_CONTENT_TYPE,
  RETRY_AFTER_SECS: native.RETRY_AFTER_SECS,
  // The replay-store contract (hooksig/redis executes it; a custom shared store can too).
  SharedStore: native.SharedStore,
  STORE_PREFIX: native.STORE_PREFIX,
  PROCESSING_TTL: native.PROCESSING_TTL,
  STORE_TIMEOUT_MS: native.STORE_TIMEOUT_MS,
  __napiBindingTarget: native.__napiBindingTarget,
  // For the framework integrations (express.js, fetch.js); not part of the typed API.
  _internal: { verifyQuiet, quietFailure, checkGuard, askGuard, settle, POLICY, toHooksigError, flatHeaders, bodyBytes, guardTtl, guardKey, checkOptions, positiveInteger, isPlainObject, checkKeys, typeName },
}
