<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use Hooksig\Native;

/** @internal `Hooksig\Ext\ReplayGuard` over FFI ({@see Handle}). */
final class ReplayGuard extends Handle
{
    protected const FREE = 'hooksig_replay_guard_free';

    public function __construct(int $ttl, int $capacity)
    {
        $this->ptr = Native::make('hooksig_replay_guard*', 'hooksig_replay_guard_new', $ttl, $capacity);
    }

    public function checkAndRemember(string $key, ?int $now): bool
    {
        return Native::make('int32_t', 'hooksig_replay_guard_check_and_remember', $this->ptr, $key, strlen($key), $now ?? Native::NOW)->cdata === 1;
    }

    public function forget(string $key): void
    {
        Native::call('hooksig_replay_guard_forget', $this->ptr, $key, strlen($key));
    }

    public function ttl(): int
    {
        return Native::ffi()->hooksig_replay_guard_ttl($this->ptr);
    }

    public function capacity(): int
    {
        return Native::ffi()->hooksig_replay_guard_capacity($this->ptr);
    }

    public function len(): int
    {
        return Native::ffi()->hooksig_replay_guard_len($this->ptr);
    }
}
