<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use Hooksig\Native;

/** @internal `Hooksig\Ext\Receiver` over FFI ({@see Handle}); answers as {@see Native::answer()}. */
final class Receiver extends Handle
{
    protected const FREE = 'hooksig_receiver_free';

    public function __construct(int $limit)
    {
        $this->ptr = Native::make('hooksig_receiver*', 'hooksig_receiver_new', $limit);
    }

    public function limit(): int
    {
        return Native::ffi()->hooksig_receiver_limit($this->ptr);
    }

    public function start(string $method, int $contentLength): ?array
    {
        return Native::answer('hooksig_receiver_start', $this->ptr, $method, strlen($method), $contentLength);
    }

    public function bodyTooLarge(): array
    {
        return Native::answer('hooksig_receiver_body_too_large', $this->ptr);
    }

    public function bodyReadFailed(): array
    {
        return Native::answer('hooksig_receiver_body_read_failed', $this->ptr);
    }

    public function rejectedStatus(int $status): array
    {
        return Native::answer('hooksig_receiver_rejected_status', $this->ptr, $status);
    }

    public function guarded(int $guardAnswer): ?array
    {
        return Native::answer('hooksig_receiver_guarded', $this->ptr, $guardAnswer);
    }

    public function finished(int $status): bool
    {
        return Native::ffi()->hooksig_receiver_finished($this->ptr, $status) === 0;
    }

    /** @return list<int> */
    public static function guardAnswers(): array
    {
        $ffi = Native::ffi();
        return [$ffi->HOOKSIG_GUARD_NEW, $ffi->HOOKSIG_GUARD_DUPLICATE, $ffi->HOOKSIG_GUARD_IN_PROGRESS, $ffi->HOOKSIG_GUARD_UNAVAILABLE];
    }
}
