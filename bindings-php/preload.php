<?php

// For `opcache.preload`, where FFI is restricted to preloading (`ffi.enable=preload`: PHP's
// default outside the CLI, so under PHP-FPM). PHP then lets only preloaded code call its FFI
// API, so the one class that does is preloaded here; libhooksig's declarations come from
// `ffi.preload` (the header bin/hooksig-ffi-header prints). php.ini for PHP-FPM:
//
//     ffi.preload=/etc/php/8.2/hooksig-ffi.h
//     opcache.preload=/path/to/vendor/hooksig/hooksig/preload.php
//     opcache.preload_user=www-data    ; the user the pool runs as (needed when the master is root)
//
// The other classes load per request through Composer (or autoload.php) as usual.

declare(strict_types=1);

require_once __DIR__ . '/src/HooksigException.php';
require_once __DIR__ . '/src/Native.php';
