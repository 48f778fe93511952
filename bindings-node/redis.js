'use strict'
// hooksig/redis: a replay guard shared by several receiver processes or machines, stored in the
// Redis the application already runs, through the client it already uses: `redis` (node-redis
// 4 or later) or `ioredis`. Plain JavaScript; neither client is a dependency of hooksig.
//
// checkAndRemember is one atomic Redis command, `SET <prefix><key> 1 NX EX <ttl>`: of any number
// of concurrent deliveries of one key, across processes, exactly one gets OK (new), the others
// get nil (duplicate). Expiry is Redis's own clock.

const { HooksigError, _internal } = require('./index.js')

const { guardTtl, guardKey, checkOptions, isPlainObject, checkKeys, typeName } = _internal
const CONFIG = 'invalid_config'
const FLAVORS = ['redis', 'ioredis']

function fail(message) {
  throw new HooksigError(CONFIG, message)
}

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
 * cluster); hooksig never opens, closes or configures it.
 *
 * options.prefix   prepended to every key (default 'hooksig:')
 * options.ttl      seconds a delivery is remembered (default: options.verifier.replayTtl)
 * options.verifier the verifier whose deliveries are guarded (sets the default ttl)
 * options.flavor   'redis' | 'ioredis', when duck typing cannot tell
 */
class RedisReplayGuard {
  #client
  #flavor
  #prefix
  #ttl

  constructor(client, options = {}) {
    const where = 'new RedisReplayGuard()'
    if (client === null || typeof client !== 'object' || typeof client.set !== 'function' || typeof client.del !== 'function') {
      fail(`${where}: expected a connected \`redis\` (node-redis) or \`ioredis\` client, got ${typeName(client)}`)
    }
    if (!isPlainObject(options)) fail(`${where}: options must be an object like { prefix, ttl }, got ${typeName(options)}`)
    checkKeys(where, options, ['prefix', 'ttl', 'verifier', 'flavor'])
    const prefix = options.prefix ?? 'hooksig:'
    if (typeof prefix !== 'string') fail(`${where}: \`prefix\` must be a string, got ${typeName(prefix)}`)
    this.#client = client
    this.#flavor = detectFlavor(where, client, options.flavor)
    this.#prefix = prefix
    this.#ttl = guardTtl(where, options)
  }

  /** The key prefix. */
  get prefix() {
    return this.#prefix
  }

  /** Seconds a delivery is remembered. */
  get ttl() {
    return this.#ttl
  }

  /** 'redis' (node-redis) or 'ioredis'. */
  get flavor() {
    return this.#flavor
  }

  /**
   * Resolves `true` if `key` is new (now remembered for `ttl` seconds), `false` for a duplicate.
   * Rejects with the client's own error when Redis cannot be reached. `options.now` is accepted
   * for symmetry with the in-memory guard and ignored: Redis expires keys by its own clock.
   */
  async checkAndRemember(key, options) {
    const where = 'RedisReplayGuard.checkAndRemember()'
    const name = this.#prefix + guardKey(where, key)
    checkOptions(where, options)
    const reply =
      this.#flavor === 'ioredis'
        ? await this.#client.set(name, '1', 'EX', this.#ttl, 'NX')
        : // node-redis 5+ reads `expiration`/`condition`; 4 reads the (later deprecated) EX/NX.
          await this.#client.set(name, '1', {
            expiration: { type: 'EX', value: this.#ttl },
            condition: 'NX',
            EX: this.#ttl,
            NX: true,
          })
    if (reply === null || reply === undefined) return false
    if (String(reply) === 'OK') return true
    return fail(`${where}: unexpected reply to SET ... NX (is \`flavor\` right for this client?)`)
  }

  /** Forgets `key` (DEL), so that the sender's retry is processed. */
  async forget(key) {
    await this.#client.del(this.#prefix + guardKey('RedisReplayGuard.forget()', key))
  }
}

module.exports = { RedisReplayGuard }
