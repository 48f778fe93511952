<?php
// Demo receiver: every scheme on Symfony HttpFoundation, at /webhooks/<scheme>, through
// Hooksig\Symfony\WebhookHandler (bindings-php/examples/symfony is the quick start).

declare(strict_types=1);

require __DIR__ . '/php_demo.php';
require 'Symfony/Component/HttpFoundation/autoload.php';

use Hooksig\Receiver;
use Hooksig\Symfony\WebhookHandler;
use Hooksig\Verified;
use Symfony\Component\HttpFoundation\Request;
use Symfony\Component\HttpFoundation\Response;

ini_set('display_errors', '0');
$request = Request::createFromGlobals();
$scheme = demo_scheme($request->getPathInfo());
if ($scheme === null) {
    (new Response('', 404))->send();
    return;
}
$verifier = demo_verifier($scheme);
$webhooks = new WebhookHandler($verifier, demo_guard($verifier, 'hooksig-demo-symfony:'), publicUrl: demo_public_url());
$webhooks->handle($request, fn (Request $request, Verified $event): Response => WebhookHandler::response(Receiver::received($event)))
    ->prepare($request)
    ->send();
