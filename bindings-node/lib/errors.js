'use strict'
// HooksigError and the one conversion of anything the addon throws into it.

const native = require('./native.js')

const ARG = 'invalid_argument' // a wrong type or an out-of-range number: a programming error
const CONFIG = 'invalid_config'
const SECRET = 'invalid_secret'
const CONVERSION = 'an argument could not be converted for the native addon'
const PANIC = 'internal error: hooksig panicked (a bug; please report it)'

/** Every failure hooksig reports. */
class HooksigError extends Error {
  constructor(code, message, header) {
    super(message == null ? (native.describeError(String(code)) ?? String(code)) : String(message))
    this.code = code
    this.header = header ?? null
    this.status = httpStatus(String(code))
  }
}

// The HTTP status of each code, asked of the addon once per code.
const STATUS = new Map()
function httpStatus(code) {
  let status = STATUS.get(code)
  if (status === undefined) {
    status = native.httpStatus(code) ?? 500
    if (STATUS.size < 64) STATUS.set(code, status)
  }
  return status
}

/**
 * The HooksigError `verify()` throws for a request that does not verify, without stack frames:
 * a forged request is no bug to trace, and the stack was most of a rejection's cost (issue 12).
 */
function rejection(code, message, header) {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new HooksigError(code, message, header)
  } finally {
    Error.stackTraceLimit = limit
  }
}
named(HooksigError)

/** Sets `cls.prototype.name` to the class's name (writable, like Error.prototype.name). */
function named(cls) {
  Object.defineProperty(cls.prototype, 'name', { value: cls.name, writable: true, configurable: true })
}

/**
 * Any thrown value as a HooksigError, never copying a foreign message (it could echo a value):
 * the addon's `hooksig: true` errors (src/error.rs), napi's `GenericFailure` (a panic outside a
 * core call, or the addon's fallback "code: message"), else a refused argument conversion.
 */
function toHooksigError(err) {
  if (err instanceof HooksigError) return err
  if (err === null || typeof err !== 'object') return new HooksigError(ARG, CONVERSION)
  if (err.hooksig === true && typeof err.code === 'string') return new HooksigError(err.code, err.message, err.header)
  if (err.code === 'GenericFailure') {
    const code = /^([a-z_]+): /.exec(String(err.message))?.[1]
    if (code !== undefined && native.httpStatus(code) !== null) return new HooksigError(code, err.message.slice(code.length + 2))
    return new HooksigError(native.INTERNAL_ERROR_CODE, PANIC)
  }
  return new HooksigError(ARG, conversionMessage(String(err.message)))
}

const RUST_TYPES = { String: 'a string', bool: 'a boolean', i64: 'an integer', u32: 'a non-negative integer', f64: 'a number' }

/**
 * napi's conversion error ("Failed to convert JavaScript value `Number 42 ` into rust type
 * `String` on VerifierOptions.secretFormat") as a message without the value, which could be a
 * secret: "`secretFormat` (VerifierOptions) must be a string".
 */
function conversionMessage(message) {
  if (/non of these types .*CustomScheme/.test(message)) return 'the scheme must be a scheme id string or a customScheme(...)'
  const m = /into rust type `(\w+)`(?: on (\w+)\.(\w+))?/.exec(message)
  if (m === null) return CONVERSION
  const expected = RUST_TYPES[m[1]] ?? `of type ${m[1]}`
  return m[3] === undefined ? `an argument must be ${expected}` : `\`${m[3]}\` (${m[2]}) must be ${expected}`
}

/** `fn()`, every failure re-thrown as a HooksigError. */
function guard(fn) {
  try {
    return fn()
  } catch (err) {
    throw toHooksigError(err)
  }
}

function fail(code, message) {
  throw new HooksigError(code, message)
}

/** What a value is, for messages (never the value itself: it could be a secret). */
const typeName = (value) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)

module.exports = { native, HooksigError, toHooksigError, rejection, guard, fail, named, typeName, ARG, CONFIG, SECRET }
