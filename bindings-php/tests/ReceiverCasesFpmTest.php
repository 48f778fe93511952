<?php

declare(strict_types=1);

namespace Hooksig\Tests;

require_once __DIR__ . '/ReceiverCasesTest.php';

/**
 * The shared receiver table again, served the way production PHP runs: PHP-FPM with Debian's
 * stock php.ini (`ffi.enable=preload`, where `FFI::cdef` at request time is refused) behind
 * nginx over FastCGI, hooksig loaded through `ffi.preload` = the header bin/hooksig-ffi-header
 * prints (the README's "PHP-FPM" setup), or in the extension run (`HOOKSIG_EXT`) the stock php.ini
 * plus only `extension=hooksig.so`. Same router, same assertions as ReceiverCasesTest.
 */
final class ReceiverCasesFpmTest extends ReceiverCasesTest
{
    private static ?FpmServer $fpm = null;

    protected static function startServer(string $router, array $env, string $log): void
    {
        self::$fpm = new FpmServer($router, $env + ['HOOKSIG_LIB' => (string) getenv('HOOKSIG_LIB')]);
        self::$port = self::$fpm->port;
    }

    protected static function stopServer(): void
    {
        self::$fpm?->stop();
        self::$fpm = null;
    }

    /**
     * Debian 12's nginx (1.22) passes a repeated request header to FastCGI as separate
     * parameters of one name, and PHP keeps the last: a case that sends a junk copy after the
     * valid signature line cannot reach hooksig as sent (nginx 1.23 joins them with ", ", which
     * hooksig reads whole). For those the adapter sees only the junk and must fail closed.
     * (An extra header of its own name, e.g. Twitch's message type, is not repeated.)
     */
    private static function lastLineOnly(array $case, int $n): bool
    {
        foreach ($case['requests'] as $req) {
            $status = $req['expect']['status'];
            if (($req['extra_headers'] ?? []) === [] || ($req['extra_first'] ?? false) || $status < 200 || $status >= 300) {
                continue;
            }
            $body = self::bodyOf($req['body'] ?? ['text' => '']);
            $names = array_map(static fn ($h) => strtolower($h[0]), self::requestHeaders($case, $req, $body, "/case/$n"));
            if (count($names) !== count(array_unique($names))) {
                return true;
            }
        }
        return false;
    }

    /** @dataProvider caseNumbers */
    public function testCase(int $n): void
    {
        $case = self::cases()[$n];
        if (!self::lastLineOnly($case, $n)) {
            parent::testCase($n);
            return;
        }
        $req = $case['requests'][0];
        $body = self::bodyOf($req['body'] ?? ['text' => '']);
        [$status, , $got] = $this->send('POST', "/case/$n", self::requestHeaders($case, $req, $body, "/case/$n"), $body);
        $this->assertSame(401, $status, "{$case['name']} behind nginx 1.22: fails closed ($got)");
        $this->assertStringStartsWith('{"error":"signature_mismatch"', $got);
    }

    public function testFfiIsRestrictedToPreloadingThere(): void
    {
        $info = self::capture([FpmServer::FPM, '-c', FpmServer::STOCK_INI, '-i']);
        $this->assertMatchesRegularExpression('/^ffi\.enable => preload => preload$/m', $info, 'the stock FPM php.ini');
        $this->assertMatchesRegularExpression('/^opcache\.enable => On => On$/m', $info, 'the stock FPM php.ini');
    }

    public function testWithoutThePreloadSetupTheErrorSaysWhatToDo(): void
    {
        // The same stock php.ini without ffi.preload/opcache.preload, as a user first tries it
        // (the extension run: the stock php.ini plus only extension=hooksig.so, which is enough).
        $script = self::fpmDir() . '/bare.php';
        file_put_contents($script, '<?php require ' . var_export(dirname(__DIR__) . '/autoload.php', true)
            . '; try { new Hooksig\\Verifier("github", "s"); echo "loaded ", Hooksig\\Verifier::backend(), " ", ini_get("ffi.preload") === "" ? "no-preload" : "preload"; }'
            . ' catch (Hooksig\\HooksigException $e) { echo $e->getMessage(); }');
        $ext = FpmServer::extension();
        $bare = new FpmServer($script, ['HOOKSIG_LIB' => (string) getenv('HOOKSIG_LIB')], preload: $ext !== null);
        try {
            $got = (string) file_get_contents("http://127.0.0.1:{$bare->port}/");
        } finally {
            $bare->stop();
        }
        if ($ext !== null) {
            $this->assertSame('loaded ext no-preload', $got);
            return;
        }
        $this->assertStringContainsString('ffi.preload', $got);
        $this->assertStringContainsString('hooksig-ffi-header', $got);
    }

    private static function fpmDir(): string
    {
        $dir = sys_get_temp_dir() . '/hooksig-fpm-bare-' . getmypid();
        is_dir($dir) || mkdir($dir);
        return $dir;
    }

    /** @param list<string> $cmd */
    private static function capture(array $cmd): string
    {
        $p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
        $out = (string) stream_get_contents($pipes[1]);
        proc_close($p);
        return $out;
    }
}
