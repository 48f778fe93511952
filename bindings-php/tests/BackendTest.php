<?php

declare(strict_types=1);

namespace Hooksig\Tests;

use Hooksig\HooksigException;
use Hooksig\Native;
use Hooksig\Verifier;
use PHPUnit\Framework\TestCase;

/**
 * Which route reaches the core: the suite runs twice (bindings-php/test.sh over FFI,
 * bindings-php-ext/test.sh with hooksig.so and HOOKSIG_BACKEND=ext), and each run proves it is
 * the one it claims, so a silent fallback to FFI fails here.
 */
final class BackendTest extends TestCase
{
    public function testTheRunUsesTheRouteItClaims(): void
    {
        if (getenv('HOOKSIG_BACKEND') === 'ext') {
            $this->assertTrue(extension_loaded('hooksig'), 'the extension run without hooksig.so');
            $this->assertSame('ext', Verifier::backend());
            $this->assertSame(Verifier::version(), \Hooksig\Ext\version());
            $this->assertSame(Verifier::version(), phpversion('hooksig'));
            try {
                Native::ffi();
                $this->fail('HOOKSIG_BACKEND=ext let the FFI route load');
            } catch (HooksigException $e) {
                $this->assertStringContainsString('forbids the FFI route', $e->getMessage());
            }
            return;
        }
        $this->assertFalse(extension_loaded('hooksig'), 'the FFI run must not load hooksig.so');
        $this->assertSame('ffi', Verifier::backend());
        $this->assertSame(Verifier::version(), Native::ffi()->hooksig_version());
    }

    public function testForcingTheExtensionWithoutItIsAnError(): void
    {
        $code = 'require ' . var_export(dirname(__DIR__) . '/autoload.php', true) . ';'
            . ' try { Hooksig\Verifier::schemes(); echo "no error"; } catch (Hooksig\HooksigException $e) { echo $e->getMessage(); }';
        // -n: no php.ini and no conf.d, so no hooksig.so whatever this run loads.
        $p = proc_open([PHP_BINARY, '-n', '-d', 'extension=ffi', '-r', $code], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, null, ['HOOKSIG_BACKEND' => 'ext'] + getenv());
        $out = (string) stream_get_contents($pipes[1]);
        proc_close($p);
        $this->assertStringContainsString('HOOKSIG_BACKEND=ext but the hooksig extension is not loaded', $out);
    }
}
