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
// The public API and its docs: redis.d.ts.

const { SharedStore, STORE_PREFIX, PROCESSING_TTL } = require('./index.js')
const { typeName, fail: failWith, ARG, CONFIG } = require('./lib/errors.js')
const { options: checkOptions, guardKey, nowOptions, oneOf } = require('./lib/options.js')
const { ReplayStoreUnavailable, DeliveryInProgress, storeOptions, bounded, claimResult } = require('./lib/store-guard.js')

const FLAVORS = ['redis', 'ioredis']
const OPTIONS = { prefix: 'string', ttl: 'any', verifier: 'any', flavor: 'any', processingTtl: 'any', commandTimeout: 'any', retryAfter: 'any' }
const fail = (message) => failWith(CONFIG, message)

/** Which client API `client` speaks: node-redis clients have `isOpen`, ioredis ones `status`. */
function detectFlavor(where, client, flavor) {
  if (oneOf(where, 'flavor', flavor, FLAVORS) !== undefined) return flavor
  if (typeof client.isOpen === 'boolean') return 'redis'
  if (typeof client.status === 'string') return 'ioredis'
  return fail(
    `${where}: cannot tell which Redis client this is; pass { flavor: 'redis' } for node-redis 4+ ` +
      "(set(key, value, { NX, EX })) or { flavor: 'ioredis' } (set(key, value, 'EX', ttl, 'NX'))",
  )
}

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
    const { store, ...limits } = storeOptions(where, options, (ttl, processing) => new SharedStore(ttl, processing, options.prefix ?? STORE_PREFIX))
    this.#store = store
    this.#limits = limits
  }

  get prefix() { return this.#store.prefix }
  get ttl() { return this.#store.ttl }
  get processingTtl() { return this.#store.processingTtl }
  get commandTimeout() { return this.#limits.commandTimeout }
  get retryAfter() { return this.#limits.retryAfter }
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

  async confirm(key) {
    await this.#run(this.#store.settle(guardKey('RedisReplayGuard.confirm()', key), 'keep'))
  }

  async forget(key) {
    await this.#run(this.#store.settle(guardKey('RedisReplayGuard.forget()', key), 'release'))
  }
}

module.exports = { RedisReplayGuard, ReplayStoreUnavailable, DeliveryInProgress, DEFAULT_PREFIX: STORE_PREFIX, DEFAULT_PROCESSING_TTL: PROCESSING_TTL }
