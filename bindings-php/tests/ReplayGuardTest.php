<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\HooksigException;
use Hooksig\DeliveryInProgressException;
use Hooksig\RedisReplayGuard;
use Hooksig\ReplayStoreUnavailableException;
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
        // The core's window: past + future tolerance + 60 s (issue 12, item 4).
        $this->assertSame(660, (new Verifier('algoguard', 'whsec_k'))->replayTtl());
        $this->assertSame(1260, (new Verifier('algoguard', 'whsec_k', 600))->replayTtl());
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
        $this->assertSame(660, $for->ttl());
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

    public function testRedisGuardIsATwoPhaseMarker(): void
    {
        $redis = self::$redis->client();
        $g = new RedisReplayGuard($redis, 300, 'test:contract:', 20);
        $this->assertSame([300, 20, 30], [$g->ttl(), $g->processingTtl(), $g->retryAfter()]);
        $this->assertTrue($g->checkAndRemember('k1'));
        $this->assertSame('processing', $redis->get('test:contract:k1'));
        $ttl = $redis->ttl('test:contract:k1');
        $this->assertGreaterThan(0, $ttl);
        $this->assertLessThanOrEqual(20, $ttl);
        // Not confirmed yet: a second delivery is "in progress" (409), not a duplicate.
        try {
            $g->checkAndRemember('k1');
            $this->fail('an unconfirmed delivery was answered');
        } catch (DeliveryInProgressException $e) {
            $this->assertSame(['delivery_in_progress', 409, 30], [$e->getErrorCode(), $e->getHttpStatus(), $e->getRetryAfter()]);
        }
        $g->confirm('k1');
        $this->assertSame('done', $redis->get('test:contract:k1'));
        $ttl = $redis->ttl('test:contract:k1');
        $this->assertGreaterThan(250, $ttl);
        $this->assertLessThanOrEqual(300, $ttl);
        $this->assertFalse($g->checkAndRemember('k1'));
        // `$now` is ignored (Redis's clock), as in the Python and Node guards.
        $this->assertFalse($g->checkAndRemember('k1', time() + 10_000));
        $this->assertTrue($g->checkAndRemember('k2', time() - 10_000));
        $g->forget('k2');
        $this->assertSame(0, $redis->exists('test:contract:k2'));
        $this->assertTrue($g->checkAndRemember('k2'));
        $g->forget('never-seen');

        $verifier = new Verifier('easycart', 'k');
        $for = RedisReplayGuard::forVerifier($redis, $verifier);
        $this->assertSame($verifier->replayTtl(), $for->ttl());
        $this->assertSame(60, $for->processingTtl());
        $this->assertTrue($for->checkAndRemember('x'));
        $this->assertSame('processing', $redis->get('hooksig:replay:x'));
        $this->assertSame(\Hooksig\SharedStore::defaultPrefix(), RedisReplayGuard::DEFAULT_PREFIX);
        $header = (string) file_get_contents(__DIR__ . '/../../bindings-c/include/hooksig.h');
        $this->assertMatchesRegularExpression(
            '/#define HOOKSIG_PROCESSING_TTL ' . RedisReplayGuard::DEFAULT_PROCESSING_TTL . '\n/',
            $header,
        );
        $this->assertSame(10, (new RedisReplayGuard($redis, 10))->processingTtl(), 'at most ttl');

        foreach ([[0, 60, 30], [60, 0, 30], [60, 60, 0]] as [$ttl, $processing, $retry]) {
            try {
                new RedisReplayGuard($redis, $ttl, 'p:', $processing, $retry);
                $this->fail("ttl $ttl, processingTtl $processing, retryAfter $retry accepted");
            } catch (\Hooksig\ConfigException $e) {
                $this->assertSame('invalid_argument', $e->getErrorCode());
            }
        }
    }

    /**
     * The fault cases against a redis-server of its own: a lost DEL (the retry is in progress,
     * then runs after the processing ttl, never a duplicate), a paused Redis (an exception with
     * 503 + Retry-After within the read timeout, not a 60 s hang), a stopped one, a restart.
     */
    public function testRedisGuardFaultCases(): void
    {
        $server = new RedisServer();
        try {
            $verifier = new Verifier('algoguard', 'whsec_faults');
            $guard = RedisReplayGuard::connect($server->url(), $verifier, 0.5, RedisReplayGuard::DEFAULT_PREFIX, 1, 7);
            $this->assertSame($verifier->replayTtl(), $guard->ttl());
            $admin = $server->client();

            // A handled delivery: done for the full ttl; the retry is a duplicate.
            $this->assertTrue($guard->checkAndRemember('ok'));
            $guard->confirm('ok');
            $this->assertSame('done', $admin->get('hooksig:replay:ok'));
            $this->assertFalse($guard->checkAndRemember('ok'));

            // The handler failed and the DEL never arrived: the retry is "in progress" (not a
            // duplicate, which lost the event), and runs once the processing ttl (1 s) expired.
            $this->assertTrue($guard->checkAndRemember('lost-del'));
            try {
                $guard->checkAndRemember('lost-del');
                $this->fail('the retry was answered as a duplicate');
            } catch (DeliveryInProgressException $e) {
                $this->assertSame(7, $e->getRetryAfter());
            }
            usleep(2_100_000);
            $this->assertTrue($guard->checkAndRemember('lost-del'), 'the retry runs the handler');

            // A paused Redis: ReplayStoreUnavailableException (503, Retry-After) within the
            // read timeout.
            $server->pause();
            $started = microtime(true);
            try {
                $guard->checkAndRemember('paused');
                $this->fail('a paused Redis answered');
            } catch (ReplayStoreUnavailableException $e) {
                $this->assertSame(['replay_store_unavailable', 503, 7], [$e->getErrorCode(), $e->getHttpStatus(), $e->getRetryAfter()]);
                $this->assertInstanceOf(\RedisException::class, $e->getPrevious());
            } finally {
                $server->resume();
            }
            $took = microtime(true) - $started;
            $this->assertLessThan(2.5, $took, sprintf('answered after %.2f s', $took));

            // A stopped Redis: the same 503; after a restart the guard works again.
            $server->stop();
            $started = microtime(true);
            try {
                $guard->checkAndRemember('stopped');
                $this->fail('a stopped Redis answered');
            } catch (ReplayStoreUnavailableException $e) {
                $this->assertSame(503, $e->getHttpStatus());
            }
            $this->assertLessThan(2.5, microtime(true) - $started);
            $server->start();
            $this->assertTrue($this->eventually(fn () => $guard->checkAndRemember('stopped')));
            $guard->confirm('stopped');
            $this->assertSame('done', $server->client()->get('hooksig:replay:stopped'));
        } finally {
            $server->stop();
        }
    }

    /** Retries (every 100 ms, 5 s at most) while the store is unavailable, as a sender would. */
    private function eventually(\Closure $attempt): mixed
    {
        for ($i = 0; ; $i++) {
            try {
                return $attempt();
            } catch (ReplayStoreUnavailableException $e) {
                if ($i >= 50) {
                    throw $e;
                }
                usleep(100_000);
            }
        }
    }
}
