<?php

// An AlgoGuard webhook route guarded by the Laravel middleware Hooksig\Laravel\VerifyWebhook.
// In a Laravel app the route is the one line in routes/api.php below; this file runs it on
// Laravel's own router (Illuminate\Routing, which the app dispatches with) so that it can be
// served as it is. The middleware's parameters are the scheme and the name of the secret (a
// config key, else an environment variable); every answer besides the route's own is hooksig's
// receiver policy, the same bytes as every hooksig integration.
//
//   php -d ffi.enable=1 -S 127.0.0.1:8080 bindings-php/examples/laravel/index.php
//   (Debian: php-illuminate-routing)

declare(strict_types=1);

if (is_file(__DIR__ . '/vendor/autoload.php')) {
    require __DIR__ . '/vendor/autoload.php';
} else {
    require __DIR__ . '/../../autoload.php';
    require 'Illuminate/Routing/autoload.php';
    require 'Illuminate/Events/autoload.php';
}

use Hooksig\Laravel\VerifyWebhook;
use Hooksig\Receiver;
use Hooksig\Symfony\WebhookHandler;
use Illuminate\Container\Container;
use Illuminate\Events\Dispatcher;
use Illuminate\Http\Request;
use Illuminate\Routing\Router;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Exception\HttpException;

ini_set('display_errors', '0');
if (getenv('ALGOGUARD_WEBHOOK_SECRET') === false) {
    putenv('ALGOGUARD_WEBHOOK_SECRET=whsec_ihr_secret_hier');
}
$request = Request::capture();
$container = new Container();
$container->instance(Request::class, $request);
$router = new Router(new Dispatcher($container), $container);

// In routes/api.php: Route::any(...) with the same arguments.
$router->any('/webhooks/algoguard', function (Request $request) {
    $event = $request->attributes->get(WebhookHandler::ATTRIBUTE); // a Hooksig\Verified
    error_log('algoguard webhook: ' . ($event->json()['event'] ?? 'event'));
    return WebhookHandler::response(Receiver::received($event)); // 200 {"status":"received",...}
})->middleware(VerifyWebhook::class . ':algoguard,ALGOGUARD_WEBHOOK_SECRET');

try {
    $response = $router->dispatch($request);
} catch (HttpException $e) { // an unknown path: what Laravel's exception handler answers
    $response = new Response('', $e->getStatusCode());
}
$response->prepare($request)->send();
