<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use FFI\CData;
use Hooksig\Native;

/** @internal `Hooksig\Ext\Scheme` over FFI ({@see Handle}). */
final class Scheme extends Handle
{
    protected const FREE = 'hooksig_scheme_free';

    public static function named(string $name): self
    {
        return self::own(Native::make('hooksig_scheme*', 'hooksig_scheme_from_name', $name, strlen($name)));
    }

    /** @param list<array{0: string, 1: ?string}> $settings */
    public static function custom(array $settings): self
    {
        $builder = Native::make('hooksig_custom_scheme_builder*', 'hooksig_custom_scheme_builder_new');
        try {
            foreach ($settings as [$key, $value]) {
                Native::call('hooksig_custom_scheme_builder_set', $builder, $key, strlen($key), ...Native::optional($value));
            }
            return self::own(Native::make('hooksig_scheme*', 'hooksig_custom_scheme_builder_build', $builder));
        } finally {
            Native::ffi()->hooksig_custom_scheme_builder_free($builder);
        }
    }

    /** @return list<string> */
    public static function builtinIds(): array
    {
        $ffi = Native::ffi();
        $ids = [];
        for ($i = 0, $n = $ffi->hooksig_scheme_builtin_count(); $i < $n; $i++) {
            $ids[] = $ffi->hooksig_scheme_builtin_id($i);
        }
        return $ids;
    }

    /** @return list<array{0: string, 1: string}> */
    public function sign(string $secret, string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array
    {
        $sign = fn (CData $options) => Native::make('hooksig_signed_headers*', 'hooksig_sign', $this->ptr, $secret, strlen($secret), $body, strlen($body), $options);
        return Native::signed($sign, $timestamp, $id, $eventType, $url, $method);
    }
}
