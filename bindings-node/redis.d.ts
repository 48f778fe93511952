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
  /** Prepended to every key (default `'hooksig:'`). */
  prefix?: string
  /** Seconds a delivery is remembered (a positive integer; default `verifier.replayTtl`). */
  ttl?: number
  /** The verifier whose deliveries are guarded: sets the default `ttl`. */
  verifier?: Verifier
  /** The client's API, when duck typing (`isOpen` → node-redis, `status` → ioredis) cannot tell. */
  flavor?: 'redis' | 'ioredis'
}

/**
 * A replay guard shared by several receiver processes or machines: `SET <prefix><key> 1 NX EX
 * <ttl>` (one atomic command) through the application's own Redis client.
 */
export declare class RedisReplayGuard {
  constructor(client: RedisClientLike, options?: RedisReplayGuardOptions)
  readonly prefix: string
  readonly ttl: number
  readonly flavor: 'redis' | 'ioredis'
  /**
   * Resolves `true` if the key is new (now remembered), `false` for a duplicate; rejects with
   * the client's error when Redis is unreachable. `options.now` is ignored (Redis's clock).
   */
  checkAndRemember(key: string, options?: ReplayCheckOptions): Promise<boolean>
  /** Forgets the key (DEL), so that the sender's retry is processed. */
  forget(key: string): Promise<void>
}
