<?php
// Demo receiver: php_router.php (Hooksig\Receiver::serve) under PHP-FPM behind nginx, the way
// production PHP runs, with hooksig loaded the README's FPM way (ffi.preload + opcache.preload),
// or with HOOKSIG_EXT set (the php-fpm-ext column) the stock php.ini plus only
// extension=hooksig.so.
// The PHP-FPM + nginx pair is the test suite's launcher (bindings-php/tests/FpmServer.php), on
// the port demo/run.py gives; SIGTERM stops both.

declare(strict_types=1);

require __DIR__ . '/../../bindings-php/tests/RedisServer.php';
require __DIR__ . '/../../bindings-php/tests/FpmServer.php';

// The demo's settings (DEMO_SECRET, DEMO_SECRET_<SCHEME>, DEMO_PUBLIC_URL, REDIS_URL,
// HOOKSIG_LIB) reach the workers through FpmServer's environment; its own Redis prefix, as the
// built-in server's receiver shares the demo's redis-server.
$env = array_filter(
    getenv(),
    static fn (string $name): bool => str_starts_with($name, 'DEMO_') || in_array($name, ['REDIS_URL', 'HOOKSIG_LIB', 'HOOKSIG_BACKEND'], true),
    ARRAY_FILTER_USE_KEY,
);
$env['DEMO_REDIS_PREFIX'] = Hooksig\Tests\FpmServer::extension() === null ? 'hooksig-demo-fpm:' : 'hooksig-demo-fpm-ext:';
$server = new Hooksig\Tests\FpmServer(__DIR__ . '/php_router.php', $env, port: (int) ($argv[1] ?? 0));
$stop = static function () use ($server): never {
    $server->stop();
    exit(0);
};
pcntl_async_signals(true);
pcntl_signal(SIGTERM, $stop);
pcntl_signal(SIGINT, $stop);
while (true) {
    sleep(60);
}
