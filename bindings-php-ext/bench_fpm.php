<?php

// Requests per second of the README's PHP quick start (examples/php/index.php, an AlgoGuard
// delivery verified and answered 200) under PHP-FPM (2 workers, the stock php.ini) behind nginx,
// loaded through FFI (ffi.preload) and then through the extension (extension=hooksig.so): wrk,
// 1 thread, 2 connections, 5 s each. A measurement for the README, not a test.
//
//   make dist-php-ext && php bindings-php-ext/bench_fpm.php

declare(strict_types=1);

$root = dirname(__DIR__);
require $root . '/bindings-php/autoload.php';
require $root . '/bindings-php/tests/RedisServer.php';
require $root . '/bindings-php/tests/FpmServer.php';

use Hooksig\Tests\FpmServer;

$so = trim((string) @file_get_contents($root . '/target/hooksig-php-ext.path'));
if ($so === '' || !is_file($so)) {
    fwrite(STDERR, "run make dist-php-ext first\n");
    exit(1);
}
$body = '{"event":"order.created","id":42}';
$headers = Hooksig\sign('algoguard', 'whsec_ihr_secret_hier', $body, time() + 60);
$lua = sys_get_temp_dir() . '/hooksig-bench-fpm-' . getmypid() . '.lua';
$script = "wrk.method = 'POST'\nwrk.body = '$body'\n";
foreach ($headers as $name => $value) {
    $script .= "wrk.headers['$name'] = '$value'\n";
}
file_put_contents($lua, $script);
foreach (['ffi' => null, 'ext' => $so] as $route => $ext) {
    putenv($ext === null ? 'HOOKSIG_EXT' : "HOOKSIG_EXT=$ext");
    $fpm = new FpmServer($root . '/examples/php/index.php', ['HOOKSIG_LIB' => $root . '/target/release/libhooksig.so']);
    try {
        $url = "http://127.0.0.1:{$fpm->port}/webhooks/algoguard";
        $lines = ['Content-Type: application/json', ...array_map(static fn ($n, $v) => "$n: $v", array_keys($headers), $headers)];
        $ctx = stream_context_create(['http' => ['method' => 'POST', 'header' => $lines, 'content' => $body, 'ignore_errors' => true]]);
        $answer = (string) file_get_contents($url, false, $ctx);
        if (!str_starts_with($answer, '{"status":"received"')) {
            throw new RuntimeException("$route: the quick start answered $answer");
        }
        $out = (string) shell_exec('wrk -t1 -c2 -d5s -s ' . escapeshellarg($lua) . ' ' . escapeshellarg($url));
        if (str_contains($out, 'Non-2xx') || preg_match('/Requests\/sec:\s+([\d.]+)/', $out, $rps) !== 1
            || preg_match('/Latency\s+(\S+)/', $out, $lat) !== 1) {
            throw new RuntimeException("$route: wrk said\n$out");
        }
        printf("%s: %.0f requests/s, mean latency %s\n", $route, $rps[1], $lat[1]);
    } finally {
        $fpm->stop();
    }
}
unlink($lua);
