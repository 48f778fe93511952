<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\PdoReplayGuard;

require_once __DIR__ . '/ReceiverCasesTest.php';

/**
 * The shared receiver table under `php -S` with the 'memory' guard cases on a PdoReplayGuard:
 * a real SQLite file, then a real PostgreSQL (scripts/postgres.sh), one key prefix a case.
 */
class ReceiverCasesPdoTest extends ReceiverCasesTest
{
    protected static ?string $dsn = null;
    private static string $file = '';

    protected static function makeDsn(): string
    {
        self::$file = sys_get_temp_dir() . '/hooksig-cases-' . getmypid() . '-' . bin2hex(random_bytes(4)) . '.sqlite3';
        return 'sqlite:' . self::$file;
    }

    protected static function guardEnv(): array
    {
        self::$dsn = static::makeDsn();
        $pdo = new \PDO(self::$dsn);
        (new PdoReplayGuard($pdo, 5))->createTable();
        return ['HOOKSIG_GUARD_DSN' => self::$dsn];
    }

    public static function tearDownAfterClass(): void
    {
        parent::tearDownAfterClass();
        if (self::$file !== '') {
            @unlink(self::$file);
        }
    }

    /** @return iterable<string, array{int}> */
    public static function caseNumbers(): iterable
    {
        foreach (self::cases() as $n => $case) {
            if (($case['guard'] ?? null) === 'memory') {
                yield $case['name'] => [$n];
            }
        }
    }
}
