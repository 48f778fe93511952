import type { Verifier } from './index'

/** What hooksig/sql uses of a `pg` Pool or Client. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: any[] }>
}

/** What hooksig/sql uses of a better-sqlite3 Database. */
export interface SqliteDatabaseLike {
  prepare(sql: string): any
  exec(sql: string): unknown
}

/** Options of `new SqlReplayGuard(db, options)`. Give `ttl` or `verifier`. */
export interface SqlReplayGuardOptions {
  /** The table (default `'hooksig_replay'`): an identifier, optionally `schema.table`. */
  table?: string
  /** Detected: a better-sqlite3 Database is `'sqlite'`, a pg Pool/Client `'postgres'`. */
  dialect?: 'postgres' | 'sqlite'
  /** Prepended to every key (default `'hooksig:replay:'`, as in Redis). */
  prefix?: string
  /** Seconds a handled delivery is remembered (default `verifier.replayTtl`). */
  ttl?: number
  /** The verifier whose deliveries are guarded (sets the default ttl). */
  verifier?: Verifier
  /** Seconds a claimed delivery blocks its retries (default 60, at most `ttl`). */
  processingTtl?: number
  /** Milliseconds any statement may take before `ReplayStoreUnavailable` (default 2000). */
  commandTimeout?: number
  /** Seconds set as `retryAfter` on the guard's errors (default 30). */
  retryAfter?: number
  /** The clock expiry follows: Unix seconds (default `Math.floor(Date.now() / 1000)`). */
  clock?: () => number
}

/** A replay guard in the application's own PostgreSQL or SQLite database. */
export declare class SqlReplayGuard {
  constructor(db: PgQueryable | SqliteDatabaseLike, options?: SqlReplayGuardOptions)
  readonly table: string
  readonly dialect: 'postgres' | 'sqlite'
  readonly ttl: number
  readonly processingTtl: number
  readonly retryAfter: number
  /** `CREATE TABLE IF NOT EXISTS ...` for this guard's table. */
  readonly ddl: string
  createTable(): Promise<void>
  purge(): Promise<void>
  checkAndRemember(key: string, options?: { now?: number }): Promise<boolean>
  confirm(key: string): Promise<void>
  forget(key: string): Promise<void>
}

/** The same error classes as hooksig/redis (503 and 409, with `retryAfter`). */
export { ReplayStoreUnavailable, DeliveryInProgress } from './redis'

/** `'hooksig_replay'`. */
export declare const DEFAULT_TABLE: string
/** The DDL of a replay table, for a migration. */
export declare function ddl(table?: string, dialect?: 'postgres' | 'sqlite'): string
