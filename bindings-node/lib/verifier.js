'use strict'
// The Verifier class (documented in generated/index.d.ts, from src/verifier.rs): argument shapes
// in, one HooksigError or one Verified object out.

const { native, toHooksigError, rejection, guard, fail, typeName, ARG } = require('./errors.js')
const { verifyOptions, verifierOptions, signOptions } = require('./options.js')
const { flatHeaders, headerNames, headerSlots, pickHeaders, bodyBytes } = require('./input.js')

// The receivers' non-throwing verification (lib/receiver.js verifyQuiet), and its threadpool
// form for large bodies (lib/receiver.js verifyQuietAsync).
const VERIFY_QUIET = Symbol('hooksig.verifyQuiet')
const VERIFY_QUIET_ASYNC = Symbol('hooksig.verifyQuietAsync')
// The constructor's first argument from Verifier.anyOf (its second is then the native composite).
const ANY_OF = Symbol('hooksig.anyOf')

// `verifyCompact`'s numbers (src/verifier.rs): building the object here costs half of what napi's
// property-by-property object does. Verification is synchronous: one array serves every Verifier.
const COMPACT = new Float64Array(6)
const verifyPicked = native.verifyPicked
const { Buffer } = require('node:buffer')
// `pickHeaders`' output, read by `compact` right after (verification is synchronous).
const PICKED = [undefined, undefined, undefined, undefined, undefined, undefined]

/** verifyCompact's answer for a request that does not verify: [code, header, message]. */
function isFailure(result) {
  return typeof result !== 'string' && result.length >= 3
}

// verifyCompact's / verifyPicked's `mode` (src/verifier.rs `Mode`).
const MODE_PLAIN = 0
const MODE_HANDSHAKE = 1

/** verifyCompact's (and verifyReceiverAsync's) answer to a vendor's endpoint handshake: a ReceiverAnswer. */
function isHandshake(result) {
  return typeof result !== 'string' && !Array.isArray(result) && typeof result.status === 'number'
}

/** A threadpool verification's result; every failure (sync or async) as a HooksigError. */
async function settled(start) {
  try {
    return await start()
  } catch (err) {
    throw toHooksigError(err)
  }
}

/** `Verified.json()`: the payload parsed as JSON (JSON.parse's SyntaxError when it is not). */
function payloadJson() {
  return JSON.parse(this.payload.toString('utf8'))
}

/**
 * The public Verified object from verifyCompact's result (one object shape for every call).
 * `members`: a composite's scheme ids (Verifier.anyOf), the scheme being the one that matched.
 */
function verified(scheme, members, result, bytes) {
  let text = result
  let payload
  if (typeof result === 'string') {
    // The payload is the body itself: the caller's Buffer, or a Buffer view of its bytes (never
    // a copy).
    payload = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  } else {
    text = result[0]
    payload = result[1]
  }
  const timestamp = COMPACT[1]
  const keyLen = COMPACT[2]
  const idLen = COMPACT[3]
  const eventLen = COMPACT[4]
  const member = COMPACT[5]
  return {
    scheme: member < 0 ? scheme : members[member],
    timestamp: timestamp === timestamp ? timestamp : null,
    id: idLen < 0 ? null : text.slice(keyLen, keyLen + idLen),
    eventType: eventLen < 0 ? null : text.slice(text.length - eventLen),
    keyIndex: COMPACT[0],
    payload,
    dedupeKey: keyLen === text.length ? text : text.slice(0, keyLen),
    json: payloadJson,
  }
}

class Verifier {
  #inner
  #scheme
  #members
  #names
  #slots
  #handle
  #signsLine

  constructor(scheme, options) {
    // Verifier.anyOf passes the native composite it built (a private token keeps that internal).
    this.#inner =
      scheme === ANY_OF && options instanceof native.Verifier
        ? options
        : guard(() => new native.Verifier(scheme, verifierOptions('new Verifier()', options)))
    this.#scheme = this.#inner.scheme
    this.#members = this.#inner.memberSchemes
    const names = this.#inner.headerNames
    this.#names = headerNames(names)
    this.#slots = headerSlots(names)
    this.#handle = this.#inner.handle()
    this.#signsLine = this.#inner.signsRequestLine
  }

  static anyOf(verifiers) {
    if (!Array.isArray(verifiers)) fail(ARG, `Verifier.anyOf(): verifiers must be an array of Verifier, got ${typeName(verifiers)}`)
    const natives = verifiers.map((v, i) => {
      if (!(v instanceof Verifier)) fail(ARG, `Verifier.anyOf(): verifiers[${i}] must be a Verifier, got ${typeName(v)}`)
      return v.#inner
    })
    return new Verifier(ANY_OF, guard(() => native.Verifier.anyOf(natives)))
  }

  get scheme() { return this.#scheme }
  get tolerance() { return this.#inner.tolerance }
  get replayTtl() { return this.#inner.replayTtl }

  get signsRequestLine() { return this.#signsLine }

  /**
   * verifyCompact's answer, through `verifyPicked` when `pickHeaders` takes the headers. `options`
   * (verify()'s, checked after the headers) gives `now`, `url` and `method`; else the values given.
   */
  #compact(headers, bytes, where, options, mode, now, url, method) {
    const picked = pickHeaders(headers, where, this.#slots, PICKED)
    const flat = picked ? null : flatHeaders(headers, where, this.#names)
    if (options !== undefined) {
      const o = verifyOptions(where, options)
      if (o !== undefined) {
        now = o.now
        url = o.url
        method = o.method
      }
    }
    if (picked) {
      const p = PICKED
      return verifyPicked(this.#handle, bytes, now === undefined ? NaN : now, COMPACT, mode, url, method, p[0], p[1], p[2], p[3], p[4], p[5])
    }
    return this.#inner.verifyCompact(flat, bytes, now, COMPACT, mode, url, method)
  }

  verify(headers, body, options) {
    let result
    let bytes
    try {
      bytes = bodyBytes(body, 'verify()')
      result = this.#compact(headers, bytes, 'verify()', options, MODE_PLAIN)
    } catch (err) {
      throw toHooksigError(err)
    }
    if (isFailure(result)) throw rejection(result[0], result[2], result[1])
    return verified(this.#scheme, this.#members, result, bytes)
  }

  /**
   * For the receivers (lib/receiver.js), not typed: `verify` returning `{ error: code }` for a
   * request that does not verify (no Error object: a forged request costs about what an accepted
   * one does) and, with `handshake`, `{ answer, handshake: true }` for a vendor's handshake.
   */
  [VERIFY_QUIET](headers, body, now, handshake, url, method) {
    const bytes = bodyBytes(body, 'verify()')
    const result = this.#compact(headers, bytes, 'verify()', undefined, handshake ? MODE_HANDSHAKE : MODE_PLAIN, now, url, method)
    if (isFailure(result)) return { error: result[0] }
    if (isHandshake(result)) return { answer: result, handshake: true }
    return verified(this.#scheme, this.#members, result, bytes)
  }

  /**
   * For the receivers: verification on the libuv threadpool (large bodies) that also answers a
   * vendor's endpoint handshake (`{ answer, handshake: true }`); a request that does not verify
   * rejects with its HooksigError (lib/receiver.js turns it into the core's answer).
   */
  async [VERIFY_QUIET_ASYNC](headers, body, now, url, method) {
    const where = 'verify()'
    const result = await settled(() => this.#inner.verifyReceiverAsync(flatHeaders(headers, where, this.#names), bodyBytes(body, where), now, url, method))
    return isHandshake(result) ? { answer: result, handshake: true } : Object.assign(result, { json: payloadJson })
  }

  async verifyAsync(headers, body, options) {
    const where = 'verifyAsync()'
    const result = await settled(() => this.#inner.verifyAsync(flatHeaders(headers, where), bodyBytes(body, where), verifyOptions(where, options)))
    return Object.assign(result, { json: payloadJson })
  }

  sign(body, options) {
    return guard(() => this.#inner.sign(bodyBytes(body, 'sign()'), signOptions('sign()', options)))
  }
}

module.exports = { Verifier, VERIFY_QUIET, VERIFY_QUIET_ASYNC }
