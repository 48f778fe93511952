<?php

// An AlgoGuard webhook receiver on Slim with the PSR-15 Hooksig\Psr\WebhookMiddleware and
// nyholm/psr7's PSR-17 factory: a verified request reaches the route once, the webhook in its
// attribute 'hooksig.webhook'; every other answer (405, 413, 400/401 {"error":...}) is hooksig's
// receiver policy, the same bytes as every hooksig integration. This is Slim 3 (Debian's
// php-slim), whose middleware are fn($request, $response, $next): slim3() below adapts a PSR-15
// middleware to it. On Slim 4: $app->add($webhooks).
//
//   php -d ffi.enable=1 -S 127.0.0.1:8080 -t bindings-php/examples/slim
//   (a document root, not a router script: Slim takes the base path from SCRIPT_NAME)
//   (Debian: php-slim php-nyholm-psr7 php8.2-psr, the last for the PSR-15 interfaces)

declare(strict_types=1);

if (is_file(__DIR__ . '/vendor/autoload.php')) {
    require __DIR__ . '/vendor/autoload.php';
} else {
    require __DIR__ . '/../../autoload.php';
    require 'Slim/autoload.php';
    require 'Nyholm/Psr7/autoload.php';
}

use Hooksig\Psr\WebhookMiddleware;
use Hooksig\Receiver;
use Hooksig\Verified;
use Hooksig\Verifier;
use Nyholm\Psr7\Factory\Psr17Factory;
use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;
use Psr\Http\Server\MiddlewareInterface;
use Psr\Http\Server\RequestHandlerInterface;

ini_set('display_errors', '0');
$factory = new Psr17Factory();
$verifier = new Verifier('algoguard', getenv('ALGOGUARD_WEBHOOK_SECRET') ?: 'whsec_ihr_secret_hier');
$webhooks = new WebhookMiddleware($verifier, $factory, $factory);

$app = new Slim\App();
// Every method reaches the middleware: it answers 405 for what is not a POST.
$app->any('/webhooks/algoguard', function (ServerRequestInterface $request) use ($webhooks): ResponseInterface {
    $event = $request->getAttribute(WebhookMiddleware::ATTRIBUTE);
    assert($event instanceof Verified);
    error_log('algoguard webhook: ' . ($event->json()['event'] ?? 'event')); // throw if it cannot
    return $webhooks->answer(Receiver::received($event)); // 200 {"status":"received",...}
})->add(slim3($webhooks));
$app->run();

/** A PSR-15 middleware as a Slim 3 middleware (not static: Slim binds it to its container). */
function slim3(MiddlewareInterface $middleware): Closure
{
    return fn (ServerRequestInterface $request, ResponseInterface $response, callable $next) => $middleware->process(
        $request,
        new class ($next, $response) implements RequestHandlerInterface {
            /** @param callable $next */
            public function __construct(private $next, private ResponseInterface $response)
            {
            }

            public function handle(ServerRequestInterface $request): ResponseInterface
            {
                return ($this->next)($request, $this->response);
            }
        },
    );
}
