<?php

declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/** @internal A native `hooksig_sign_options` for sign() and Verifier::sign(). */
final class SignOptions
{
    /**
     * Runs `$use` with the options and frees them.
     *
     * @template T
     * @param callable(CData): T $use
     * @return T
     */
    public static function with(?int $timestamp, ?string $id, ?string $eventType, callable $use): mixed
    {
        return Native::withOptions('hooksig_sign_options', static function (CData $options) use ($timestamp, $id, $eventType): void {
            Native::call('hooksig_sign_options_set_timestamp', $options, $timestamp ?? Native::NOW);
            Native::call('hooksig_sign_options_set_id', $options, ...Native::optional($id));
            Native::call('hooksig_sign_options_set_event_type', $options, ...Native::optional($eventType));
        }, $use);
    }
}
