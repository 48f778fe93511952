<?php

declare(strict_types=1);

namespace Hooksig;

/**
 * @internal What the public classes need from hooksig's core, once per C noun: the FFI route
 * ({@see FfiBackend}, libhooksig through PHP's FFI) or the native extension ({@see ExtBackend},
 * `hooksig.so`'s `Hooksig\Ext` classes). Both give the same values, bytes and exceptions, so
 * every public class and framework adapter is one codebase. {@see Backends::get()} picks one.
 *
 * Handles (`object`) are opaque: a backend's own objects, freed when PHP drops them.
 * Answers come back as {@see Answer}, failures as the package's exceptions ({@see ErrorMapper}).
 */
interface Backend
{
    /** 'ffi' or 'ext'. */
    public function name(): string;

    public function version(): string;

    /** @return list<string> the built-in scheme ids */
    public function schemes(): array;

    /**
     * The C status table for a status number.
     *
     * @return array{0: string, 1: string, 2: int, 3: bool, 4: bool} code, description, HTTP
     *     status, is a verification error, is a configuration error
     */
    public function status(int $status): array;

    /** @param string|list<array{0: string, 1: ?string}> $scheme a built-in id or custom settings in order */
    public function scheme(string|array $scheme): object;

    /**
     * `$url`/`$method` null: not set (the schemes that sign the request line then refuse).
     *
     * @return array<string, string>
     */
    public function sign(object $scheme, string $secret, string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array;

    /** @param list<string> $secrets */
    public function verifier(object $scheme, array $secrets, ?int $tolerance, string $secretFormat, ?bool $jsonFallback): object;

    /**
     * One verifier over several (the core's any_of).
     *
     * @param list<object> $verifiers the verifiers' handles
     */
    public function anyOf(array $verifiers): object;

    /**
     * Verifies; with `$receiver`, a vendor's endpoint handshake answer is returned instead of
     * the Verified when there is one. The request line (C's `hooksig_request`) is passed when
     * `$url` or `$method` is not null (`$url` null then reads as ""; `$method` null as POST).
     *
     * @param list<array{0: string, 1: string}> $headers
     */
    public function verify(object $verifier, array $headers, string $body, ?int $now, ?object $receiver, ?string $url, ?string $method): Verified|Answer;

    /** @return array<string, string> */
    public function verifierSign(object $verifier, string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array;

    /** `hooksig_verifier_signs_request`: whether the scheme signs the request line. */
    public function signsRequestLine(object $verifier): bool;

    public function tolerance(object $verifier): int;

    public function replayTtl(object $verifier): int;

    public function receiver(int $limit): object;

    public function receiverLimit(object $receiver): int;

    public function start(object $receiver, string $method, ?int $contentLength): ?Answer;

    public function bodyTooLarge(object $receiver): Answer;

    public function bodyReadFailed(object $receiver): Answer;

    public function rejected(object $receiver, int $status): Answer;

    public function guarded(object $receiver, int $guardAnswer): ?Answer;

    /** True to keep the key; `$status` null: the handler threw. */
    public function finished(object $receiver, ?int $status): bool;

    /** @return list<int> the guard answers' numbers: new, duplicate, in progress, unavailable */
    public function guardAnswers(): array;

    public function replayGuard(int $ttl, int $capacity): object;

    public function checkAndRemember(object $guard, string $key, ?int $now): bool;

    public function forget(object $guard, string $key): void;

    /** @return array{0: int, 1: int, 2: int} ttl, capacity, keys held */
    public function replayGuardSizes(object $guard): array;

    public function sharedStore(int $ttl, int $processingTtl, string $prefix): object;

    public function storeDefaultPrefix(): string;

    /** @return array{0: int, 1: int} ttl, processing ttl */
    public function storeTtls(object $store): array;

    /** @return list<string> */
    public function storeCommand(object $store, int $step, string $key): array;

    public function storeClaimed(object $store, bool $wasSet): ?int;

    public function storeLookedUp(object $store, ?string $value): int;

    public function sqlStore(int $ttl, int $processingTtl, string $prefix, string $table, int $dialect): object;

    /** @return array{string, list<string|int>, int} */
    public function sqlStatement(object $store, int $step, string $key, int $now): array;

    public function sqlClaimed(object $store, int $rows): ?int;

    public function sqlLookedUp(object $store, ?string $state): int;
}
