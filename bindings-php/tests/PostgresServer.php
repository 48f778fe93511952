<?php

declare(strict_types=1);

namespace Hooksig\Tests;

/**
 * A private PostgreSQL for the PDO guard's tests: scripts/postgres.sh (initdb in a temp dir,
 * 127.0.0.1, a free port, as a non-root user). stop() and start() keep the data and the port.
 */
final class PostgresServer
{
    private string $dir;
    private int $port;
    private string $url;

    public function __construct()
    {
        $this->dir = '/tmp/hooksig-pg-php-' . getmypid() . '-' . bin2hex(random_bytes(4));
        $this->port = RedisServer::freePort();
        $this->url = $this->run('start');
    }

    private function run(string $cmd): string
    {
        $script = dirname(__DIR__, 2) . '/scripts/postgres.sh';
        $out = [];
        exec('PG_PORT=' . $this->port . ' bash ' . escapeshellarg($script) . " $cmd " . escapeshellarg($this->dir) . ' 2>&1', $out, $rc);
        if ($rc !== 0) {
            throw new \RuntimeException("postgres.sh $cmd failed: " . implode("\n", $out));
        }
        return trim(implode("\n", $out));
    }

    /** `pgsql:host=127.0.0.1;port=...;dbname=hooksig;user=hooksig;connect_timeout=2`. */
    public function dsn(): string
    {
        return "pgsql:host=127.0.0.1;port={$this->port};dbname=hooksig;user=hooksig;connect_timeout=2";
    }

    public function start(): void
    {
        $this->run('start');
    }

    public function stop(): void
    {
        $this->run('stop');
    }

    public function destroy(): void
    {
        $this->run('destroy');
    }
}
