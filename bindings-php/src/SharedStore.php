<?php

declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/**
 * @internal The core's replay-store contract (`hooksig_shared_store`), which
 * {@see RedisReplayGuard} executes with phpredis: the key format, the two-phase marker, its TTLs
 * and the reading of each reply come from libhooksig; this class only converts.
 */
final class SharedStore
{
    /** `hooksig_store_step`. */
    public const CLAIM = 0;
    public const LOOKUP = 1;
    public const KEEP = 2;
    public const RELEASE = 3;
    /** `HOOKSIG_STORE_LOOKUP_NEEDED`. */
    private const LOOKUP_NEEDED = -1;

    private CData $handle;

    /**
     * A negative TTL reaches C as a huge unsigned one: out of range like 0.
     *
     * @throws ConfigException `invalid_argument` for a TTL below 1 second or past Redis's range
     */
    public function __construct(int $ttl, int $processingTtl, string $prefix)
    {
        $this->handle = Native::make('hooksig_shared_store', 'hooksig_shared_store_new', $ttl, $processingTtl, $prefix, strlen($prefix));
    }

    public function __destruct()
    {
        Native::ffi()->hooksig_shared_store_free($this->handle);
    }

    /** The core's default key prefix (`hooksig:replay:`). */
    public static function defaultPrefix(): string
    {
        return (string) Native::sized('hooksig_store_default_prefix');
    }

    public function ttl(): int
    {
        return Native::ffi()->hooksig_shared_store_ttl($this->handle);
    }

    public function processingTtl(): int
    {
        return Native::ffi()->hooksig_shared_store_processing_ttl($this->handle);
    }

    /**
     * The Redis argv of one step (`self::CLAIM`, ...) for a delivery key.
     *
     * @return list<string>
     */
    public function command(int $step, string $key): array
    {
        $ffi = Native::ffi();
        $out = Native::make('hooksig_store_command', 'hooksig_shared_store_command', $this->handle, $step, $key, strlen($key));
        try {
            $argv = [];
            $argc = $ffi->hooksig_store_command_argc($out);
            for ($i = 0; $i < $argc; $i++) {
                $argv[] = (string) Native::sized('hooksig_store_command_arg', $out, $i);
            }
            return $argv;
        } finally {
            $ffi->hooksig_store_command_free($out);
        }
    }

    /** After the claim: `Receiver::GUARD_NEW` when it set the key, null when LOOKUP must follow. */
    public function claimed(bool $wasSet): ?int
    {
        $answer = Native::ffi()->hooksig_shared_store_claimed($this->handle, $wasSet ? 1 : 0);
        return $answer === self::LOOKUP_NEEDED ? null : $answer;
    }

    /** After the lookup, from GET's value: `Receiver::GUARD_DUPLICATE` or `GUARD_IN_PROGRESS`. */
    public function lookedUp(?string $value): int
    {
        return Native::ffi()->hooksig_shared_store_looked_up($this->handle, $value, $value === null ? 0 : strlen($value));
    }
}
