<?php

// Several vendors at one endpoint: one Verifier over a Stripe and a GitHub one. Prints the
// scheme that matched a GitHub delivery, then the error for a request signed by neither.
//
//   php -d ffi.enable=1 bindings-php/examples/any_of/index.php   (or with hooksig.so loaded)

declare(strict_types=1);

require_once __DIR__ . '/../../autoload.php';

use Hooksig\Verifier;

$stripe = new Verifier('stripe', 'whsec_stripe_demo');
$github = new Verifier('github', 'github_demo');
$endpoint = Verifier::anyOf([$stripe, $github]); // (new Hooksig\Receiver())->serve($endpoint, ...) as any Verifier

$delivery = $github->sign('{"zen":"hi"}', id: 'd-1', eventType: 'ping');
echo $endpoint->verify($delivery, '{"zen":"hi"}')->scheme, "\n"; // github
try {
    $endpoint->verify(['Content-Type' => 'application/json'], '{}'); // no vendor's signature header
} catch (Hooksig\VerificationException $e) {
    echo $e->errorCode, ' ', $e->getHttpStatus(), "\n"; // missing_signature 400
}
