<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/**
 * The README's framework quick starts (examples/symfony, examples/slim, examples/laravel) served
 * by `php -S` exactly as their comments say, over real HTTP: a signed AlgoGuard delivery is
 * answered 200 with the canonical body and reaches the handler (its log line), a forged one 401,
 * an unsigned one 400, a GET 405 with Allow: POST, an unknown path 404.
 */
final class FrameworkExamplesTest extends TestCase
{
    private const SECRET = 'whsec_ihr_secret_hier';

    /** @return iterable<string, array{list<string>}> the php -S arguments of each example */
    public static function examples(): iterable
    {
        $dir = dirname(__DIR__) . '/examples';
        yield 'symfony' => [["$dir/symfony/index.php"]];
        yield 'slim' => [['-t', "$dir/slim"]];
        yield 'laravel' => [["$dir/laravel/index.php"]];
    }

    /**
     * @dataProvider examples
     * @param list<string> $serve
     */
    public function testTheQuickStartAnswersAsTheCoreSays(array $serve): void
    {
        $port = RedisServer::freePort();
        $log = tempnam(sys_get_temp_dir(), 'hooksig-example-');
        $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', "127.0.0.1:$port", ...$serve];
        $server = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, ['ALGOGUARD_WEBHOOK_SECRET' => self::SECRET] + getenv());
        try {
            for ($i = 0; $i < 200 && ($conn = @fsockopen('127.0.0.1', $port)) === false; $i++) {
                usleep(50_000);
            }
            $this->assertNotFalse($conn, 'php -S did not start');
            fclose($conn);
            $url = "http://127.0.0.1:$port/webhooks/algoguard";
            $body = '{"id":"evt_1","event":"license.created"}';
            $signed = sign('algoguard', self::SECRET, $body, time());
            [$status, $headers, $got] = self::request('POST', $url, $signed + ['Content-Type' => 'application/json'], $body);
            $this->assertSame(200, $status, $got . file_get_contents($log));
            $this->assertSame('{"status":"received","scheme":"algoguard","id":"evt_1","event_type":"license.created"}', $got);
            $this->assertContains('content-type: application/json', $headers);
            $this->assertStringContainsString('algoguard webhook: license.created', (string) file_get_contents($log));

            [$status, , $got] = self::request('POST', $url, sign('algoguard', 'another secret', $body, time()), $body);
            $this->assertSame(401, $status);
            $this->assertStringStartsWith('{"error":"signature_mismatch"', $got);
            [$status, , $got] = self::request('POST', $url, [], $body);
            $this->assertSame([400, '{"error":"missing_signature","message":"the signature header is missing or empty"}'], [$status, $got]);
            [$status, $headers] = self::request('GET', $url, [], '');
            $this->assertSame(405, $status);
            $this->assertContains('allow: post', $headers);
            [$status] = self::request('POST', "http://127.0.0.1:$port/elsewhere", $signed, $body);
            $this->assertSame(404, $status);
        } finally {
            proc_terminate($server);
            proc_close($server);
            @unlink($log);
        }
    }

    /**
     * @param array<string, string> $headers
     * @return array{0: int, 1: list<string>, 2: string} status, lower-cased header lines, body
     */
    private static function request(string $method, string $url, array $headers, string $body): array
    {
        $lines = ['Content-Type: application/json'];
        foreach ($headers as $name => $value) {
            if (strcasecmp($name, 'Content-Type') !== 0) {
                $lines[] = "$name: $value";
            }
        }
        $context = stream_context_create(['http' => ['method' => $method, 'header' => $lines, 'content' => $body, 'ignore_errors' => true, 'timeout' => 30]]);
        $got = (string) file_get_contents($url, false, $context);
        $status = (int) substr($http_response_header[0], 9, 3);
        return [$status, array_map('strtolower', array_slice($http_response_header, 1)), $got];
    }
}
