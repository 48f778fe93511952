<?php
// Demo receiver: php_router.php (Hooksig\Receiver::serve) under PHP-FPM behind nginx, the way
// production PHP runs, with hooksig loaded the README's FPM way (ffi.preload + opcache.preload).
// The PHP-FPM + nginx pair is the test suite's launcher (bindings-php/tests/FpmServer.php), on
// the port demo/run.py gives; SIGTERM stops both.

declare(strict_types=1);

require __DIR__ . '/../../bindings-php/tests/RedisServer.php';
require __DIR__ . '/../../bindings-php/tests/FpmServer.php';

$env = array_filter(
    // Its own Redis prefix: the built-in server's receiver shares the demo's redis-server.
    ['DEMO_SECRET' => getenv('DEMO_SECRET'), 'REDIS_URL' => getenv('REDIS_URL'), 'HOOKSIG_LIB' => getenv('HOOKSIG_LIB'),
        'DEMO_REDIS_PREFIX' => 'hooksig-demo-fpm:'],
    'is_string',
);
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
