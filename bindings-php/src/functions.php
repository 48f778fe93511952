<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * Signs a body as a sender of `$scheme` would: returns the headers to send, name => value, in
 * order. The secret is decoded as the scheme's "auto" format (Verifier::sign for another one).
 *
 * @param string|array<string, string|bool|null> $scheme a built-in id or a custom definition
 * @param int|null $timestamp Unix seconds; null for now
 * @param string|null $id the message id (schemes that sign one derive it when null)
 * @param string|null $eventType for schemes that send it as a header
 * @param string|null $url the full URL the request goes to, for the schemes that sign it
 *        (twilio, square, hubspot, custom `{url}`: without it they throw `invalid_argument`)
 * @param string|null $method the request method (null: POST), for the schemes that sign it
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
    ?string $url = null,
    ?string $method = null,
): array {
    $scheme = Backends::get()->scheme($scheme);
    return array_column(Backends::run(static fn () => $scheme->sign($secret, $body, $timestamp, $id, $eventType, $url, $method)), 1, 0);
}
