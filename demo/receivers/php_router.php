<?php
// Demo receiver: every scheme on PHP's built-in server, at /webhooks/<scheme>. PHP forgets
// everything between requests, so replay protection lives in Redis (REDIS_URL).

declare(strict_types=1);

require __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\RedisReplayGuard;
use Hooksig\VerificationException;
use Hooksig\Verifier;

header('Content-Type: application/json');
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$scheme = preg_match('#^/webhooks/([a-z-]+)$#', (string) $path, $m) ? $m[1] : '';
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST' || !in_array($scheme, Verifier::schemes(), true)) {
    http_response_code(404);
    exit('{"error":"not_found"}');
}
$secret = in_array($scheme, ['standard-webhooks', 'svix'], true)
    ? getenv('DEMO_WHSEC_SECRET') : getenv('DEMO_TEXT_SECRET');
$verifier = new Verifier($scheme, $secret);

try {
    $event = $verifier->verify(getallheaders(), file_get_contents('php://input'));
} catch (VerificationException $e) {
    http_response_code($e->getHttpStatus());
    exit(json_encode(['error' => $e->getErrorCode()]));
}

if (getenv('REDIS_URL')) {
    $url = parse_url(getenv('REDIS_URL'));
    $redis = new Redis();
    $redis->connect($url['host'], $url['port']);
    $guard = RedisReplayGuard::forVerifier($redis, $verifier, 'hooksig-demo:');
    if (!$guard->checkAndRemember($event->dedupeKey)) {
        exit('{"status":"duplicate"}');
    }
}
echo json_encode(['status' => 'received', 'id' => $event->id, 'event_type' => $event->eventType]);
