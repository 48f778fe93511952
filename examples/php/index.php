<?php

// AlgoGuard and Easycart webhook receivers: the vendors' PHP samples, rewritten on hooksig.
// Constant-time comparison, a missing header is a 400 (not a warning and a 401), stale
// AlgoGuard timestamps (older than 5 minutes) are refused, and secrets can be rotated.
// With REDIS_URL set (e.g. redis://127.0.0.1:6379), duplicate deliveries (senders retry) are
// answered 200 {"status":"duplicate"} without running the handler, across every PHP process
// sharing that Redis.
//
//   php -d ffi.enable=1 -S 127.0.0.1:8080 examples/php/index.php
//   (FFI::cdef outside the CLI needs ffi.enable=1; HOOKSIG_LIB points at libhooksig.so;
//   REDIS_URL needs phpredis: Debian's php8.2-redis)

declare(strict_types=1);

$autoload = __DIR__ . '/vendor/autoload.php';
require is_file($autoload) ? $autoload : __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\RedisReplayGuard;
use Hooksig\VerificationException;
use Hooksig\Verified;
use Hooksig\Verifier;

$routes = [
    '/webhooks/algoguard' => ['algoguard', getenv('ALGOGUARD_WEBHOOK_SECRET') ?: 'whsec_ihr_secret_hier'],
    '/webhooks/easycart' => ['easycart', getenv('EASYCART_SIGNING_KEY') ?: 'your_secret_signing_key'],
];
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
header('Content-Type: text/plain; charset=utf-8');
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST' || !isset($routes[$path])) {
    http_response_code(404);
    exit('Not found');
}
[$scheme, $secret] = $routes[$path];

/** A phpredis connection from a redis://[:password@]host[:port][/db] URL. */
function redis_from_url(string $url): Redis
{
    $parts = parse_url($url);
    $redis = new Redis();
    $redis->connect($parts['host'] ?? '127.0.0.1', $parts['port'] ?? 6379);
    if (isset($parts['pass'])) {
        $redis->auth(isset($parts['user']) ? [$parts['user'], $parts['pass']] : $parts['pass']);
    }
    $redis->select((int) ltrim($parts['path'] ?? '/0', '/'));
    return $redis;
}

/** The application's work: act on what was signed. Throws if it cannot. */
function handle(string $scheme, Verified $event, ?Redis $redis): void
{
    $payload = json_decode($event->payload, true, 512, JSON_THROW_ON_ERROR);
    error_log(sprintf('%s webhook: %s', $scheme, is_array($payload) ? ($payload['event'] ?? 'event') : 'event'));
    $redis?->incr("webhooks:handled:$scheme"); // a counter for the dashboard
}

$verifier = new Verifier($scheme, $secret);
$redis = getenv('REDIS_URL') ? redis_from_url(getenv('REDIS_URL')) : null;
// PHP forgets everything between requests, so the guard lives in Redis (ReplayGuard, the
// in-memory one, is for long-running workers such as RoadRunner or Swoole).
$guard = $redis ? RedisReplayGuard::forVerifier($redis, $verifier) : null;

try {
    $event = $verifier->verify(getallheaders(), file_get_contents('php://input'));
} catch (VerificationException $e) {
    // 400: missing or malformed header; 401: bad signature or stale timestamp.
    http_response_code($e->getHttpStatus());
    exit($e->getErrorCode());
}

// Only verified deliveries are remembered: forged requests cannot burn delivery ids.
if ($guard !== null && !$guard->checkAndRemember($event->dedupeKey)) {
    header('Content-Type: application/json');
    http_response_code(200); // 2xx: the sender stops retrying
    exit('{"status":"duplicate"}');
}
try {
    handle($scheme, $event, $redis);
} catch (Throwable $e) {
    $guard?->forget($event->dedupeKey); // let the sender's retry run the handler again
    error_log(sprintf('%s webhook failed: %s', $scheme, $e->getMessage()));
    http_response_code(500);
    exit('handler failed');
}
http_response_code(200);
echo 'OK';
