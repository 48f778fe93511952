'use strict'
// hooksig/redis: a replay guard shared by several receiver processes or machines, stored in the
// Redis the application already runs, through the client it already uses: `redis` (node-redis
// 4 or later) or `ioredis`. Plain JavaScript; neither client is a dependency of hooksig.
//
// The commands, keys and TTLs are the core's replay-store contract (hooksig::shared_store, the
// same in the Python and PHP guards); this file only executes them with the client:
//   checkAndRemember  SET <prefix><key> processing NX EX <processingTtl>   (atomic: of any number
//                     of concurrent deliveries of one key, across processes, exactly one wins)
//   confirm           SET <prefix><key> done EX <ttl>        (the handler succeeded)
//   forget            DEL <prefix><key>                      (the handler failed)
// A delivery found "processing" is not called a duplicate (that 200 would make the sender stop
// although the handler may still fail): it is a DeliveryInProgress (409 + Retry-After), and the
// sender retries. If the link drops between a failed handler and its DEL, the "processing"
// marker expires after processingTtl seconds (default 60) and the sender's next retry runs the
// handler again: no event is lost. Only a confirmed delivery is remembered for the full ttl (the verifier's
// replayTtl: past + future tolerance + 60 s, or 24 h for schemes without timestamps).
// Expiry is Redis's own clock: `now` options are accepted and ignored (as in Python and PHP).
//
// Every Redis command is bounded by `commandTimeout` (default 2000 ms): a paused, stopped or
// unreachable Redis rejects with a ReplayStoreUnavailable error (code
// 'replay_store_unavailable', status 503, retryAfter seconds) instead of holding the request;
// hooksig/express and hooksig/fetch answer it with the core's 503 (Retry-After: 30).

const { HooksigError, SharedStore, STORE_PREFIX, PROCESSING_TTL, STORE_TIMEOUT_MS, RETRY_AFTER_SECS } = require('./index.js')
const { toHooksigError, typeName, fail: failWith, ARG, CONFIG } = require('./lib/errors.js')
const { options: checkOptions, guardKey, nowOptions, positiveInteger } = require('./lib/options.js')
const { guardTtl } = require('./lib/replay.js')
const FLAVORS = ['redis', 'ioredis']

/** The prefix of every key (the core's, the same in the Python, Node and PHP guards). */
const DEFAULT_PREFIX = STORE_PREFIX
/** Seconds a delivery stays "processing" before a retry may run it again (the core's). */
const DEFAULT_PROCESSING_TTL = PROCESSING_TTL
/** Milliseconds any one Redis command may take before the guard gives up on it (the core's). */
const DEFAULT_COMMAND_TIMEOUT = STORE_TIMEOUT_MS
/** Seconds a sender is asked to wait (Retry-After) when the store is unavailable (the core's). */
const DEFAULT_RETRY_AFTER = RETRY_AFTER_SECS

const UNAVAILABLE = 'replay_store_unavailable'

const OPTIONS = { prefix: 'string', ttl: 'any', verifier: 'any', flavor: 'any', processingTtl: 'any', commandTimeout: 'any', retryAfter: 'any' }

const fail = (message) => failWith(CONFIG, message)

/**
 * The replay store (Redis) did not answer in time or refused the command: `code`
 * 'replay_store_unavailable', `status` 503, `retryAfter` (seconds) for the Retry-After header.
 * The client's own error is kept as `cause` (its message may name hosts, so it is not copied).
 */
class ReplayStoreUnavailable extends HooksigError {
  constructor(message, retryAfter, cause) {
    super(UNAVAILABLE, message)
    this.status = 503
    this.retryAfter = retryAfter
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, writable: true, configurable: true })
  }
}
Object.defineProperty(ReplayStoreUnavailable.prototype, 'name', {
  value: 'ReplayStoreUnavailable',
  writable: true,
  configurable: true,
})

/**
 * The delivery is being processed by another request (or its handler's outcome was not
 * recorded): `code` 'delivery_in_progress', `status` 409, `retryAfter` seconds. Not a
 * duplicate yet: the sender should retry; once the delivery is confirmed, the retry is
 * answered as a duplicate, and if the marker expires unconfirmed the retry runs the handler.
 */
class DeliveryInProgress extends HooksigError {
  constructor(retryAfter) {
    super('delivery_in_progress', 'this delivery is being processed; retry later')
    this.status = 409
    this.retryAfter = retryAfter
  }
}
Object.defineProperty(DeliveryInProgress.prototype, 'name', {
  value: 'DeliveryInProgress',
  writable: true,
  configurable: true,
})

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
 * options.prefix          prepended to every key (default 'hooksig:replay:')
 * options.ttl             seconds a handled delivery is remembered (default: verifier.replayTtl)
 * options.verifier        the verifier whose deliveries are guarded (sets the default ttl)
 * options.processingTtl   seconds a delivery stays "processing" (default 60, at most ttl): a
 *                         retry within that time is a duplicate, after it the handler runs
 *                         again (so longer than your handler's longest run)
 * options.commandTimeout  milliseconds a Redis command may take (default 2000)
 * options.retryAfter      seconds set as retryAfter on the guard's errors (default 30); the HTTP
 *                         answers of hooksig/express and hooksig/fetch are the core's (30)
 * options.flavor          'redis' | 'ioredis', when duck typing cannot tell
 */
class RedisReplayGuard {
  #client
  #flavor
  #store
  #commandTimeout
  #retryAfter

  constructor(client, options = {}) {
    const where = 'new RedisReplayGuard()'
    if (client === null || typeof client !== 'object' || typeof client.set !== 'function' || typeof client.del !== 'function') {
      failWith(ARG, `${where}: expected a connected \`redis\` (node-redis) or \`ioredis\` client, got ${typeName(client)}`)
    }
    options = checkOptions(where, options, OPTIONS, true)
    const prefix = options.prefix ?? DEFAULT_PREFIX
    this.#client = client
    this.#flavor = detectFlavor(where, client, options.flavor)
    const ttl = guardTtl(where, options)
    const processing = options.processingTtl == null ? DEFAULT_PROCESSING_TTL : positiveInteger(where, 'processingTtl', options.processingTtl)
    // The core checks the TTLs against Redis's range and caps processingTtl at ttl.
    try {
      this.#store = new SharedStore(ttl, processing, prefix)
    } catch (err) {
      throw toHooksigError(err)
    }
    this.#commandTimeout =
      options.commandTimeout == null ? DEFAULT_COMMAND_TIMEOUT : positiveInteger(where, 'commandTimeout', options.commandTimeout)
    this.#retryAfter = options.retryAfter == null ? DEFAULT_RETRY_AFTER : positiveInteger(where, 'retryAfter', options.retryAfter)
  }

  /** The key prefix. */
  get prefix() {
    return this.#store.prefix
  }

  /** Seconds a handled (confirmed) delivery is remembered. */
  get ttl() {
    return this.#store.ttl
  }

  /** Seconds a delivery stays "processing" until confirmed or forgotten. */
  get processingTtl() {
    return this.#store.processingTtl
  }

  /** Milliseconds a Redis command may take. */
  get commandTimeout() {
    return this.#commandTimeout
  }

  /** Seconds of the Retry-After header when the store is unavailable. */
  get retryAfter() {
    return this.#retryAfter
  }

  /** 'redis' (node-redis) or 'ioredis'. */
  get flavor() {
    return this.#flavor
  }

  /** `promise`, or a ReplayStoreUnavailable after commandTimeout ms or on the client's error. */
  #bounded(what, promise) {
    let timer
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(
        () => reject(new ReplayStoreUnavailable(`Redis did not answer ${what} within ${this.#commandTimeout} ms`, this.#retryAfter)),
        this.#commandTimeout,
      )
    })
    const guarded = Promise.resolve()
      .then(() => promise())
      .catch((err) => {
        if (err instanceof HooksigError) throw err
        throw new ReplayStoreUnavailable(`Redis refused ${what}`, this.#retryAfter, err)
      })
    // A command abandoned on timeout may still settle later: never an unhandled rejection.
    guarded.catch(() => {})
    return Promise.race([guarded, timeout]).finally(() => clearTimeout(timer))
  }

  /** Executes one of the core's store commands with the client, within commandTimeout. */
  #run(command) {
    const what = command.onlyIfAbsent ? 'SET NX' : command.name
    return this.#bounded(what, () => {
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
   * Resolves `true` if `key` is new (now marked "processing" for processingTtl seconds: call
   * `confirm` after the handler succeeded, `forget` after it failed), `false` for a duplicate
   * (confirmed). Rejects with a DeliveryInProgress (409) while another request processes it;
   * rejects with a ReplayStoreUnavailable (503) when Redis
   * cannot answer within commandTimeout. `options.now` is ignored: Redis expires keys by its
   * own clock.
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
    // Being processed (or a marker left by a command that timed out): not a duplicate yet.
    if (answer === 'in_progress') throw new DeliveryInProgress(this.#retryAfter)
    return answer === 'new'
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
