<?php
// Demo receiver: every scheme on Slim 3 (Debian's php-slim, PSR-7 by nyholm/psr7), at
// /webhooks/<scheme>, through the PSR-15 middleware Hooksig\Psr\WebhookMiddleware
// (bindings-php/examples/slim is the quick start, with a Slim 3 middleware bridge).

declare(strict_types=1);

require __DIR__ . '/php_demo.php';
require 'Slim/autoload.php';
require 'Nyholm/Psr7/autoload.php';

use Hooksig\Psr\WebhookMiddleware;
use Hooksig\Receiver;
use Nyholm\Psr7\Factory\Psr17Factory;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\RequestHandlerInterface;

ini_set('display_errors', '0');
// `php -S` with a router script reports the request path as SCRIPT_NAME, which Slim would take
// as the app's base path (every route then 404s); under a web server it is the script's path.
$_SERVER['SCRIPT_NAME'] = '/' . basename(__FILE__);
$factory = new Psr17Factory();
$app = new Slim\App();
$app->any('/webhooks/{scheme}', function (ServerRequestInterface $request, ResponseInterface $response, array $args) use ($factory): ResponseInterface {
    $scheme = demo_scheme('/webhooks/' . $args['scheme']);
    if ($scheme === null) {
        return $response->withStatus(404);
    }
    $verifier = demo_verifier($scheme);
    $webhooks = new WebhookMiddleware($verifier, $factory, $factory, demo_guard($verifier, 'hooksig-demo-slim:'), publicUrl: demo_public_url());
    // The handler behind the middleware: the core's 200 "received" answer.
    return $webhooks->process($request, new class ($webhooks) implements RequestHandlerInterface {
        public function __construct(private WebhookMiddleware $webhooks)
        {
        }

        public function handle(ServerRequestInterface $request): ResponseInterface
        {
            return $this->webhooks->answer(Receiver::received($request->getAttribute(WebhookMiddleware::ATTRIBUTE)));
        }
    });
});
$app->run();
