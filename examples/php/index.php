<?php

// AlgoGuard and Easycart webhook receivers: the vendors' PHP samples, rewritten on hooksig.
// Constant-time comparison, stale AlgoGuard timestamps (older than 5 minutes) are refused, and
// secrets can be rotated. Every answer is the core's (the same bytes as the Python, Node and C#
// integrations): 405 for a method other than POST, 413 over 10 MiB, 400/401
// {"error":"<code>","message":"..."} for a request that does not verify, 200
// {"status":"received",...} once the handler ran. With REDIS_URL set (e.g.
// redis://127.0.0.1:6379), a delivery already handled is answered 200 {"status":"duplicate"}
// without running the handler, across every PHP process sharing that Redis (409 while another
// request handles it, 503 with Retry-After if Redis is down); a handler that throws releases it.
//
//   php -d ffi.enable=1 -S 127.0.0.1:8080 examples/php/index.php
//   (FFI::cdef outside the CLI needs ffi.enable=1; HOOKSIG_LIB points at libhooksig.so;
//   REDIS_URL needs phpredis: Debian's php8.2-redis)

declare(strict_types=1);

$autoload = __DIR__ . '/vendor/autoload.php';
require is_file($autoload) ? $autoload : __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\Receiver;
use Hooksig\RedisReplayGuard;
use Hooksig\Verified;
use Hooksig\Verifier;

ini_set('display_errors', '0'); // a handler's exception is logged and answered 500, not shown
$routes = [
    '/webhooks/algoguard' => ['algoguard', getenv('ALGOGUARD_WEBHOOK_SECRET') ?: 'whsec_ihr_secret_hier'],
    '/webhooks/easycart' => ['easycart', getenv('EASYCART_SIGNING_KEY') ?: 'your_secret_signing_key'],
];
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if (!isset($routes[$path])) {
    http_response_code(404);
    exit;
}
[$scheme, $secret] = $routes[$path];
$verifier = new Verifier($scheme, $secret);

// Redis only once the request is verified (forged traffic never reaches it): the guard is made
// by a function that serve() calls then. PHP forgets everything between requests, so the guard
// lives in Redis (ReplayGuard, the in-memory one, is for long-running workers such as RoadRunner).
$redis = null;
$guard = getenv('REDIS_URL') ? function () use ($verifier, &$redis): RedisReplayGuard {
    $guard = RedisReplayGuard::connect((string) getenv('REDIS_URL'), $verifier);
    $redis = $guard->client();
    return $guard;
} : null;

// The application's work: act on what was signed. Throws if it cannot (the sender retries).
(new Receiver())->serve($verifier, function (Verified $event) use ($scheme, &$redis): void {
    $payload = $event->json();
    error_log(sprintf('%s webhook: %s', $scheme, is_array($payload) ? ($payload['event'] ?? 'event') : 'event'));
    $redis?->incr("webhooks:handled:$scheme"); // a counter for the dashboard
}, $guard);
