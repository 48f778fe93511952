<?php

declare(strict_types=1);

namespace Hooksig;

use FFI;
use FFI\CData;

/**
 * Signs a body as a sender of `$scheme` would: returns the headers to send, name => value, in
 * the order to send them. The secret is decoded as the scheme's "auto" format (use
 * Verifier::sign for another format).
 *
 * @param string|array<string, string|bool|null> $scheme a built-in id or a custom definition
 * @param int|null $timestamp Unix seconds; null for now
 * @param string|null $id the message id (schemes that sign one derive it when null)
 * @param string|null $eventType for schemes that send it as a header
 * @return array<string, string>
 * @throws ConfigException
 */
function sign(
    string|array $scheme,
    string $secret,
    string $body,
    ?int $timestamp = null,
    ?string $id = null,
    ?string $eventType = null,
): array {
    $ffi = Native::ffi();
    [$idPtr, $idLen] = Native::optional($id);
    [$evPtr, $evLen] = Native::optional($eventType);
    $out = $ffi->new('hooksig_signed_headers*');
    $err = $ffi->new('hooksig_error*');
    $ts = $timestamp ?? Native::NOW;
    if (is_array($scheme)) {
        $status = CustomScheme::with($scheme, fn (CData $custom) => $ffi->hooksig_sign_custom(
            $custom, $secret, strlen($secret), $body, strlen($body), $ts, $idPtr, $idLen,
            $evPtr, $evLen, FFI::addr($out), FFI::addr($err),
        ));
    } else {
        $status = $ffi->hooksig_sign(
            $scheme, strlen($scheme), $secret, strlen($secret), $body, strlen($body), $ts,
            $idPtr, $idLen, $evPtr, $evLen, FFI::addr($out), FFI::addr($err),
        );
    }
    Native::check($status, $err);
    return Native::takeSignedHeaders($out);
}
