<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * The in-memory replay guard of hooksig's core: atomic check-and-remember, entries expire `ttl`
 * seconds after they were remembered, at most `capacity` keys (expired ones go first, then the
 * oldest). In this PHP process's memory, it only helps where one process handles many requests
 * (RoadRunner, Swoole, a queue consumer); under PHP-FPM, mod_php or `php -S` every request starts
 * from nothing: use {@see RedisReplayGuard} there.
 */
final class ReplayGuard implements ReplayGuardInterface, \Countable
{
    /** `HOOKSIG_DEFAULT_REPLAY_CAPACITY`: keys kept by default (about 10 MB). */
    public const DEFAULT_CAPACITY = 100_000;

    private object $handle;

    /**
     * @param int $ttl seconds a key is remembered (at least 1; use at least the tolerance)
     * @param int $capacity the most keys kept (at least 1)
     * @throws HooksigException `invalid_argument` for a ttl or capacity below 1
     */
    public function __construct(int $ttl, int $capacity = self::DEFAULT_CAPACITY)
    {
        // The C parameters are unsigned: a negative PHP int would wrap around to a huge value,
        // so it is passed as 0, which the core refuses with `invalid_argument`.
        $this->handle = Backends::get()->make('ReplayGuard', max($ttl, 0), max($capacity, 0));
    }

    /** A guard for `$verifier`: ttl = its past + future tolerance + 60 s (a day without timestamps). */
    public static function forVerifier(Verifier $verifier, int $capacity = self::DEFAULT_CAPACITY): self
    {
        return new self($verifier->replayTtl(), $capacity);
    }

    /** @throws HooksigException `invalid_utf8` when the key is not UTF-8 */
    public function checkAndRemember(string $key, ?int $now = null): bool
    {
        return Backends::run(fn () => $this->handle->checkAndRemember($key, $now));
    }

    /** @throws HooksigException `invalid_utf8` when the key is not UTF-8 */
    public function forget(string $key): void
    {
        Backends::run(fn () => $this->handle->forget($key));
    }

    public function ttl(): int
    {
        return $this->handle->ttl();
    }

    public function capacity(): int
    {
        return $this->handle->capacity();
    }

    /** Keys currently held (expired ones included until purged). */
    public function count(): int
    {
        return Backends::run(fn () => $this->handle->len());
    }
}
