<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\ConfigException;
use Hooksig\HooksigException;
use Hooksig\RedisReplayGuard;
use Hooksig\ReplayGuard;
use Hooksig\VerificationException;
use Hooksig\Verifier;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

require_once __DIR__ . '/fixtures/coercive.php';

/**
 * Hostile inputs (issue 7): every row of tests/bad-inputs/cases.json, then PHP's own rows
 * (null for each argument, wrong types, NUL bytes and non-UTF-8 in names). Each gives its
 * documented typed error or success (bindings-c/BAD_INPUTS.md), never a crash or an untyped
 * error.
 */
final class BadInputsTest extends TestCase
{
    private const DEFAULT_BODY = '{"id":"evt_1"}';

    /** @return iterable<string, array{array<string, mixed>}> */
    public static function cases(): iterable
    {
        $doc = json_decode((string) file_get_contents(dirname(__DIR__, 2) . '/tests/bad-inputs/cases.json'), true, 512, JSON_THROW_ON_ERROR);
        foreach ($doc['cases'] as $case) {
            yield $case['name'] => [$case];
        }
    }

    /** A byte value of the table: {"text"} | {"hex"} | {"repeat", "count"}. */
    private static function bytes(array $value): string
    {
        if (isset($value['text'])) {
            return $value['text'];
        }
        if (isset($value['hex'])) {
            return (string) hex2bin($value['hex']);
        }
        return str_repeat($value['repeat'], $value['count']);
    }

    /** Applies the table's rules (its `_comment`) and returns "ok" or the error code. */
    private static function outcome(array $case): string
    {
        try {
            $verifier = new Verifier($case['scheme'], $case['secrets'], $case['tolerance'] ?? 300);
        } catch (ConfigException $e) {
            return $e->getErrorCode();
        }
        $body = isset($case['body']) ? self::bytes($case['body']) : self::DEFAULT_BODY;
        $ts = $case['sign_timestamp'] ?? $case['now'];
        $signed = $verifier->sign($body, $ts);
        // The signature header's name contains "signature"; the timestamp header's value is
        // the signing time (the same rule as the C runner; a case whose target is not found
        // fails).
        $sigName = $tsName = null;
        foreach ($signed as $name => $value) {
            if (stripos($name, 'signature') !== false) {
                $sigName = $name;
            }
            if ($value === (string) $ts) {
                $tsName = $name;
            }
        }
        $pairs = [];
        foreach ($signed as $name => $value) {
            $pairs[] = [$name, $value];
        }
        if (isset($case['headers'])) {
            $pairs = array_map(static fn (array $p) => [$p[0], self::bytes($p[1])], $case['headers']);
        }
        if ((isset($case['timestamp_header']) && $tsName === null) || (isset($case['signature_header']) && $sigName === null)) {
            return 'runner: the header to override was not found';
        }
        foreach ($pairs as &$pair) {
            if (isset($case['timestamp_header']) && $pair[0] === $tsName) {
                $pair[1] = $case['timestamp_header'];
            }
            if (isset($case['signature_header']) && $pair[0] === $sigName) {
                $pair[1] = self::bytes($case['signature_header']);
            }
        }
        unset($pair);
        try {
            $event = $verifier->verify($pairs, $body, $case['now']);
        } catch (VerificationException $e) {
            return $e->getErrorCode();
        }
        return $event->payload === $body ? 'ok' : 'runner: payload differs';
    }

    /** @dataProvider cases */
    public function testTableRow(array $case): void
    {
        $this->assertSame($case['expect'], self::outcome($case));
    }

    // ---- null for each argument ------------------------------------------------------------

    /** @return array<string, array{callable(): mixed}> */
    public static function nullArguments(): array
    {
        $v = static fn () => new Verifier('algoguard', 'whsec_k');
        return [
            'Verifier scheme' => [static fn () => new Verifier(null, 'k')],
            'Verifier secrets' => [static fn () => new Verifier('algoguard', null)],
            'Verifier secretFormat' => [static fn () => new Verifier('algoguard', 'k', 300, null)],
            'verify headers' => [static fn () => $v()->verify(null, '{}')],
            'verify body' => [static fn () => $v()->verify([], null)],
            'Verifier::sign body' => [static fn () => $v()->sign(null)],
            'sign scheme' => [static fn () => sign(null, 'k', '{}')],
            'sign secret' => [static fn () => sign('algoguard', null, '{}')],
            'sign body' => [static fn () => sign('algoguard', 'k', null)],
            'ReplayGuard ttl' => [static fn () => new ReplayGuard(null)],
            'ReplayGuard capacity' => [static fn () => new ReplayGuard(10, null)],
            'ReplayGuard::forVerifier' => [static fn () => ReplayGuard::forVerifier(null)],
            'checkAndRemember key' => [static fn () => (new ReplayGuard(10))->checkAndRemember(null)],
            'forget key' => [static fn () => (new ReplayGuard(10))->forget(null)],
            'RedisReplayGuard redis' => [static fn () => new RedisReplayGuard(null, 10)],
            'RedisReplayGuard ttl' => [static fn () => new RedisReplayGuard(new \Redis(), null)],
            'null secret in the list' => [static fn () => new Verifier('algoguard', ['k', null])],
            'array as a header value' => [static fn () => $v()->verify([['X-AlgoGuard-Signature', ['a' => ['b']]]], '{}')],
            'object as a header value' => [static fn () => $v()->verify(['X-AlgoGuard-Signature' => new \stdClass()], '{}')],
        ];
    }

    /**
     * PHP's own type system refuses null where a value is required: a TypeError (thrown by PHP
     * for typed parameters, by hooksig for the contents of arrays), before libhooksig is
     * called. Null is accepted only where documented (`$now`, `$jsonFallback`, `$id`,
     * `$eventType`, `$timestamp`).
     *
     * @dataProvider nullArguments
     */
    public function testNullOrWrongTypeIsATypeError(callable $call): void
    {
        $this->expectException(\TypeError::class);
        $call();
    }

    public function testNullWhereDocumented(): void
    {
        $body = '{"id":"evt_1"}';
        $v = new Verifier('algoguard', 'whsec_k', 300, 'auto', null);
        $headers = $v->sign($body, null, null, null);
        $this->assertSame('algoguard:id:evt_1', $v->verify($headers, $body, null)->dedupeKey);
        // A null header value is an empty header, i.e. an absent one.
        $e = $this->catch(fn () => $v->verify(['X-AlgoGuard-Signature' => null] + $headers, $body));
        $this->assertSame('missing_signature', $e->getErrorCode());
        // A null secret format or JSON fallback inside a custom definition unsets the option.
        $custom = ['id' => 'acme', 'signature_header' => 'X-Acme-Signature', 'prefix' => null];
        $this->assertSame('acme', (new Verifier($custom, 'k'))->verify(sign($custom, 'k', '{}'), '{}')->scheme);
    }

    private function catch(callable $call): HooksigException
    {
        try {
            $call();
        } catch (HooksigException $e) {
            return $e;
        }
        $this->fail('no HooksigException');
    }

    // ---- wrong types, in PHP's default (coercive) mode ---------------------------------------

    public function testCoerciveModeConvertsScalarsThenHooksigDecides(): void
    {
        // An int scheme becomes "42": an unknown scheme.
        $e = $this->catch(fn () => Coercive\verifier(42, 'k', 300));
        $this->assertInstanceOf(ConfigException::class, $e);
        $this->assertSame('unknown_scheme', $e->getErrorCode());
        // A numeric string tolerance is converted; a negative one is a configuration error.
        $this->assertSame('invalid_config', $this->catch(fn () => Coercive\verifier('algoguard', 'k', '-1'))->getErrorCode());
        $v = Coercive\verifier('algoguard', 'whsec_k', '300');
        // An int body becomes its digits; the signature does not match.
        $headers = $v->sign('{}', 1767225600);
        $this->assertSame('signature_mismatch', $this->catch(fn () => Coercive\verify($v, $headers, 12, 1767225600))->getErrorCode());
        // A non-numeric string or an array cannot be converted to the int tolerance: TypeError.
        // (A float with a fraction, e.g. 1.5, is truncated by PHP with a deprecation notice.)
        foreach ([['algoguard', 'k', 'soon'], ['algoguard', ['k'], []]] as $args) {
            try {
                Coercive\verifier(...$args);
                $this->fail('accepted ' . var_export($args[2], true));
            } catch (\TypeError) {
                $this->addToAssertionCount(1);
            }
        }
        // Headers that are not iterable: TypeError.
        $this->expectException(\TypeError::class);
        Coercive\verify($v, 'X-AlgoGuard-Signature: x', '{}', null);
    }

    public function testStrictModeRefusesWrongScalarTypes(): void
    {
        $this->expectException(\TypeError::class);
        new Verifier(42, 'k'); // @phpstan-ignore-line
    }

    // ---- NUL bytes and non-UTF-8 in names ------------------------------------------------------

    public function testNamesWithNulAndNonUtf8(): void
    {
        $this->assertSame('unknown_scheme', $this->catch(fn () => new Verifier("algo\0guard", 'k'))->getErrorCode());
        $e = $this->catch(fn () => new Verifier("algo\xff", 'k'));
        $this->assertNotInstanceOf(ConfigException::class, $e);
        $this->assertSame('invalid_utf8', $e->getErrorCode());
        $this->assertSame(500, $e->getHttpStatus());
        $this->assertSame('invalid_utf8', $this->catch(fn () => new Verifier('algoguard', 'k', 300, "au\xffto"))->getErrorCode());

        $v = new Verifier('algoguard', 'whsec_k');
        $body = '{"id":"evt_1"}';
        $headers = $v->sign($body, 1767225600);
        $sig = $headers['X-AlgoGuard-Signature'];
        // A NUL or non-UTF-8 byte in a header name: it is not the scheme's header.
        $withNul = ["X-AlgoGuard-Signature\0" => $sig, 'X-AlgoGuard-Timestamp' => '1767225600'];
        $this->assertSame('missing_signature', $this->catch(fn () => $v->verify($withNul, $body, 1767225600))->getErrorCode());
        $this->assertSame('algoguard', $v->verify(["X-\xff" => 'x'] + $headers, $body, 1767225600)->scheme);
        // A secret with a NUL byte is bytes like any other.
        $nul = new Verifier('easycart', "ab\0cd");
        $this->assertSame('easycart', $nul->verify(sign('easycart', "ab\0cd", '{}'), '{}')->scheme);
        $this->assertSame('signature_mismatch', $this->catch(fn () => $nul->verify(sign('easycart', 'ab', '{}'), '{}'))->getErrorCode());
        // A NUL inside a replay key is part of the key.
        $g = new ReplayGuard(10);
        $this->assertTrue($g->checkAndRemember("k\0x", 0));
        $this->assertTrue($g->checkAndRemember('k', 0));
        // A control character (NUL included) in an id or event type cannot be sent as a header.
        $this->assertSame('invalid_config', $this->catch(fn () => sign('github', 'k', '{}', null, null, "p\0sh"))->getErrorCode());
        // A negative signing timestamp is a configuration error.
        $this->assertSame('invalid_config', $this->catch(fn () => sign('algoguard', 'k', '{}', -1))->getErrorCode());
        $this->assertInstanceOf(ConfigException::class, $this->catch(fn () => $v->sign('{}', -1)));
        // Replay keys must be UTF-8.
        $this->assertSame('invalid_utf8', $this->catch(fn () => (new ReplayGuard(10))->checkAndRemember("\xc3"))->getErrorCode());
    }
}
