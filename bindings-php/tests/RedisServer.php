<?php

declare(strict_types=1);

namespace Hooksig\Tests;

/**
 * A throwaway redis-server on a free 127.0.0.1 port (no persistence), for the tests that need
 * a real shared store. Started by the test, stopped by it; redis-server must be installed
 * (Debian's redis-server; scripts/install-deps.sh).
 */
final class RedisServer
{
    /** @var resource */
    private $process;
    public readonly int $port;
    private string $log;

    public function __construct()
    {
        if (!extension_loaded('redis')) {
            throw new \RuntimeException('phpredis is not loaded (Debian: php8.2-redis)');
        }
        $this->port = self::freePort();
        $this->log = sys_get_temp_dir() . '/hooksig-redis-' . $this->port . '.log';
        $this->start();
    }

    /** Starts redis-server on this port (again, after stop()). */
    public function start(): void
    {
        $cmd = ['redis-server', '--port', (string) $this->port, '--bind', '127.0.0.1', '--save', '',
            '--appendonly', 'no', '--daemonize', 'no'];
        $process = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $this->log, 'a'], 2 => ['file', $this->log, 'a']], $pipes);
        if ($process === false) {
            throw new \RuntimeException('cannot start redis-server');
        }
        $this->process = $process;
        // Wait until it answers PING (a readiness wait, not a timed assertion).
        for ($i = 0; $i < 200; $i++) {
            try {
                if ($this->client()->ping() !== false) {
                    return;
                }
            } catch (\RedisException) {
            }
            usleep(25_000);
        }
        $this->stop();
        throw new \RuntimeException('redis-server did not start; see ' . $this->log);
    }

    public static function freePort(): int
    {
        $probe = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
        fclose($probe);
        return $port;
    }

    public function url(): string
    {
        return 'redis://127.0.0.1:' . $this->port;
    }

    public function client(): \Redis
    {
        $redis = new \Redis();
        $redis->connect('127.0.0.1', $this->port, 2.0);
        return $redis;
    }

    /** SIGSTOP: a hung Redis (connections stay open, nothing answers). */
    public function pause(): void
    {
        posix_kill(proc_get_status($this->process)['pid'], SIGSTOP);
    }

    /** SIGCONT after pause(). */
    public function resume(): void
    {
        posix_kill(proc_get_status($this->process)['pid'], SIGCONT);
    }

    public function stop(): void
    {
        if (is_resource($this->process)) {
            $status = proc_get_status($this->process);
            if ($status['running']) {
                posix_kill($status['pid'], SIGCONT); // a paused server handles SIGTERM only once resumed
            }
            proc_terminate($this->process);
            proc_close($this->process);
        }
    }
}
