<?php

// AlgoGuard and Easycart webhook receivers: the vendors' PHP samples, rewritten on hooksig.
// Constant-time comparison, a missing header is a 400 (not a warning and a 401), stale
// AlgoGuard timestamps (older than 5 minutes) are refused, and secrets can be rotated.
//
//   php -d ffi.enable=1 -S 127.0.0.1:8080 examples/php/index.php
//   (FFI::cdef outside the CLI needs ffi.enable=1; HOOKSIG_LIB points at libhooksig.so)

declare(strict_types=1);

$autoload = __DIR__ . '/vendor/autoload.php';
require is_file($autoload) ? $autoload : __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\VerificationException;
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

try {
    $verifier = new Verifier($scheme, $secret);
    $event = $verifier->verify(getallheaders(), file_get_contents('php://input'));
} catch (VerificationException $e) {
    // 400: missing or malformed header; 401: bad signature or stale timestamp.
    http_response_code($e->getHttpStatus());
    exit($e->getErrorCode());
}

// Act on what was signed.
$payload = json_decode($event->payload, true);
error_log(sprintf('%s webhook: %s', $scheme, is_array($payload) ? ($payload['event'] ?? 'event') : 'event'));
http_response_code(200);
echo 'OK';
