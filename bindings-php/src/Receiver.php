<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * The core's receiver policy (`hooksig_receiver`): every answer around a verification (405 for
 * a method other than POST, 413 over the body limit, a failed verification's, the replay guard's
 * duplicate / 409 / 503, the success body) and the one rule for a failed handler (it threw, or
 * answered a status outside 200-299: its key is released), as in every hooksig integration. A
 * plain PHP script (`php -S` router, PHP-FPM, Apache) uses {@see serve()}:
 *
 * ```php
 * (new Hooksig\Receiver())->serve($verifier, function (Hooksig\Verified $event) {
 *     // act on $event->payload; throw to fail (the sender retries)
 * }, $guard);
 * ```
 */
final class Receiver
{
    /** `HOOKSIG_DEFAULT_BODY_LIMIT`: 10 MiB. */
    public const DEFAULT_LIMIT = 10 * 1024 * 1024;
    /** `hooksig_guard_answer`. */
    public const GUARD_NEW = 0;
    public const GUARD_DUPLICATE = 1;
    public const GUARD_IN_PROGRESS = 2;
    public const GUARD_UNAVAILABLE = 3;

    private object $handle;

    /** @throws ConfigException `invalid_argument` for a negative limit */
    public function __construct(int $limit = self::DEFAULT_LIMIT)
    {
        if ($limit < 0) {
            throw ErrorMapper::exception(Native::INVALID_ARGUMENT, "limit must be at least 0, not $limit", null);
        }
        $this->handle = Backends::get()->make('Receiver', $limit);
    }

    /** The body limit in bytes: read at most this many. */
    public function limit(): int
    {
        return $this->handle->limit();
    }

    /** Before reading the body: an answer (405, 413) to write and stop, or null. */
    public function start(string $method, ?int $contentLength): ?Answer
    {
        return Answer::of(Backends::run(fn () => $this->handle->start($method, $contentLength ?? -1)));
    }

    /** 413 `body_too_large`: the body grew past the limit while it was read. */
    public function bodyTooLarge(): Answer
    {
        return Answer::of(Backends::run(fn () => $this->handle->bodyTooLarge()));
    }

    /** 400 `body_read_failed`. */
    public function bodyReadFailed(): Answer
    {
        return Answer::of(Backends::run(fn () => $this->handle->bodyReadFailed()));
    }

    /** The answer for a failed verification (its code's status and canonical body). */
    public function rejected(HooksigException $e): Answer
    {
        return Answer::of(Backends::run(fn () => $this->handle->rejectedStatus($e->getCode())));
    }

    /** After the guard answered (a GUARD_* value): null (run the handler) or the answer. */
    public function guarded(int $guardAnswer): ?Answer
    {
        return Answer::of(Backends::run(fn () => $this->handle->guarded($guardAnswer)));
    }

    /** The canonical success answer: 200 `{"status":"received","scheme":...,"id":...,"event_type":...}`. */
    public static function received(Verified $event): Answer
    {
        return $event->received ?? throw new \LogicException('this Verified did not come from Verifier::verify');
    }

    /** After the handler: true to keep the key, false to release it. `$status` null: it threw. */
    public function finished(?int $status): bool
    {
        return Backends::run(fn () => $this->handle->finished($status ?? -1));
    }

    /** @internal The backend's receiver (Verifier::verifyFor asks it for a vendor's handshake). */
    public function handle(): object
    {
        return $this->handle;
    }

    /**
     * Answers the current request (a plain PHP script: `php -S`, PHP-FPM, Apache): reads
     * php://input within the limit, verifies, asks `$guard` (if any), runs `$handler` once per
     * delivery and writes what the core says ({@see exchange()}). `$handler(Verified $event)`
     * returns null (the canonical 200 received answer), an {@see Answer}, or an int status (it
     * wrote its own body); if it throws, the status is 500 and the exception is rethrown.
     *
     * The request line's URL (twilio, square, hubspot): {@see currentUrl()} with `$publicUrl`.
     */
    public function serve(
        Verifier $verifier,
        callable $handler,
        ReplayGuardInterface|\Closure|null $guard = null,
        ?string $publicUrl = null,
    ): void {
        try {
            $result = $this->exchange(
                $verifier,
                (string) ($_SERVER['REQUEST_METHOD'] ?? ''),
                self::contentLength($_SERVER['CONTENT_LENGTH'] ?? null),
                self::streamReader(static fn () => @fopen('php://input', 'rb')),
                self::requestHeaders(),
                $handler,
                $guard,
                static fn (mixed $status): int => (int) $status,
                static fn (): string => self::currentUrl($publicUrl),
            );
        } catch (\Throwable $e) {
            if (!headers_sent()) {
                http_response_code(500);
            }
            throw $e;
        }
        $result instanceof Answer ? $result->send() : http_response_code((int) $result);
    }

    /**
     * The flow of {@see serve()} on any framework's request, the one place every adapter runs
     * it: returns the core's {@see Answer} to write, or what `$handler` returned.
     *
     * @param string $method the request method as sent (not a method override)
     * @param int|null $contentLength the declared Content-Length, null if none
     * @param \Closure(int): (string|false) $read reads at most n body bytes (false: failed)
     * @param iterable<mixed> $headers as {@see Verifier::verify()} takes them, repeats kept
     * @param callable(Verified): mixed $handler null (the canonical success answer), an Answer,
     *        or the framework's own response; a throw releases the key and is rethrown
     * @param ReplayGuardInterface|\Closure|null $guard a guard, or a function returning one
     *        for a verified request only (no Redis for forged traffic; its failure is a 503)
     * @param \Closure(mixed): int $statusOf the status of a response `$handler` returned
     * @param (\Closure(): string)|null $url the URL the sender requested ({@see publicUrl()} behind
     *        a proxy), called only when the verifier signs the request line (null: none)
     */
    public function exchange(
        Verifier $verifier,
        string $method,
        ?int $contentLength,
        \Closure $read,
        iterable $headers,
        callable $handler,
        ReplayGuardInterface|\Closure|null $guard,
        \Closure $statusOf,
        ?\Closure $url = null,
    ): mixed {
        $body = $this->start($method, $contentLength) ?? $this->readBody($read);
        if ($body instanceof Answer) {
            return $body;
        }
        // The request line only for the schemes that sign it: the others' path stays as it was.
        $requestUrl = $url !== null && $verifier->signsRequestLine() ? $url() : null;
        try {
            $event = $verifier->verifyFor($this, $headers, $body, $requestUrl, $requestUrl === null ? null : $method);
        } catch (VerificationException $e) {
            return $this->rejected($e);
        }
        if ($event instanceof Answer) {
            return $event; // a vendor's endpoint handshake: no guard, no handler
        }
        if ($guard instanceof \Closure) {
            try {
                $guard = $guard(); // connected only for a verified request
            } catch (ReplayStoreException) {
                return $this->guarded(self::GUARD_UNAVAILABLE);
            }
        }
        $answer = $guard === null ? null : $this->guarded(self::check($guard, $event->dedupeKey));
        if ($answer !== null) {
            return $answer;
        }
        try {
            $result = $handler($event);
        } catch (\Throwable $e) {
            self::settle($guard, $event->dedupeKey, $this->finished(null));
            throw $e;
        }
        $result ??= self::received($event);
        $status = $result instanceof Answer ? $result->status : $statusOf($result);
        self::settle($guard, $event->dedupeKey, $this->finished($status));
        return $result;
    }

    /**
     * A public base URL (`https://hooks.example.com`, or with a path prefix) joined with the
     * request's path and query with exactly one `/` between them: the URL the sender requested
     * behind a proxy or load balancer (the core's `RequestLine::public_url`).
     */
    public static function publicUrl(string $base, string $pathAndQuery): string
    {
        return rtrim($base, '/') . '/' . ltrim($pathAndQuery, '/');
    }

    /**
     * The current request's URL from $_SERVER (a plain PHP script): `http` or `https` (the
     * HTTPS variable), the Host header as received (else SERVER_NAME and a non-default
     * SERVER_PORT) and REQUEST_URI; with `$publicUrl`, that base joined with REQUEST_URI
     * instead ({@see publicUrl()}).
     */
    public static function currentUrl(?string $publicUrl = null): string
    {
        $target = (string) ($_SERVER['REQUEST_URI'] ?? '/');
        if ($publicUrl !== null) {
            return self::publicUrl($publicUrl, $target);
        }
        $https = !in_array(strtolower((string) ($_SERVER['HTTPS'] ?? '')), ['', 'off'], true);
        $host = $_SERVER['HTTP_HOST'] ?? null;
        if (!is_string($host) || $host === '') {
            $host = (string) ($_SERVER['SERVER_NAME'] ?? 'localhost');
            $port = (int) ($_SERVER['SERVER_PORT'] ?? 0);
            if ($port !== 0 && $port !== ($https ? 443 : 80)) {
                $host .= ':' . $port;
            }
        }
        return ($https ? 'https' : 'http') . '://' . $host . $target;
    }

    /** A Content-Length header's value as an int, or null (absent, empty, not a number). */
    public static function contentLength(mixed $value): ?int
    {
        return is_string($value) && ctype_digit(trim($value)) ? (int) trim($value) : null;
    }

    /**
     * A body reader over the stream `$open` returns when first read (false: it cannot).
     *
     * @param \Closure(): (resource|false|null) $open
     * @return \Closure(int): (string|false)
     */
    public static function streamReader(\Closure $open): \Closure
    {
        return static function (int $max) use ($open): string|false {
            $in = $open();
            return is_resource($in) ? stream_get_contents($in, $max) : false;
        };
    }

    /** At most limit + 1 bytes through `$read`: the body, or the core's 413 / 400. */
    private function readBody(\Closure $read): string|Answer
    {
        try {
            $body = $read($this->limit() + 1);
        } catch (\RuntimeException) {
            $body = false; // a PSR-7 stream that cannot be read
        }
        if (!is_string($body)) {
            return $this->bodyReadFailed();
        }
        return strlen($body) > $this->limit() ? $this->bodyTooLarge() : $body;
    }

    /**
     * The request headers from $_SERVER's CGI meta-variables (repeats joined with ", ";
     * getallheaders() under `php -S` garbles repeats that differ in case).
     *
     * @return list<array{0: string, 1: string}>
     */
    public static function requestHeaders(): array
    {
        $headers = [];
        foreach ($_SERVER as $key => $value) {
            if (is_string($key) && is_string($value) && str_starts_with($key, 'HTTP_')) {
                $headers[] = [str_replace('_', '-', substr($key, 5)), $value];
            } elseif ($key === 'CONTENT_TYPE' && is_string($value)) {
                $headers[] = ['Content-Type', $value];
            }
        }
        return $headers;
    }

    /** The guard's answer for a key, as a GUARD_* value (a store failure is an answer too). */
    public static function check(ReplayGuardInterface $guard, string $key): int
    {
        try {
            return $guard->checkAndRemember($key) ? self::GUARD_NEW : self::GUARD_DUPLICATE;
        } catch (DeliveryInProgressException) {
            return self::GUARD_IN_PROGRESS;
        } catch (ReplayStoreException) {
            return self::GUARD_UNAVAILABLE;
        }
    }

    /** Keeps (confirms, for a two-phase store) or forgets the key; a store failure is logged. */
    public static function settle(?ReplayGuardInterface $guard, string $key, bool $keep): void
    {
        try {
            if ($keep && ($guard instanceof RedisReplayGuard || $guard instanceof PdoReplayGuard)) {
                $guard->confirm($key);
            } elseif (!$keep) {
                $guard?->forget($key);
            }
        } catch (ReplayStoreException $e) {
            // An unconfirmed or undeleted marker expires by itself (processing ttl).
            error_log('hooksig: replay store: ' . $e->getMessage());
        }
    }
}
