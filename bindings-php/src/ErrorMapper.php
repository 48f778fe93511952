<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal The one place a C status becomes a PHP exception. The categories and HTTP statuses
 * come from libhooksig (the core's table), never from a copy here.
 */
final class ErrorMapper
{
    public static function exception(int $status, ?string $message, ?string $header): HooksigException
    {
        $ffi = Native::ffi();
        $code = $ffi->hooksig_status_code($status);
        $message ??= $ffi->hooksig_status_message($status);
        if ($ffi->hooksig_status_is_verification_error($status) === 1) {
            return new VerificationException($message, $code, $header, $status);
        }
        if ($ffi->hooksig_status_is_config_error($status) === 1) {
            return new ConfigException($message, $code, $header, $status);
        }
        // null_argument, invalid_utf8, internal: a misuse or a bug. The receiver codes
        // (method_not_allowed, body_too_large, body_read_failed, delivery_in_progress,
        // replay_store_unavailable) also land here; invalid_argument is a config error.
        return new HooksigException($message, $code, $header, $status);
    }
}
