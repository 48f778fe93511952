<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal The core's two-phase marker, as {@see RedisReplayGuard} and {@see PdoReplayGuard}
 * run it on their `$store`: each step (`SharedStore::CLAIM`, ...; `SqlStore` numbers them alike)
 * by the class's `step()`.
 */
trait TwoPhaseGuard
{
    /**
     * `true` if the key is new (now "processing": {@see confirm()} after the handler succeeded,
     * {@see forget()} after it failed), `false` for a confirmed duplicate.
     *
     * @param int|null $now Unix seconds, null for the clock (Redis ignores it: its own clock)
     * @throws DeliveryInProgressException while another request processes the delivery
     * @throws ReplayStoreUnavailableException when the store does not answer
     */
    public function checkAndRemember(string $key, ?int $now = null): bool
    {
        $answer = $this->store->claimed($this->step(SharedStore::CLAIM, $key, $now))
            ?? $this->store->lookedUp($this->step(SharedStore::LOOKUP, $key, $now));
        if ($answer === Receiver::GUARD_IN_PROGRESS) {
            // Being processed, or expired in between (the retry will find it free).
            throw new DeliveryInProgressException($this->retryAfter);
        }
        return $answer === Receiver::GUARD_NEW;
    }

    /** The handler succeeded: the key is `done` for the ttl ({@see forget()} when it failed). */
    public function confirm(string $key): void
    {
        $this->step(SharedStore::KEEP, $key, null);
    }

    public function forget(string $key): void
    {
        $this->step(SharedStore::RELEASE, $key, null);
    }

    public function ttl(): int
    {
        return $this->store->ttl();
    }

    /** Seconds for the Retry-After header of a 503 / 409. */
    public function retryAfter(): int
    {
        return $this->retryAfter;
    }

    /** @throws ConfigException `invalid_argument` for a retry-after below 1 second */
    private static function checkRetryAfter(int $retryAfter): void
    {
        if ($retryAfter < 1) {
            throw ErrorMapper::exception(Native::INVALID_ARGUMENT, 'retryAfter must be at least 1 second', null);
        }
    }
}
