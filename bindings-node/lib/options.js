'use strict'
// Argument checks napi's conversions cannot make, with the codes the shared bad-input table pins
// (tests/bad-inputs/cases.json, BAD_INPUTS.md): unknown option names, `null` as "not given",
// safe integers (napi would truncate 1.5 and wrap 2 ** 64), secrets. Every other type is checked
// by napi's conversion (lib/errors.js turns its failure into invalid_argument).

const { fail, typeName, ARG, CONFIG, SECRET } = require('./errors.js')

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** `value` when it is of `type` ('integer': a safe integer), undefined when absent. */
function optional(where, key, value, type) {
  if (value === undefined || value === null) return undefined
  if (type === 'integer') {
    if (typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
      fail(ARG, `${where}: \`${key}\` is out of range: ${value} is not a safe integer (at most 2 ** 53 - 1 in magnitude)`)
    }
    if (typeof value === 'bigint') fail(ARG, `${where}: \`${key}\` must be a number (an integer), got bigint`)
    if (!Number.isSafeInteger(value)) fail(ARG, `${where}: \`${key}\` must be an integer, got ${typeName(value)}${typeof value === 'number' ? ` ${value}` : ''}`)
  } else if (type !== 'any' && typeof value !== type) {
    fail(ARG, `${where}: \`${key}\` must be a ${type}, got ${typeName(value)}`)
  }
  return value
}

function positiveInteger(where, name, value) {
  if (!Number.isSafeInteger(value) || value < 1) {
    fail(ARG, `${where}: \`${name}\` must be a positive integer, got ${typeName(value)}${typeof value === 'number' ? ` ${value}` : ''}`)
  }
  return value
}

// Each spec's keys, computed once.
const KEYS = new WeakMap()

/**
 * The one options checker: a plain object with keys among `spec`'s, each value of the type
 * `spec` gives ('string', 'boolean', 'integer' or 'any'); absent options are undefined unless
 * `required`.
 */
function options(where, value, spec, required = false) {
  if (!required && (value === undefined || value === null)) return undefined
  let keys = KEYS.get(spec)
  if (keys === undefined) KEYS.set(spec, (keys = Object.keys(spec)))
  if (!isPlainObject(value)) fail(ARG, `${where}: options must be an object like { ${keys.join(', ')} }, got ${typeName(value)}`)
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) fail(CONFIG, `${where}: unknown option \`${key.slice(0, 64)}\` (known: ${keys.join(', ')})`)
  }
  const out = {}
  for (const key of keys) {
    out[key] = optional(where, key, value[key], spec[key])
  }
  return out
}

const NOW = { now: 'integer' }
const VERIFY = { now: 'integer', url: 'string', method: 'string' }
const SIGN = { timestamp: 'integer', id: 'any', eventType: 'any', url: 'string', method: 'string' }
const nowOptions = (where, value) => options(where, value, NOW)
const verifyOptions = (where, value) => options(where, value, VERIFY)
const signOptions = (where, value) => options(where, value, SIGN)

// A lone UTF-16 surrogate has no UTF-8 form: napi would turn it into U+FFFD, so two different
// secrets would become the same key. Refused instead.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** A secret: a well-formed string (invalid_secret otherwise; the message never shows it). */
function secretArg(where, name, secret) {
  if (typeof secret !== 'string') fail(SECRET, `${where}: ${name} must be a string, got ${typeName(secret)} (binary keys: pass hex or base64 text with secretFormat)`)
  if (LONE_SURROGATE.test(secret)) fail(SECRET, `${where}: a secret is not well-formed Unicode (a lone surrogate)`)
  return secret
}

const VERIFIER = { secret: 'any', secrets: 'any', tolerance: 'integer', secretFormat: 'any', jsonFallback: 'any' }

function verifierOptions(where, value) {
  const out = options(where, value, VERIFIER, true)
  if (out.secret != null && out.secrets != null) fail(CONFIG, `${where}: give \`secret\` or \`secrets\`, not both`)
  if (out.secret != null) secretArg(where, '`secret`', out.secret)
  if (out.secrets != null) {
    if (!Array.isArray(out.secrets) || !out.secrets.every((s) => typeof s === 'string')) fail(SECRET, `${where}: \`secrets\` must be an array of strings`)
    out.secrets = out.secrets.map((s) => secretArg(where, 'a secret', s))
  }
  return out
}

const CUSTOM_SCHEME = {
  id: 'any', signatureHeader: 'any', timestampHeader: 'any', idHeader: 'any', eventHeader: 'any',
  template: 'any', encoding: 'any', prefix: 'any', algorithm: 'any', jsonFallback: 'any',
}

function customSchemeOptions(where, value) {
  const out = options(where, value, CUSTOM_SCHEME, true)
  if (out.id === undefined) fail(CONFIG, `${where}: \`id\` is required`)
  if (out.signatureHeader === undefined) fail(CONFIG, `${where}: \`signatureHeader\` is required`)
  return out
}

/** `value` when it is one of `allowed` (two names), undefined when absent (invalid_config otherwise). */
function oneOf(where, name, value, [a, b]) {
  if (value != null && value !== a && value !== b) fail(CONFIG, `${where}: \`${name}\` must be '${a}' or '${b}', got ${typeName(value)}`)
  return value ?? undefined
}

/** A replay guard's key (Verified.dedupeKey). */
function guardKey(where, key) {
  if (typeof key !== 'string') fail(ARG, `${where}: the key must be a string (Verified.dedupeKey), got ${typeName(key)}`)
  return key
}

module.exports = {
  isPlainObject, positiveInteger, options, nowOptions, verifyOptions, secretArg,
  verifierOptions, signOptions, customSchemeOptions, guardKey, oneOf,
}
