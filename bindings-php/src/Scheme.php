<?php

declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/**
 * @internal A native `hooksig_scheme` for a scheme as PHP callers give it: a built-in id
 * (`hooksig_scheme_from_name`) or a custom definition, an array with the keys of the shared
 * vector files (id, signature_header, timestamp_header, id_header, event_header, template,
 * encoding, prefix, algorithm, json_fallback), set on a `hooksig_custom_scheme_builder` and
 * validated by the core. Everything after this is the same code for both kinds.
 */
final class Scheme
{
    /**
     * Runs `$use` with the native scheme and frees it.
     *
     * @param string|array<string, string|bool|null> $scheme
     * @template T
     * @param callable(CData): T $use
     * @return T
     */
    public static function with(string|array $scheme, callable $use): mixed
    {
        $native = is_string($scheme)
            ? Native::make('hooksig_scheme', 'hooksig_scheme_from_name', $scheme, strlen($scheme))
            : self::custom($scheme);
        try {
            return $use($native);
        } finally {
            Native::ffi()->hooksig_scheme_free($native);
        }
    }

    /** @param array<string, string|bool|null> $definition */
    private static function custom(array $definition): CData
    {
        $ffi = Native::ffi();
        $builder = Native::make('hooksig_custom_scheme_builder', 'hooksig_custom_scheme_builder_new');
        // id and signature_header always go first; absent, they are "" (which the core refuses).
        $definition = [
            'id' => (string) ($definition['id'] ?? ''),
            'signature_header' => (string) ($definition['signature_header'] ?? ''),
        ] + $definition;
        try {
            foreach ($definition as $key => $value) {
                if (is_bool($value)) {
                    $value = $value ? 'true' : 'false';
                }
                [$ptr, $len] = Native::optional($value === null ? null : (string) $value);
                $key = (string) $key;
                Native::call('hooksig_custom_scheme_builder_set', $builder, $key, strlen($key), $ptr, $len);
            }
            return Native::make('hooksig_scheme', 'hooksig_custom_scheme_builder_build', $builder);
        } finally {
            $ffi->hooksig_custom_scheme_builder_free($builder);
        }
    }
}
