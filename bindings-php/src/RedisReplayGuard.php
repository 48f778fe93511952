<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * A replay guard in Redis, shared by every PHP process and machine that uses the same Redis,
 * over the phpredis connection your application has (`php8.2-redis`) or one {@see connect()}
 * opens. A two-phase marker per delivery, `hooksig:replay:<dedupeKey>` (the core's
 * `hooksig_shared_store`, as in the Python and Node guards): `checkAndRemember` sets it
 * `processing` (`SET NX EX`: of two receivers getting one delivery at once, exactly one is told
 * it is new; one still `processing` is {@see DeliveryInProgressException}, 409), `confirm` sets
 * it `done` for `ttl`, `forget` deletes it. A marker left behind expires after `processingTtl`
 * (keep it above the handler's longest run), so no event is lost.
 *
 * ```php
 * $guard = Hooksig\RedisReplayGuard::connect('redis://127.0.0.1:6379', $verifier);
 * ```
 *
 * phpredis waits `default_socket_timeout` (60 s) for a reply: connect with a read timeout
 * (`$redis->connect($host, $port, 2.0, null, 0, 2.0)`), or use `connect()`, which does. Every
 * Redis failure is a {@see ReplayStoreUnavailableException} (503 + Retry-After), after which the
 * guard closes the connection (a late reply would otherwise answer the next command). Expiry
 * follows Redis's clock: `$now` is ignored.
 */
final class RedisReplayGuard implements ReplayGuardInterface
{
    use TwoPhaseGuard;

    /** The core's key prefix (`hooksig_store_default_prefix`; a test holds them equal). */
    public const DEFAULT_PREFIX = 'hooksig:replay:';
    /** The core's processing ttl (`HOOKSIG_PROCESSING_TTL`; a test holds them equal). */
    public const DEFAULT_PROCESSING_TTL = 60;
    /** Seconds of the Retry-After header when Redis is unavailable. */
    public const DEFAULT_RETRY_AFTER = 30;
    /** Seconds `connect()` gives phpredis for connecting and for each reply. */
    public const DEFAULT_TIMEOUT = 2.0;

    private readonly SharedStore $store;

    /**
     * @param \Redis $redis a connected phpredis client (with a read timeout: see above)
     * @param int $ttl seconds a handled delivery is remembered
     * @param string $prefix prepended to every key (namespacing one Redis between apps)
     * @param int $processingTtl seconds an unconfirmed delivery blocks its retries (at most $ttl)
     * @param int $retryAfter seconds for the Retry-After header of a 503 / 409
     * @throws ConfigException `invalid_argument` for any of them below 1 (or past Redis's range)
     */
    public function __construct(
        private readonly \Redis $redis,
        int $ttl,
        string $prefix = self::DEFAULT_PREFIX,
        int $processingTtl = self::DEFAULT_PROCESSING_TTL,
        private readonly int $retryAfter = self::DEFAULT_RETRY_AFTER,
    ) {
        // The core checks both TTLs and caps processingTtl at ttl.
        $this->store = new SharedStore($ttl, $processingTtl, $prefix);
        self::checkRetryAfter($retryAfter);
    }

    /** A guard for `$verifier`: ttl = its replay window (the core's; a day without timestamps). */
    public static function forVerifier(
        \Redis $redis,
        Verifier $verifier,
        string $prefix = self::DEFAULT_PREFIX,
        int $processingTtl = self::DEFAULT_PROCESSING_TTL,
        int $retryAfter = self::DEFAULT_RETRY_AFTER,
    ): self {
        return new self($redis, $verifier->replayTtl(), $prefix, $processingTtl, $retryAfter);
    }

    /**
     * A guard for `$verifier` over a new connection to `redis://[:password@]host[:port][/db]`,
     * with `$timeout` seconds for connecting and for every reply.
     *
     * @throws ReplayStoreUnavailableException when Redis cannot be reached
     */
    public static function connect(
        string $url,
        Verifier $verifier,
        float $timeout = self::DEFAULT_TIMEOUT,
        string $prefix = self::DEFAULT_PREFIX,
        int $processingTtl = self::DEFAULT_PROCESSING_TTL,
        int $retryAfter = self::DEFAULT_RETRY_AFTER,
    ): self {
        $parts = parse_url($url);
        if ($parts === false || !in_array($parts['scheme'] ?? '', ['redis', 'tcp'], true)) {
            throw ErrorMapper::exception(Native::INVALID_ARGUMENT, 'expected a redis://host[:port][/db] URL', null);
        }
        $redis = new \Redis();
        try {
            $redis->connect($parts['host'] ?? '127.0.0.1', $parts['port'] ?? 6379, $timeout, null, 0, $timeout);
            if (isset($parts['pass'])) {
                $redis->auth(isset($parts['user']) ? [urldecode($parts['user']), urldecode($parts['pass'])] : urldecode($parts['pass']));
            }
            $db = (int) ltrim($parts['path'] ?? '/0', '/');
            if ($db !== 0) {
                $redis->select($db);
            }
        } catch (\RedisException $e) {
            throw new ReplayStoreUnavailableException('Redis cannot be reached', $retryAfter, $e);
        }
        return self::forVerifier($redis, $verifier, $prefix, $processingTtl, $retryAfter);
    }

    /** The phpredis client the guard uses (for the application's own commands). */
    public function client(): \Redis
    {
        return $this->redis;
    }

    public function processingTtl(): int
    {
        return $this->store->processingTtl();
    }

    /**
     * Runs one of the core's commands ({@see TwoPhaseGuard}): the claim's reply as "it was set",
     * else the value or null. Any Redis failure becomes a ReplayStoreUnavailableException.
     */
    private function step(int $step, string $key, ?int $now): bool|string|null
    {
        $argv = $this->store->command($step, $key);
        try {
            // rawCommand: one command, the same on every phpredis version.
            $reply = $this->redis->rawCommand(...$argv);
        } catch (\RedisException $e) {
            // After a read timeout phpredis keeps the socket, and the late reply would be read
            // as the answer to the NEXT command (a SET NX answered with a stale +OK). Closing
            // drops it; phpredis reconnects on the next command.
            try {
                $this->redis->close();
            } catch (\Throwable) {
            }
            throw new ReplayStoreUnavailableException("Redis did not answer {$argv[0]}", $this->retryAfter, $e);
        }
        return $step === SharedStore::CLAIM ? $reply === true || $reply === 'OK' : (is_string($reply) ? $reply : null);
    }
}
