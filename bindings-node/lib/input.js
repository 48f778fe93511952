'use strict'
// The header and body shapes JavaScript code holds, as what the addon takes: a flat
// [name, value, ...] string array (or, for a plain object, the values of the headers a verifier
// reads by their position in its list) and a Uint8Array view of the body (no copy).

const { fail, typeName, ARG } = require('./errors.js')
const { isPlainObject } = require('./options.js')

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
 * Whether a verifier reads header `name`: `names` maps the lower-case names it reads to true and
 * remembers the answer for other names seen (bounded). The core matches ASCII
 * case-insensitively, so any name it could match lower-cases to one of them.
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
 * Headers in any supported shape (`[name, value]` pairs or any iterable of them, a Fetch
 * `Headers`, a plain object such as IncomingHttpHeaders) as the flat array the addon takes.
 * With `names` (see `reads`), only the headers the verifier reads are kept (the others are
 * type-checked only).
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
const headerNames = (list) => new Map(list.map((name) => [name, true]))

// How many header values the addon's `verifyPicked` takes (src/verifier.rs MAX_PICKED).
const MAX_PICKED = 6
// `pickHeaders`' answer for a name that is not read and for one that is read under another
// spelling (then the general path, `flatHeaders`, decides).
const NOT_READ = -1
const OTHER_SPELLING = -2

/**
 * A verifier's header names as what `pickHeaders` takes (null past MAX_PICKED): `index` maps a
 * name to its position, NOT_READ or OTHER_SPELLING (`reads`' rule, cached); `lengths` holds the
 * names' lengths: a name of another length is not read (the names are ASCII, and every
 * character whose lower case is ASCII, A-Z and the Kelvin sign, keeps the length).
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
 * The fast path for a plain object such as IncomingHttpHeaders: puts each read header's value
 * into `out` by its position (undefined when absent) and returns true when every read header is
 * spelled as listed (lower case) with one string value, the pairs `flatHeaders` would keep.
 * Returns false for any other shape, spelling or value type: `flatHeaders` then decides. The
 * other headers are type-checked as `flatHeaders` checks them (the same first error).
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
