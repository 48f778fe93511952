<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal The one place a status (C's `hooksig_status` number, which the native extension
 * uses too) becomes a PHP exception. The categories and HTTP statuses come from the core's table
 * through the backend, never from a copy here.
 */
final class ErrorMapper
{
    public static function exception(int $status, ?string $message, ?string $header): HooksigException
    {
        [$code, $description, , $verification, $config] = Backends::get()->status($status);
        $message ??= $description;
        if ($verification) {
            return new VerificationException($message, $code, $header, $status);
        }
        if ($config) {
            return new ConfigException($message, $code, $header, $status);
        }
        // null_argument, invalid_utf8, internal: a misuse or a bug. The receiver codes
        // (method_not_allowed, body_too_large, body_read_failed, delivery_in_progress,
        // replay_store_unavailable) also land here; invalid_argument is a config error.
        return new HooksigException($message, $code, $header, $status);
    }
}
