<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * A replay guard in Redis, shared by every PHP process and machine that uses the same Redis:
 * `SET <prefix><key> 1 NX EX <ttl>` (atomic: of two receivers getting the same delivery at the
 * same moment, exactly one is told it is new). Takes the phpredis connection your application
 * already has (Debian/Ubuntu: `php8.2-redis`; PECL: `redis`).
 *
 * ```php
 * $redis = new Redis();
 * $redis->connect('127.0.0.1', 6379);
 * $guard = Hooksig\RedisReplayGuard::forVerifier($redis, $verifier);
 * ```
 *
 * Redis errors (connection refused, ...) propagate as `RedisException`: answer 500 and the
 * sender retries later.
 */
final class RedisReplayGuard implements ReplayGuardInterface
{
    public const DEFAULT_PREFIX = 'hooksig:replay:';

    /**
     * @param \Redis $redis a connected phpredis client
     * @param int $ttl seconds a key is remembered (at least 1)
     * @param string $prefix prepended to every key (namespacing one Redis between apps)
     * @throws \InvalidArgumentException for a ttl below 1
     */
    public function __construct(
        private readonly \Redis $redis,
        private readonly int $ttl,
        private readonly string $prefix = self::DEFAULT_PREFIX,
    ) {
        if ($ttl < 1) {
            throw new \InvalidArgumentException('ttl must be at least 1 second');
        }
    }

    /** A guard for `$verifier`: ttl = its tolerance + 60 s (a day without timestamps). */
    public static function forVerifier(\Redis $redis, Verifier $verifier, string $prefix = self::DEFAULT_PREFIX): self
    {
        return new self($redis, $verifier->replayTtl(), $prefix);
    }

    /**
     * With `$now` null, Redis's clock governs expiry (`EX ttl`). With an explicit `$now`, the
     * key expires at `$now + ttl` (`EXAT`, Redis ≥ 6.2), so an injected clock means the same as
     * for {@see ReplayGuard}.
     */
    public function checkAndRemember(string $key, ?int $now = null): bool
    {
        // rawCommand: phpredis 5.3's set() options silently ignore `exat`.
        $result = $now === null
            ? $this->redis->rawCommand('SET', $this->prefix . $key, '1', 'NX', 'EX', $this->ttl)
            : $this->redis->rawCommand('SET', $this->prefix . $key, '1', 'NX', 'EXAT', $now + $this->ttl);
        return $result === true || $result === 'OK';
    }

    public function forget(string $key): void
    {
        $this->redis->del($this->prefix . $key);
    }

    public function ttl(): int
    {
        return $this->ttl;
    }
}
