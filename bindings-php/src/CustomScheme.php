<?php

declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * @internal Builds a C `hooksig_custom_scheme` from a PHP array with the keys of the shared
 * vector files (id, signature_header, timestamp_header, id_header, event_header, template,
 * encoding, prefix, algorithm, json_fallback), runs `$use` with it and frees it.
 */
final class CustomScheme
{
    /**
     * @param array<string, string|bool|null> $definition
     * @template T
     * @param callable(CData): T $use
     * @return T
     */
    public static function with(array $definition, callable $use): mixed
    {
        $ffi = Native::ffi();
        $id = (string) ($definition['id'] ?? '');
        $sig = (string) ($definition['signature_header'] ?? '');
        $scheme = $ffi->new('hooksig_custom_scheme*');
        $err = $ffi->new('hooksig_error*');
        Native::check(
            $ffi->hooksig_custom_scheme_new($id, strlen($id), $sig, strlen($sig), FFI::addr($scheme), FFI::addr($err)),
            $err,
        );
        try {
            foreach ($definition as $key => $value) {
                if ($key === 'id' || $key === 'signature_header') {
                    continue;
                }
                if (is_bool($value)) {
                    $value = $value ? 'true' : 'false';
                }
                [$ptr, $len] = Native::optional($value === null ? null : (string) $value);
                $key = (string) $key;
                Native::check(
                    $ffi->hooksig_custom_scheme_set($scheme, $key, strlen($key), $ptr, $len, FFI::addr($err)),
                    $err,
                );
            }
            return $use($scheme);
        } finally {
            $ffi->hooksig_custom_scheme_free($scheme);
        }
    }
}
