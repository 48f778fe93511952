'use strict'
// hooksig/sql: a replay guard in the application's own database — PostgreSQL through `pg`
// (a Pool, or a Client) or SQLite through better-sqlite3 — with the same keys, TTLs and answers
// as hooksig/redis. Plain JavaScript; neither driver is a dependency of hooksig (optional peers).
//
// The table (named by `table`, default hooksig_replay; an identifier, optionally schema.table):
//   CREATE TABLE IF NOT EXISTS hooksig_replay (replay_key TEXT PRIMARY KEY NOT NULL,
//     state TEXT NOT NULL, expires_at BIGINT NOT NULL)          -- INTEGER in SQLite
// `guard.createTable()` runs it, `guard.ddl` is its text for a migration.
//
// The statements (the core's, hooksig::sql_store): checkAndRemember INSERTs 'processing' ON
// CONFLICT ... WHERE expires_at <= now (atomic; an expired row is reclaimed, no cron), else
// SELECTs the state; confirm upserts 'done' until now + ttl; forget DELETEs; purge DELETEs
// expired rows (optional).
// Every statement is bounded by `commandTimeout`, as with Redis (lib/store-guard.js). Expiry
// follows the application's clock (`clock`, Unix seconds; tests inject one). With a `pg.Pool`,
// listen to its 'error' event (an idle client's lost connection is emitted there; unhandled, it
// ends the process).
// The public API and its docs: sql.d.ts.

const { SqlStore, DEFAULT_SQL_TABLE, STORE_PREFIX } = require('./index.js')
const { guard, typeName, fail: failWith, ARG } = require('./lib/errors.js')
const { options: checkOptions, guardKey, oneOf } = require('./lib/options.js')
const { ReplayStoreUnavailable, DeliveryInProgress, storeOptions, bounded, claimResult } = require('./lib/store-guard.js')

const DIALECTS = ['postgres', 'sqlite']
const OPTIONS = {
  table: 'string', dialect: 'any', prefix: 'string', ttl: 'any', verifier: 'any', processingTtl: 'any',
  commandTimeout: 'any', retryAfter: 'any', clock: 'any',
}
const systemClock = () => Math.floor(Date.now() / 1000)

/** 'sqlite' for a better-sqlite3 Database (prepare + exec), 'postgres' for a pg Pool/Client (query). */
function detectDialect(where, db, dialect) {
  if (oneOf(where, 'dialect', dialect, DIALECTS) !== undefined) return dialect
  if (typeof db.prepare === 'function' && typeof db.exec === 'function') return 'sqlite'
  if (typeof db.query === 'function') return 'postgres'
  return failWith(ARG, `${where}: expected a pg Pool or Client, or a better-sqlite3 Database, got ${typeName(db)}`)
}

function ddl(table = DEFAULT_SQL_TABLE, dialect = 'postgres') {
  return guard(() => new SqlStore(1, 1, STORE_PREFIX, table, dialect).createTable().sql)
}

class SqlReplayGuard {
  #db
  #store
  #clock
  #limits
  #prepared = new Map()

  constructor(db, opts = {}) {
    const where = 'new SqlReplayGuard()'
    if (db === null || typeof db !== 'object') failWith(ARG, `${where}: expected a pg Pool or Client, or a better-sqlite3 Database, got ${typeName(db)}`)
    const options = checkOptions(where, opts, OPTIONS, true)
    const dialect = detectDialect(where, db, options.dialect)
    const table = options.table ?? DEFAULT_SQL_TABLE
    const { store, ...limits } = storeOptions(where, options, (ttl, processing) => new SqlStore(ttl, processing, options.prefix ?? STORE_PREFIX, table, dialect))
    if (options.clock != null && typeof options.clock !== 'function') failWith(ARG, `${where}: \`clock\` must be a function returning Unix seconds`)
    this.#store = store
    this.#limits = limits
    this.#clock = options.clock ?? systemClock
    this.#db = db
  }

  get table() { return this.#store.table }
  get dialect() { return this.#store.dialect }
  get ttl() { return this.#store.ttl }
  get processingTtl() { return this.#store.processingTtl }
  get retryAfter() { return this.#limits.retryAfter }
  get ddl() { return this.#store.createTable().sql }

  #now() {
    const now = Math.floor(Number(this.#clock()))
    if (!Number.isSafeInteger(now)) failWith(ARG, 'SqlReplayGuard: `clock` must return Unix seconds')
    return now
  }

  /** Runs one of the core's statements; resolves the row count, the first value, or null. */
  #run(statement) {
    const { name, sql, params, reply } = statement
    return bounded(this.#limits, 'the database', `the ${name}`, () =>
      this.#store.dialect === 'sqlite' ? this.#sqlite(sql, params, reply) : this.#postgres(sql, params, reply),
    )
  }

  #sqlite(sql, params, reply) {
    let st = this.#prepared.get(sql)
    if (st === undefined) {
      st = this.#db.prepare(sql)
      this.#prepared.set(sql, st)
    }
    if (reply === 'value') {
      const row = st.raw(true).get(...params)
      return row === undefined ? null : row[0]
    }
    const info = st.run(...params)
    return reply === 'rowcount' ? info.changes : null
  }

  async #postgres(sql, params, reply) {
    const result = await this.#db.query(sql, params)
    if (reply === 'rowcount') return result.rowCount ?? 0
    if (reply === 'value') {
      const row = result.rows?.[0]
      return row == null ? null : Array.isArray(row) ? row[0] : Object.values(row)[0]
    }
    return null
  }

  async createTable() {
    await this.#run(this.#store.createTable())
  }

  async purge() {
    await this.#run(this.#store.purge(this.#now()))
  }

  async checkAndRemember(key, _options) {
    guardKey('SqlReplayGuard.checkAndRemember()', key)
    const now = this.#now()
    const rows = await this.#run(this.#store.claim(key, now))
    if (this.#store.claimed(Number(rows) || 0) === 'new') return true
    const state = await this.#run(this.#store.lookup(key, now))
    return claimResult(this.#store.lookedUp(typeof state === 'string' ? state : null), this.#limits.retryAfter)
  }

  async confirm(key) {
    await this.#run(this.#store.settle(guardKey('SqlReplayGuard.confirm()', key), 'keep', this.#now()))
  }

  async forget(key) {
    await this.#run(this.#store.settle(guardKey('SqlReplayGuard.forget()', key), 'release', this.#now()))
  }
}

module.exports = { SqlReplayGuard, ReplayStoreUnavailable, DeliveryInProgress, DEFAULT_TABLE: DEFAULT_SQL_TABLE, ddl }
