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
        // Neither (a HooksigException): null_argument, invalid_utf8, internal (a misuse or a bug)
        // and the receiver codes; invalid_argument is a config error.
        $class = $verification ? VerificationException::class : ($config ? ConfigException::class : HooksigException::class);
        return new $class($message ?? $description, $code, $header, $status);
    }
}
