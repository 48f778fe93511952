<?php

// AlgoGuard and Easycart webhook receivers: the vendors' PHP samples, rewritten on hooksig.
// Constant-time comparison, a missing header is a 400 (not a warning and a 401), stale
// AlgoGuard timestamps (older than 5 minutes) are refused, and secrets can be rotated.
// With REDIS_URL set (e.g. redis://127.0.0.1:6379), duplicate deliveries (senders retry) are
// answered 200 {"status":"duplicate"} without running the handler, across every PHP process
// sharing that Redis (two-phase: "processing" while the handler runs, "done" once it succeeded,
// deleted if it failed; a Redis outage is answered 503 with Retry-After, and the sender retries).
// A method other than POST is answered 405 {"error":"method_not_allowed",...} with Allow: POST,
// as the Python and Node integrations do; JSON answers are written by json_encode.
//
//   php -d ffi.enable=1 -S 127.0.0.1:8080 examples/php/index.php
//   (FFI::cdef outside the CLI needs ffi.enable=1; HOOKSIG_LIB points at libhooksig.so;
//   REDIS_URL needs phpredis: Debian's php8.2-redis)

declare(strict_types=1);

$autoload = __DIR__ . '/vendor/autoload.php';
require is_file($autoload) ? $autoload : __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\RedisReplayGuard;
use Hooksig\ReplayStoreException;
use Hooksig\VerificationException;
use Hooksig\Verified;
use Hooksig\Verifier;

$routes = [
    '/webhooks/algoguard' => ['algoguard', getenv('ALGOGUARD_WEBHOOK_SECRET') ?: 'whsec_ihr_secret_hier'],
    '/webhooks/easycart' => ['easycart', getenv('EASYCART_SIGNING_KEY') ?: 'your_secret_signing_key'],
];
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
header('Content-Type: text/plain; charset=utf-8');
if (!isset($routes[$path])) {
    http_response_code(404);
    exit('Not found');
}
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
    // Before anything is read or run: a GET must never reach the handler.
    header('Allow: POST');
    json_answer(405, ['error' => 'method_not_allowed', 'message' => 'webhooks are delivered with POST']);
}
[$scheme, $secret] = $routes[$path];

/** Answers with a JSON body and stops. */
function json_answer(int $status, array $body): never
{
    header('Content-Type: application/json');
    http_response_code($status);
    exit(json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES));
}

/**
 * A phpredis connection from a redis://[:password@]host[:port][/db] URL, with a 2 s timeout for
 * connecting and for every reply (phpredis would otherwise wait 60 s on a paused Redis).
 */
function redis_from_url(string $url): Redis
{
    $parts = parse_url($url);
    $redis = new Redis();
    $redis->connect($parts['host'] ?? '127.0.0.1', $parts['port'] ?? 6379, 2.0, null, 0, 2.0);
    if (isset($parts['pass'])) {
        $redis->auth(isset($parts['user']) ? [$parts['user'], $parts['pass']] : $parts['pass']);
    }
    $db = (int) ltrim($parts['path'] ?? '/0', '/');
    if ($db !== 0) {
        $redis->select($db);
    }
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

try {
    $event = $verifier->verify(getallheaders(), file_get_contents('php://input'));
} catch (VerificationException $e) {
    // 400: missing or malformed header; 401: bad signature or stale timestamp.
    http_response_code($e->getHttpStatus());
    exit($e->getErrorCode());
}

// Redis only once the request is verified (forged traffic never reaches it). PHP forgets
// everything between requests, so the guard lives in Redis (ReplayGuard, the in-memory one, is
// for long-running workers such as RoadRunner or Swoole).
try {
    $redis = getenv('REDIS_URL') ? redis_from_url(getenv('REDIS_URL')) : null;
} catch (RedisException) {
    header('Retry-After: ' . RedisReplayGuard::DEFAULT_RETRY_AFTER);
    json_answer(503, ['error' => 'replay_store_unavailable', 'message' => 'Redis cannot be reached']);
}
$guard = $redis ? RedisReplayGuard::forVerifier($redis, $verifier) : null;

// Only verified deliveries are remembered: forged requests cannot burn delivery ids.
try {
    $isNew = $guard === null || $guard->checkAndRemember($event->dedupeKey);
} catch (ReplayStoreException $e) {
    // 503 Redis unavailable, or 409 another request is processing this delivery: retry later.
    header('Retry-After: ' . $e->getRetryAfter());
    json_answer($e->getHttpStatus(), ['error' => $e->getErrorCode(), 'message' => $e->getMessage()]);
}
if (!$isNew) {
    json_answer(200, ['status' => 'duplicate']); // 2xx: the sender stops retrying
}
try {
    handle($scheme, $event, $redis);
} catch (Throwable $e) {
    try {
        $guard?->forget($event->dedupeKey); // let the sender's retry run the handler again
    } catch (ReplayStoreException) {
        // The "processing" marker expires by itself: the retry runs the handler then.
    }
    error_log(sprintf('%s webhook failed: %s', $scheme, $e->getMessage()));
    http_response_code(500);
    exit('handler failed');
}
try {
    $guard?->confirm($event->dedupeKey); // remembered as done for the replay window
} catch (ReplayStoreException $e) {
    // The handler's success stands; the unconfirmed marker only expires sooner.
    error_log(sprintf('%s webhook: could not confirm in Redis: %s', $scheme, $e->getMessage()));
}
http_response_code(200);
echo 'OK';
