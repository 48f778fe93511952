<?php

declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * @internal libhooksig through FFI (loaded once per process: {@see self::locate()}) and the
 * marshalling helpers of the FFI route ({@see Ffi\Handle}).
 *
 * Where FFI is restricted to preloading (`ffi.enable=preload`, PHP's default outside the CLI),
 * php.ini's `ffi.preload` loads {@see self::preloadHeader()} at start-up as the FFI scope
 * `HOOKSIG`, and PHP lets only preloaded code call FFI's static API: this class, the only one
 * that does, is preloaded too (`preload.php`; not `FFI::load`, which PHP refuses whenever
 * `opcache.preload_user` is set, as it must be when the FPM master runs as root).
 */
final class Native
{
    /** `HOOKSIG_NOW` in the C header: use the system clock. */
    public const NOW = PHP_INT_MIN;
    /** `HOOKSIG_INVALID_ARGUMENT`, the status of a wrong argument. */
    public const INVALID_ARGUMENT = 101;
    /** The FFI scope {@see self::preloadHeader()} declares. */
    public const SCOPE = 'HOOKSIG';

    private static ?FFI $ffi = null;

    public static function ffi(): FFI
    {
        if (self::$ffi === null && getenv('HOOKSIG_BACKEND') === 'ext') {
            // Backends::ENV (not autoloaded here: this class is preloaded alone).
            throw new HooksigException('HOOKSIG_BACKEND=ext forbids the FFI route, and something asked for it', 'internal', null, 103);
        }
        return self::$ffi ??= self::load();
    }

    private static function load(): FFI
    {
        if (ini_get('ffi.enable') === 'preload' && PHP_SAPI !== 'cli') {
            try {
                return FFI::scope(self::SCOPE);
            } catch (\FFI\Exception $e) {
                throw self::fail('FFI is restricted to preloading here (ffi.enable=preload, the default under '
                    . 'PHP-FPM) and hooksig was not preloaded: set ffi.preload to the header '
                    . 'bin/hooksig-ffi-header writes (see the README, "PHP-FPM"): ' . $e->getMessage());
            }
        }
        [$lib, $header] = self::locate();
        return FFI::cdef(self::declarations($header), $lib);
    }

    /**
     * The header as `ffi.preload` takes it (PHP-FPM, see the README): the declarations
     * {@see self::load()} uses, under `FFI_SCOPE` {@see self::SCOPE} and with `FFI_LIB` the
     * library {@see self::locate()} finds (or `$lib`). `bin/hooksig-ffi-header` prints it.
     */
    public static function preloadHeader(?string $lib = null): string
    {
        [$found, $header] = self::locate();
        $lib ??= $found;
        if (str_contains($lib, '"') || str_contains($lib, "\n")) {
            throw self::fail('the library path contains a quote or a newline');
        }
        return sprintf(
            // PHP reads FFI_SCOPE and FFI_LIB only from the first lines: they come first.
            "#define FFI_SCOPE \"%s\"\n#define FFI_LIB \"%s\"\n"
            . "/* libhooksig's declarations for PHP's ffi.preload (generated from %s). */\n%s",
            self::SCOPE,
            $lib,
            basename($header),
            self::declarations($header),
        );
    }

    /**
     * The library: `HOOKSIG_LIB`, the package's `lib/libhooksig.so`, the repository build
     * (`target/release/`), or `libhooksig.so` on the dynamic loader's path (never the current
     * directory). The header: `HOOKSIG_HEADER`, the package's `include/`, the repository's
     * `bindings-c/include/`, `../include/` beside the library, `/usr/local/include`, `/usr/include`.
     *
     * @return array{0: string, 1: string}
     */
    private static function locate(): array
    {
        $package = dirname(__DIR__);
        $repo = dirname($package);
        $lib = getenv('HOOKSIG_LIB')
            ?: current(array_filter([$package . '/lib/libhooksig.so', $repo . '/target/release/libhooksig.so'], 'is_file'))
            ?: 'libhooksig.so';
        $header = current(array_filter(array_filter([
            getenv('HOOKSIG_HEADER') ?: null,
            $package . '/include/hooksig.h',
            $repo . '/bindings-c/include/hooksig.h',
            str_contains($lib, '/') ? dirname($lib, 2) . '/include/hooksig.h' : null,
            '/usr/local/include/hooksig.h',
            '/usr/include/hooksig.h',
        ]), 'is_file'));
        return $header === false ? throw self::fail('hooksig.h not found (set HOOKSIG_HEADER to its path)') : [$lib, $header];
    }

    /**
     * The C header as `FFI::cdef` takes it: without preprocessor lines and what `#ifdef
     * __cplusplus` blocks hold (the constants are PHP constants here). PHP's FFI cuts a returned
     * `const char *` at its first NUL byte, so the functions that report a length through
     * `len_out` return `const uint8_t *` here (the same ABI), read with {@see self::sized()}.
     */
    private static function declarations(string $path): string
    {
        $kept = [];
        $cplusplus = false;
        foreach (explode("\n", (string) file_get_contents($path)) as $line) {
            $directive = ltrim($line);
            if (!str_starts_with($directive, '#')) {
                $cplusplus || $kept[] = $line;
            } elseif (preg_match('/^#\s*if(n?)def\s+__cplusplus\b/', $directive, $m) === 1) {
                $cplusplus = $m[1] === '';
            } elseif (preg_match('/^#\s*endif\b/', $directive) === 1) {
                $cplusplus = false;
            }
        }
        return (string) preg_replace('/\bconst\s+char\s*\*\s*(hooksig_\w+\s*\([^;]*\bsize_t\s*\*\s*len_out\s*\)\s*;)/', 'const uint8_t *$1', implode("\n", $kept));
    }

    /** @return array{0: string, 1: string, 2: int, 3: bool, 4: bool} as `Hooksig\Ext\Status::describe()` */
    public static function status(int $status): array
    {
        $ffi = self::ffi();
        return [
            $ffi->hooksig_status_code($status),
            $ffi->hooksig_status_message($status),
            $ffi->hooksig_status_http_status($status),
            $ffi->hooksig_status_is_verification_error($status) === 1,
            $ffi->hooksig_status_is_config_error($status) === 1,
        ];
    }

    private static function fail(string $message): HooksigException
    {
        return new HooksigException($message, 'internal', null, 0);
    }

    /** The bytes a function returns with their length through `len_out` (NUL kept), or null. */
    public static function sized(string $function, mixed ...$args): ?string
    {
        $len = self::ffi()->new('size_t');
        $ptr = self::ffi()->{$function}(...$args, ...[FFI::addr($len)]);
        if ($ptr === null || FFI::isNull($ptr)) {
            return null;
        }
        $n = (int) $len->cdata;
        return $n === 0 ? '' : FFI::string($ptr, $n);
    }

    /**
     * A C array of `$type`, one element per row, whose `$fields` ([pointer, length] names) hold
     * the row's strings, copied into one buffer the returned owner keeps alive ("" is NULL, 0).
     *
     * @param list<array{0: string, 1: string}> $fields
     * @param list<list<string>> $rows
     * @return array{0: ?CData, 1: ?CData}
     */
    public static function spans(string $type, array $fields, array $rows): array
    {
        if ($rows === []) {
            return [null, null];
        }
        $ffi = self::ffi();
        $blob = implode('', array_merge(...$rows));
        $owner = $ffi->new('char[' . max(1, strlen($blob)) . ']');
        FFI::memcpy($owner, $blob, strlen($blob));
        $base = $ffi->cast('const char *', $owner);
        $spans = [];
        $offset = 0;
        foreach (array_merge(...$rows) as $part) {
            $spans[] = [$part === '' ? null : $base + $offset, strlen($part)];
            $offset += strlen($part);
        }
        $array = $ffi->new($type . '[' . count($rows) . ']');
        foreach (array_keys($rows) as $i) {
            foreach ($fields as $j => [$pointer, $length]) {
                [$array[$i]->{$pointer}, $array[$i]->{$length}] = $spans[$i * count($fields) + $j];
            }
        }
        return [$owner, $array];
    }

    /**
     * A `const hooksig_request *`: the method (null: NULL, i.e. POST) and the URL, in C memory
     * kept alive by the returned owners; "" is a non-NULL pointer (the core then says the URL is
     * missing, as the extension does).
     *
     * @return array{0: list<CData>, 1: CData}
     */
    public static function requestLine(?string $method, string $url): array
    {
        $ffi = self::ffi();
        $line = $ffi->new('hooksig_request');
        $owners = [$line];
        foreach (['method' => $method, 'url' => $url] as $field => $text) {
            if ($text !== null) {
                $owners[] = $buffer = $ffi->new('char[' . max(1, strlen($text)) . ']');
                FFI::memcpy($buffer, $text, strlen($text));
                $line->{$field} = $ffi->cast('const char *', $buffer);
                $line->{$field . '_len'} = strlen($text);
            }
        }
        return [$owners, FFI::addr($line)];
    }

    /** `[pointer-or-null, length]` for optional text (null means absent). */
    public static function optional(?string $text): array
    {
        return $text === null ? [null, 0] : [$text, strlen($text)];
    }

    /** Calls a function with an error out-pointer appended; throws for a failed status. */
    public static function call(string $function, mixed ...$args): void
    {
        $ffi = self::ffi();
        $err = $ffi->new('hooksig_error*');
        $status = $ffi->{$function}(...$args, ...[FFI::addr($err)]);
        if ($status === 0) {
            return;
        }
        [$message, $header] = FFI::isNull($err) ? [null, null] : [$ffi->hooksig_error_message($err), $ffi->hooksig_error_header($err)];
        if (!FFI::isNull($err)) {
            $ffi->hooksig_error_free($err);
        }
        throw ErrorMapper::exception($status, $message, $header);
    }

    /**
     * {@see self::call()} with an out-pointer to a `$type` before the error one: returns what the
     * function wrote there (a constructor's new object, which the caller frees).
     */
    public static function make(string $type, string $function, mixed ...$args): CData
    {
        $out = self::ffi()->new($type);
        self::call($function, ...$args, ...[FFI::addr($out)]);
        return $out;
    }

    /**
     * Runs `$use` with a new `$type` options handle (`{$type}_new`) filled by `$set`, then frees it.
     *
     * @template T
     * @param callable(CData): T $use
     * @return T
     */
    public static function withOptions(string $type, callable $set, callable $use): mixed
    {
        $options = self::make($type . '*', $type . '_new');
        try {
            $set($options);
            return $use($options);
        } finally {
            self::ffi()->{$type . '_free'}($options);
        }
    }

    /**
     * The `hooksig_signed_headers` `$sign` makes with a `hooksig_sign_options` of the rest, as pairs.
     *
     * @param callable(CData): CData $sign
     * @return list<array{0: string, 1: string}>
     */
    public static function signed(callable $sign, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array
    {
        $signed = self::withOptions('hooksig_sign_options', static function (CData $options) use ($timestamp, $id, $eventType, $url, $method): void {
            self::call('hooksig_sign_options_set_timestamp', $options, $timestamp ?? self::NOW);
            self::call('hooksig_sign_options_set_id', $options, ...self::optional($id));
            self::call('hooksig_sign_options_set_event_type', $options, ...self::optional($eventType));
            if ($url !== null || $method !== null) {
                self::call('hooksig_sign_options_set_request', $options, ...self::optional($method), ...self::optional($url));
            }
        }, $sign);
        try {
            return self::pairs('hooksig_signed_headers', $signed);
        } finally {
            self::ffi()->hooksig_signed_headers_free($signed);
        }
    }

    /**
     * The `hooksig_answer` `$function` returns through an out-pointer, as the extension gives it.
     *
     * @return array{0: int, 1: string, 2: list<array{0: string, 1: string}>, 3: string}|null
     */
    public static function answer(string $function, mixed ...$args): ?array
    {
        $answer = self::make('hooksig_answer*', $function, ...$args);
        if (FFI::isNull($answer)) {
            return null;
        }
        $ffi = self::ffi();
        try {
            $body = (string) self::sized('hooksig_answer_body', $answer);
            return [$ffi->hooksig_answer_status($answer), $body, self::pairs('hooksig_answer_header', $answer), (string) self::sized('hooksig_answer_content_type', $answer)];
        } finally {
            $ffi->hooksig_answer_free($answer);
        }
    }

    /**
     * The `[name, value]` pairs of `$of`, read with `{$prefix}_count`, `_name` and `_value`.
     *
     * @return list<array{0: string, 1: string}>
     */
    private static function pairs(string $prefix, CData $of): array
    {
        $pairs = [];
        for ($i = 0, $n = self::ffi()->{$prefix . '_count'}($of); $i < $n; $i++) {
            $pairs[] = [(string) self::sized($prefix . '_name', $of, $i), (string) self::sized($prefix . '_value', $of, $i)];
        }
        return $pairs;
    }
}
