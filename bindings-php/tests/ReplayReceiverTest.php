<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/**
 * Two `php -S` receivers (examples/php/index.php) sharing one real redis-server get the same
 * deliveries at the same time: the handler runs exactly once per delivery (counted by the
 * handler's own Redis INCR), the other receiver answers 200 {"status":"duplicate"}, and a
 * failed handler releases the key.
 */
final class ReplayReceiverTest extends TestCase
{
    private const SECRET = 'whsec_replay_receiver';

    private static ?RedisServer $redis = null;
    /** @var list<resource> */
    private static array $servers = [];
    /** @var list<int> */
    private static array $ports = [];

    public static function setUpBeforeClass(): void
    {
        self::$redis = new RedisServer();
        $index = dirname(__DIR__, 2) . '/examples/php/index.php';
        $env = ['ALGOGUARD_WEBHOOK_SECRET' => self::SECRET, 'REDIS_URL' => self::$redis->url()] + getenv();
        foreach ([0, 1] as $i) {
            $port = RedisServer::freePort();
            $log = sys_get_temp_dir() . '/hooksig-php-replay-' . $port . '.log';
            $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', '127.0.0.1:' . $port, $index];
            self::$servers[$i] = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env);
            self::$ports[$i] = $port;
            self::waitFor($port, $log);
        }
    }

    private static function waitFor(int $port, string $log): void
    {
        for ($i = 0; $i < 200; $i++) {
            $conn = @fsockopen('127.0.0.1', $port);
            if ($conn !== false) {
                fclose($conn);
                return;
            }
            usleep(50_000);
        }
        throw new \RuntimeException('php -S did not start; see ' . $log);
    }

    public static function tearDownAfterClass(): void
    {
        foreach (self::$servers as $server) {
            proc_terminate($server);
            proc_close($server);
        }
        self::$servers = [];
        self::$redis?->stop();
        self::$redis = null;
    }

    /**
     * Sends the same request to every receiver before reading any answer, so they race.
     *
     * @return list<array{int, string}> status and body per receiver
     */
    private function postToAll(string $path, array $headers, string $body, ?array $ports = null): array
    {
        $request = "POST $path HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            . "Content-Type: application/json\r\nContent-Length: " . strlen($body) . "\r\n";
        foreach ($headers as $name => $value) {
            $request .= "$name: $value\r\n";
        }
        $request .= "\r\n" . $body;
        $sockets = [];
        foreach ($ports ?? self::$ports as $port) {
            $socket = stream_socket_client('tcp://127.0.0.1:' . $port, $errno, $error, 10);
            $this->assertIsResource($socket, $error);
            $sockets[] = $socket;
        }
        foreach ($sockets as $socket) {
            fwrite($socket, $request);
        }
        $answers = [];
        foreach ($sockets as $socket) {
            $response = stream_get_contents($socket);
            fclose($socket);
            $this->assertMatchesRegularExpression('#^HTTP/1\.\d (\d{3})#', $response);
            preg_match('#^HTTP/1\.\d (\d{3})#', $response, $m);
            $answers[] = [(int) $m[1], substr($response, strpos($response, "\r\n\r\n") + 4)];
        }
        return $answers;
    }

    /**
     * The losing receiver's answer, normalised: `duplicate` once the winner confirmed the
     * delivery, or `in_progress` (409 `delivery_in_progress` + Retry-After: the sender retries)
     * while its handler still runs; both are "not run again".
     */
    private function raced(array $answers): array
    {
        $out = [];
        foreach ($answers as [$status, $body]) {
            if ($status === 409 && (json_decode($body, true)['error'] ?? null) === 'delivery_in_progress') {
                $out[] = [200, 'not run again'];
            } elseif ($status === 200 && $body === '{"status":"duplicate"}') {
                $out[] = [200, 'not run again'];
            } elseif ($status === 200 && (json_decode($body, true)['status'] ?? null) === 'received') {
                $out[] = [200, 'received'];
            } else {
                $out[] = [$status, $body];
            }
        }
        sort($out);
        return $out;
    }

    /** Sorted answers, so that which receiver won does not matter. */
    private function sorted(array $answers): array
    {
        sort($answers);
        return $answers;
    }

    public function testEachDeliveryIsHandledOnce(): void
    {
        $redis = self::$redis->client();
        $deliveries = 20;
        for ($n = 0; $n < $deliveries; $n++) {
            $body = sprintf('{"id":"evt_%d","event":"license.created"}', $n);
            $answers = $this->postToAll('/webhooks/algoguard', sign('algoguard', self::SECRET, $body), $body);
            $this->assertSame([[200, 'not run again'], [200, 'received']], $this->raced($answers), "delivery $n");
        }
        $this->assertSame((string) $deliveries, $redis->get('webhooks:handled:algoguard'));
        // Confirmed ("done") for the verifier's replay window, not the 60 s processing ttl.
        $this->assertSame('done', $redis->get('hooksig:replay:algoguard:id:evt_0'));
        $replayTtl = (new \Hooksig\Verifier('algoguard', self::SECRET))->replayTtl();
        $ttl = $redis->ttl('hooksig:replay:algoguard:id:evt_0');
        $this->assertGreaterThan($replayTtl - 60, $ttl);
        $this->assertLessThanOrEqual($replayTtl, $ttl);

        // The sender's retry, signed again later, carries the same event id: still a duplicate.
        $body = '{"id":"evt_0","event":"license.created"}';
        $retry = sign('algoguard', self::SECRET, $body, time() + 5);
        $this->assertSame([[200, '{"status":"duplicate"}'], [200, '{"status":"duplicate"}']], $this->postToAll('/webhooks/algoguard', $retry, $body));
        $this->assertSame((string) $deliveries, $redis->get('webhooks:handled:algoguard'));
    }

    public function testForgedRequestsDoNotBurnTheKey(): void
    {
        $redis = self::$redis->client();
        $before = (int) $redis->get('webhooks:handled:algoguard');
        $body = '{"id":"evt_forged","event":"license.created"}';
        $headers = sign('algoguard', self::SECRET, $body);
        $forged = '{"id":"evt_forged","event":"license.deleted"}';
        $this->assertSame(array_fill(0, 2, [401, '{"error":"signature_mismatch","message":"no signature matched any secret"}']), $this->postToAll('/webhooks/algoguard', $headers, $forged));
        $this->assertSame(0, $redis->exists('hooksig:replay:algoguard:id:evt_forged'));
        $this->assertSame([[200, 'not run again'], [200, 'received']], $this->raced($this->postToAll('/webhooks/algoguard', $headers, $body)));
        $this->assertSame($before + 1, (int) $redis->get('webhooks:handled:algoguard'));
    }

    public function testAFailedHandlerReleasesTheKey(): void
    {
        $redis = self::$redis->client();
        $before = $redis->get('webhooks:handled:algoguard');
        // Authentic, but not JSON: the example's handler throws (500, logged, empty body): the key is forgotten.
        $body = 'not json';
        $headers = sign('algoguard', self::SECRET, $body);
        $key = (new \Hooksig\Verifier('algoguard', self::SECRET))->verify($headers, $body)->dedupeKey;
        $this->assertStringStartsWith('algoguard:sig:', $key);
        $this->assertSame([[500, '']], $this->postToAll('/webhooks/algoguard', $headers, $body, [self::$ports[0]]));
        $this->assertSame(0, $redis->exists('hooksig:replay:' . $key), 'the key was released');
        // The sender's retry, to the other receiver, runs the handler again (not "duplicate").
        $this->assertSame([[500, '']], $this->postToAll('/webhooks/algoguard', $headers, $body, [self::$ports[1]]));
        $this->assertSame(0, $redis->exists('hooksig:replay:' . $key));
        $this->assertSame($before, $redis->get('webhooks:handled:algoguard'));
    }

    /**
     * A paused Redis (SIGSTOP): the receiver answers 503 `replay_store_unavailable` with a
     * Retry-After header within its 2 s read timeout (not phpredis's 60 s default), without
     * running the handler; once Redis resumes, the sender's retry is handled once.
     */
    public function testAPausedRedisIsA503WithRetryAfter(): void
    {
        $redis = self::$redis->client();
        $before = (int) $redis->get('webhooks:handled:algoguard');
        $body = '{"id":"evt_paused","event":"license.created"}';
        $headers = sign('algoguard', self::SECRET, $body);
        self::$redis->pause();
        $started = microtime(true);
        try {
            $raw = $this->rawPost(self::$ports[0], '/webhooks/algoguard', $headers, $body);
        } finally {
            self::$redis->resume();
        }
        $took = microtime(true) - $started;
        $this->assertMatchesRegularExpression('#^HTTP/1\.\d 503#', $raw);
        $this->assertMatchesRegularExpression('#\r\nRetry-After: \d+\r\n#i', $raw);
        $this->assertSame('replay_store_unavailable', json_decode(substr($raw, strpos($raw, "\r\n\r\n") + 4), true)['error']);
        $this->assertLessThan(4.0, $took, sprintf('answered after %.2f s', $took));
        $this->assertSame($before, (int) $redis->get('webhooks:handled:algoguard'));
        // The abandoned SET NX may land once Redis resumes (its bytes were already in Redis's
        // socket buffer, and another connection's commands are not ordered with it): the retry
        // would then be 409 until that 60 s marker expires. Wait for it to land (at most 2 s),
        // then delete it (the Node and Python suites wait out a 1 s processing ttl instead).
        $marker = 'hooksig:replay:algoguard:id:evt_paused';
        $deadline = microtime(true) + 2.0;
        while (!$redis->exists($marker) && microtime(true) < $deadline) {
            usleep(50_000);
        }
        $redis->del($marker);
        $this->assertSame([[200, '{"status":"received","scheme":"algoguard","id":"evt_paused","event_type":"license.created"}']], $this->postToAll('/webhooks/algoguard', $headers, $body, [self::$ports[1]]));
        $this->assertSame($before + 1, (int) $redis->get('webhooks:handled:algoguard'));
    }

    private function rawPost(int $port, string $path, array $headers, string $body): string
    {
        $request = "POST $path HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            . "Content-Type: application/json\r\nContent-Length: " . strlen($body) . "\r\n";
        foreach ($headers as $name => $value) {
            $request .= "$name: $value\r\n";
        }
        $socket = stream_socket_client('tcp://127.0.0.1:' . $port, $errno, $error, 10);
        $this->assertIsResource($socket, $error);
        stream_set_timeout($socket, 30);
        fwrite($socket, $request . "\r\n" . $body);
        $response = stream_get_contents($socket);
        fclose($socket);
        return $response;
    }
}
