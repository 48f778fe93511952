<?php

declare(strict_types=1);

namespace Hooksig;

use Hooksig\Ext;

/**
 * @internal The native route: the `Hooksig\Ext` classes that `hooksig.so` (bindings-php-ext,
 * the core in Rust through ext-php-rs) registers. They mirror libhooksig's C nouns, status
 * numbers and words; this class converts their arrays to {@see Answer}/{@see Verified} and their
 * `Ext\Failure` to the package's exceptions ({@see ErrorMapper}), as {@see FfiBackend} does with C.
 */
final class ExtBackend implements Backend
{
    public function name(): string
    {
        return 'ext';
    }

    public function version(): string
    {
        return Ext\version();
    }

    public function schemes(): array
    {
        return Ext\Scheme::builtinIds();
    }

    public function status(int $status): array
    {
        return Ext\Status::describe($status);
    }

    public function scheme(string|array $scheme): object
    {
        return self::run(static fn () => is_string($scheme) ? Ext\Scheme::named($scheme) : Ext\Scheme::custom($scheme));
    }

    public function sign(object $scheme, string $secret, string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array
    {
        assert($scheme instanceof Ext\Scheme);
        return self::headers(self::run(static fn () => $scheme->sign($secret, $body, $timestamp, $id, $eventType, $url, $method)));
    }

    public function verifier(object $scheme, array $secrets, ?int $tolerance, string $secretFormat, ?bool $jsonFallback): object
    {
        assert($scheme instanceof Ext\Scheme);
        return self::run(static fn () => new Ext\Verifier($scheme, $secrets, $tolerance, $secretFormat, $jsonFallback));
    }

    public function anyOf(array $verifiers): object
    {
        return self::run(static fn () => Ext\Verifier::anyOf($verifiers));
    }

    public function verify(object $verifier, array $headers, string $body, ?int $now, ?object $receiver, ?string $url, ?string $method): Verified|Answer
    {
        assert($verifier instanceof Ext\Verifier && ($receiver === null || $receiver instanceof Ext\Receiver));
        [$scheme, $timestamp, $id, $eventType, $keyIndex, $payload, $dedupeKey, $received, $handshake]
            = self::run(static fn () => $verifier->verify($headers, $body, $now, $receiver, $url, $method));
        if ($handshake !== null) {
            return self::answer($handshake);
        }
        return new Verified($scheme, $timestamp, $id, $eventType, $keyIndex, $payload, $dedupeKey, self::answer($received));
    }

    public function verifierSign(object $verifier, string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array
    {
        assert($verifier instanceof Ext\Verifier);
        return self::headers(self::run(static fn () => $verifier->sign($body, $timestamp, $id, $eventType, $url, $method)));
    }

    public function signsRequestLine(object $verifier): bool
    {
        assert($verifier instanceof Ext\Verifier);
        return $verifier->signsRequestLine();
    }

    public function tolerance(object $verifier): int
    {
        assert($verifier instanceof Ext\Verifier);
        return $verifier->tolerance();
    }

    public function replayTtl(object $verifier): int
    {
        assert($verifier instanceof Ext\Verifier);
        return $verifier->replayTtl();
    }

    public function receiver(int $limit): object
    {
        return self::run(static fn () => new Ext\Receiver($limit));
    }

    public function receiverLimit(object $receiver): int
    {
        assert($receiver instanceof Ext\Receiver);
        return $receiver->limit();
    }

    public function start(object $receiver, string $method, ?int $contentLength): ?Answer
    {
        assert($receiver instanceof Ext\Receiver);
        return self::optionalAnswer(self::run(static fn () => $receiver->start($method, $contentLength ?? -1)));
    }

    public function bodyTooLarge(object $receiver): Answer
    {
        assert($receiver instanceof Ext\Receiver);
        return self::answer(self::run(static fn () => $receiver->bodyTooLarge()));
    }

    public function bodyReadFailed(object $receiver): Answer
    {
        assert($receiver instanceof Ext\Receiver);
        return self::answer(self::run(static fn () => $receiver->bodyReadFailed()));
    }

    public function rejected(object $receiver, int $status): Answer
    {
        assert($receiver instanceof Ext\Receiver);
        return self::answer(self::run(static fn () => $receiver->rejectedStatus($status)));
    }

    public function guarded(object $receiver, int $guardAnswer): ?Answer
    {
        assert($receiver instanceof Ext\Receiver);
        return self::optionalAnswer(self::run(static fn () => $receiver->guarded($guardAnswer)));
    }

    public function finished(object $receiver, ?int $status): bool
    {
        assert($receiver instanceof Ext\Receiver);
        return self::run(static fn () => $receiver->finished($status ?? -1));
    }

    public function guardAnswers(): array
    {
        return Ext\Receiver::guardAnswers();
    }

    public function replayGuard(int $ttl, int $capacity): object
    {
        return self::run(static fn () => new Ext\ReplayGuard($ttl, $capacity));
    }

    public function checkAndRemember(object $guard, string $key, ?int $now): bool
    {
        assert($guard instanceof Ext\ReplayGuard);
        return self::run(static fn () => $guard->checkAndRemember($key, $now));
    }

    public function forget(object $guard, string $key): void
    {
        assert($guard instanceof Ext\ReplayGuard);
        self::run(static fn () => $guard->forget($key));
    }

    public function replayGuardSizes(object $guard): array
    {
        assert($guard instanceof Ext\ReplayGuard);
        return [$guard->ttl(), $guard->capacity(), self::run(static fn () => $guard->len())];
    }

    public function sharedStore(int $ttl, int $processingTtl, string $prefix): object
    {
        return self::run(static fn () => new Ext\SharedStore($ttl, $processingTtl, $prefix));
    }

    public function storeDefaultPrefix(): string
    {
        return Ext\SharedStore::defaultPrefix();
    }

    public function storeTtls(object $store): array
    {
        assert($store instanceof Ext\SharedStore);
        return [$store->ttl(), $store->processingTtl()];
    }

    public function storeCommand(object $store, int $step, string $key): array
    {
        assert($store instanceof Ext\SharedStore);
        return self::run(static fn () => $store->command($step, $key));
    }

    public function storeClaimed(object $store, bool $wasSet): ?int
    {
        assert($store instanceof Ext\SharedStore);
        return self::run(static fn () => $store->claimed($wasSet));
    }

    public function storeLookedUp(object $store, ?string $value): int
    {
        assert($store instanceof Ext\SharedStore);
        return self::run(static fn () => $store->lookedUp($value));
    }

    public function sqlStore(int $ttl, int $processingTtl, string $prefix, string $table, int $dialect): object
    {
        return self::run(static fn () => new Ext\SqlStore($ttl, $processingTtl, $prefix, $table, $dialect));
    }

    public function sqlStatement(object $store, int $step, string $key, int $now): array
    {
        assert($store instanceof Ext\SqlStore);
        return self::run(static fn () => $store->statement($step, $key, $now));
    }

    public function sqlClaimed(object $store, int $rows): ?int
    {
        assert($store instanceof Ext\SqlStore);
        return self::run(static fn () => $store->claimed(max(0, $rows)));
    }

    public function sqlLookedUp(object $store, ?string $state): int
    {
        assert($store instanceof Ext\SqlStore);
        return self::run(static fn () => $store->lookedUp($state));
    }

    /**
     * Runs an extension call; its `Ext\Failure` (code = the C status number) becomes the
     * package's exception, exactly as a failed C status does.
     *
     * @template T
     * @param \Closure(): T $call
     * @return T
     */
    private static function run(\Closure $call): mixed
    {
        try {
            return $call();
        } catch (Ext\Failure $f) {
            throw ErrorMapper::exception($f->getCode(), $f->getMessage(), Ext\Failure::header());
        }
    }

    /** @param array{0: int, 1: string, 2: list<array{0: string, 1: string}>, 3: string} $a */
    private static function answer(array $a): Answer
    {
        return new Answer($a[0], $a[1], $a[2], $a[3]);
    }

    private static function optionalAnswer(?array $a): ?Answer
    {
        return $a === null ? null : self::answer($a);
    }

    /**
     * @param list<array{0: string, 1: string}> $pairs
     * @return array<string, string>
     */
    private static function headers(array $pairs): array
    {
        $out = [];
        foreach ($pairs as [$name, $value]) {
            $out[$name] = $value;
        }
        return $out;
    }
}
