<?php

declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/**
 * Verifies webhooks of one scheme against one or more secrets, in constant time (libhooksig
 * through PHP's FFI extension).
 *
 * ```php
 * $verifier = new Hooksig\Verifier('algoguard', getenv('ALGOGUARD_SECRET'));
 * $event = $verifier->verify(getallheaders(), file_get_contents('php://input'));
 * ```
 *
 * Build it once per request (or once per worker) and reuse it; it frees its native handle
 * when garbage-collected.
 */
final class Verifier
{
    private CData $handle;

    /**
     * @param string|array<string, string|bool|null> $scheme a built-in scheme id
     *        (`"stripe"`, ...; see schemes()) or a custom scheme definition with the vector
     *        files' keys (id, signature_header, timestamp_header, template, encoding, ...)
     * @param string|list<string> $secrets one secret, or several (rotation: any may match)
     * @param int|null $tolerance accepted clock skew in seconds, both ways (negative:
     *        ConfigException); null (not given) uses the scheme's default: the window the vendor
     *        documents, 600 for twitch and box, 60 for linear, 300 for every other scheme (see tolerance())
     * @param string $secretFormat "auto" (the scheme's convention), "text", "base64" or "hex"
     * @param bool|null $jsonFallback null keeps the scheme's default (on for chaindoc only)
     * @throws ConfigException unknown scheme, refused secret or option
     */
    public function __construct(
        string|array $scheme,
        string|array $secrets,
        ?int $tolerance = null,
        string $secretFormat = 'auto',
        ?bool $jsonFallback = null,
    ) {
        [$owners, $secretArray] = Native::bytesArray(array_values((array) $secrets));
        $count = is_array($secrets) ? count($secrets) : 1;
        $options = static function (CData $options) use ($tolerance, $secretFormat, $jsonFallback): void {
            if ($tolerance !== null) {
                // Any negative is refused; -1 keeps PHP_INT_MIN from reading as C's
                // HOOKSIG_TOLERANCE_SCHEME_DEFAULT.
                Native::call('hooksig_verifier_options_set_tolerance', $options, max($tolerance, -1));
            }
            Native::call('hooksig_verifier_options_set_secret_format', $options, $secretFormat, strlen($secretFormat));
            Native::call('hooksig_verifier_options_set_json_fallback', $options, $jsonFallback === null ? -1 : (int) $jsonFallback);
        };
        $this->handle = Scheme::with($scheme, static fn (CData $native) => Native::withOptions(
            'hooksig_verifier_options',
            $options,
            static fn (CData $o) => Native::make('hooksig_verifier', 'hooksig_verifier_new', $native, $secretArray, $count, $o),
        ));
        unset($owners);
    }

    public function __destruct()
    {
        Native::ffi()->hooksig_verifier_free($this->handle);
    }

    /**
     * Verifies one request.
     *
     * @param iterable<mixed> $headers getallheaders()-style (name => value, or name => list of
     *        values for repeated headers; names in any case), or a list of [name, value] pairs
     * @param string $body the raw body bytes, e.g. file_get_contents('php://input')
     * @param int|null $now Unix seconds; null for the system clock
     * @throws VerificationException the request is not authentic (getHttpStatus(): 400 or 401)
     */
    public function verify(iterable $headers, string $body, ?int $now = null): Verified
    {
        $result = $this->verifyNative($headers, $body, $now, null);
        assert($result instanceof Verified);
        return $result;
    }

    /**
     * @internal For {@see Receiver::exchange()}: verifies, then asks `$receiver` for a vendor's
     * endpoint handshake answer (Slack url_verification, Zoom endpoint.url_validation, Twitch
     * webhook_callback_verification), returned instead of the Verified when there is one.
     *
     * @throws VerificationException
     */
    public function verifyFor(Receiver $receiver, iterable $headers, string $body): Verified|Answer
    {
        return $this->verifyNative($headers, $body, null, $receiver);
    }

    private function verifyNative(iterable $headers, string $body, ?int $now, ?Receiver $receiver): Verified|Answer
    {
        $ffi = Native::ffi();
        [$owners, $headerArray, $count] = Native::headerArray($headers);
        $out = Native::make('hooksig_verified', 'hooksig_verify', $this->handle, $headerArray, $count, $body, strlen($body), $now ?? Native::NOW);
        try {
            $handshake = $receiver?->handshakeFor($this->handle, $out, $headerArray, $count);
            unset($owners);
            if ($handshake !== null) {
                return $handshake;
            }
            return new Verified(
                // Every string through its length: NUL bytes are kept, as in the other bindings.
                scheme: (string) Native::sized('hooksig_verified_scheme', $out),
                timestamp: $ffi->hooksig_verified_has_timestamp($out) === 1
                    ? $ffi->hooksig_verified_timestamp($out) : null,
                id: Native::sized('hooksig_verified_id', $out),
                eventType: Native::sized('hooksig_verified_event_type', $out),
                keyIndex: $ffi->hooksig_verified_key_index($out),
                payload: (string) Native::sized('hooksig_verified_payload', $out),
                dedupeKey: (string) Native::sized('hooksig_verified_dedupe_key', $out),
                received: Receiver::receivedFor($out),
            );
        } finally {
            $ffi->hooksig_verified_free($out);
        }
    }

    /**
     * Verifies the current request: getallheaders() (or $_SERVER's HTTP_* entries) and
     * php://input.
     *
     * @throws VerificationException
     */
    public function verifyCurrentRequest(?int $now = null): Verified
    {
        return $this->verify(self::currentHeaders(), (string) file_get_contents('php://input'), $now);
    }

    /**
     * Signs a body with this verifier's first secret (decoded with its secret format):
     * returns the headers to send, name => value, in order.
     *
     * @throws ConfigException
     */
    public function sign(string $body, ?int $timestamp = null, ?string $id = null, ?string $eventType = null): array
    {
        return SignOptions::with($timestamp, $id, $eventType, fn (CData $options) => Native::takeSignedHeaders(
            Native::make('hooksig_signed_headers', 'hooksig_verifier_sign', $this->handle, $body, strlen($body), $options),
        ));
    }

    /**
     * Seconds a replay guard should remember this verifier's deliveries: its past + future
     * tolerance + 60 s, or a day for schemes without a timestamp (what ReplayGuard::forVerifier and
     * RedisReplayGuard::forVerifier use).
     */
    public function replayTtl(): int
    {
        return Native::ffi()->hooksig_replay_default_ttl($this->handle);
    }

    /**
     * The tolerance in seconds, both ways: the one given, or the scheme's default (600 for
     * twitch and box, 60 for linear, 300 otherwise) when none was.
     */
    public function tolerance(): int
    {
        return Native::ffi()->hooksig_verifier_tolerance($this->handle);
    }

    /** The built-in scheme ids. @return list<string> */
    public static function schemes(): array
    {
        $ffi = Native::ffi();
        $ids = [];
        for ($i = 0, $n = $ffi->hooksig_scheme_builtin_count(); $i < $n; $i++) {
            $ids[] = $ffi->hooksig_scheme_builtin_id($i);
        }
        return $ids;
    }

    /** The libhooksig version actually loaded. */
    public static function version(): string
    {
        return Native::ffi()->hooksig_version();
    }

    /** @return array<string, string> */
    private static function currentHeaders(): array
    {
        if (function_exists('getallheaders')) {
            $headers = getallheaders();
            if (is_array($headers)) {
                return $headers;
            }
        }
        $headers = [];
        foreach ($_SERVER as $key => $value) {
            if (is_string($key) && str_starts_with($key, 'HTTP_')) {
                $headers[str_replace('_', '-', substr($key, 5))] = (string) $value;
            }
        }
        return $headers;
    }
}
