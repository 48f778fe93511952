<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\ConfigException;
use Hooksig\HooksigException;
use Hooksig\VerificationException;
use Hooksig\Verifier;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/** Every case of every file in tests/vectors/: same outcome, code and header as every binding. */
final class VectorsTest extends TestCase
{
    private const CONFIG_CODES = ['invalid_secret', 'unknown_scheme', 'invalid_config', 'invalid_argument'];

    /** @return iterable<string, array{string|array, array}> */
    public static function cases(): iterable
    {
        $files = glob(dirname(__DIR__, 2) . '/tests/vectors/*.json') ?: [];
        if ($files === []) {
            throw new \RuntimeException('no vector files found in tests/vectors');
        }
        foreach ($files as $file) {
            $doc = json_decode((string) file_get_contents($file), true, 512, JSON_THROW_ON_ERROR);
            foreach ($doc['blocks'] ?? [$doc] as $block) {
                $scheme = is_array($block['scheme']) ? $block['scheme']['custom'] : $block['scheme'];
                foreach ($block['cases'] as $case) {
                    yield basename($file) . ' ' . $case['name'] => [$scheme, $case];
                }
            }
        }
    }

    private static function body(array $case): string
    {
        if (array_key_exists('body', $case)) {
            return $case['body'];
        }
        if (array_key_exists('body_base64', $case)) {
            return base64_decode($case['body_base64'], true);
        }
        $rep = $case['body_repeat']; // before + text * count + after (before/after optional)
        return ($rep['before'] ?? '') . str_repeat($rep['text'], $rep['count']) . ($rep['after'] ?? '');
    }

    /** The vector's [name, value] pairs as getallheaders() would give them (repeats as lists). */
    private static function headers(array $case): array
    {
        $headers = [];
        foreach ($case['headers'] ?? [] as [$name, $value]) {
            if (!array_key_exists($name, $headers)) {
                $headers[$name] = $value;
            } else {
                $headers[$name] = [...(array) $headers[$name], $value];
            }
        }
        return $headers;
    }

    /**
     * The case's `request` as verify()/sign() take it: `url:` and `method:`, or nothing.
     *
     * @return array{url?: string, method?: string}
     */
    private static function request(array $case): array
    {
        return array_filter(['url' => $case['request']['url'] ?? null, 'method' => $case['request']['method'] ?? null], 'is_string');
    }

    /** @dataProvider cases */
    public function testVector(string|array $scheme, array $case): void
    {
        if (($case['op'] ?? 'verify') === 'sign') {
            $this->runSign($scheme, $case);
        } else {
            $this->runVerify($scheme, $case);
        }
    }

    private function runVerify(string|array $scheme, array $case): void
    {
        $body = self::body($case);
        $expect = $case['expect'];
        try {
            $verifier = new Verifier(
                $scheme,
                $case['secrets'],
                $case['tolerance'] ?? null, // absent: not given (the scheme's default)
                $case['secret_format'] ?? 'auto',
                $case['json_fallback'] ?? null,
            );
            // The request line (twilio, square, hubspot) as named arguments; absent: not passed.
            $result = $verifier->verify(self::headers($case), $body, $case['now'], ...self::request($case));
        } catch (HooksigException $e) {
            $this->assertFalse($expect['ok'], "unexpected {$e->errorCode}: {$e->getMessage()}");
            $this->assertSame($expect['error'], $e->errorCode);
            $this->assertSame($expect['error'], $e->getErrorCode());
            $config = in_array($expect['error'], self::CONFIG_CODES, true);
            $this->assertInstanceOf($config ? ConfigException::class : VerificationException::class, $e);
            if (array_key_exists('header', $expect)) {
                $this->assertSame($expect['header'], $e->header);
            }
            return;
        }
        $this->assertTrue($expect['ok'], "expected {$expect['ok']}" . ($expect['error'] ?? ''));
        $this->assertSame($expect['key_index'], $result->keyIndex);
        $this->assertSame($expect['timestamp'], $result->timestamp);
        $this->assertSame($expect['id'], $result->id);
        $this->assertSame($expect['event_type'], $result->eventType);
        if (array_key_exists('dedupe_key', $expect)) {
            $this->assertSame($expect['dedupe_key'], $result->dedupeKey);
        }
        $this->assertSame($expect['payload'] ?? $body, $result->payload);
    }

    private function runSign(string|array $scheme, array $case): void
    {
        $expected = [];
        foreach ($case['expect_headers'] as [$name, $value]) {
            $expected[$name] = $value;
        }
        $body = self::body($case);
        $args = [$case['timestamp'] ?? null, $case['id'] ?? null, $case['event_type'] ?? null, ...self::request($case)];
        $verifier = new Verifier($scheme, [$case['secrets'][0]], 300, $case['secret_format'] ?? 'auto');
        $this->assertSame($expected, $verifier->sign($body, ...$args));
        if (!isset($case['secret_format'])) {
            $this->assertSame($expected, sign($scheme, $case['secrets'][0], $body, ...$args));
        }
    }
}
