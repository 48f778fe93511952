'use strict'
// The in-memory replay guard (documented in generated/index.d.ts, from src/replay.rs), and the
// `{ ttl, verifier }` rule hooksig/redis and hooksig/sql share.

const { native, guard, fail, typeName, ARG, CONFIG } = require('./errors.js')
const { options, nowOptions, positiveInteger } = require('./options.js')
const { Verifier } = require('./verifier.js')

/** A guard's ttl from `{ ttl, verifier }`: `ttl`, else the verifier's replayTtl (one is required). */
function guardTtl(where, { ttl, verifier }) {
  if (verifier != null && !(verifier instanceof Verifier)) {
    fail(ARG, `${where}: \`verifier\` must be a hooksig Verifier, got ${typeName(verifier)}`)
  }
  if (ttl != null) return positiveInteger(where, 'ttl', ttl)
  if (verifier != null) return verifier.replayTtl
  return fail(CONFIG, `${where}: give \`ttl\` (seconds) or \`verifier\` (its replayTtl is the default)`)
}

const REPLAY_GUARD = { ttl: 'any', capacity: 'any', verifier: 'any' }

class ReplayGuard {
  #inner

  constructor(opts) {
    this.#inner = guard(() => {
      const where = 'new ReplayGuard()'
      const checked = options(where, opts, REPLAY_GUARD, true)
      const ttl = guardTtl(where, checked)
      const capacity = checked.capacity === undefined ? undefined : positiveInteger(where, 'capacity', checked.capacity)
      return new native.ReplayGuard(ttl, capacity)
    })
  }

  checkAndRemember(key, opts) {
    return guard(() => this.#inner.checkAndRemember(key, nowOptions('checkAndRemember()', opts)))
  }

  forget(key) {
    guard(() => this.#inner.forget(key))
  }

  get size() { return this.#inner.size }
  get ttl() { return this.#inner.ttl }
  get capacity() { return this.#inner.capacity }
}

module.exports = { ReplayGuard, guardTtl }
