'use strict'
// The header and body shapes JavaScript code holds, as what the addon takes: a flat
// [name, value, ...] string array (or, for a plain object, the values of the headers a verifier
// reads by their position in its list) and a Uint8Array view of the body (no copy).

const { fail, typeName, ARG } = require('./errors.js')
const { isPlainObject } = require('./options.js')

// ---- headers ---------------------------------------------------------------------------------

/** Appends one header's value(s) to `flat`; with `flat` null only checks the value's type. */
function pushValue(flat, name, value, where) {
  if (value === undefined || value === null) return
  if (typeof value === 'string') {
    if (flat !== null) flat.push(name, value)
  } else if (typeof value === 'number') {
    if (flat !== null) flat.push(name, String(value))
  } else if (value instanceof Uint8Array) {
    // Header bytes, one character per byte (latin1), the way Node's HTTP parser presents them.
    if (flat !== null) flat.push(name, Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('latin1'))
  } else if (Array.isArray(value)) {
    for (const v of value) pushValue(flat, name, v, where)
  } else {
    fail(ARG, `${where}: the value of header \`${name.slice(0, 64)}\` must be a string, a number, a Uint8Array or an array of them, got ${typeName(value)}`)
  }
}

// Header names remembered per Verifier (see `flatHeaders`' `names`), at most this many.
const NAME_CACHE_MAX = 1024

/**
 * Whether a verifier reads header `name`. `names` maps the lower-case names it reads to true
 * and remembers the answer for other names seen (bounded), so a request's usual headers cost one
 * lookup each. The core matches ASCII case-insensitively, so any name it could match lower-cases
 * to one of the names (a non-ASCII name that also does is passed on and never matches).
 */
function reads(names, name) {
  let read = names.get(name)
  if (read === undefined) {
    read = names.get(name.toLowerCase()) === true
    if (names.size < NAME_CACHE_MAX) names.set(name, read)
  }
  return read
}

function pair(p, where) {
  if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string') fail(ARG, `${where}: header pairs must be [name, value] arrays`)
  return p
}

/**
 * Headers in any supported shape as the flat [name, value, ...] array the addon takes:
 * `[name, value][]` (or any iterable of pairs, e.g. a Map), a Fetch `Headers` (anything with
 * `forEach(value, name)`), or a plain object such as Node's IncomingHttpHeaders.
 * With `names` (a verifier's header names, see `reads`), only the headers the verifier can
 * read are kept, in order, every value of a repeated one (the others are type-checked only),
 * so the addon converts 2-4 strings instead of every header of the request.
 */
function flatHeaders(headers, where, names) {
  const flat = []
  const add = (name, value) => pushValue(names === undefined || reads(names, name) ? flat : null, name, value, where)
  if (Array.isArray(headers)) {
    for (let i = 0; i < headers.length; i++) {
      const p = pair(headers[i], where)
      add(p[0], p[1])
    }
  } else if (headers !== null && typeof headers === 'object') {
    if (typeof headers.forEach === 'function' && !isPlainObject(headers)) {
      headers.forEach((value, name) => {
        if (typeof name !== 'string') fail(ARG, `${where}: header names must be strings`)
        add(name, value)
      })
    } else if (typeof headers[Symbol.iterator] === 'function') {
      for (const p of headers) add(pair(p, where)[0], p[1])
    } else {
      const keys = Object.keys(headers)
      for (let i = 0; i < keys.length; i++) add(keys[i], headers[keys[i]])
    }
  } else {
    fail(ARG, `${where}: headers must be an object, a Fetch Headers or [name, value] pairs, got ${typeName(headers)}`)
  }
  return flat
}

/** A verifier's header names as the map `flatHeaders` takes. */
function headerNames(list) {
  return new Map(list.map((name) => [name, true]))
}

// ---- headers by position (the fast path of Verifier.verify) ------------------------------------

// How many header values the addon's `verifyPicked` takes (src/verifier.rs MAX_PICKED).
const MAX_PICKED = 6
// `pickHeaders`' answer for a name that is not read and for one that is read under another
// spelling (then the general path, `flatHeaders`, decides).
const NOT_READ = -1
const OTHER_SPELLING = -2

/**
 * A verifier's header names (lower case, as the addon lists them) as what `pickHeaders` takes,
 * or null when the verifier reads more names than `verifyPicked` takes: `index` maps a header
 * name to its position in the list, NOT_READ or OTHER_SPELLING (`reads`' rule, remembered per
 * name seen, bounded like `reads`' cache); `lengths` holds the names' lengths. A name of
 * another length is not read: the names are ASCII, and the only characters whose lower case is
 * ASCII (A-Z and the Kelvin sign) keep the length.
 */
function headerSlots(list) {
  if (list.length > MAX_PICKED) return null
  const lengths = []
  for (const name of list) if (!lengths.includes(name.length)) lengths.push(name.length)
  return { index: new Map(list.map((name, i) => [name, i])), lengths }
}

function slotOf(slots, name) {
  const lengths = slots.lengths
  let i = 0
  while (i < lengths.length && lengths[i] !== name.length) i++
  if (i === lengths.length) return NOT_READ
  const index = slots.index
  let slot = index.get(name)
  if (slot === undefined) {
    const lower = index.get(name.toLowerCase())
    slot = lower !== undefined && lower >= 0 ? OTHER_SPELLING : NOT_READ
    if (index.size < NAME_CACHE_MAX) index.set(name, slot)
  }
  return slot
}

const hasOwn = Object.prototype.hasOwnProperty

/**
 * The fast path for the usual header shape, a plain object such as Node's IncomingHttpHeaders:
 * puts the value of each header the verifier reads into `out` by its position in the verifier's
 * list (undefined when absent) and returns true, when every such header is spelled as listed
 * (lower case) and holds one string (or undefined / null, as `flatHeaders` skips). The core
 * then gets the same (name, value) pairs `flatHeaders` would have kept, one per name. Returns
 * false, `out` unspecified, for every other shape or spelling or a value of another type (a
 * number, bytes, an array): `flatHeaders` then handles the request as before. The other headers'
 * values are type-checked as `flatHeaders` checks them, with the same error for the first bad
 * one (a bad value after a header that returns false is left to `flatHeaders`, which finds the
 * same first one).
 */
function pickHeaders(headers, where, slots, out) {
  // The same tests, in the same order, as flatHeaders' choice of shape.
  if (slots === null || headers === null || typeof headers !== 'object' || Array.isArray(headers)) return false
  if (typeof headers.forEach === 'function' && !isPlainObject(headers)) return false
  if (typeof headers[Symbol.iterator] === 'function') return false
  for (let i = 0; i < MAX_PICKED; i++) out[i] = undefined
  // for-in with an own-property test visits Object.keys' names in Object.keys' order, without
  // building the array and with the values read through V8's enumeration cache.
  for (const name in headers) {
    if (!hasOwn.call(headers, name)) continue
    const value = headers[name]
    const slot = slotOf(slots, name)
    if (slot >= 0) {
      if (typeof value === 'string') out[slot] = value
      else if (value !== undefined && value !== null) return false
    } else if (slot === OTHER_SPELLING) {
      return false
    } else if (typeof value !== 'string') {
      pushValue(null, name, value, where)
    }
  }
  return true
}

// ---- body ------------------------------------------------------------------------------------

/** The body as a Uint8Array over the caller's bytes (no copy), or UTF-8 for a string. */
function bodyBytes(body, where) {
  if (body instanceof Uint8Array && body.constructor !== Uint8ClampedArray) return body
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (typeof SharedArrayBuffer !== 'undefined' && body instanceof SharedArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  return fail(ARG, `${where}: the body must be a Buffer, Uint8Array, ArrayBuffer or string, got ${typeName(body)}`)
}

module.exports = { flatHeaders, headerNames, headerSlots, pickHeaders, bodyBytes }
