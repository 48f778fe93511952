<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\ConfigException;
use Hooksig\HooksigException;
use Hooksig\VerificationException;
use Hooksig\Verifier;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/** The PHP API beyond the vectors: header shapes, exceptions, bytes, custom schemes. */
final class VerifierTest extends TestCase
{
    private const SECRET = "It's a Secret to Everybody";

    public function testGithubDocumentedExample(): void
    {
        $verifier = new Verifier('github', self::SECRET);
        $event = $verifier->verify(
            ['X-Hub-Signature-256' => 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
             'X-GitHub-Event' => 'ping'],
            'Hello, World!',
        );
        $this->assertSame('github', $event->scheme);
        $this->assertSame('ping', $event->eventType);
        $this->assertNull($event->timestamp);
        $this->assertSame(0, $event->keyIndex);
    }

    public function testHeaderShapesAndCaseInsensitiveNames(): void
    {
        $body = '{"id":"evt_1","type":"invoice.paid"}';
        $headers = sign('stripe', 'whsec_k', $body, 1_767_225_600);
        $verifier = new Verifier('stripe', 'whsec_k');
        $lower = array_change_key_case($headers, CASE_LOWER);
        $pairs = array_map(null, array_keys($headers), array_values($headers));
        foreach ([$headers, $lower, $pairs, new \ArrayIterator($headers)] as $shape) {
            $this->assertSame('evt_1', $verifier->verify($shape, $body, 1_767_225_600)->id);
        }
        // Repeated headers as a list: any value may carry the right signature.
        $repeated = ['Stripe-Signature' => ['t=1767225600,v1=' . str_repeat('0', 64), $headers['Stripe-Signature']]];
        $this->assertSame('invoice.paid', $verifier->verify($repeated, $body, 1_767_225_600)->eventType);
    }

    public function testVerificationErrorsCarryStableCodesAndHttpStatus(): void
    {
        $verifier = new Verifier('algoguard', 'whsec_abc');
        $body = '{"event":"license.created"}';
        $headers = sign('algoguard', 'whsec_abc', $body, 1_700_000_000);
        $cases = [
            [[], 'missing_signature', 400, 'X-AlgoGuard-Signature'],
            [['X-AlgoGuard-Signature' => $headers['X-AlgoGuard-Signature']], 'missing_timestamp', 400, 'X-AlgoGuard-Timestamp'],
            [['X-AlgoGuard-Signature' => 'nope', 'X-AlgoGuard-Timestamp' => '1700000000'], 'malformed_signature', 400, 'X-AlgoGuard-Signature'],
            [$headers, 'timestamp_expired', 401, 'X-AlgoGuard-Timestamp'],
        ];
        foreach ($cases as [$h, $code, $http, $header]) {
            try {
                $verifier->verify($h, $body, 1_700_000_000 + 301);
                $this->fail("expected $code");
            } catch (VerificationException $e) {
                $this->assertSame($code, $e->errorCode);
                $this->assertSame($code, $e->getErrorCode());
                $this->assertSame($http, $e->getHttpStatus());
                $this->assertSame($header, $e->header);
                $this->assertIsInt($e->getCode());
                $this->assertStringNotContainsString('whsec_abc', $e->getMessage());
            }
        }
        try {
            $verifier->verify($headers, $body . ' ', 1_700_000_000);
            $this->fail('expected signature_mismatch');
        } catch (VerificationException $e) {
            $this->assertSame('signature_mismatch', $e->errorCode);
            $this->assertSame(401, $e->getHttpStatus());
        }
    }

    public function testToleranceNotGivenIsTheSchemesDefault(): void
    {
        $this->assertSame(600, (new Verifier('twitch', 's3cret'))->tolerance());
        $this->assertSame(600, (new Verifier('box', 's3cret', null))->tolerance());
        $this->assertSame(300, (new Verifier('stripe', 's3cret'))->tolerance());
        $this->assertSame(300, (new Verifier('twitch', 's3cret', 300))->tolerance());
        try {
            new Verifier('twitch', 's3cret', PHP_INT_MIN); // not C's scheme-default sentinel
            $this->fail('PHP_INT_MIN accepted');
        } catch (ConfigException $e) {
            $this->assertSame('invalid_config', $e->errorCode);
        }
    }

    public function testConfigErrors(): void
    {
        $attempts = [
            'unknown_scheme' => fn () => new Verifier('nope', 'x'),
            'invalid_secret' => fn () => new Verifier('github', ' padded '),
            'invalid_config' => fn () => new Verifier('github', 'x', -1),
        ];
        foreach ($attempts as $code => $attempt) {
            try {
                $attempt();
                $this->fail("expected $code");
            } catch (ConfigException $e) {
                $this->assertSame($code, $e->errorCode);
                $this->assertSame(500, $e->getHttpStatus());
                $this->assertNull($e->header);
                $this->assertStringNotContainsString('padded', $e->getMessage());
            }
        }
        $this->expectException(ConfigException::class);
        new Verifier('github', 'x', 300, 'rot13');
    }

    public function testMisuseIsAHooksigExceptionButNotAVerificationOne(): void
    {
        try {
            sign('github', 'k', 'body', null, "\xff\xfe");
            $this->fail('expected invalid_utf8');
        } catch (HooksigException $e) {
            $this->assertNotInstanceOf(VerificationException::class, $e);
            $this->assertNotInstanceOf(ConfigException::class, $e);
            $this->assertSame('invalid_utf8', $e->errorCode);
            $this->assertSame(500, $e->getHttpStatus());
        }
    }

    public function testBinaryBodiesAndRotation(): void
    {
        $body = "\x00\xff\x00binary\x00";
        $headers = sign('shopify', 'new-key', $body);
        $verifier = new Verifier('shopify', ['old-key', 'new-key']);
        $event = $verifier->verify($headers, $body);
        $this->assertSame($body, $event->payload);
        $this->assertSame(1, $event->keyIndex);
    }

    public function testJsonFallbackPayloadIsWhatWasSigned(): void
    {
        $signed = '{"a":1,"b":[1,2]}';
        $received = "{ \"a\": 1, \"b\": [1, 2] }";
        $headers = sign('chaindoc', 'k', $signed, null, null, 'document.created');
        $event = (new Verifier('chaindoc', 'k'))->verify($headers, $received);
        $this->assertSame($signed, $event->payload);
        $this->assertSame(['a' => 1, 'b' => [1, 2]], $event->json());
        $this->expectException(VerificationException::class);
        (new Verifier('chaindoc', 'k', jsonFallback: false))->verify($headers, $received);
    }

    public function testCustomSchemeSignAndVerify(): void
    {
        $acme = [
            'id' => 'acme',
            'signature_header' => 'X-Acme-Signature',
            'timestamp_header' => 'X-Acme-Timestamp',
            'template' => '{ts}.{body}',
            'prefix' => 'v1=',
            'algorithm' => 'sha512',
            'encoding' => 'base64',
        ];
        $headers = sign($acme, 'k3y', '{}', 1_700_000_000);
        $this->assertSame(['X-Acme-Signature', 'X-Acme-Timestamp'], array_keys($headers));
        $this->assertStringStartsWith('v1=', $headers['X-Acme-Signature']);
        $expected = 'v1=' . base64_encode(hash_hmac('sha512', '1700000000.{}', 'k3y', true));
        $this->assertSame($expected, $headers['X-Acme-Signature']);
        $event = (new Verifier($acme, 'k3y'))->verify($headers, '{}', 1_700_000_000);
        $this->assertSame('acme', $event->scheme);
        $this->expectException(ConfigException::class);
        new Verifier(['id' => 'x', 'signature_header' => 'X-S', 'colour' => 'blue'], 'k');
    }

    public function testSignMatchesAnIndependentHmac(): void
    {
        $headers = sign('algoguard', 'whsec_demo', '{"x":1}', 1_767_225_600);
        $this->assertSame(
            ['X-AlgoGuard-Signature' => 'sha256=' . hash_hmac('sha256', '1767225600.{"x":1}', 'whsec_demo'),
             'X-AlgoGuard-Timestamp' => '1767225600'],
            $headers,
        );
    }

    /**
     * Strings come back through their length, NUL bytes included, as in the other bindings
     * (PHP's FFI used to cut a returned `const char *` at the first NUL).
     */
    public function testIdEventTypeAndDedupeKeyKeepNulBytes(): void
    {
        $secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
        $verifier = new Verifier('standard-webhooks', $secret);
        $body = '{"type":"a.b"}';
        $keys = [];
        $key = base64_decode(substr($secret, strlen('whsec_')), true);
        foreach (["a\0b", "a\0c"] as $id) {
            // sign() refuses an id that cannot be sent as a header, so sign it by hand.
            $mac = base64_encode(hash_hmac('sha256', "{$id}.1767225600.{$body}", $key, true));
            $headers = ['webhook-id' => $id, 'webhook-timestamp' => '1767225600', 'webhook-signature' => "v1,{$mac}"];
            $event = $verifier->verify($headers, $body, 1_767_225_600);
            $this->assertSame($id, $event->id);
            $this->assertSame(3, strlen($event->id));
            $keys[] = $event->dedupeKey;
        }
        // Two ids that differ only after the NUL are two deliveries, not one.
        $this->assertNotSame($keys[0], $keys[1]);

        $github = new Verifier('github', 'k');
        $headers = sign('github', 'k', $body);
        $headers['X-GitHub-Event'] = "pi\0ng";
        $this->assertSame("pi\0ng", $github->verify($headers, $body)->eventType);
    }

    public function testSchemesAndVersion(): void
    {
        $this->assertContains('stripe', Verifier::schemes());
        $this->assertCount(43, Verifier::schemes());
        $this->assertMatchesRegularExpression('/^\d+\.\d+\.\d+/', Verifier::version());
    }
}
