<?php

declare(strict_types=1);

namespace Hooksig\Tests;

require_once __DIR__ . '/ReceiverCasesTest.php';

/**
 * The shared receiver table through the Laravel route middleware Hooksig\Laravel\VerifyWebhook
 * on Laravel's router over real HTTP: `php -S` running tests/fixtures/laravel_cases_router.php,
 * a front controller with Illuminate\Routing\Router and Illuminate\Http\Request (Debian's
 * php-illuminate-routing and php-illuminate-http, Laravel 8.83: the router and pipeline a
 * Laravel app dispatches routes with; the full framework package is not installed). Same
 * requests and assertions as ReceiverCasesTest.
 */
final class LaravelCasesTest extends ReceiverCasesTest
{
    protected static function router(): string
    {
        return __DIR__ . '/fixtures/laravel_cases_router.php';
    }
}
