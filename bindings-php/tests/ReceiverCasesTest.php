<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\Receiver;
use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/**
 * The shared receiver table (tests/receivers/cases.json) over real HTTP: every case against
 * `php -S` running tests/fixtures/receiver_cases_router.php (Receiver::serve), requests written
 * on a raw socket (header names keep their case, headers repeat). Status, exact body bytes,
 * the listed headers and the handler's call count (counted in a file by the router) are
 * asserted. The 'memory' guard of the table is a RedisReplayGuard on a real redis-server here:
 * `php -S` keeps no memory between requests.
 */
class ReceiverCasesTest extends TestCase
{
    private static ?RedisServer $redis = null;
    /** @var resource|null */
    private static $server = null;
    protected static int $port = 0;
    private static string $calls = '';

    private static function casesFile(): string
    {
        return dirname(__DIR__, 2) . '/tests/receivers/cases.json';
    }

    /** @return array<mixed> */
    protected static function cases(): array
    {
        return json_decode((string) file_get_contents(self::casesFile()), true, 512, JSON_THROW_ON_ERROR)['cases'];
    }

    public static function setUpBeforeClass(): void
    {
        self::$redis = new RedisServer();
        self::$calls = sys_get_temp_dir() . '/hooksig-php-cases-' . getmypid() . '-' . bin2hex(random_bytes(4));
        mkdir(self::$calls);
        self::$port = RedisServer::freePort();
        $log = self::$calls . '.log';
        $env = [
            'HOOKSIG_RECEIVER_CASES' => self::casesFile(),
            'HOOKSIG_CALLS_DIR' => self::$calls,
            'HOOKSIG_RUN' => 'hooksig-cases:' . basename(self::$calls),
            'REDIS_URL' => self::$redis->url(),
        ] + static::guardEnv() + getenv();
        static::startServer(static::router(), $env, $log);
    }

    /** The script that serves the table: here Receiver::serve (subclasses: a framework's). */
    protected static function router(): string
    {
        return __DIR__ . '/fixtures/receiver_cases_router.php';
    }

    /**
     * Extra environment for the router: ReceiverCasesPdoTest's `HOOKSIG_GUARD_DSN` (the
     * 'memory' guard becomes a PdoReplayGuard over that database).
     *
     * @return array<string, string>
     */
    protected static function guardEnv(): array
    {
        return [];
    }

    /**
     * Serves `$router` on 127.0.0.1:{@see self::$port} (chosen by the caller): here `php -S`.
     *
     * @param array<string, string> $env
     */
    protected static function startServer(string $router, array $env, string $log): void
    {
        $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-d', 'display_errors=0', '-S', '127.0.0.1:' . self::$port, $router];
        self::$server = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env);
        for ($i = 0; $i < 200; $i++) {
            $conn = @fsockopen('127.0.0.1', self::$port);
            if ($conn !== false) {
                fclose($conn);
                return;
            }
            usleep(50_000);
        }
        throw new \RuntimeException('php -S did not start; see ' . $log);
    }

    protected static function stopServer(): void
    {
        if (self::$server !== null) {
            proc_terminate(self::$server);
            proc_close(self::$server);
            self::$server = null;
        }
    }

    public static function tearDownAfterClass(): void
    {
        static::stopServer();
        foreach (glob(self::$calls . '/*') ?: [] as $f) {
            unlink($f);
        }
        @rmdir(self::$calls);
        @unlink(self::$calls . '.log');
        self::$redis?->stop();
        self::$redis = null;
    }

    /** @return iterable<string, array{int}> */
    public static function caseNumbers(): iterable
    {
        foreach (self::cases() as $n => $case) {
            yield $case['name'] => [$n];
        }
    }

    public function testTheTableIsTheSharedOneAndLarge(): void
    {
        $this->assertGreaterThanOrEqual(60, count(self::cases()));
    }

    /** @dataProvider caseNumbers */
    public function testCase(int $n): void
    {
        $case = self::cases()[$n];
        foreach ($case['requests'] as $step => $req) {
            $method = $req['method'] ?? 'POST';
            $body = self::bodyOf($req['body'] ?? ['text' => '']);
            [$status, $headers, $got] = $this->send($method, "/case/$n", self::requestHeaders($case, $req, $body, "/case/$n"), $body);
            $expect = $req['expect'];
            $where = sprintf('%s request %d (%s): %s', $case['name'], $step + 1, $method, substr($got, 0, 300));
            $this->assertSame($expect['status'], $status, $where);
            if (array_key_exists('body', $expect)) {
                $this->assertSame($method === 'HEAD' ? '' : $expect['body'], $got, $where);
                $typed = array_change_key_case($expect['headers'] ?? [])['content-type'] ?? null;
                if ($expect['body'] !== '' && $typed === null) { // else checked with the headers
                    $this->assertSame('application/json', $headers['content-type'] ?? null, $where);
                }
            }
            foreach ($expect['headers'] ?? [] as $name => $value) {
                $this->assertSame((string) $value, $headers[strtolower($name)] ?? null, "$where: header $name");
            }
            if (array_key_exists('handler_calls', $expect)) {
                $file = self::$calls . "/$n";
                $calls = is_file($file) ? (int) file_get_contents($file) : 0;
                $this->assertSame($expect['handler_calls'], $calls, "$where: handler calls");
            }
        }
    }

    /** @param array<string, mixed> $spec */
    protected static function bodyOf(array $spec): string
    {
        if (array_key_exists('text', $spec)) {
            return (string) $spec['text'];
        }
        if (array_key_exists('hex', $spec)) {
            return (string) hex2bin($spec['hex']);
        }
        return str_repeat((string) $spec['repeat'], (int) $spec['count']);
    }

    private static function recase(string $name, ?string $how): string
    {
        return match ($how) {
            null => $name,
            'upper' => strtoupper($name),
            'lower' => strtolower($name),
            'mixed' => implode('', array_map(
                static fn (int $i) => $i % 2 ? strtoupper($name[$i]) : strtolower($name[$i]),
                range(0, strlen($name) - 1),
            )),
        };
    }

    /**
     * The signed headers (`sign` false: none), Content-Type JSON, the overrides (matched in any
     * case; null removes), the extra header lines, `header_case`; then X-Test-Handler. The
     * schemes that sign the request line are signed for `sign.url`, else for the case's
     * `public_url` (or `http://<Host>`) followed by `$path`, and the request's method.
     *
     * @return list<array{0: string, 1: string}>
     */
    protected static function requestHeaders(array $case, array $req, string $body, string $path): array
    {
        $headers = [];
        $sign = $req['sign'];
        if ($sign !== false) {
            $signed = sign(
                $case['scheme'],
                $sign['secret'] ?? $case['secret'],
                isset($sign['body']) ? self::bodyOf($sign['body']) : $body,
                time() + (int) ($sign['ts_offset'] ?? 0),
                $sign['id'] ?? null,
                $sign['event_type'] ?? null,
                $sign['url'] ?? Receiver::publicUrl($case['public_url'] ?? 'http://127.0.0.1:' . self::$port, $path),
                $req['method'] ?? 'POST',
            );
            foreach ($signed as $name => $value) {
                $headers[] = [(string) $name, (string) $value];
            }
        }
        $headers[] = ['Content-Type', 'application/json'];
        foreach ($req['overrides'] ?? [] as $name => $value) {
            $headers = array_values(array_filter($headers, static fn ($h) => strcasecmp($h[0], $name) !== 0));
            if ($value !== null) {
                $headers[] = [$name, (string) $value];
            }
        }
        $extra = array_map(static fn ($h) => [(string) $h[0], (string) $h[1]], $req['extra_headers'] ?? []);
        $headers = ($req['extra_first'] ?? false) ? [...$extra, ...$headers] : [...$headers, ...$extra];
        $headers = array_map(static fn ($h) => [self::recase($h[0], $req['header_case'] ?? null), $h[1]], $headers);
        $handler = $req['handler'] ?? 'ok';
        $headers[] = ['X-Test-Handler', is_array($handler) ? (string) $handler['status'] : (string) $handler];
        return $headers;
    }

    /**
     * One request on its own connection (the raw-socket style of ReplayReceiverTest):
     * [status, lower-case name => first value, body].
     *
     * @param list<array{0: string, 1: string}> $headers
     * @return array{0: int, 1: array<string, string>, 2: string}
     */
    protected function send(string $method, string $path, array $headers, string $body): array
    {
        $request = "$method $path HTTP/1.1\r\nHost: 127.0.0.1:" . self::$port . "\r\nConnection: close\r\n"
            . 'Content-Length: ' . strlen($body) . "\r\n";
        foreach ($headers as [$name, $value]) {
            $request .= "$name: $value\r\n";
        }
        $socket = stream_socket_client('tcp://127.0.0.1:' . self::$port, $errno, $error, 10);
        $this->assertIsResource($socket, $error);
        stream_set_timeout($socket, 60);
        fwrite($socket, $request . "\r\n" . $body);
        $response = (string) stream_get_contents($socket);
        fclose($socket);
        [$head, $rest] = explode("\r\n\r\n", $response, 2) + [1 => ''];
        $lines = explode("\r\n", $head);
        $this->assertMatchesRegularExpression('#^HTTP/1\.[01] \d{3}#', $lines[0]);
        $answerHeaders = [];
        foreach (array_slice($lines, 1) as $line) {
            [$name, $value] = explode(':', $line, 2) + [1 => ''];
            $answerHeaders[strtolower(trim($name))] ??= trim($value);
        }
        if (strcasecmp($answerHeaders['transfer-encoding'] ?? '', 'chunked') === 0) {
            $rest = self::dechunk($rest);
        }
        return [(int) substr($lines[0], 9, 3), $answerHeaders, $rest];
    }

    private static function dechunk(string $data): string
    {
        $out = '';
        while (($eol = strpos($data, "\r\n")) !== false) {
            $size = hexdec(trim(explode(';', substr($data, 0, $eol))[0]));
            if ($size === 0) {
                break;
            }
            $out .= substr($data, $eol + 2, $size);
            $data = substr($data, $eol + 2 + $size + 2);
        }
        return $out;
    }
}
