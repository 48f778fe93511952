<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\ConfigException;
use Hooksig\Backends;
use Hooksig\Receiver;
use Hooksig\VerificationException;
use Hooksig\Verifier;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/** Hooksig\Receiver's steps without HTTP: the core's bytes, the constants, the handler rule. */
final class ReceiverPolicyTest extends TestCase
{
    public function testTheConstantsAreTheCOnes(): void
    {
        // The C header's HOOKSIG_GUARD_* (FFI run) or the extension's numbers (extension run).
        $this->assertSame(
            Backends::get()->guardAnswers(),
            [Receiver::GUARD_NEW, Receiver::GUARD_DUPLICATE, Receiver::GUARD_IN_PROGRESS, Receiver::GUARD_UNAVAILABLE],
        );
        $this->assertSame(Receiver::DEFAULT_LIMIT, (new Receiver())->limit());
    }

    public function testStartAndBodyAnswers(): void
    {
        $r = new Receiver(10);
        $this->assertSame(10, $r->limit());
        $this->assertNull($r->start('POST', 10));
        $this->assertNull($r->start('POST', null));
        $a = $r->start('GET', null);
        $this->assertSame(405, $a->status);
        $this->assertSame([['Allow', 'POST']], $a->headers);
        $this->assertSame('application/json', $a->contentType);
        $this->assertSame('{"error":"method_not_allowed","message":"the method is not allowed; webhooks are delivered with POST"}', $a->body);
        $this->assertSame(413, $r->start('POST', 11)->status);
        $this->assertEquals($r->start('POST', 11), $r->bodyTooLarge());
        $this->assertSame('{"error":"body_read_failed","message":"the request body could not be read"}', $r->bodyReadFailed()->body);
        $this->expectException(ConfigException::class);
        new Receiver(-1);
    }

    public function testRejectedGuardedReceivedFinished(): void
    {
        $r = new Receiver();
        $v = new Verifier('github', 'It\'s a Secret to Everybody');
        try {
            $v->verify([], '{}');
            $this->fail('verified without a signature');
        } catch (VerificationException $e) {
            $a = $r->rejected($e);
            $this->assertSame(400, $a->status);
            $this->assertSame('{"error":"missing_signature","message":"the signature header is missing or empty"}', $a->body);
        }
        $this->assertNull($r->guarded(Receiver::GUARD_NEW));
        $this->assertSame('{"status":"duplicate"}', $r->guarded(Receiver::GUARD_DUPLICATE)->body);
        $this->assertSame([['Retry-After', '30']], $r->guarded(Receiver::GUARD_IN_PROGRESS)->headers);
        $this->assertSame(503, $r->guarded(Receiver::GUARD_UNAVAILABLE)->status);
        $body = "{\"zen\":\"a\\u0000b\"}";
        $event = $v->verify(sign('github', 'It\'s a Secret to Everybody', $body, null, "d-\"1\\", 'ping'), $body);
        $this->assertSame('{"status":"received","scheme":"github","id":"d-\"1\\\\","event_type":"ping"}', Receiver::received($event)->body);
        $this->assertTrue($r->finished(200));
        $this->assertTrue($r->finished(299));
        $this->assertFalse($r->finished(422));
        $this->assertFalse($r->finished(302));
        $this->assertFalse($r->finished(null));
    }
}
