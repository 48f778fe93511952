<?php

// Twilio, Square and HubSpot sign the URL the sender requested (HubSpot also the method): pass
// it to verify() as `url:` (and `method:`). Behind a proxy or a load balancer the application
// sees another URL (its internal address): give the integrations the public base URL
// (`publicUrl:`) and they join it with the request's path and query. Prints what each echo says.
//
//   php -d ffi.enable=1 bindings-php/examples/request_line/index.php   (or with hooksig.so loaded)

declare(strict_types=1);

require_once __DIR__ . '/../../autoload.php';

use Hooksig\Receiver;
use Hooksig\Verifier;

$twilio = new Verifier('twilio', 'your_twilio_auth_token');
$url = 'https://hooks.example.com/webhooks/twilio?tenant=acme'; // the URL configured at Twilio
$form = 'AccountSid=AC0123456789abcdef0123456789abcdef&Body=Hello&From=%2B14155550100';
$headers = $twilio->sign($form, url: $url); // X-Twilio-Signature, as Twilio sends it

echo $twilio->verify($headers, $form, url: $url, method: 'POST')->scheme, "\n"; // twilio
try {
    $twilio->verify($headers, $form); // no URL: these schemes cannot check the signature
} catch (Hooksig\ConfigException $e) {
    echo $e->errorCode, "\n"; // invalid_argument
}

// Behind a proxy: the public base URL, joined with the path and query the application received.
echo Receiver::publicUrl('https://hooks.example.com/', '/webhooks/twilio?tenant=acme'), "\n"; // https://hooks.example.com/webhooks/twilio?tenant=acme
// The receivers do that for the schemes that sign the URL (others never build it):
//   (new Receiver())->serve($twilio, $handler, publicUrl: 'https://hooks.example.com');
//   new Hooksig\Symfony\WebhookHandler($twilio, publicUrl: 'https://hooks.example.com');
//   new Hooksig\Laravel\VerifyWebhook(publicUrl: 'https://hooks.example.com'); // bound in a provider
//   new Hooksig\Psr\WebhookMiddleware($twilio, $factory, $factory, publicUrl: 'https://hooks.example.com');
// Without it, the URL the request reports (scheme, Host header, path and query) is checked.
