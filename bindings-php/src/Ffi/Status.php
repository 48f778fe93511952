<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use Hooksig\Native;

/** @internal `Hooksig\Ext\Status` over FFI: the C status table. */
final class Status
{
    /** @return array{0: string, 1: string, 2: int, 3: bool, 4: bool} */
    public static function describe(int $status): array
    {
        $ffi = Native::ffi();
        return [
            $ffi->hooksig_status_code($status),
            $ffi->hooksig_status_message($status),
            $ffi->hooksig_status_http_status($status),
            $ffi->hooksig_status_is_verification_error($status) === 1,
            $ffi->hooksig_status_is_config_error($status) === 1,
        ];
    }
}
