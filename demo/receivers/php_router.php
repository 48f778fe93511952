<?php
// Demo receiver: every scheme on PHP's built-in server, at /webhooks/<scheme>. PHP forgets
// everything between requests, so replay protection lives in Redis (REDIS_URL). A method other
// than POST is answered 405 {"error":"method_not_allowed",...} with Allow: POST (as the Python
// and Node integrations do) before anything is read; every answer goes through json_encode.

declare(strict_types=1);

require __DIR__ . '/../../bindings-php/autoload.php';

use Hooksig\RedisReplayGuard;
use Hooksig\ReplayStoreException;
use Hooksig\VerificationException;
use Hooksig\Verifier;

/** Answers with a JSON body and stops. */
function answer(int $status, array $body): never
{
    http_response_code($status);
    exit(json_encode($body, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES));
}

header('Content-Type: application/json');
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
$scheme = preg_match('#^/webhooks/([a-z-]+)$#', (string) $path, $m) ? $m[1] : '';
if (!in_array($scheme, Verifier::schemes(), true)) {
    answer(404, ['error' => 'not_found']);
}
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
    header('Allow: POST');
    answer(405, ['error' => 'method_not_allowed', 'message' => 'webhooks are delivered with POST']);
}
$secret = in_array($scheme, ['standard-webhooks', 'svix'], true)
    ? getenv('DEMO_WHSEC_SECRET') : getenv('DEMO_TEXT_SECRET');
$verifier = new Verifier($scheme, $secret);

try {
    $event = $verifier->verify(getallheaders(), file_get_contents('php://input'));
} catch (VerificationException $e) {
    answer($e->getHttpStatus(), ['error' => $e->getErrorCode()]);
}

if (getenv('REDIS_URL')) {
    // Two-phase: "processing" now, "done" once the (here trivial) handler succeeded.
    try {
        $guard = RedisReplayGuard::connect((string) getenv('REDIS_URL'), $verifier, prefix: 'hooksig-demo:');
        if (!$guard->checkAndRemember($event->dedupeKey)) {
            answer(200, ['status' => 'duplicate']);
        }
        $guard->confirm($event->dedupeKey);
    } catch (ReplayStoreException $e) {
        header('Retry-After: ' . $e->getRetryAfter());
        answer($e->getHttpStatus(), ['error' => $e->getErrorCode(), 'message' => $e->getMessage()]);
    }
}
answer(200, ['status' => 'received', 'id' => $event->id, 'event_type' => $event->eventType]);
