<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * Verifies webhooks of one scheme against one or more secrets, in constant time (hooksig's
 * native extension when it is loaded, else libhooksig through PHP's FFI extension). Build it
 * once per request (or per worker) and reuse it; it frees its native handle when collected.
 *
 * ```php
 * $verifier = new Hooksig\Verifier('algoguard', getenv('ALGOGUARD_SECRET'));
 * $event = $verifier->verify(getallheaders(), file_get_contents('php://input'));
 * ```
 */
final class Verifier
{
    private object $handle;
    private ?bool $signsRequestLine = null;

    /**
     * @param string|array<string, string|bool|null> $scheme a built-in scheme id (see schemes())
     *        or a custom definition with the vector files' keys (id, signature_header, template, ...)
     * @param string|list<string> $secrets one secret, or several (rotation: any may match)
     * @param int|null $tolerance accepted clock skew in seconds, both ways (negative:
     *        ConfigException); null: the scheme's default, the window the vendor documents (see tolerance())
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
        $secrets = array_values((array) $secrets);
        foreach ($secrets as $i => $secret) {
            if (!is_string($secret)) {
                // The value itself is not echoed: it may be a secret.
                throw new \TypeError(sprintf('secrets[%s] must be a string, %s given', $i, get_debug_type($secret)));
            }
        }
        // Any negative tolerance is refused; -1 keeps PHP_INT_MIN from reading as C's
        // HOOKSIG_TOLERANCE_SCHEME_DEFAULT.
        $this->handle = Backends::get()->make(
            'Verifier',
            Backends::get()->scheme($scheme),
            $secrets,
            $tolerance === null ? null : max($tolerance, -1),
            $secretFormat,
            $jsonFallback,
        );
    }

    /**
     * One verifier over several (a multi-vendor endpoint), usable wherever a Verifier is: a
     * request is verified by the one whose signature header it carries (schemes sharing headers,
     * such as svix and clerk, in order, the first success winning), and Verified::$scheme (hence
     * the dedupe key and handshake answers) names it; no vendor's header is missing_signature.
     * Its own scheme is "any" and it does not sign (ConfigException).
     *
     * @param list<Verifier> $verifiers 1 to 16, of distinct schemes, none itself an anyOf
     * @throws ConfigException none, more than 16, a composite among them, a scheme twice
     */
    public static function anyOf(array $verifiers): self
    {
        $handles = [];
        foreach (array_values($verifiers) as $i => $verifier) {
            if (!$verifier instanceof self) {
                throw new \TypeError(sprintf('verifiers[%d] must be a Hooksig\\Verifier, %s given', $i, get_debug_type($verifier)));
            }
            $handles[] = $verifier->handle;
        }
        $composite = (new \ReflectionClass(self::class))->newInstanceWithoutConstructor();
        $composite->handle = Backends::run(static fn () => Backends::get()->of('Verifier')::anyOf($handles));
        return $composite;
    }

    /**
     * Verifies one request.
     *
     * @param iterable<mixed> $headers getallheaders()-style (name => value, or name => list of
     *        values for repeated headers; names in any case), or a list of [name, value] pairs
     * @param string $body the raw body bytes, e.g. file_get_contents('php://input')
     * @param int|null $now Unix seconds; null for the system clock
     * @param string|null $url the full URL the sender requested, for the schemes that sign it
     *        (see signsRequestLine(); behind a proxy {@see Receiver::publicUrl()}); null: none
     *        (those schemes then throw `invalid_argument`, others ignore it)
     * @param string|null $method the request method (null: POST), for the schemes that sign it
     * @throws VerificationException the request is not authentic (getHttpStatus(): 400 or 401)
     * @throws ConfigException `invalid_argument` when the scheme signs the URL and none is given
     */
    public function verify(iterable $headers, string $body, ?int $now = null, ?string $url = null, ?string $method = null): Verified
    {
        return $this->verifyFor(null, $headers, $body, $url, $method, $now); // no receiver: a Verified
    }

    /**
     * Whether the scheme signs the request line (`twilio`, `square`, `hubspot`, custom
     * `{method}`/`{url}`, an anyOf holding one): only then do the integrations build the URL.
     */
    public function signsRequestLine(): bool
    {
        return $this->signsRequestLine ??= $this->handle->signsRequestLine();
    }

    /**
     * @internal {@see verify()}, then with `$receiver` a vendor's endpoint handshake answer (Slack
     * url_verification, Zoom, Twitch) instead of the Verified when there is one.
     */
    public function verifyFor(?Receiver $receiver, iterable $headers, string $body, ?string $url = null, ?string $method = null, ?int $now = null): Verified|Answer
    {
        $headers = self::pairs($headers);
        [$scheme, $timestamp, $id, $eventType, $keyIndex, $payload, $dedupeKey, $received, $handshake]
            = Backends::run(fn () => $this->handle->verify($headers, $body, $now, $receiver?->handle(), $url, $method));
        return Answer::of($handshake) ?? new Verified($scheme, $timestamp, $id, $eventType, $keyIndex, $payload, $dedupeKey, Answer::of($received));
    }

    /**
     * Verifies the current request: getallheaders() (or {@see Receiver::requestHeaders()}),
     * php://input, and for the schemes that sign it REQUEST_METHOD and the URL
     * ({@see Receiver::currentUrl()}, with `$publicUrl` behind a proxy).
     *
     * @throws VerificationException
     */
    public function verifyCurrentRequest(?int $now = null, ?string $publicUrl = null): Verified
    {
        [$url, $method] = $this->signsRequestLine()
            ? [Receiver::currentUrl($publicUrl), (string) ($_SERVER['REQUEST_METHOD'] ?? 'POST')]
            : [null, null];
        $headers = function_exists('getallheaders') && is_array($all = getallheaders()) ? $all : Receiver::requestHeaders();
        return $this->verify($headers, (string) file_get_contents('php://input'), $now, $url, $method);
    }

    /**
     * Signs a body as {@see sign()} does, with this verifier's first secret (decoded with its
     * secret format): returns the headers to send, name => value, in order.
     *
     * @return array<string, string>
     * @throws ConfigException
     */
    public function sign(
        string $body,
        ?int $timestamp = null,
        ?string $id = null,
        ?string $eventType = null,
        ?string $url = null,
        ?string $method = null,
    ): array {
        return array_column(Backends::run(fn () => $this->handle->sign($body, $timestamp, $id, $eventType, $url, $method)), 1, 0);
    }

    /**
     * Seconds a replay guard should remember this verifier's deliveries: its past + future
     * tolerance + 60 s, or a day for schemes without a timestamp (the guards' forVerifier()).
     */
    public function replayTtl(): int
    {
        return $this->handle->replayTtl();
    }

    /**
     * The tolerance in seconds, both ways: the one given, or the scheme's default (600 for
     * twitch and box, 60 for linear, 180 for workos, 300 otherwise) when none was.
     */
    public function tolerance(): int
    {
        return $this->handle->tolerance();
    }

    /** The built-in scheme ids. @return list<string> */
    public static function schemes(): array
    {
        return Backends::get()->of('Scheme')::builtinIds();
    }

    /** The version of the hooksig core actually loaded (the extension's or libhooksig's). */
    public static function version(): string
    {
        return Backends::get()->version();
    }

    /** Which route reaches the core here: "ext" (the native extension) or "ffi". */
    public static function backend(): string
    {
        return Backends::get()->name;
    }

    /**
     * Headers as callers give them (getallheaders()-style `name => value` or `name => [values]`,
     * or `[name, value]` pairs) as `[name, value]` byte strings, repeats kept in order.
     *
     * @param iterable<mixed> $headers
     * @return list<array{0: string, 1: string}>
     */
    private static function pairs(iterable $headers): array
    {
        $pairs = [];
        foreach ($headers as $name => $value) {
            if (is_int($name) && is_array($value) && count($value) === 2 && array_is_list($value)) {
                $pairs[] = [self::text($value[0]), self::text($value[1])];
                continue;
            }
            foreach (is_array($value) ? $value : [$value] as $one) {
                $pairs[] = [self::text($name), self::text($one)];
            }
        }
        return $pairs;
    }

    /**
     * A header name or value as bytes: strings as they are, null as "" (an empty header is an
     * absent one), ints, floats and Stringable objects as PHP prints them; else a TypeError.
     */
    private static function text(mixed $value): string
    {
        if (is_string($value) || $value === null || is_int($value) || is_float($value) || $value instanceof \Stringable) {
            return (string) $value;
        }
        throw new \TypeError('header names and values must be strings, ' . get_debug_type($value) . ' given');
    }
}
