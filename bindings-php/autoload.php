<?php

// What Composer's autoloader does for this package (PSR-4 `Hooksig\` => src/, plus
// src/functions.php), for use without Composer: `require 'bindings-php/autoload.php';`.

declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    $prefix = 'Hooksig\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
    if (is_file($file)) {
        require $file;
    }
});
require_once __DIR__ . '/src/functions.php';
