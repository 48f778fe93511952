import type { ReplayCheckOptions, Verifier } from './index'

/**
 * The part of a Redis client hooksig uses: a connected node-redis (4+) client or cluster
 * (`createClient()`, `createCluster()`) or an ioredis `Redis` / `Cluster`.
 */
export interface RedisClientLike {
  set(...args: any[]): Promise<unknown>
  del(...args: any[]): Promise<unknown>
}

/** Options of `new RedisReplayGuard(client, options)`. Give `ttl` or `verifier`. */
export interface RedisReplayGuardOptions {
  /** Prepended to every key (default `'hooksig:replay:'`, as in Python and PHP). */
  prefix?: string
  /** Seconds a handled delivery is remembered (a positive integer; default `verifier.replayTtl`). */
  ttl?: number
  /**
   * Seconds a delivery stays "processing" until confirmed or forgotten (default 60, at most
   * `ttl`): longer than the handler's longest run. A lost DEL only blocks retries this long.
   */
  processingTtl?: number
  /** Milliseconds any Redis command may take before `ReplayStoreUnavailable` (default 2000). */
  commandTimeout?: number
  /**
   * Seconds set as `retryAfter` on the guard's `ReplayStoreUnavailable` / `DeliveryInProgress`
   * errors (default 30). hooksig/express and hooksig/fetch answer the core's receiver policy
   * (`Retry-After: 30`) whatever this is.
   */
  retryAfter?: number
  /** The verifier whose deliveries are guarded: sets the default `ttl`. */
  verifier?: Verifier
  /** The client's API, when duck typing (`isOpen` → node-redis, `status` → ioredis) cannot tell. */
  flavor?: 'redis' | 'ioredis'
}

/** Redis did not answer within `commandTimeout` (or refused): status 503. */
export declare class ReplayStoreUnavailable extends Error {
  readonly name: 'ReplayStoreUnavailable'
  readonly code: 'replay_store_unavailable'
  readonly header: null
  readonly status: 503
  /** Seconds for the Retry-After header. */
  readonly retryAfter: number
}

/** Another request is processing the delivery (not confirmed yet): status 409, retry later. */
export declare class DeliveryInProgress extends Error {
  readonly name: 'DeliveryInProgress'
  readonly code: 'delivery_in_progress'
  readonly header: null
  readonly status: 409
  /** Seconds for the Retry-After header. */
  readonly retryAfter: number
}

export declare const DEFAULT_PREFIX: 'hooksig:replay:'
export declare const DEFAULT_PROCESSING_TTL: number

/**
 * A replay guard shared by several receiver processes or machines, with a two-phase marker:
 * `SET <prefix><key> processing NX EX <processingTtl>`, then `SET ... done EX <ttl>` (confirm)
 * or `DEL` (forget), through the application's own Redis client.
 */
export declare class RedisReplayGuard {
  constructor(client: RedisClientLike, options?: RedisReplayGuardOptions)
  readonly prefix: string
  readonly ttl: number
  readonly processingTtl: number
  readonly commandTimeout: number
  readonly retryAfter: number
  readonly flavor: 'redis' | 'ioredis'
  /**
   * Resolves `true` if the key is new (now "processing"), `false` for a confirmed duplicate;
   * rejects with `DeliveryInProgress` while another request processes it and with
   * `ReplayStoreUnavailable` when Redis does not answer in time. `options.now` is ignored.
   */
  checkAndRemember(key: string, options?: ReplayCheckOptions): Promise<boolean>
  /** The handler succeeded: remember the key as done for the full ttl. */
  confirm(key: string): Promise<void>
  /** Forgets the key (DEL), so that the sender's retry is processed. */
  forget(key: string): Promise<void>
}
