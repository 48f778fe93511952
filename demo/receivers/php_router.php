<?php
// Demo receiver: every scheme on PHP's built-in server, at /webhooks/<scheme>, through
// Hooksig\Receiver::serve (the core's answers, the same bytes as every other receiver).
// Under PHP-FPM too (php_fpm_app.php), with its own Redis prefix.

declare(strict_types=1);

require __DIR__ . '/php_demo.php';

use Hooksig\Receiver;

$scheme = demo_scheme((string) parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH));
if ($scheme === null) {
    http_response_code(404);
    exit;
}
$verifier = demo_verifier($scheme);
$guard = demo_guard($verifier, getenv('DEMO_REDIS_PREFIX') ?: 'hooksig-demo:');
// null: the core's 200 "received" body
(new Receiver())->serve($verifier, fn () => null, $guard, demo_public_url());
