<?php

declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/**
 * @internal The core's replay-store contract over one SQL table (`hooksig_sql_store`), which
 * {@see PdoReplayGuard} executes with PDO: the DDL, the statements, their parameters and the
 * reading of each reply come from libhooksig; this class only converts.
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
    /** `HOOKSIG_STORE_LOOKUP_NEEDED`. */
    private const LOOKUP_NEEDED = -1;

    private CData $handle;

    /** @throws ConfigException `invalid_argument` for a TTL out of range or a table that is not an identifier */
    public function __construct(private readonly int $ttl, int $processingTtl, string $prefix, string $table, string $dialect)
    {
        $code = match ($dialect) {
            'pgsql', 'postgres' => 0,
            'sqlite' => 1,
            default => throw ErrorMapper::exception(Native::INVALID_ARGUMENT, "the PDO driver must be pgsql or sqlite, not {$dialect}", null),
        };
        $this->handle = Native::make('hooksig_sql_store', 'hooksig_sql_store_new', $ttl, $processingTtl, $prefix, strlen($prefix), $table, strlen($table), $code, 0);
    }

    /** Seconds a handled delivery is remembered. */
    public function ttl(): int
    {
        return $this->ttl;
    }

    public function __destruct()
    {
        Native::ffi()->hooksig_sql_store_free($this->handle);
    }

    /**
     * One statement: its SQL (`?` placeholders), its positional parameters, and what to read.
     *
     * @return array{string, list<string|int>, int}
     */
    public function statement(int $step, string $key, int $now): array
    {
        $ffi = Native::ffi();
        $st = Native::make('hooksig_sql_statement', 'hooksig_sql_store_statement', $this->handle, $step, $key, strlen($key), $now);
        try {
            $sql = (string) Native::sized('hooksig_sql_statement_sql', $st);
            $params = [];
            $count = $ffi->hooksig_sql_statement_param_count($st);
            for ($i = 0; $i < $count; $i++) {
                $text = Native::sized('hooksig_sql_statement_param_text', $st, $i);
                $params[] = $text ?? (int) $ffi->hooksig_sql_statement_param_int($st, $i);
            }
            return [$sql, $params, (int) $ffi->hooksig_sql_statement_reply($st)];
        } finally {
            $ffi->hooksig_sql_statement_free($st);
        }
    }

    /** After the claim: `Receiver::GUARD_NEW` when it wrote a row, null when LOOKUP must follow. */
    public function claimed(int $rows): ?int
    {
        $answer = Native::ffi()->hooksig_sql_store_claimed($this->handle, max(0, $rows));
        return $answer === self::LOOKUP_NEEDED ? null : $answer;
    }

    /** After the lookup: `Receiver::GUARD_DUPLICATE` for done, else `GUARD_IN_PROGRESS`. */
    public function lookedUp(?string $state): int
    {
        return Native::ffi()->hooksig_sql_store_looked_up($this->handle, $state, $state === null ? 0 : strlen($state));
    }
}
