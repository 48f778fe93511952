<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal Picks the {@see Backend} once per process: the native extension when it is loaded
 * (`extension=hooksig.so`), FFI otherwise. The environment variable `HOOKSIG_BACKEND` forces
 * one: `ext` (an error if the extension is not loaded, and the FFI route refuses to load, so a
 * silent fallback is caught: the test suites run this way) or `ffi`.
 */
final class Backends
{
    public const ENV = 'HOOKSIG_BACKEND';
    /** The extension's name in `php -m` / extension_loaded(). */
    public const EXTENSION = 'hooksig';

    private static ?Backend $backend = null;

    public static function get(): Backend
    {
        return self::$backend ??= self::choose();
    }

    private static function choose(): Backend
    {
        $loaded = extension_loaded(self::EXTENSION);
        return match (getenv(self::ENV) ?: 'auto') {
            'ext' => $loaded ? new ExtBackend() : throw new HooksigException(
                'HOOKSIG_BACKEND=ext but the hooksig extension is not loaded (php.ini: extension=hooksig.so; see the README)',
                'internal',
                null,
                103,
            ),
            'ffi' => new FfiBackend(),
            'auto' => $loaded ? new ExtBackend() : new FfiBackend(),
            default => throw new HooksigException('HOOKSIG_BACKEND must be ext, ffi or unset', 'internal', null, 103),
        };
    }
}
