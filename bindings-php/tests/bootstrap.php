<?php

declare(strict_types=1);

// Composer's autoloader when the package was installed with Composer, else the equivalent.
$composer = __DIR__ . '/../vendor/autoload.php';
require is_file($composer) ? $composer : __DIR__ . '/../autoload.php';
require_once __DIR__ . '/RedisServer.php';
require_once __DIR__ . '/FpmServer.php';
require_once __DIR__ . '/PostgresServer.php';
