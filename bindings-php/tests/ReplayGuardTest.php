<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\HooksigException;
use Hooksig\RedisReplayGuard;
use Hooksig\ReplayGuard;
use Hooksig\ReplayGuardInterface;
use Hooksig\Verifier;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/** Verified::$dedupeKey, ReplayGuard (libhooksig, in process) and RedisReplayGuard (real Redis). */
final class ReplayGuardTest extends TestCase
{
    private static ?RedisServer $redis = null;

    public static function setUpBeforeClass(): void
    {
        self::$redis = new RedisServer();
    }

    public static function tearDownAfterClass(): void
    {
        self::$redis?->stop();
        self::$redis = null;
    }

    public function testDedupeKeys(): void
    {
        $body = '{"id":"evt_42","event":"license.created"}';
        $v = new Verifier('algoguard', 'whsec_k');
        $event = $v->verify(sign('algoguard', 'whsec_k', $body, 1767225600), $body, 1767225600);
        $this->assertSame('algoguard:id:evt_42', $event->dedupeKey);
        // A retry signed later carries the same id, so the same key.
        $retry = $v->verify(sign('algoguard', 'whsec_k', $body, 1767225700), $body, 1767225700);
        $this->assertSame($event->dedupeKey, $retry->dedupeKey);

        $e = new Verifier('easycart', 'k');
        $a = $e->verify(sign('easycart', 'k', '{"n":1}'), '{"n":1}');
        $this->assertMatchesRegularExpression('/^easycart:sig:[0-9a-f]{32}$/', $a->dedupeKey);
        $this->assertSame($a->dedupeKey, $e->verify(sign('easycart', 'k', '{"n":1}'), '{"n":1}')->dedupeKey);
        $this->assertNotSame($a->dedupeKey, $e->verify(sign('easycart', 'k', '{"n":2}'), '{"n":2}')->dedupeKey);
    }

    public function testReplayTtl(): void
    {
        $this->assertSame(360, (new Verifier('algoguard', 'whsec_k'))->replayTtl());
        $this->assertSame(660, (new Verifier('algoguard', 'whsec_k', 600))->replayTtl());
        $this->assertSame(86400, (new Verifier('easycart', 'k'))->replayTtl());
    }

    /** The contract both guards keep, with an injected clock. */
    private function assertContract(ReplayGuardInterface $g, int $t0): void
    {
        $this->assertTrue($g->checkAndRemember('k1', $t0));
        $this->assertFalse($g->checkAndRemember('k1', $t0));
        $this->assertFalse($g->checkAndRemember('k1', $t0 + $g->ttl() - 1));
        $this->assertTrue($g->checkAndRemember('k2', $t0));
        $g->forget('k2');
        $this->assertTrue($g->checkAndRemember('k2', $t0 + 1));
        $this->assertFalse($g->checkAndRemember('k2', $t0 + 2));
        $g->forget('never-seen');
        $this->assertTrue($g->checkAndRemember('clock'));
        $this->assertFalse($g->checkAndRemember('clock'));
    }

    public function testInProcessGuard(): void
    {
        $g = new ReplayGuard(300, 1000);
        $this->assertSame(300, $g->ttl());
        $this->assertSame(1000, $g->capacity());
        $this->assertContract($g, 1000);
        // Expiry: remembered until now + ttl, new again from then on.
        $this->assertTrue($g->checkAndRemember('k1', 1300));
        $this->assertFalse($g->checkAndRemember('k1', 1301));

        $small = new ReplayGuard(1000, 2);
        $this->assertTrue($small->checkAndRemember('a', 0));
        $this->assertTrue($small->checkAndRemember('b', 1));
        $this->assertTrue($small->checkAndRemember('c', 2));
        $this->assertCount(2, $small);
        $this->assertTrue($small->checkAndRemember('a', 3), 'the oldest key was evicted');

        $for = ReplayGuard::forVerifier(new Verifier('algoguard', 'whsec_k'));
        $this->assertSame(360, $for->ttl());
        $this->assertSame(ReplayGuard::DEFAULT_CAPACITY, $for->capacity());
    }

    public function testInProcessGuardErrors(): void
    {
        foreach ([[0, 10], [-5, 10], [10, 0], [10, -1]] as [$ttl, $capacity]) {
            try {
                new ReplayGuard($ttl, $capacity);
                $this->fail("ttl $ttl, capacity $capacity accepted");
            } catch (HooksigException $e) {
                $this->assertSame('invalid_argument', $e->getErrorCode());
                $this->assertSame(500, $e->getHttpStatus());
            }
        }
        $g = new ReplayGuard(10);
        try {
            $g->checkAndRemember("k\xff");
            $this->fail('a non-UTF-8 key was accepted');
        } catch (HooksigException $e) {
            $this->assertSame('invalid_utf8', $e->getErrorCode());
        }
        $this->assertCount(0, $g);
    }

    public function testRedisGuard(): void
    {
        $redis = self::$redis->client();
        $g = new RedisReplayGuard($redis, 300, 'test:contract:');
        // Redis expires keys by its own clock: inject times around the real one.
        $this->assertContract($g, time());
        $this->assertSame('1', $redis->get('test:contract:k1'));
        $ttl = $redis->ttl('test:contract:k1');
        $this->assertGreaterThan(250, $ttl);
        $this->assertLessThanOrEqual(300, $ttl);
        // An injected clock sets the expiry instant: remembered until now + ttl ...
        $later = time() + 10_000;
        $this->assertTrue($g->checkAndRemember('future', $later));
        $this->assertGreaterThan(10_000, $redis->ttl('test:contract:future'));
        // ... and a delivery remembered "ttl seconds ago" has expired already.
        $this->assertTrue($g->checkAndRemember('past', time() - 301));
        $this->assertTrue($g->checkAndRemember('past', time() - 301));
        // The system clock: EX ttl.
        $this->assertTrue($g->checkAndRemember('now'));
        $this->assertGreaterThan(290, $redis->ttl('test:contract:now'));
        $this->assertLessThanOrEqual(300, $redis->ttl('test:contract:now'));

        $for = RedisReplayGuard::forVerifier($redis, new Verifier('easycart', 'k'));
        $this->assertSame(86400, $for->ttl());
        $this->assertTrue($for->checkAndRemember('x'));
        $this->assertSame('1', $redis->get(RedisReplayGuard::DEFAULT_PREFIX . 'x'));

        $this->expectException(\InvalidArgumentException::class);
        new RedisReplayGuard($redis, 0);
    }
}
