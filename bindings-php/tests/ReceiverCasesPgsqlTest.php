<?php

declare(strict_types=1);

namespace Hooksig\Tests;

require_once __DIR__ . '/ReceiverCasesPdoTest.php';

/** {@see ReceiverCasesPdoTest} on a real PostgreSQL (scripts/postgres.sh). */
final class ReceiverCasesPgsqlTest extends ReceiverCasesPdoTest
{
    private static ?PostgresServer $pg = null;

    protected static function makeDsn(): string
    {
        self::$pg = new PostgresServer();
        return self::$pg->dsn();
    }

    public static function tearDownAfterClass(): void
    {
        parent::tearDownAfterClass();
        self::$pg?->destroy();
        self::$pg = null;
    }
}
