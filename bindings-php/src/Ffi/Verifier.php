<?php

declare(strict_types=1);

namespace Hooksig\Ffi;

use FFI\CData;
use Hooksig\Native;

/** @internal `Hooksig\Ext\Verifier` over FFI ({@see Handle}). */
final class Verifier extends Handle
{
    protected const FREE = 'hooksig_verifier_free';

    /** The receiver whose `hooksig_receiver_received` answers every verified request. */
    private static ?Receiver $receiver = null;

    /** @param list<string> $secrets */
    public function __construct(Scheme $scheme, array $secrets, ?int $tolerance, string $secretFormat, ?bool $jsonFallback)
    {
        [$owner, $array] = Native::spans('hooksig_bytes', [['ptr', 'len']], array_map(static fn (string $s) => [$s], $secrets));
        $this->ptr = Native::withOptions(
            'hooksig_verifier_options',
            static function (CData $options) use ($tolerance, $secretFormat, $jsonFallback): void {
                if ($tolerance !== null) {
                    Native::call('hooksig_verifier_options_set_tolerance', $options, $tolerance);
                }
                Native::call('hooksig_verifier_options_set_secret_format', $options, $secretFormat, strlen($secretFormat));
                Native::call('hooksig_verifier_options_set_json_fallback', $options, $jsonFallback === null ? -1 : (int) $jsonFallback);
            },
            static fn (CData $o) => Native::make('hooksig_verifier*', 'hooksig_verifier_new', $scheme->ptr, $array, count($secrets), $o),
        );
    }

    /** @param list<self> $verifiers */
    public static function anyOf(array $verifiers): self
    {
        // The core refuses more than 16; the array only borrows the handles for the call.
        $n = count($verifiers);
        $array = $n === 0 ? null : Native::ffi()->new("hooksig_verifier*[$n]");
        foreach (array_values($verifiers) as $i => $verifier) {
            $array[$i] = $verifier->ptr;
        }
        return self::own(Native::make('hooksig_verifier*', 'hooksig_verifier_any_of', $array, $n));
    }

    /**
     * @param list<array{0: string, 1: string}> $headers
     * @return array{0: string, 1: ?int, 2: ?string, 3: ?string, 4: int, 5: string, 6: string, 7: array, 8: ?array}
     */
    public function verify(array $headers, string $body, ?int $now, ?Receiver $receiver, ?string $url, ?string $method): array
    {
        $ffi = Native::ffi();
        [$owner, $headerArray] = Native::spans('hooksig_header', [['name', 'name_len'], ['value', 'value_len']], $headers);
        $count = count($headers);
        // The request line (`hooksig_request`) only when a part of it is given; NULL: none.
        [$lineOwners, $line] = $url === null && $method === null ? [null, null] : Native::requestLine($method, $url ?? '');
        $out = Native::make('hooksig_verified*', 'hooksig_verify_request', $this->ptr, $headerArray, $count, $body, strlen($body), $line, $now ?? Native::NOW);
        self::$receiver ??= new Receiver(\Hooksig\Receiver::DEFAULT_LIMIT);
        try {
            return [
                // Every string through its length: NUL bytes are kept, as in the other bindings.
                (string) Native::sized('hooksig_verified_scheme', $out),
                $ffi->hooksig_verified_has_timestamp($out) === 1 ? $ffi->hooksig_verified_timestamp($out) : null,
                Native::sized('hooksig_verified_id', $out),
                Native::sized('hooksig_verified_event_type', $out),
                $ffi->hooksig_verified_key_index($out),
                (string) Native::sized('hooksig_verified_payload', $out),
                (string) Native::sized('hooksig_verified_dedupe_key', $out),
                Native::answer('hooksig_receiver_received', self::$receiver->ptr, $out),
                $receiver === null ? null : Native::answer('hooksig_receiver_handshake', $receiver->ptr, $this->ptr, $out, $headerArray, $count),
            ];
        } finally {
            $ffi->hooksig_verified_free($out);
        }
    }

    /** @return list<array{0: string, 1: string}> */
    public function sign(string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array
    {
        $sign = fn (CData $options) => Native::make('hooksig_signed_headers*', 'hooksig_verifier_sign', $this->ptr, $body, strlen($body), $options);
        return Native::signed($sign, $timestamp, $id, $eventType, $url, $method);
    }

    public function signsRequestLine(): bool
    {
        return (bool) Native::ffi()->hooksig_verifier_signs_request($this->ptr);
    }

    public function tolerance(): int
    {
        return Native::ffi()->hooksig_verifier_tolerance($this->ptr);
    }

    public function replayTtl(): int
    {
        return Native::ffi()->hooksig_replay_default_ttl($this->ptr);
    }
}
