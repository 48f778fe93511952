<?php

declare(strict_types=1);

namespace Hooksig\Tests;

require_once __DIR__ . '/ReceiverCasesTest.php';

/**
 * The shared receiver table through the PSR-15 Hooksig\Psr\WebhookMiddleware on Slim (Debian's
 * php-slim) and nyholm/psr7 over real HTTP: `php -S` running tests/fixtures/slim_cases_router.php.
 * Same requests and assertions as ReceiverCasesTest.
 */
final class SlimCasesTest extends ReceiverCasesTest
{
    protected static function router(): string
    {
        return __DIR__ . '/fixtures/slim_cases_router.php';
    }
}
