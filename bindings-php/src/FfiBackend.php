<?php

declare(strict_types=1);

namespace Hooksig;

use FFI\CData;

/**
 * @internal The FFI route: libhooksig through PHP's FFI extension ({@see Native} loads it). Each
 * handle is an {@see FfiHandle}; every call is the C function of the same name.
 */
final class FfiBackend implements Backend
{
    private ?FfiHandle $defaultReceiver = null;

    public function name(): string
    {
        return 'ffi';
    }

    public function version(): string
    {
        return Native::ffi()->hooksig_version();
    }

    public function schemes(): array
    {
        $ffi = Native::ffi();
        $ids = [];
        for ($i = 0, $n = $ffi->hooksig_scheme_builtin_count(); $i < $n; $i++) {
            $ids[] = $ffi->hooksig_scheme_builtin_id($i);
        }
        return $ids;
    }

    public function status(int $status): array
    {
        $ffi = Native::ffi();
        return [
            $ffi->hooksig_status_code($status),
            $ffi->hooksig_status_message($status),
            $ffi->hooksig_status_http_status($status),
            $ffi->hooksig_status_is_verification_error($status) === 1,
            $ffi->hooksig_status_is_config_error($status) === 1,
        ];
    }

    public function scheme(string|array $scheme): object
    {
        if (is_string($scheme)) {
            return self::own(Native::make('hooksig_scheme', 'hooksig_scheme_from_name', $scheme, strlen($scheme)), 'hooksig_scheme_free');
        }
        $builder = self::own(Native::make('hooksig_custom_scheme_builder', 'hooksig_custom_scheme_builder_new'), 'hooksig_custom_scheme_builder_free');
        foreach ($scheme as [$key, $value]) {
            [$ptr, $len] = Native::optional($value);
            Native::call('hooksig_custom_scheme_builder_set', $builder->ptr, $key, strlen($key), $ptr, $len);
        }
        return self::own(Native::make('hooksig_scheme', 'hooksig_custom_scheme_builder_build', $builder->ptr), 'hooksig_scheme_free');
    }

    public function sign(object $scheme, string $secret, string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array
    {
        return self::withSignOptions($timestamp, $id, $eventType, $url, $method, static fn (CData $options) => Native::takeSignedHeaders(
            Native::make('hooksig_signed_headers', 'hooksig_sign', self::ptr($scheme), $secret, strlen($secret), $body, strlen($body), $options),
        ));
    }

    public function verifier(object $scheme, array $secrets, ?int $tolerance, string $secretFormat, ?bool $jsonFallback): object
    {
        [$owners, $secretArray] = Native::bytesArray($secrets);
        $options = static function (CData $options) use ($tolerance, $secretFormat, $jsonFallback): void {
            if ($tolerance !== null) {
                Native::call('hooksig_verifier_options_set_tolerance', $options, $tolerance);
            }
            Native::call('hooksig_verifier_options_set_secret_format', $options, $secretFormat, strlen($secretFormat));
            Native::call('hooksig_verifier_options_set_json_fallback', $options, $jsonFallback === null ? -1 : (int) $jsonFallback);
        };
        $handle = Native::withOptions(
            'hooksig_verifier_options',
            $options,
            static fn (CData $o) => Native::make('hooksig_verifier', 'hooksig_verifier_new', self::ptr($scheme), $secretArray, count($secrets), $o),
        );
        unset($owners);
        return self::own($handle, 'hooksig_verifier_free');
    }

    public function anyOf(array $verifiers): object
    {
        $n = count($verifiers);
        $array = null;
        if ($n > 0) {
            // The core refuses more than 16; the array only borrows the handles for the call.
            $array = Native::ffi()->new('hooksig_verifier*[' . $n . ']');
            foreach (array_values($verifiers) as $i => $verifier) {
                $array[$i] = self::ptr($verifier);
            }
        }
        return self::own(Native::make('hooksig_verifier', 'hooksig_verifier_any_of', $array, $n), 'hooksig_verifier_free');
    }

    public function verify(object $verifier, array $headers, string $body, ?int $now, ?object $receiver, ?string $url, ?string $method): Verified|Answer
    {
        $ffi = Native::ffi();
        [$owners, $headerArray, $count] = Native::headerArray($headers);
        if ($url === null && $method === null) {
            $out = Native::make('hooksig_verified', 'hooksig_verify', self::ptr($verifier), $headerArray, $count, $body, strlen($body), $now ?? Native::NOW);
        } else {
            [$lineOwners, $line] = Native::requestLine($method, $url ?? '');
            $out = Native::make('hooksig_verified', 'hooksig_verify_request', self::ptr($verifier), $headerArray, $count, $body, strlen($body), $line, $now ?? Native::NOW);
            unset($lineOwners);
        }
        try {
            if ($receiver !== null) {
                $handshake = $this->answer('hooksig_receiver_handshake', $receiver, self::ptr($verifier), $out, $headerArray, $count);
                if ($handshake !== null) {
                    return $handshake;
                }
            }
            unset($owners);
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
                received: $this->answer('hooksig_receiver_received', $this->defaultReceiver ??= $this->receiver(Receiver::DEFAULT_LIMIT), $out),
            );
        } finally {
            $ffi->hooksig_verified_free($out);
        }
    }

    public function verifierSign(object $verifier, string $body, ?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method): array
    {
        return self::withSignOptions($timestamp, $id, $eventType, $url, $method, static fn (CData $options) => Native::takeSignedHeaders(
            Native::make('hooksig_signed_headers', 'hooksig_verifier_sign', self::ptr($verifier), $body, strlen($body), $options),
        ));
    }

    public function signsRequestLine(object $verifier): bool
    {
        return (bool) Native::ffi()->hooksig_verifier_signs_request(self::ptr($verifier));
    }

    public function tolerance(object $verifier): int
    {
        return Native::ffi()->hooksig_verifier_tolerance(self::ptr($verifier));
    }

    public function replayTtl(object $verifier): int
    {
        return Native::ffi()->hooksig_replay_default_ttl(self::ptr($verifier));
    }

    public function receiver(int $limit): object
    {
        return self::own(Native::make('hooksig_receiver', 'hooksig_receiver_new', $limit), 'hooksig_receiver_free');
    }

    public function receiverLimit(object $receiver): int
    {
        return Native::ffi()->hooksig_receiver_limit(self::ptr($receiver));
    }

    public function start(object $receiver, string $method, ?int $contentLength): ?Answer
    {
        return $this->answer('hooksig_receiver_start', $receiver, $method, strlen($method), $contentLength ?? -1);
    }

    public function bodyTooLarge(object $receiver): Answer
    {
        return $this->answer('hooksig_receiver_body_too_large', $receiver);
    }

    public function bodyReadFailed(object $receiver): Answer
    {
        return $this->answer('hooksig_receiver_body_read_failed', $receiver);
    }

    public function rejected(object $receiver, int $status): Answer
    {
        return $this->answer('hooksig_receiver_rejected_status', $receiver, $status);
    }

    public function guarded(object $receiver, int $guardAnswer): ?Answer
    {
        return $this->answer('hooksig_receiver_guarded', $receiver, $guardAnswer);
    }

    public function finished(object $receiver, ?int $status): bool
    {
        return Native::ffi()->hooksig_receiver_finished(self::ptr($receiver), $status ?? -1) === 0;
    }

    public function guardAnswers(): array
    {
        $ffi = Native::ffi();
        return [$ffi->HOOKSIG_GUARD_NEW, $ffi->HOOKSIG_GUARD_DUPLICATE, $ffi->HOOKSIG_GUARD_IN_PROGRESS, $ffi->HOOKSIG_GUARD_UNAVAILABLE];
    }

    public function replayGuard(int $ttl, int $capacity): object
    {
        return self::own(Native::make('hooksig_replay_guard', 'hooksig_replay_guard_new', $ttl, $capacity), 'hooksig_replay_guard_free');
    }

    public function checkAndRemember(object $guard, string $key, ?int $now): bool
    {
        return Native::callForInt('hooksig_replay_guard_check_and_remember', self::ptr($guard), $key, strlen($key), $now ?? Native::NOW) === 1;
    }

    public function forget(object $guard, string $key): void
    {
        Native::call('hooksig_replay_guard_forget', self::ptr($guard), $key, strlen($key));
    }

    public function replayGuardSizes(object $guard): array
    {
        $ffi = Native::ffi();
        $p = self::ptr($guard);
        return [$ffi->hooksig_replay_guard_ttl($p), $ffi->hooksig_replay_guard_capacity($p), $ffi->hooksig_replay_guard_len($p)];
    }

    public function sharedStore(int $ttl, int $processingTtl, string $prefix): object
    {
        return self::own(Native::make('hooksig_shared_store', 'hooksig_shared_store_new', $ttl, $processingTtl, $prefix, strlen($prefix)), 'hooksig_shared_store_free');
    }

    public function storeDefaultPrefix(): string
    {
        return (string) Native::sized('hooksig_store_default_prefix');
    }

    public function storeTtls(object $store): array
    {
        $ffi = Native::ffi();
        return [$ffi->hooksig_shared_store_ttl(self::ptr($store)), $ffi->hooksig_shared_store_processing_ttl(self::ptr($store))];
    }

    public function storeCommand(object $store, int $step, string $key): array
    {
        $ffi = Native::ffi();
        $out = Native::make('hooksig_store_command', 'hooksig_shared_store_command', self::ptr($store), $step, $key, strlen($key));
        try {
            $argv = [];
            $argc = $ffi->hooksig_store_command_argc($out);
            for ($i = 0; $i < $argc; $i++) {
                $argv[] = (string) Native::sized('hooksig_store_command_arg', $out, $i);
            }
            return $argv;
        } finally {
            $ffi->hooksig_store_command_free($out);
        }
    }

    public function storeClaimed(object $store, bool $wasSet): ?int
    {
        $answer = Native::ffi()->hooksig_shared_store_claimed(self::ptr($store), $wasSet ? 1 : 0);
        return $answer === -1 ? null : $answer; // HOOKSIG_STORE_LOOKUP_NEEDED
    }

    public function storeLookedUp(object $store, ?string $value): int
    {
        return Native::ffi()->hooksig_shared_store_looked_up(self::ptr($store), $value, $value === null ? 0 : strlen($value));
    }

    public function sqlStore(int $ttl, int $processingTtl, string $prefix, string $table, int $dialect): object
    {
        return self::own(
            Native::make('hooksig_sql_store', 'hooksig_sql_store_new', $ttl, $processingTtl, $prefix, strlen($prefix), $table, strlen($table), $dialect, 0),
            'hooksig_sql_store_free',
        );
    }

    public function sqlStatement(object $store, int $step, string $key, int $now): array
    {
        $ffi = Native::ffi();
        $st = Native::make('hooksig_sql_statement', 'hooksig_sql_store_statement', self::ptr($store), $step, $key, strlen($key), $now);
        try {
            $sql = (string) Native::sized('hooksig_sql_statement_sql', $st);
            $params = [];
            $count = $ffi->hooksig_sql_statement_param_count($st);
            for ($i = 0; $i < $count; $i++) {
                $text = Native::sized('hooksig_sql_statement_param_text', $st, $i);
                $params[] = $text ?? (int) $ffi->hooksig_sql_statement_param_int($st, $i);
            }
            return [$sql, $params, (int) $ffi->hooksig_sql_statement_reply($st)];
        } finally {
            $ffi->hooksig_sql_statement_free($st);
        }
    }

    public function sqlClaimed(object $store, int $rows): ?int
    {
        $answer = Native::ffi()->hooksig_sql_store_claimed(self::ptr($store), max(0, $rows));
        return $answer === -1 ? null : $answer; // HOOKSIG_STORE_LOOKUP_NEEDED
    }

    public function sqlLookedUp(object $store, ?string $state): int
    {
        return Native::ffi()->hooksig_sql_store_looked_up(self::ptr($store), $state, $state === null ? 0 : strlen($state));
    }

    private static function own(CData $ptr, string $free): FfiHandle
    {
        return new FfiHandle($ptr, $free);
    }

    private static function ptr(object $handle): CData
    {
        assert($handle instanceof FfiHandle);
        return $handle->ptr;
    }

    /** A `hooksig_answer` returned through an out-pointer by `$function(receiver, ...)`, or null. */
    private function answer(string $function, object $receiver, mixed ...$args): ?Answer
    {
        $out = Native::make('hooksig_answer', $function, self::ptr($receiver), ...$args);
        return Native::isNull($out) ? null : self::takeAnswer($out);
    }

    /**
     * Runs `$use` with a `hooksig_sign_options` and frees it.
     *
     * @template T
     * @param callable(CData): T $use
     * @return T
     */
    private static function withSignOptions(?int $timestamp, ?string $id, ?string $eventType, ?string $url, ?string $method, callable $use): mixed
    {
        return Native::withOptions('hooksig_sign_options', static function (CData $options) use ($timestamp, $id, $eventType, $url, $method): void {
            Native::call('hooksig_sign_options_set_timestamp', $options, $timestamp ?? Native::NOW);
            Native::call('hooksig_sign_options_set_id', $options, ...Native::optional($id));
            Native::call('hooksig_sign_options_set_event_type', $options, ...Native::optional($eventType));
            if ($url !== null || $method !== null) {
                Native::call('hooksig_sign_options_set_request', $options, ...Native::optional($method), ...Native::optional($url));
            }
        }, $use);
    }

    /** @internal Reads a `hooksig_answer` and frees it. */
    private static function takeAnswer(CData $answer): Answer
    {
        $ffi = Native::ffi();
        try {
            $headers = [];
            for ($i = 0, $n = $ffi->hooksig_answer_header_count($answer); $i < $n; $i++) {
                $headers[] = [
                    (string) Native::sized('hooksig_answer_header_name', $answer, $i),
                    (string) Native::sized('hooksig_answer_header_value', $answer, $i),
                ];
            }
            return new Answer(
                $ffi->hooksig_answer_status($answer),
                (string) Native::sized('hooksig_answer_body', $answer),
                $headers,
                (string) Native::sized('hooksig_answer_content_type', $answer),
            );
        } finally {
            $ffi->hooksig_answer_free($answer);
        }
    }
}
