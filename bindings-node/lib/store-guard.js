'use strict'
// What hooksig/redis and hooksig/sql share: their errors, their options and the bound on every
// store command. The commands, keys, TTLs and the reading of each reply are the core's
// replay-store contract (hooksig::shared_store, hooksig::sql_store; the same in the Python and
// PHP guards): a guard only executes them with the application's client. A claimed delivery is
// "processing" for processingTtl seconds (default 60): a retry meanwhile is a DeliveryInProgress
// (409 + Retry-After), not a duplicate (that 200 would make the sender stop although the handler
// may still fail); a marker left by a failed handler whose release was lost expires, and the next
// retry runs the handler again. Only a confirmed delivery is remembered for the full ttl (the
// verifier's replayTtl by default). Every command is bounded by `commandTimeout` (default
// 2000 ms): a failed or timed-out one is a ReplayStoreUnavailable (503 + Retry-After), which the
// receivers answer with the core's 503.
// The errors' docs: redis.d.ts.

const { native, HooksigError, guard, named } = require('./errors.js')
const { positiveInteger } = require('./options.js')
const { guardTtl } = require('./replay.js')

class ReplayStoreUnavailable extends HooksigError {
  constructor(message, retryAfter, cause) {
    super('replay_store_unavailable', message)
    this.status = 503
    this.retryAfter = retryAfter
    // The client's own error, kept but not copied (its message may name hosts).
    if (cause !== undefined) Object.defineProperty(this, 'cause', { value: cause, writable: true, configurable: true })
  }
}
named(ReplayStoreUnavailable)

class DeliveryInProgress extends HooksigError {
  constructor(retryAfter) {
    super('delivery_in_progress', 'this delivery is being processed; retry later')
    this.status = 409
    this.retryAfter = retryAfter
  }
}
named(DeliveryInProgress)

const optionalPositive = (where, name, value, fallback) => (value == null ? fallback : positiveInteger(where, name, value))

/**
 * The options both guards take: the core's store (`makeStore(ttl, processingTtl)`, which checks
 * the TTLs and caps processingTtl at ttl), `commandTimeout` (ms) and `retryAfter` (s).
 */
function storeOptions(where, options, makeStore) {
  const ttl = guardTtl(where, options)
  const processing = optionalPositive(where, 'processingTtl', options.processingTtl, native.PROCESSING_TTL)
  return {
    store: guard(() => makeStore(ttl, processing)),
    commandTimeout: optionalPositive(where, 'commandTimeout', options.commandTimeout, native.STORE_TIMEOUT_MS),
    retryAfter: optionalPositive(where, 'retryAfter', options.retryAfter, native.RETRY_AFTER_SECS),
  }
}

/**
 * `work()`'s promise, or a ReplayStoreUnavailable ("<subject> did not answer <what> within …",
 * "<subject> refused <what>") after `commandTimeout` ms or on the client's error.
 */
function bounded({ commandTimeout, retryAfter }, subject, what, work) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new ReplayStoreUnavailable(`${subject} did not answer ${what} within ${commandTimeout} ms`, retryAfter)),
      commandTimeout,
    )
  })
  const guarded = Promise.resolve()
    .then(work)
    .catch((err) => {
      if (err instanceof HooksigError) throw err
      throw new ReplayStoreUnavailable(`${subject} refused ${what}`, retryAfter, err)
    })
  // A command abandoned on timeout may still settle later: never an unhandled rejection.
  guarded.catch(() => {})
  return Promise.race([guarded, timeout]).finally(() => clearTimeout(timer))
}

/** checkAndRemember's result for the core's answer: true (new), false (duplicate), or throws. */
function claimResult(answer, retryAfter) {
  // Being processed (or a marker left by a command that timed out): not a duplicate yet.
  if (answer === 'in_progress') throw new DeliveryInProgress(retryAfter)
  return answer === 'new'
}

module.exports = { ReplayStoreUnavailable, DeliveryInProgress, storeOptions, bounded, claimResult }
