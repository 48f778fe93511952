<?php

declare(strict_types=1);

// Composer's autoloader when the package was installed with Composer, else the equivalent.
$composer = __DIR__ . '/../vendor/autoload.php';
require is_file($composer) ? $composer : __DIR__ . '/../autoload.php';
require_once __DIR__ . '/RedisServer.php';
require_once __DIR__ . '/FpmServer.php';
require_once __DIR__ . '/PostgresServer.php';
// The framework adapters' tests use Debian's packages when there is no Composer vendor/ (see
// scripts/install-deps.sh): php-symfony-http-foundation, php-slim, php-nyholm-psr7,
// php-illuminate-routing.
if (!is_file($composer)) {
    foreach (['Symfony/Component/HttpFoundation', 'Nyholm/Psr7', 'Illuminate/Routing', 'Illuminate/Events'] as $package) {
        if ((include_once "$package/autoload.php") === false) {
            throw new RuntimeException("the PHP package with $package/autoload.php is missing: run scripts/install-deps.sh");
        }
    }
}
if (!interface_exists(Psr\Http\Server\MiddlewareInterface::class)) {
    throw new RuntimeException('the PSR-15 interfaces are missing (Debian: php8.2-psr; Composer: psr/http-server-middleware)');
}
