<?php

declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * @internal The FFI handle to libhooksig and the marshalling helpers ({@see FfiBackend}, the
 * route used when the native extension is not loaded). Not part of the API.
 *
 * The library is loaded once per process from, in order: the `HOOKSIG_LIB` environment
 * variable, the package's own `lib/libhooksig.so` (a bundled copy), the repository build
 * (`target/release/libhooksig.so`), or the system's library path (`libhooksig.so`, found by
 * the dynamic loader: `ldconfig` paths and `LD_LIBRARY_PATH`, never the current directory).
 * The declarations come from the C header `hooksig.h`, read without its preprocessor lines (see
 * {@see self::declarations()}): `HOOKSIG_HEADER`, the package's `include/`, the repository's
 * `bindings-c/include/`, `../include/` beside the library (`install.sh`), or
 * `/usr/local/include` and `/usr/include`.
 *
 * Where FFI is restricted to preloading (`ffi.enable=preload`, PHP's default outside the CLI, so
 * under PHP-FPM and Apache's mod_php), php.ini's `ffi.preload` names a header that
 * `bin/hooksig-ffi-header` writes ({@see self::preloadHeader()}): PHP loads it at start-up as
 * the FFI scope `HOOKSIG`, and every request takes the declarations from that scope. PHP then
 * lets only preloaded code call the FFI API, so this class, the only one that does, is
 * preloaded too (`opcache.preload` = `preload.php`). (Not
 * `opcache.preload` with `FFI::load`: PHP refuses that pair whenever `opcache.preload_user` is
 * set, which it must be when the FPM master runs as root.)
 */
final class Native
{
    /** `HOOKSIG_NOW` in the C header: use the system clock. */
    public const NOW = PHP_INT_MIN;
    /** `HOOKSIG_INVALID_ARGUMENT`, the status of a wrong argument. */
    public const INVALID_ARGUMENT = 101;

    private static ?FFI $ffi = null;

    public static function ffi(): FFI
    {
        if (self::$ffi === null && getenv('HOOKSIG_BACKEND') === 'ext') {
            // Backends::ENV (not autoloaded here: this class is preloaded alone).
            throw new HooksigException('HOOKSIG_BACKEND=ext forbids the FFI route, and something asked for it', 'internal', null, 103);
        }
        return self::$ffi ??= self::load();
    }

    /** The FFI scope {@see self::preload()} registers. */
    public const SCOPE = 'HOOKSIG';

    private static function load(): FFI
    {
        if (ini_get('ffi.enable') === 'preload' && PHP_SAPI !== 'cli') {
            try {
                return FFI::scope(self::SCOPE);
            } catch (\FFI\Exception $e) {
                throw new HooksigException(
                    'FFI is restricted to preloading here (ffi.enable=preload, the default under '
                    . 'PHP-FPM) and hooksig was not preloaded: set ffi.preload to the header '
                    . 'bin/hooksig-ffi-header writes (see the README, "PHP-FPM"): ' . $e->getMessage(),
                    'internal',
                    null,
                    0,
                );
            }
        }
        [$lib, $header] = self::locate();
        return FFI::cdef(self::lengthReturns(self::declarations((string) file_get_contents($header))), $lib);
    }

    /**
     * The header as `ffi.preload` takes it (PHP-FPM, see the README): the declarations
     * {@see self::load()} uses, under `FFI_SCOPE` {@see self::SCOPE} and with `FFI_LIB` the
     * library found as the class comment says (or `$lib`). `bin/hooksig-ffi-header` prints it.
     */
    public static function preloadHeader(?string $lib = null): string
    {
        [$found, $header] = self::locate();
        $lib ??= $found;
        if (str_contains($lib, '"') || str_contains($lib, "\n")) {
            throw new HooksigException('the library path contains a quote or a newline', 'internal', null, 0);
        }
        return sprintf(
            // PHP reads FFI_SCOPE and FFI_LIB only from the first lines: they come first.
            "#define FFI_SCOPE \"%s\"\n#define FFI_LIB \"%s\"\n"
            . "/* libhooksig's declarations for PHP's ffi.preload (generated from %s). */\n%s",
            self::SCOPE,
            $lib,
            basename($header),
            self::lengthReturns(self::declarations((string) file_get_contents($header))),
        );
    }

    /**
     * The library and the header, in the order the class comment gives.
     *
     * @return array{0: string, 1: string}
     */
    private static function locate(): array
    {
        $package = dirname(__DIR__);
        $repo = dirname($package);
        $lib = getenv('HOOKSIG_LIB') ?: null;
        foreach ([$package . '/lib/libhooksig.so', $repo . '/target/release/libhooksig.so'] as $built) {
            if ($lib === null && is_file($built)) {
                $lib = $built;
            }
        }
        $lib ??= 'libhooksig.so';
        $candidates = array_filter([
            getenv('HOOKSIG_HEADER') ?: null,
            $package . '/include/hooksig.h',
            $repo . '/bindings-c/include/hooksig.h',
            str_contains($lib, '/') ? dirname($lib, 2) . '/include/hooksig.h' : null,
            '/usr/local/include/hooksig.h',
            '/usr/include/hooksig.h',
        ]);
        foreach ($candidates as $header) {
            if (is_file($header)) {
                return [$lib, $header];
            }
        }
        throw new HooksigException(
            'hooksig.h not found (set HOOKSIG_HEADER to its path)',
            'internal',
            null,
            0,
        );
    }

    /**
     * The C header as `FFI::cdef` takes it: without preprocessor lines, and without what the
     * `#ifdef __cplusplus` blocks hold (the `#ifndef __cplusplus` ones are C and stay). The
     * constants (`#define`) are PHP constants here instead.
     */
    private static function declarations(string $header): string
    {
        $kept = [];
        $cplusplus = false;
        foreach (explode("\n", $header) as $line) {
            $directive = ltrim($line);
            if (!str_starts_with($directive, '#')) {
                $cplusplus || $kept[] = $line;
            } elseif (preg_match('/^#\s*if(n?)def\s+__cplusplus\b/', $directive, $m) === 1) {
                $cplusplus = $m[1] === '';
            } elseif (preg_match('/^#\s*endif\b/', $directive) === 1) {
                $cplusplus = false;
            }
        }
        return implode("\n", $kept);
    }

    /** The functions that return bytes with their length through `len_out`. */
    private const SIZED = [
        'hooksig_verified_scheme',
        'hooksig_verified_id',
        'hooksig_verified_event_type',
        'hooksig_verified_dedupe_key',
        'hooksig_signed_headers_name',
        'hooksig_signed_headers_value',
        'hooksig_answer_content_type',
        'hooksig_answer_header_name',
        'hooksig_answer_header_value',
        'hooksig_store_default_prefix',
        'hooksig_store_command_arg',
        'hooksig_sql_statement_sql',
        'hooksig_sql_statement_param_text',
    ];

    /**
     * PHP's FFI turns a returned `const char *` into a PHP string at the first NUL byte, so an id
     * "a\0b" would come back as "a". The functions that report a length are declared here as
     * returning `const uint8_t *` instead (the same ABI), and read with {@see self::sized()}.
     */
    private static function lengthReturns(string $declarations): string
    {
        foreach (self::SIZED as $name) {
            $declarations = preg_replace(
                '/\bconst\s+char\s*\*\s*(' . $name . ')\s*\(/',
                'const uint8_t *$1(',
                $declarations,
                -1,
                $count,
            );
            if ($count !== 1) {
                throw new HooksigException(
                    "hooksig.h: cannot find the declaration of {$name}",
                    'internal',
                    null,
                    0,
                );
            }
        }
        return $declarations;
    }

    /**
     * Calls one of the {@see self::SIZED} functions and returns its bytes, read through their
     * length (so NUL bytes are kept), or null when it returns NULL.
     */
    public static function sized(string $function, mixed ...$args): ?string
    {
        $ffi = self::ffi();
        $len = $ffi->new('size_t');
        $ptr = $ffi->{$function}(...$args, ...[FFI::addr($len)]);
        if ($ptr === null || FFI::isNull($ptr)) {
            return null;
        }
        $n = (int) $len->cdata;
        return $n === 0 ? '' : FFI::string($ptr, $n);
    }

    /**
     * Copies PHP strings into one C buffer (kept alive by the returned owner) and returns
     * [owner, list of [pointer, length]]. hooksig reads them during the call only.
     *
     * @param list<string> $parts
     * @return array{0: ?CData, 1: list<array{0: ?CData, 1: int}>}
     */
    public static function pack(array $parts): array
    {
        $ffi = self::ffi();
        $blob = implode('', $parts);
        if ($blob === '') {
            return [null, array_map(static fn () => [null, 0], $parts)];
        }
        $owner = $ffi->new('char[' . strlen($blob) . ']');
        FFI::memcpy($owner, $blob, strlen($blob));
        $base = $ffi->cast('const char *', $owner);
        $out = [];
        $offset = 0;
        foreach ($parts as $part) {
            $len = strlen($part);
            $out[] = [$len === 0 ? null : $base + $offset, $len];
            $offset += $len;
        }
        return [$owner, $out];
    }

    /**
     * A `hooksig_bytes[]` array for a list of secrets. Returns [owners, array CData or null].
     *
     * @param list<string> $secrets
     * @return array{0: array<mixed>, 1: ?CData}
     */
    public static function bytesArray(array $secrets): array
    {
        foreach ($secrets as $i => $secret) {
            if (!is_string($secret)) {
                // The value itself is not echoed: it may be a secret.
                throw new \TypeError(sprintf('secrets[%s] must be a string, %s given', $i, get_debug_type($secret)));
            }
        }
        if ($secrets === []) {
            return [[], null];
        }
        [$owner, $spans] = self::pack($secrets);
        $array = self::ffi()->new('hooksig_bytes[' . count($secrets) . ']');
        foreach ($spans as $i => [$ptr, $len]) {
            $array[$i]->ptr = $ptr;
            $array[$i]->len = $len;
        }
        return [[$owner], $array];
    }

    /**
     * A `hooksig_header[]` array for `[name, value]` pairs ({@see HeaderPairs::of()}).
     *
     * @param list<array{0: string, 1: string}> $pairs
     * @return array{0: array<mixed>, 1: ?CData, 2: int}
     */
    public static function headerArray(array $pairs): array
    {
        if ($pairs === []) {
            return [[], null, 0];
        }
        $flat = [];
        foreach ($pairs as [$n, $v]) {
            $flat[] = $n;
            $flat[] = $v;
        }
        [$owner, $spans] = self::pack($flat);
        $array = self::ffi()->new('hooksig_header[' . count($pairs) . ']');
        foreach (array_keys($pairs) as $i) {
            [$array[$i]->name, $array[$i]->name_len] = $spans[2 * $i];
            [$array[$i]->value, $array[$i]->value_len] = $spans[2 * $i + 1];
        }
        return [[$owner], $array, count($pairs)];
    }

    /**
     * A `const hooksig_request *` for `hooksig_verify_request`: the method (null: NULL, i.e.
     * POST) and the URL, copied into C memory kept alive by the returned owners (keep them until
     * the call returns). Every text pointer is non-NULL, even for "" (the core then says the URL
     * is missing, as the extension does). Here, not in FfiBackend: under `ffi.enable=preload`
     * only preloaded code may call FFI's static API (`FFI::addr`).
     *
     * @return array{0: array<mixed>, 1: CData}
     */
    public static function requestLine(?string $method, string $url): array
    {
        $ffi = self::ffi();
        $line = $ffi->new('hooksig_request');
        $owners = [];
        foreach (['method' => $method, 'url' => $url] as $field => $text) {
            if ($text === null) {
                continue;
            }
            $len = strlen($text);
            $buffer = $ffi->new('char[' . max(1, $len) . ']');
            if ($len > 0) {
                FFI::memcpy($buffer, $text, $len);
            }
            $owners[] = $buffer;
            $line->{$field} = $ffi->cast('const char *', $buffer);
            $line->{$field . '_len'} = $len;
        }
        $owners[] = $line;
        return [$owners, FFI::addr($line)];
    }

    /** `[pointer-or-null, length]` for optional text (null means absent). */
    public static function optional(?string $text): array
    {
        return $text === null ? [null, 0] : [$text, strlen($text)];
    }

    /**
     * Calls a native function that can fail, with an error out-pointer appended to `$args`;
     * throws for a failed status.
     */
    public static function call(string $function, mixed ...$args): void
    {
        $err = self::ffi()->new('hooksig_error*');
        self::check(self::ffi()->{$function}(...$args, ...[FFI::addr($err)]), $err);
    }

    /**
     * {@see self::call()} with an `int32_t` out-pointer before the error one; returns its value.
     */
    public static function callForInt(string $function, mixed ...$args): int
    {
        $value = self::ffi()->new('int32_t');
        self::call($function, ...$args, ...[FFI::addr($value)]);
        return $value->cdata;
    }

    /** Whether a pointer returned by the library is NULL. */
    public static function isNull(CData $pointer): bool
    {
        return FFI::isNull($pointer);
    }

    /**
     * Calls a native constructor, with `$type **out` and the error out-pointer appended to
     * `$args`, and returns the new object (the caller frees it); throws for a failed status.
     */
    public static function make(string $type, string $function, mixed ...$args): CData
    {
        $out = self::ffi()->new($type . '*');
        self::call($function, ...$args, ...[FFI::addr($out)]);
        return $out;
    }

    /**
     * Creates an options handle of `$type` (`{$type}_new`), fills it with `$set`, runs `$use`
     * with it and frees it (`{$type}_free`).
     *
     * @template T
     * @param callable(CData): void $set
     * @param callable(CData): T $use
     * @return T
     */
    public static function withOptions(string $type, callable $set, callable $use): mixed
    {
        $options = self::make($type, $type . '_new');
        try {
            $set($options);
            return $use($options);
        } finally {
            self::ffi()->{$type . '_free'}($options);
        }
    }

    /** Throws for a failed status (the error object, if any, is freed here). */
    public static function check(int $status, CData $err): void
    {
        if ($status === 0) {
            return;
        }
        $ffi = self::ffi();
        $isNull = FFI::isNull($err);
        $message = $isNull ? null : $ffi->hooksig_error_message($err);
        $header = $isNull ? null : $ffi->hooksig_error_header($err);
        if (!$isNull) {
            $ffi->hooksig_error_free($err);
        }
        throw ErrorMapper::exception($status, $message, $header);
    }

    /** Reads a `hooksig_signed_headers` into name => value and frees it. */
    public static function takeSignedHeaders(CData $signed): array
    {
        $ffi = self::ffi();
        $out = [];
        try {
            $n = $ffi->hooksig_signed_headers_count($signed);
            for ($i = 0; $i < $n; $i++) {
                $name = (string) self::sized('hooksig_signed_headers_name', $signed, $i);
                $out[$name] = (string) self::sized('hooksig_signed_headers_value', $signed, $i);
            }
        } finally {
            $ffi->hooksig_signed_headers_free($signed);
        }
        return $out;
    }
}
