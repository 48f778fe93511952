<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * Drops duplicate deliveries: senders retry, so one delivery can arrive several times. After a
 * request verifies (never before: forged requests must not burn keys), call
 * `checkAndRemember($event->dedupeKey)`. `true`: the delivery is new, run the handler (and
 * `forget()` the key if it fails, so the sender's retry runs it again). `false`: a duplicate,
 * answer `200 {"status":"duplicate"}` without running the handler (the sender stops retrying).
 *
 * {@see RedisReplayGuard} and {@see PdoReplayGuard} are shared by every PHP process (what
 * PHP-FPM, Apache and `php -S` need); {@see ReplayGuard} lives in this process's memory (for
 * long-running workers such as RoadRunner, Swoole or a CLI consumer).
 */
interface ReplayGuardInterface
{
    /**
     * Atomically checks `$key` and remembers it for the guard's ttl.
     *
     * @param string $key the delivery's key, normally `Verified::$dedupeKey`
     * @param int|null $now Unix seconds; null for the clock
     * @return bool true if the key is new (run the handler), false for a duplicate
     */
    public function checkAndRemember(string $key, ?int $now = null): bool;

    /** Forgets `$key` (the handler failed: let the sender's retry run it). */
    public function forget(string $key): void;

    /** Seconds a key is remembered. */
    public function ttl(): int;
}
