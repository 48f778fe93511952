<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * A replay guard in the application's own database through the PDO you pass (`pdo_pgsql` or
 * `pdo_sqlite`), with the keys, TTLs and answers of {@see RedisReplayGuard}, in one table
 * `$table` ({@see ddl()} for a migration, or {@see createTable()}). The statements are the
 * core's (`hooksig_sql_store`): the claim is one atomic `INSERT ... ON CONFLICT DO UPDATE ...
 * WHERE expires_at <= now` (an expired row is reclaimed by the claim itself; {@see purge()} is
 * optional). Every PDO failure is a {@see ReplayStoreUnavailableException} (503). Each statement
 * commits at once: not inside your own transaction on the same PDO. Expiry follows `$now` or
 * `$clock`. Timeouts: PostgreSQL `connect_timeout=2` in the DSN and `SET statement_timeout =
 * 2000`; SQLite `PDO::ATTR_TIMEOUT => 2`.
 *
 * ```php
 * $guard = Hooksig\PdoReplayGuard::forVerifier($pdo, $verifier);
 * ```
 */
final class PdoReplayGuard implements ReplayGuardInterface
{
    use TwoPhaseGuard;

    public const DEFAULT_TABLE = 'hooksig_replay';

    private readonly SqlStore $store;
    /** @var \Closure(): int */
    private readonly \Closure $clock;

    /**
     * @param \PDO $pdo a pgsql or sqlite connection
     * @param int $ttl seconds a handled delivery is remembered
     * @param string $table the table (an identifier, optionally schema.table)
     * @param (callable(): int)|null $clock Unix seconds (default `time()`), for tests
     * @throws ConfigException `invalid_argument` for a bad ttl, table or driver
     */
    public function __construct(
        private readonly \PDO $pdo,
        int $ttl,
        string $table = self::DEFAULT_TABLE,
        string $prefix = RedisReplayGuard::DEFAULT_PREFIX,
        int $processingTtl = RedisReplayGuard::DEFAULT_PROCESSING_TTL,
        private readonly int $retryAfter = RedisReplayGuard::DEFAULT_RETRY_AFTER,
        ?callable $clock = null,
    ) {
        $driver = (string) $pdo->getAttribute(\PDO::ATTR_DRIVER_NAME);
        $this->store = new SqlStore($ttl, $processingTtl, $prefix, $table, $driver);
        self::checkRetryAfter($retryAfter);
        $this->clock = $clock === null ? static fn (): int => time() : \Closure::fromCallable($clock);
    }

    /** A guard for `$verifier`: ttl = its replay window. */
    public static function forVerifier(
        \PDO $pdo,
        Verifier $verifier,
        string $table = self::DEFAULT_TABLE,
        string $prefix = RedisReplayGuard::DEFAULT_PREFIX,
        int $processingTtl = RedisReplayGuard::DEFAULT_PROCESSING_TTL,
        int $retryAfter = RedisReplayGuard::DEFAULT_RETRY_AFTER,
        ?callable $clock = null,
    ): self {
        return new self($pdo, $verifier->replayTtl(), $table, $prefix, $processingTtl, $retryAfter, $clock);
    }

    /** The table's `CREATE TABLE IF NOT EXISTS` statement (`pgsql` or `sqlite`), for a migration. */
    public static function ddl(string $table = self::DEFAULT_TABLE, string $driver = 'pgsql'): string
    {
        return (new SqlStore(1, 1, '', $table, $driver))->statement(SqlStore::CREATE, '', 0)[0];
    }

    /** Runs {@see ddl()} on the guard's PDO. */
    public function createTable(): void
    {
        $this->step(SqlStore::CREATE, '', 0);
    }

    /** Deletes expired rows (optional housekeeping). */
    public function purge(?int $now = null): void
    {
        $this->step(SqlStore::PURGE, '', $now);
    }

    /**
     * Runs one of the core's statements ({@see TwoPhaseGuard}; `$now` null: the clock): the row
     * count, the value or null, as the core says. Any PDO failure becomes a
     * ReplayStoreUnavailableException.
     */
    private function step(int $step, string $key, ?int $now): int|string|null
    {
        [$sql, $params, $reply] = $this->store->statement($step, $key, $now ?? ($this->clock)());
        $mode = $this->pdo->getAttribute(\PDO::ATTR_ERRMODE);
        try {
            $this->pdo->setAttribute(\PDO::ATTR_ERRMODE, \PDO::ERRMODE_EXCEPTION);
            $st = $this->pdo->prepare($sql);
            foreach ($params as $i => $value) {
                $st->bindValue($i + 1, $value, is_int($value) ? \PDO::PARAM_INT : \PDO::PARAM_STR);
            }
            $st->execute();
            return match ($reply) {
                SqlStore::REPLY_ROWCOUNT => $st->rowCount(),
                SqlStore::REPLY_VALUE => ($v = $st->fetchColumn()) === false ? null : (string) $v,
                default => null,
            };
        } catch (\PDOException $e) {
            throw new ReplayStoreUnavailableException('the database did not answer', $this->retryAfter, $e);
        } finally {
            try {
                $this->pdo->setAttribute(\PDO::ATTR_ERRMODE, $mode);
            } catch (\Throwable) {
            }
        }
    }
}
