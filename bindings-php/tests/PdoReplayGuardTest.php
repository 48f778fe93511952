<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\DeliveryInProgressException;
use Hooksig\HooksigException;
use Hooksig\PdoReplayGuard;
use Hooksig\ReplayStoreUnavailableException;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/**
 * PdoReplayGuard against a real PostgreSQL (scripts/postgres.sh) and a real SQLite file:
 * expiry with an injected clock, exactly once with two `php -S` receivers and 8 concurrent
 * deliveries, and the database stopped (PostgreSQL) or locked (SQLite) mid-run.
 */
final class PdoReplayGuardTest extends TestCase
{
    private const SECRET = 'whsec_pdo_php';
    private static ?PostgresServer $pg = null;
    private static string $dir = '';

    public static function setUpBeforeClass(): void
    {
        self::$pg = new PostgresServer();
        self::$dir = sys_get_temp_dir() . '/hooksig-pdo-' . getmypid() . '-' . bin2hex(random_bytes(4));
        mkdir(self::$dir);
    }

    public static function tearDownAfterClass(): void
    {
        self::$pg?->destroy();
        self::$pg = null;
        foreach (glob(self::$dir . '/*') ?: [] as $f) {
            unlink($f);
        }
        @rmdir(self::$dir);
    }

    /** @return iterable<string, array{string}> */
    public static function drivers(): iterable
    {
        yield 'sqlite' => ['sqlite'];
        yield 'pgsql' => ['pgsql'];
    }

    private function dsn(string $driver): string
    {
        return $driver === 'sqlite' ? 'sqlite:' . self::$dir . '/app.sqlite3' : self::$pg->dsn();
    }

    private static function table(): string
    {
        return 'replay_' . bin2hex(random_bytes(4));
    }

    public function testDdlAndArguments(): void
    {
        $this->assertSame(
            'CREATE TABLE IF NOT EXISTS app.seen (replay_key TEXT PRIMARY KEY NOT NULL, state TEXT NOT NULL, expires_at BIGINT NOT NULL)',
            PdoReplayGuard::ddl('app.seen'),
        );
        $this->assertStringContainsString('expires_at INTEGER', PdoReplayGuard::ddl(driver: 'sqlite'));
        foreach (['x; DROP TABLE y', '', 'a.b.c', '1x'] as $bad) {
            try {
                new PdoReplayGuard(new \PDO('sqlite::memory:'), 5, $bad);
                $this->fail("table '$bad' accepted");
            } catch (HooksigException $e) {
                $this->assertSame('invalid_argument', $e->getErrorCode());
            }
        }
    }

    /** @dataProvider drivers */
    public function testExpiryFollowsTheInjectedClock(string $driver): void
    {
        $now = 1_000_000;
        $pdo = new \PDO($this->dsn($driver));
        $table = self::table();
        $guard = new PdoReplayGuard($pdo, 600, $table, processingTtl: 30, clock: function () use (&$now): int {
            return $now;
        });
        $guard->createTable();
        $guard->createTable();
        $this->assertTrue($guard->checkAndRemember('k'));
        try {
            $guard->checkAndRemember('k');
            $this->fail('no DeliveryInProgressException');
        } catch (DeliveryInProgressException $e) {
            $this->assertSame(409, $e->getHttpStatus());
        }
        $now += 30;
        $this->assertTrue($guard->checkAndRemember('k'));
        $guard->confirm('k');
        $now += 599;
        $this->assertFalse($guard->checkAndRemember('k'));
        $now += 1;
        $this->assertTrue($guard->checkAndRemember('k'));
        $guard->forget('k');
        $this->assertTrue($guard->checkAndRemember('k'));
        $rows = $pdo->query("SELECT replay_key, state, expires_at FROM $table")->fetchAll(\PDO::FETCH_NUM);
        $this->assertSame([['hooksig:replay:k', 'processing', $now + 30]], array_map(fn ($r) => [$r[0], $r[1], (int) $r[2]], $rows));
        $guard->checkAndRemember('other');
        $now += 31;
        $guard->purge();
        $this->assertSame(0, (int) $pdo->query("SELECT count(*) FROM $table")->fetchColumn());
    }

    /** @dataProvider drivers */
    public function testExactlyOnceWithTwoReceiversAndEightConcurrentDeliveries(string $driver): void
    {
        $dsn = $this->dsn($driver);
        $table = self::table();
        $pdo = new \PDO($dsn);
        (new PdoReplayGuard($pdo, 600, $table))->createTable();
        $pdo->exec("CREATE TABLE {$table}_runs (id TEXT NOT NULL, pid INTEGER NOT NULL)");
        $env = ['HOOKSIG_GUARD_DSN' => $dsn, 'HOOKSIG_TABLE' => $table, 'ALGOGUARD_SECRET' => self::SECRET, 'PHP_CLI_SERVER_WORKERS' => '4'] + getenv();
        $servers = [];
        $ports = [];
        try {
            foreach ([0, 1] as $i) {
                $port = RedisServer::freePort();
                $log = self::$dir . "/server-$port.log";
                $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', '127.0.0.1:' . $port, __DIR__ . '/fixtures/sql_receiver_router.php'];
                $servers[] = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env);
                $ports[] = $port;
                for ($j = 0; $j < 200 && ($c = @fsockopen('127.0.0.1', $port)) === false; $j++) {
                    usleep(50_000);
                }
            }
            $body = '{"id":"evt_once","event":"license.created"}';
            $headers = sign('algoguard', self::SECRET, $body);
            // 8 deliveries at once: each a socket written before any answer is read.
            $socks = [];
            foreach (range(0, 7) as $i) {
                $socks[] = self::open($ports[$i % 2], $headers, $body);
            }
            $answers = array_map(self::read(...), $socks);
            $statuses = array_count_values(array_map(fn ($a) => $a[0], $answers));
            $handled = array_filter($answers, fn ($a) => $a[0] === 200 && !str_contains($a[1], 'duplicate'));
            $this->assertCount(1, $handled, json_encode($answers));
            $this->assertSame(8, ($statuses[200] ?? 0) + ($statuses[409] ?? 0), json_encode($answers));
            // The senders' retries (after the winner's confirm): duplicates.
            foreach (range(0, 3) as $i) {
                for ($try = 0; $try < 50 && ($a = self::read(self::open($ports[$i % 2], $headers, $body)))[0] === 409; $try++) {
                    usleep(100_000);
                }
                $this->assertSame([200, '{"status":"duplicate"}'], $a);
            }
            $this->assertSame([['evt_once']], $pdo->query("SELECT id FROM {$table}_runs")->fetchAll(\PDO::FETCH_NUM));
        } finally {
            foreach ($servers as $s) {
                proc_terminate($s);
                proc_close($s);
            }
        }
    }

    /** @param array<string, string> $headers @return resource */
    private static function open(int $port, array $headers, string $body)
    {
        $sock = stream_socket_client("tcp://127.0.0.1:$port", $errno, $err, 5);
        $lines = "POST /webhooks/algoguard HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " . strlen($body) . "\r\n";
        foreach ($headers as $name => $value) {
            $lines .= "$name: $value\r\n";
        }
        fwrite($sock, $lines . "\r\n" . $body);
        return $sock;
    }

    /** @param resource $sock @return array{int, string} */
    private static function read($sock): array
    {
        $raw = stream_get_contents($sock);
        fclose($sock);
        [$head, $body] = explode("\r\n\r\n", (string) $raw, 2) + [1 => ''];
        return [(int) substr($head, 9, 3), $body];
    }

    /** @dataProvider drivers */
    public function testTheDatabaseDownMidRun(string $driver): void
    {
        $now = 2_000_000;
        $clock = function () use (&$now): int {
            return $now;
        };
        $table = self::table();
        $connect = fn () => new \PDO($this->dsn($driver), null, null, [\PDO::ATTR_TIMEOUT => 1]);
        $pdo = $connect();
        $guard = new PdoReplayGuard($pdo, 600, $table, clock: $clock);
        $guard->createTable();
        $holder = null;
        $down = function () use ($driver, &$holder): void {
            if ($driver === 'pgsql') {
                self::$pg->stop();
            } else {
                $holder = new \PDO($this->dsn($driver));
                $holder->exec('BEGIN EXCLUSIVE');
            }
        };
        $up = function () use ($driver, &$holder): void {
            if ($driver === 'pgsql') {
                self::$pg->start();
            } else {
                $holder->exec('ROLLBACK');
                $holder = null;
            }
        };

        $down();
        try {
            $guard->checkAndRemember('evt_down');
            $this->fail('no ReplayStoreUnavailableException');
        } catch (ReplayStoreUnavailableException $e) {
            $this->assertSame([503, 30], [$e->getHttpStatus(), $e->getRetryAfter()]);
        }
        $up();
        // PHP opens a PDO per request: the next request's guard works again.
        $guard = new PdoReplayGuard($connect(), 600, $table, clock: $clock);
        $this->assertTrue($guard->checkAndRemember('evt_down'));
        $guard->confirm('evt_down');
        $this->assertFalse($guard->checkAndRemember('evt_down'));

        // The handler fails and the database is gone before the release: the claim stays
        // "processing"; retries are 409 until it expires, then the handler runs (not lost).
        $this->assertTrue($guard->checkAndRemember('evt_lost'));
        $down();
        try {
            $guard->forget('evt_lost');
            $this->fail('the release reached a stopped database');
        } catch (ReplayStoreUnavailableException) {
        }
        $up();
        $guard = new PdoReplayGuard($connect(), 600, $table, clock: $clock);
        try {
            $guard->checkAndRemember('evt_lost');
            $this->fail('no DeliveryInProgressException');
        } catch (DeliveryInProgressException) {
        }
        $now += \Hooksig\RedisReplayGuard::DEFAULT_PROCESSING_TTL;
        $this->assertTrue($guard->checkAndRemember('evt_lost'));
        $guard->confirm('evt_lost');
        $this->assertFalse($guard->checkAndRemember('evt_lost'));
    }
}

