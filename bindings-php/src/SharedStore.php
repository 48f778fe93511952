<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal The core's replay-store contract (`hooksig_shared_store`), which
 * {@see RedisReplayGuard} executes with phpredis: the key format, the two-phase marker, its TTLs
 * and the reading of each reply come from the core (through the backend); this class only converts.
 */
final class SharedStore
{
    /** `hooksig_store_step`. */
    public const CLAIM = 0;
    public const LOOKUP = 1;
    public const KEEP = 2;
    public const RELEASE = 3;
    private object $handle;

    /** @throws ConfigException `invalid_argument` for a TTL below 1 second or past Redis's range */
    public function __construct(int $ttl, int $processingTtl, string $prefix)
    {
        $this->handle = Backends::get()->make('SharedStore', $ttl, $processingTtl, $prefix);
    }

    /** The core's default key prefix (`hooksig:replay:`). */
    public static function defaultPrefix(): string
    {
        return Backends::get()->of('SharedStore')::defaultPrefix();
    }

    public function ttl(): int
    {
        return $this->handle->ttl();
    }

    public function processingTtl(): int
    {
        return $this->handle->processingTtl();
    }

    /** @return list<string> the Redis argv of one step (`self::CLAIM`, ...) for a delivery key */
    public function command(int $step, string $key): array
    {
        return Backends::run(fn () => $this->handle->command($step, $key));
    }

    /** After the claim: `Receiver::GUARD_NEW` when it set the key, null when LOOKUP must follow. */
    public function claimed(bool $wasSet): ?int
    {
        return Backends::run(fn () => $this->handle->claimed($wasSet));
    }

    /** After the lookup, from GET's value: `Receiver::GUARD_DUPLICATE` or `GUARD_IN_PROGRESS`. */
    public function lookedUp(?string $value): int
    {
        return Backends::run(fn () => $this->handle->lookedUp($value));
    }
}
