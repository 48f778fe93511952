<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use Hooksig\Native;

/** @internal `Hooksig\Ext\SharedStore` over FFI ({@see Handle}). */
final class SharedStore extends Handle
{
    protected const FREE = 'hooksig_shared_store_free';

    public function __construct(int $ttl, int $processingTtl, string $prefix)
    {
        $this->ptr = Native::make('hooksig_shared_store*', 'hooksig_shared_store_new', $ttl, $processingTtl, $prefix, strlen($prefix));
    }

    public static function defaultPrefix(): string
    {
        return (string) Native::sized('hooksig_store_default_prefix');
    }

    public function ttl(): int
    {
        return Native::ffi()->hooksig_shared_store_ttl($this->ptr);
    }

    public function processingTtl(): int
    {
        return Native::ffi()->hooksig_shared_store_processing_ttl($this->ptr);
    }

    /** @return list<string> */
    public function command(int $step, string $key): array
    {
        $ffi = Native::ffi();
        $out = Native::make('hooksig_store_command*', 'hooksig_shared_store_command', $this->ptr, $step, $key, strlen($key));
        try {
            $argv = [];
            for ($i = 0, $argc = $ffi->hooksig_store_command_argc($out); $i < $argc; $i++) {
                $argv[] = (string) Native::sized('hooksig_store_command_arg', $out, $i);
            }
            return $argv;
        } finally {
            $ffi->hooksig_store_command_free($out);
        }
    }

    public function claimed(bool $wasSet): ?int
    {
        $answer = Native::ffi()->hooksig_shared_store_claimed($this->ptr, $wasSet ? 1 : 0);
        return $answer === -1 ? null : $answer; // HOOKSIG_STORE_LOOKUP_NEEDED
    }

    public function lookedUp(?string $value): int
    {
        return Native::ffi()->hooksig_shared_store_looked_up($this->ptr, ...Native::optional($value));
    }
}
