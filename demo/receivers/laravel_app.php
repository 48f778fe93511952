<?php
// Demo receiver: every scheme on Laravel's router (Illuminate\Routing, Debian's
// php-illuminate-routing), at /webhooks/<scheme>, behind the middleware
// Hooksig\Laravel\VerifyWebhook (bindings-php/examples/laravel is the quick start).

declare(strict_types=1);

require __DIR__ . '/php_demo.php';
require 'Illuminate/Routing/autoload.php';
require 'Illuminate/Events/autoload.php';

use Hooksig\Laravel\VerifyWebhook;
use Hooksig\Receiver;
use Hooksig\Symfony\WebhookHandler;
use Hooksig\Verifier;
use Illuminate\Container\Container;
use Illuminate\Events\Dispatcher;
use Illuminate\Http\Request;
use Illuminate\Routing\Router;
use Symfony\Component\HttpFoundation\Response;
use Symfony\Component\HttpKernel\Exception\HttpException;

ini_set('display_errors', '0');
$request = Request::capture();
$container = new Container();
$container->instance(Request::class, $request);
$scheme = demo_scheme($request->getPathInfo()) ?? '';
// The middleware reads the secret by name (a config key, else an environment variable).
$secretName = 'DEMO_SECRET_' . strtoupper(str_replace('-', '_', $scheme));
if ($scheme !== '' && (getenv($secretName) === false || getenv($secretName) === '')) {
    putenv($secretName . '=' . getenv('DEMO_SECRET'));
}
$container->instance(VerifyWebhook::class, new VerifyWebhook(
    $scheme === '' ? null : demo_guard(demo_verifier($scheme), 'hooksig-demo-laravel:'),
    publicUrl: demo_public_url(),
));
$router = new Router(new Dispatcher($container), $container);
foreach (Verifier::schemes() as $each) {
    $name = 'DEMO_SECRET_' . strtoupper(str_replace('-', '_', $each));
    $router->any("/webhooks/$each", fn (Request $request) => WebhookHandler::response(
        Receiver::received($request->attributes->get(WebhookHandler::ATTRIBUTE)),
    ))->middleware(VerifyWebhook::class . ":$each,$name");
}
try {
    $response = $router->dispatch($request);
} catch (HttpException $e) { // an unknown path: what Laravel's exception handler answers
    $response = new Response('', $e->getStatusCode());
}
$response->prepare($request)->send();
