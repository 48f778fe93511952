<?php

// Per-call cost of the composer package over FFI and over the extension, same process setup:
//
//   for b in ffi ext; do HOOKSIG_BACKEND=$b php -d extension=$PWD/dist/hooksig-php8.2-nts-x86_64-linux.so bindings-php-ext/bench.php; done
//
// (a measurement for the README, not a test: no assertion, not run by make test)

declare(strict_types=1);

require dirname(__DIR__) . '/bindings-php/autoload.php';

use Hooksig\Receiver;
use Hooksig\Verifier;

$v = new Verifier('github', 'It\'s a Secret to Everybody');
$body = str_repeat('{"a":1}', 100);
$headers = $v->sign($body, null, 'd1', 'ping');
$time = static function (int $n, callable $f): float {
    $f();
    $t = hrtime(true);
    for ($i = 0; $i < $n; $i++) {
        $f();
    }
    return (hrtime(true) - $t) / $n / 1000;
};
$r = new Receiver();
printf(
    "%s: verify (700 B) %.1f us, new Verifier %.1f us, Receiver start+guarded %.1f us\n",
    Verifier::backend(),
    $time(20000, static fn () => $v->verify($headers, $body)),
    $time(2000, static fn () => new Verifier('stripe', 'whsec_x')),
    $time(20000, static fn () => [$r->start('POST', 100), $r->guarded(Receiver::GUARD_DUPLICATE)]),
);
