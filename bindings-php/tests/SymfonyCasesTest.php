<?php

declare(strict_types=1);

namespace Hooksig\Tests;

require_once __DIR__ . '/ReceiverCasesTest.php';

/**
 * The shared receiver table on Symfony HttpFoundation over real HTTP: `php -S` running the
 * front controller tests/fixtures/symfony_cases_router.php (Request::createFromGlobals(),
 * Hooksig\Symfony\WebhookHandler, Response::send()). Same requests and assertions as
 * ReceiverCasesTest.
 */
final class SymfonyCasesTest extends ReceiverCasesTest
{
    protected static function router(): string
    {
        return __DIR__ . '/fixtures/symfony_cases_router.php';
    }
}
