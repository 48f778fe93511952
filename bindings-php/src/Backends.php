<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal The route to hooksig's core, picked once per process: the native extension's classes
 * `Hooksig\Ext\*` (one per C noun) when it is loaded, else the same classes over libhooksig
 * through FFI (`Hooksig\Ffi\*`, {@see Ffi\Handle}). The public classes call either the same way;
 * {@see run()} maps the extension's failures. `HOOKSIG_BACKEND` forces a route: `ext` (an error
 * if the extension is not loaded, and the FFI route refuses to load, so the test suites catch a
 * silent fallback) or `ffi`.
 */
final class Backends
{
    public const ENV = 'HOOKSIG_BACKEND';
    /** The extension's name in `php -m` / extension_loaded(). */
    public const EXTENSION = 'hooksig';

    private static ?self $backend = null;

    /** @param string $name 'ext' or 'ffi' */
    private function __construct(public readonly string $name)
    {
    }

    public static function get(): self
    {
        return self::$backend ??= new self(match (getenv(self::ENV) ?: 'auto') {
            'ext' => extension_loaded(self::EXTENSION) ? 'ext' : throw new HooksigException('HOOKSIG_BACKEND=ext but the hooksig '
                . 'extension is not loaded (php.ini: extension=hooksig.so; see the README)', 'internal', null, 103),
            'ffi' => 'ffi',
            'auto' => extension_loaded(self::EXTENSION) ? 'ext' : 'ffi',
            default => throw new HooksigException('HOOKSIG_BACKEND must be ext, ffi or unset', 'internal', null, 103),
        });
    }

    /** The route's class for a C noun (`Verifier`: `Hooksig\Ext\Verifier` or `Hooksig\Ffi\Verifier`). */
    public function of(string $noun): string
    {
        return __NAMESPACE__ . ($this->name === 'ext' ? '\\Ext\\' : '\\Ffi\\') . $noun;
    }

    /** A new `$noun` of the route (its constructor's failure as the package's exception). */
    public function make(string $noun, mixed ...$args): object
    {
        $class = $this->of($noun);
        return self::run(static fn () => new $class(...$args));
    }

    /**
     * The route's scheme for a built-in id, or a custom definition with the vector files' keys
     * (set in order on the core's custom-scheme builder, which validates them).
     *
     * @param string|array<string, string|bool|null> $scheme
     */
    public function scheme(string|array $scheme): object
    {
        $class = $this->of('Scheme');
        if (is_string($scheme)) {
            return self::run(static fn () => $class::named($scheme));
        }
        // id and signature_header always go first; absent, they are "" (which the core refuses).
        $scheme = ['id' => (string) ($scheme['id'] ?? ''), 'signature_header' => (string) ($scheme['signature_header'] ?? '')] + $scheme;
        $settings = [];
        foreach ($scheme as $key => $value) {
            $value = is_bool($value) ? ($value ? 'true' : 'false') : $value;
            $settings[] = [(string) $key, $value === null ? null : (string) $value];
        }
        return self::run(static fn () => $class::custom($settings));
    }

    public function version(): string
    {
        return $this->name === 'ext' ? Ext\version() : Native::ffi()->hooksig_version();
    }

    /** @return array{0: string, 1: string, 2: int, 3: bool, 4: bool} the C status table's code, description, HTTP status, is a verification error, is a configuration error */
    public function status(int $status): array
    {
        return $this->name === 'ext' ? Ext\Status::describe($status) : Native::status($status);
    }

    /** @return list<int> the guard answers' numbers: new, duplicate, in progress, unavailable */
    public function guardAnswers(): array
    {
        return $this->of('Receiver')::guardAnswers();
    }

    /**
     * Runs a call on a route's object; the extension's `Ext\Failure` (code: the C status) becomes
     * the exception a failed C status gives.
     *
     * @template T
     * @param \Closure(): T $call
     * @return T
     */
    public static function run(\Closure $call): mixed
    {
        try {
            return $call();
        } catch (Ext\Failure $f) {
            throw ErrorMapper::exception($f->getCode(), $f->getMessage(), Ext\Failure::header());
        }
    }
}
