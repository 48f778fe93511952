<?php

// An AlgoGuard webhook receiver on Symfony HttpFoundation: Hooksig\Symfony\WebhookHandler turns
// the Request into what hooksig's receiver policy takes and its answer into a Response (405,
// 413, 400/401 {"error":...}, 200 {"status":"received",...}: the same bytes as every hooksig
// integration). In a Symfony controller, return $webhooks->handle($request, ...) as it is.
//
//   php -d ffi.enable=1 -S 127.0.0.1:8080 bindings-php/examples/symfony/index.php
//   (Composer: hooksig/hooksig and symfony/http-foundation; or this repository with Debian's
//   php-symfony-http-foundation)

declare(strict_types=1);

if (is_file(__DIR__ . '/vendor/autoload.php')) {
    require __DIR__ . '/vendor/autoload.php';
} else {
    require __DIR__ . '/../../autoload.php';
    require 'Symfony/Component/HttpFoundation/autoload.php';
}

use Hooksig\Symfony\WebhookHandler;
use Hooksig\Verified;
use Hooksig\Verifier;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

ini_set('display_errors', '0'); // a handler's exception is logged and answered 500, not shown
$request = Request::createFromGlobals();
if ($request->getPathInfo() !== '/webhooks/algoguard') {
    (new Response('', 404))->send();
    return;
}
$webhooks = new WebhookHandler(new Verifier('algoguard', getenv('ALGOGUARD_WEBHOOK_SECRET') ?: 'whsec_ihr_secret_hier'));
$response = $webhooks->handle($request, function (Request $request, Verified $event): ?Response {
    // Also $request->attributes->get(WebhookHandler::ATTRIBUTE). Throw if it cannot (the sender retries).
    error_log('algoguard webhook: ' . ($event->json()['event'] ?? 'event'));
    return null; // 200 {"status":"received",...}
});
$response->prepare($request)->send();
