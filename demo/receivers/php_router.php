<?php
// Demo receiver: every scheme on PHP's built-in server, at /webhooks/<scheme>, through
// Hooksig\Receiver::serve (the core's answers, the same bytes as every other receiver). PHP
// forgets everything between requests, so replay protection lives in Redis (REDIS_URL).

declare(strict_types=1);

require __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\Receiver;
use Hooksig\RedisReplayGuard;
use Hooksig\Verifier;

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$scheme = preg_match('#^/webhooks/([a-z-]+)$#', (string) $path, $m) ? $m[1] : '';
if (!in_array($scheme, Verifier::schemes(), true)) {
    http_response_code(404);
    exit;
}
// One secret for every scheme, as demo/run.py signs, except where DEMO_SECRET_<SCHEME> is set (the
// public key of a public-key scheme: discord, sendgrid).
$own = getenv('DEMO_SECRET_' . strtoupper(str_replace('-', '_', $scheme)));
$secret = (string) ($own !== false && $own !== '' ? $own : getenv('DEMO_SECRET'));
$verifier = new Verifier($scheme, $secret);
$guard = getenv('REDIS_URL')
    ? fn () => RedisReplayGuard::connect((string) getenv('REDIS_URL'), $verifier, prefix: getenv('DEMO_REDIS_PREFIX') ?: 'hooksig-demo:')
    : null;
(new Receiver())->serve($verifier, fn () => null, $guard); // null: the core's 200 "received" body
