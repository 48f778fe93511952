<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/**
 * The PHP receivers (examples/php/index.php and the demo's demo/receivers/php_router.php, each
 * under `php -S`) answer a method other than POST 405 JSON with `Allow: POST` before anything
 * runs, as the Python and Node integrations do, and write JSON with json_encode (an id holding
 * quotes and backslashes comes back as valid JSON). The demo's receiver takes its public base
 * URL from DEMO_PUBLIC_URL, as demo/run.py sets it.
 */
final class ReceiverMethodTest extends TestCase
{
    /** One secret for both receivers (the demo's takes one for every scheme). */
    private const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    /** The demo's public base URL (demo/run.py's value). */
    private const DEMO_PUBLIC_URL = 'https://demo.hooksig.invalid';

    /** @var list<resource> */
    private static array $servers = [];
    /** @var array<string, int> */
    private static array $ports = [];

    public static function setUpBeforeClass(): void
    {
        $root = dirname(__DIR__, 2);
        $env = getenv();
        unset($env['REDIS_URL']);
        $env['ALGOGUARD_WEBHOOK_SECRET'] = self::SECRET;
        $env['DEMO_SECRET'] = self::SECRET;
        $env['DEMO_PUBLIC_URL'] = self::DEMO_PUBLIC_URL;
        foreach (['example' => $root . '/examples/php/index.php', 'demo' => $root . '/demo/receivers/php_router.php'] as $name => $script) {
            $probe = stream_socket_server('tcp://127.0.0.1:0');
            $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
            fclose($probe);
            $log = sys_get_temp_dir() . "/hooksig-php-$name-$port.log";
            $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', '127.0.0.1:' . $port, $script];
            self::$servers[] = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env);
            self::$ports[$name] = $port;
            // Wait until it accepts connections (a readiness wait, not a timed assertion).
            for ($i = 0; ; $i++) {
                $conn = @fsockopen('127.0.0.1', $port);
                if ($conn !== false) {
                    fclose($conn);
                    break;
                }
                if ($i === 200) {
                    throw new \RuntimeException("php -S did not start; see $log");
                }
                usleep(50_000);
            }
        }
    }

    public static function tearDownAfterClass(): void
    {
        foreach (self::$servers as $server) {
            proc_terminate($server);
            proc_close($server);
        }
        self::$servers = [];
    }

    /** @return array{int, string, array<string, string>} status, body, headers (lower-case names) */
    private function send(string $server, string $method, string $path, array $headers, string $body): array
    {
        $lines = ['Content-Type: application/json'];
        foreach ($headers as $name => $value) {
            $lines[] = "$name: $value";
        }
        $context = stream_context_create(['http' => [
            'method' => $method,
            'header' => implode("\r\n", $lines),
            'content' => $body,
            'ignore_errors' => true,
        ]]);
        $response = file_get_contents('http://127.0.0.1:' . self::$ports[$server] . $path, false, $context);
        $this->assertIsString($response);
        $this->assertMatchesRegularExpression('#^HTTP/1\.\d (\d{3})#', $http_response_header[0]);
        preg_match('#^HTTP/1\.\d (\d{3})#', $http_response_header[0], $m);
        $out = [];
        foreach (array_slice($http_response_header, 1) as $line) {
            [$name, $value] = array_map('trim', explode(':', $line, 2)) + [1 => ''];
            $out[strtolower($name)] = $value;
        }
        return [(int) $m[1], $response, $out];
    }

    public function testNonPostIs405JsonWithAllowAndRunsNothing(): void
    {
        $body = '{"id":"evt_get","event":"license.created"}';
        // Validly signed: a receiver that ran the handler on GET would answer 200.
        $headers = sign('algoguard', self::SECRET, $body);
        foreach (['example' => '/webhooks/algoguard', 'demo' => '/webhooks/algoguard'] as $server => $path) {
            foreach (['GET', 'PUT', 'DELETE'] as $method) {
                [$status, $text, $answer] = $this->send($server, $method, $path, $headers, $body);
                $this->assertSame(405, $status, "$server $method: $text");
                $this->assertSame('POST', $answer['allow'] ?? null, "$server $method");
                $this->assertStringStartsWith('application/json', $answer['content-type'] ?? '', "$server $method");
                $this->assertSame(
                    '{"error":"method_not_allowed","message":"the method is not allowed; webhooks are delivered with POST"}',
                    $text,
                    'the core\'s bytes',
                );
            }
            // The same delivery POSTed is handled (unknown paths stay 404).
            $this->assertSame(200, $this->send($server, 'POST', $path, $headers, $body)[0], $server);
            $this->assertSame(404, $this->send($server, 'GET', '/elsewhere', [], '')[0], $server);
        }
    }

    public function testTheDemoAnswersAnIdWithQuotesAsValidJson(): void
    {
        $id = 'msg_"quoted" \\ </tag>';
        $body = '{"type":"demo.event"}';
        $headers = sign('standard-webhooks', self::SECRET, $body, null, $id);
        [$status, $text] = $this->send('demo', 'POST', '/webhooks/standard-webhooks', $headers, $body);
        $this->assertSame(200, $status, $text);
        $answer = json_decode($text, true, 512, JSON_THROW_ON_ERROR);
        $this->assertSame('received', $answer['status']);
        $this->assertSame($id, $answer['id']);
        $this->assertStringContainsString('</tag>', $text, 'slashes are not escaped');
    }

    public function testTheDemoChecksTheUrlAgainstDemoPublicUrl(): void
    {
        $body = '{"merchant_id":"M","type":"payment.created","event_id":"sq-demo-1","data":{}}';
        $public = sign('square', self::SECRET, $body, url: self::DEMO_PUBLIC_URL . '/webhooks/square');
        [$status, $text] = $this->send('demo', 'POST', '/webhooks/square', $public, $body);
        $this->assertSame(200, $status, $text);
        $this->assertSame('{"status":"received","scheme":"square","id":"sq-demo-1","event_type":"payment.created"}', $text);
        // Signed for the address the receiver listens on: not the URL the sender was given.
        $local = sign('square', self::SECRET, $body, url: 'http://127.0.0.1:' . self::$ports['demo'] . '/webhooks/square');
        $this->assertSame(401, $this->send('demo', 'POST', '/webhooks/square', $local, $body)[0]);
    }
}
