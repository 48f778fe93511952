<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal The core's replay-store contract over one SQL table (`hooksig_sql_store`), which
 * {@see PdoReplayGuard} executes with PDO: the DDL, the statements, their parameters and the
 * reading of each reply come from the core (through the backend); this class only converts.
 */
final class SqlStore
{
    /** `hooksig_sql_step`. */
    public const CLAIM = 0;
    public const LOOKUP = 1;
    public const KEEP = 2;
    public const RELEASE = 3;
    public const PURGE = 4;
    public const CREATE = 5;
    /** `hooksig_sql_reply`. */
    public const REPLY_NOTHING = 0;
    public const REPLY_ROWCOUNT = 1;
    public const REPLY_VALUE = 2;
    private object $handle;

    /** @throws ConfigException `invalid_argument` for a TTL out of range or a table that is not an identifier */
    public function __construct(private readonly int $ttl, int $processingTtl, string $prefix, string $table, string $dialect)
    {
        $code = match ($dialect) {
            'pgsql', 'postgres' => 0,
            'sqlite' => 1,
            default => throw ErrorMapper::exception(Native::INVALID_ARGUMENT, "the PDO driver must be pgsql or sqlite, not {$dialect}", null),
        };
        $this->handle = Backends::get()->make('SqlStore', $ttl, $processingTtl, $prefix, $table, $code);
    }

    /** Seconds a handled delivery is remembered. */
    public function ttl(): int
    {
        return $this->ttl;
    }

    /** @return array{string, list<string|int>, int} one statement's SQL (`?`), parameters, what to read */
    public function statement(int $step, string $key, int $now): array
    {
        return Backends::run(fn () => $this->handle->statement($step, $key, $now));
    }

    /** After the claim: `Receiver::GUARD_NEW` when it wrote a row, null when LOOKUP must follow. */
    public function claimed(int $rows): ?int
    {
        return Backends::run(fn () => $this->handle->claimed(max(0, $rows)));
    }

    /** After the lookup: `Receiver::GUARD_DUPLICATE` for done, else `GUARD_IN_PROGRESS`. */
    public function lookedUp(?string $state): int
    {
        return Backends::run(fn () => $this->handle->lookedUp($state));
    }
}
