<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use Hooksig\Native;

/** @internal `Hooksig\Ext\SqlStore` over FFI ({@see Handle}). */
final class SqlStore extends Handle
{
    protected const FREE = 'hooksig_sql_store_free';

    public function __construct(int $ttl, int $processingTtl, string $prefix, string $table, int $dialect)
    {
        $this->ptr = Native::make('hooksig_sql_store*', 'hooksig_sql_store_new', $ttl, $processingTtl, $prefix, strlen($prefix), $table, strlen($table), $dialect, 0);
    }

    /** @return array{string, list<string|int>, int} */
    public function statement(int $step, string $key, int $now): array
    {
        $ffi = Native::ffi();
        $st = Native::make('hooksig_sql_statement*', 'hooksig_sql_store_statement', $this->ptr, $step, $key, strlen($key), $now);
        try {
            $params = [];
            for ($i = 0, $n = $ffi->hooksig_sql_statement_param_count($st); $i < $n; $i++) {
                $params[] = Native::sized('hooksig_sql_statement_param_text', $st, $i) ?? (int) $ffi->hooksig_sql_statement_param_int($st, $i);
            }
            return [(string) Native::sized('hooksig_sql_statement_sql', $st), $params, (int) $ffi->hooksig_sql_statement_reply($st)];
        } finally {
            $ffi->hooksig_sql_statement_free($st);
        }
    }

    public function claimed(int $rows): ?int
    {
        $answer = Native::ffi()->hooksig_sql_store_claimed($this->ptr, $rows);
        return $answer === -1 ? null : $answer; // HOOKSIG_STORE_LOOKUP_NEEDED
    }

    public function lookedUp(?string $state): int
    {
        return Native::ffi()->hooksig_sql_store_looked_up($this->ptr, ...Native::optional($state));
    }
}
