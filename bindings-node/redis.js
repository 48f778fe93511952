'use strict'
// hooksig/redis: a replay guard shared by several receiver processes or machines, stored in the
// Redis the application already runs, through the client it already uses: `redis` (node-redis
// 4 or later) or `ioredis`. Plain JavaScript; neither client is a dependency of hooksig.
//
// The commands (the core's replay-store contract, lib/store-guard.js):
//   checkAndRemember  SET <prefix><key> processing NX EX <processingTtl>   (atomic: of any number
//                     of concurrent deliveries of one key, across processes, exactly one wins)
//   confirm           SET <prefix><key> done EX <ttl>        (the handler succeeded)
//   forget            DEL <prefix><key>                      (the handler failed)
// Expiry is Redis's own clock: `now` options are accepted and ignored (as in Python and PHP).

const { SharedStore, STORE_PREFIX, PROCESSING_TTL } = require('./index.js')
const { typeName, fail: failWith, ARG, CONFIG } = require('./lib/errors.js')
const { options: checkOptions, guardKey, nowOptions } = require('./lib/options.js')
const { ReplayStoreUnavailable, DeliveryInProgress, storeOptions, bounded, claimResult } = require('./lib/store-guard.js')

const FLAVORS = ['redis', 'ioredis']
/** The prefix of every key (the core's, the same in the Python, Node and PHP guards). */
const DEFAULT_PREFIX = STORE_PREFIX
/** Seconds a delivery stays "processing" before a retry may run it again (the core's). */
const DEFAULT_PROCESSING_TTL = PROCESSING_TTL
const OPTIONS = { prefix: 'string', ttl: 'any', verifier: 'any', flavor: 'any', processingTtl: 'any', commandTimeout: 'any', retryAfter: 'any' }
const fail = (message) => failWith(CONFIG, message)

/** Which client API `client` speaks: node-redis clients have `isOpen`, ioredis ones `status`. */
function detectFlavor(where, client, flavor) {
  if (flavor != null) {
    if (!FLAVORS.includes(flavor)) fail(`${where}: \`flavor\` must be 'redis' or 'ioredis', got ${typeName(flavor)}`)
    return flavor
  }
  if (typeof client.isOpen === 'boolean') return 'redis'
  if (typeof client.status === 'string') return 'ioredis'
  return fail(
    `${where}: cannot tell which Redis client this is; pass { flavor: 'redis' } for node-redis 4+ ` +
      "(set(key, value, { NX, EX })) or { flavor: 'ioredis' } (set(key, value, 'EX', ttl, 'NX'))",
  )
}

/**
 * A replay guard in Redis. `client` is a connected node-redis (4+) or ioredis client (or
 * cluster); hooksig never opens, closes or configures it. Options (redis.d.ts): prefix, ttl or
 * verifier, processingTtl, commandTimeout, retryAfter, flavor ('redis' | 'ioredis').
 */
class RedisReplayGuard {
  #client
  #flavor
  #store
  #limits

  constructor(client, options = {}) {
    const where = 'new RedisReplayGuard()'
    if (client === null || typeof client !== 'object' || typeof client.set !== 'function' || typeof client.del !== 'function') {
      failWith(ARG, `${where}: expected a connected \`redis\` (node-redis) or \`ioredis\` client, got ${typeName(client)}`)
    }
    options = checkOptions(where, options, OPTIONS, true)
    this.#client = client
    this.#flavor = detectFlavor(where, client, options.flavor)
    const { store, ...limits } = storeOptions(where, options, (ttl, processing) => new SharedStore(ttl, processing, options.prefix ?? DEFAULT_PREFIX))
    this.#store = store
    this.#limits = limits
  }

  /** The key prefix. */
  get prefix() { return this.#store.prefix }
  /** Seconds a handled (confirmed) delivery is remembered. */
  get ttl() { return this.#store.ttl }
  /** Seconds a delivery stays "processing" until confirmed or forgotten. */
  get processingTtl() { return this.#store.processingTtl }
  /** Milliseconds a Redis command may take. */
  get commandTimeout() { return this.#limits.commandTimeout }
  /** Seconds of the Retry-After header when the store is unavailable. */
  get retryAfter() { return this.#limits.retryAfter }
  /** 'redis' (node-redis) or 'ioredis'. */
  get flavor() { return this.#flavor }

  /** Executes one of the core's store commands with the client, within commandTimeout. */
  #run(command) {
    const what = command.onlyIfAbsent ? 'SET NX' : command.name
    return bounded(this.#limits, 'Redis', what, () => {
      const { name, key, value, ttl, onlyIfAbsent } = command
      if (name === 'GET') return this.#client.get(key)
      if (name === 'DEL') return this.#client.del(key)
      if (this.#flavor === 'ioredis') {
        return onlyIfAbsent ? this.#client.set(key, value, 'EX', ttl, 'NX') : this.#client.set(key, value, 'EX', ttl)
      }
      // node-redis 5+ reads `expiration`/`condition`; 4 reads the (later deprecated) EX/NX.
      const options = { expiration: { type: 'EX', value: ttl }, EX: ttl }
      if (onlyIfAbsent) Object.assign(options, { condition: 'NX', NX: true })
      return this.#client.set(key, value, options)
    })
  }

  /**
   * Resolves `true` if `key` is new (now "processing": call `confirm` after the handler
   * succeeded, `forget` after it failed), `false` for a confirmed duplicate; rejects with a
   * DeliveryInProgress (409) or a ReplayStoreUnavailable (503). `options.now` is ignored.
   */
  async checkAndRemember(key, options) {
    const where = 'RedisReplayGuard.checkAndRemember()'
    guardKey(where, key)
    nowOptions(where, options)
    const reply = await this.#run(this.#store.claim(key))
    if (reply !== null && reply !== undefined && String(reply) !== 'OK') {
      return fail(`${where}: unexpected reply to SET ... NX (is \`flavor\` right for this client?)`)
    }
    let answer = this.#store.claimed(reply != null)
    if (answer == null) {
      const state = await this.#run(this.#store.lookup(key))
      answer = this.#store.lookedUp(typeof state === 'string' || Buffer.isBuffer(state) ? state : null)
    }
    return claimResult(answer, this.#limits.retryAfter)
  }

  /** The handler succeeded: remember `key` as "done" for the full ttl. */
  async confirm(key) {
    await this.#run(this.#store.settle(guardKey('RedisReplayGuard.confirm()', key), 'keep'))
  }

  /** Forgets `key` (DEL), so that the sender's retry is processed. */
  async forget(key) {
    await this.#run(this.#store.settle(guardKey('RedisReplayGuard.forget()', key), 'release'))
  }
}

module.exports = { RedisReplayGuard, ReplayStoreUnavailable, DeliveryInProgress, DEFAULT_PREFIX, DEFAULT_PROCESSING_TTL }
