<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use PHPUnit\Framework\TestCase;

use function Hooksig\sign;

/**
 * examples/php/index.php served by `php -S` answers real HTTP POSTs with 200, 400 and 401.
 */
final class ReceiverTest extends TestCase
{
    private const ALGOGUARD_SECRET = 'whsec_receiver_test_1';
    private const EASYCART_SECRET = 'easycart-receiver-key';

    /** @var resource|null */
    private static $server = null;
    private static int $port = 0;

    public static function setUpBeforeClass(): void
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        self::$port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        $index = dirname(__DIR__, 2) . '/examples/php/index.php';
        $env = getenv() + [
            'ALGOGUARD_WEBHOOK_SECRET' => self::ALGOGUARD_SECRET,
            'EASYCART_SIGNING_KEY' => self::EASYCART_SECRET,
        ];
        $env['ALGOGUARD_WEBHOOK_SECRET'] = self::ALGOGUARD_SECRET;
        $env['EASYCART_SIGNING_KEY'] = self::EASYCART_SECRET;
        $cmd = [PHP_BINARY, '-d', 'ffi.enable=1', '-S', '127.0.0.1:' . self::$port, $index];
        $log = sys_get_temp_dir() . '/hooksig-php-receiver-' . self::$port . '.log';
        self::$server = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env);
        // Wait until it accepts connections (a readiness wait, not a timed assertion).
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

    public static function tearDownAfterClass(): void
    {
        if (self::$server !== null) {
            proc_terminate(self::$server);
            proc_close(self::$server);
        }
    }

    /** @return array{int, string} status and body */
    private function post(string $path, array $headers, string $body): array
    {
        $lines = [];
        foreach ($headers as $name => $value) {
            $lines[] = "$name: $value";
        }
        $lines[] = 'Content-Type: application/json';
        $context = stream_context_create(['http' => [
            'method' => 'POST',
            'header' => implode("\r\n", $lines),
            'content' => $body,
            'ignore_errors' => true,
        ]]);
        $response = file_get_contents('http://127.0.0.1:' . self::$port . $path, false, $context);
        $this->assertIsString($response);
        $this->assertMatchesRegularExpression('#^HTTP/1\.\d (\d{3})#', $http_response_header[0]);
        preg_match('#^HTTP/1\.\d (\d{3})#', $http_response_header[0], $m);
        if ((int) $m[1] === 404) {
            return [404, $response];
        }
        // The core's JSON answers: summarised by their "error" code or "status".
        $answer = json_decode($response, true, 512, JSON_THROW_ON_ERROR);
        return [(int) $m[1], $answer['error'] ?? $answer['status']];
    }

    public function testAlgoguardReceiver(): void
    {
        $body = '{"event":"license.created","data":{"license":{"id":"uuid","status":"active"}}}';
        $headers = sign('algoguard', self::ALGOGUARD_SECRET, $body);
        $this->assertSame([200, 'received'], $this->post('/webhooks/algoguard', $headers, $body));

        $this->assertSame([401, 'signature_mismatch'], $this->post('/webhooks/algoguard', $headers, $body . ' '));
        $wrongKey = sign('algoguard', 'whsec_someone_else', $body);
        $this->assertSame([401, 'signature_mismatch'], $this->post('/webhooks/algoguard', $wrongKey, $body));
        $stale = sign('algoguard', self::ALGOGUARD_SECRET, $body, time() - 3600);
        $this->assertSame([401, 'timestamp_expired'], $this->post('/webhooks/algoguard', $stale, $body));

        $this->assertSame([400, 'missing_signature'], $this->post('/webhooks/algoguard', [], $body));
        $noTimestamp = ['X-AlgoGuard-Signature' => $headers['X-AlgoGuard-Signature']];
        $this->assertSame([400, 'missing_timestamp'], $this->post('/webhooks/algoguard', $noTimestamp, $body));
        $badTimestamp = ['X-AlgoGuard-Timestamp' => 'yesterday'] + $headers;
        $this->assertSame([400, 'malformed_timestamp'], $this->post('/webhooks/algoguard', $badTimestamp, $body));
    }

    public function testEasycartReceiver(): void
    {
        $body = '{"order_id":"EC-1001","status":"paid"}';
        $headers = sign('easycart', self::EASYCART_SECRET, $body);
        $this->assertSame(
            ['X-Webhook-Signature' => hash_hmac('sha256', $body, self::EASYCART_SECRET)],
            $headers,
        );
        $this->assertSame([200, 'received'], $this->post('/webhooks/easycart', $headers, $body));
        $upper = ['X-Webhook-Signature' => strtoupper($headers['X-Webhook-Signature'])];
        $this->assertSame([200, 'received'], $this->post('/webhooks/easycart', $upper, $body));
        $this->assertSame([401, 'signature_mismatch'], $this->post('/webhooks/easycart', $headers, '{}'));
        $this->assertSame([400, 'malformed_signature'], $this->post('/webhooks/easycart', ['X-Webhook-Signature' => 'abc'], $body));
        $this->assertSame([400, 'missing_signature'], $this->post('/webhooks/easycart', [], $body));
    }

    public function testUnknownRouteIs404(): void
    {
        $this->assertSame(404, $this->post('/elsewhere', [], '{}')[0]);
    }
}
