<?php

declare(strict_types=1);

namespace Hooksig\Tests;

/**
 * A throwaway PHP-FPM (Debian's php8.2-fpm, its stock php.ini: `ffi.enable=preload`) behind
 * nginx over FastCGI, on a free 127.0.0.1 port, serving one script for every path. hooksig is
 * loaded the documented way: php.ini's `ffi.preload` names the header bin/hooksig-ffi-header
 * prints and `opcache.preload` runs preload.php (passed as `-d`, the stock php.ini otherwise
 * unchanged); or, when the suite runs with the native extension (`HOOKSIG_EXT` = the path of
 * the built hooksig.so), the stock php.ini plus only `extension=` that file. Started by the
 * test, stopped by it.
 */
final class FpmServer
{
    public const FPM = '/usr/sbin/php-fpm8.2';
    public const NGINX = '/usr/sbin/nginx';
    public const STOCK_INI = '/etc/php/8.2/fpm/php.ini';
    /** The stock php.ini's scan directory (Debian's php8.2-fpm). */
    public const STOCK_CONF_D = '/etc/php/8.2/fpm/conf.d';

    /** @var list<resource> */
    private array $processes = [];
    public readonly int $port;
    public readonly string $dir;

    /**
     * @param array<string, string> $env passed to the PHP workers (clear_env = no)
     * @param bool $preload false: the stock php.ini alone, without the README's FPM setup
     * @param int|null $port nginx's port (null: a free one)
     */
    public function __construct(string $script, array $env, bool $preload = true, ?int $port = null)
    {
        foreach ([self::FPM, self::NGINX, self::STOCK_INI] as $need) {
            if (!is_file($need)) {
                throw new \RuntimeException("$need is missing (Debian: php8.2-fpm, nginx-light; scripts/install-deps.sh)");
            }
        }
        $this->dir = sys_get_temp_dir() . '/hooksig-fpm-' . getmypid() . '-' . bin2hex(random_bytes(4));
        mkdir($this->dir . '/nginx', 0700, true);
        $this->port = $port ?? RedisServer::freePort();
        $fastcgi = '127.0.0.1:' . RedisServer::freePort();
        $user = posix_getpwuid(posix_geteuid())['name'] ?? 'root';
        file_put_contents($this->dir . '/fpm.conf', <<<CONF
            [global]
            error_log = {$this->dir}/fpm.log
            daemonize = no
            [hooksig]
            user = $user
            listen = $fastcgi
            pm = static
            pm.max_children = 2
            clear_env = no
            catch_workers_output = yes
            CONF);
        // The body limit is hooksig's (Receiver): nginx's own 1 MiB default would answer 413
        // HTML first, so the README tells users to raise client_max_body_size above it too.
        file_put_contents($this->dir . '/nginx.conf', <<<CONF
            daemon off;
            user $user;
            pid {$this->dir}/nginx.pid;
            error_log {$this->dir}/nginx-error.log;
            worker_processes 1;
            events { worker_connections 64; }
            http {
                access_log off;
                client_body_temp_path {$this->dir}/nginx/body;
                fastcgi_temp_path {$this->dir}/nginx/fastcgi;
                proxy_temp_path {$this->dir}/nginx/proxy;
                uwsgi_temp_path {$this->dir}/nginx/uwsgi;
                scgi_temp_path {$this->dir}/nginx/scgi;
                client_max_body_size 64m;
                server {
                    listen 127.0.0.1:{$this->port};
                    location / {
                        include /etc/nginx/fastcgi_params;
                        fastcgi_param SCRIPT_FILENAME $script;
                        # Debian's fastcgi_params pass HTTP_HOST as \$host, without the port; the
                        # receiver table's URL without public_url is http://<Host as sent><path>.
                        fastcgi_param HTTP_HOST \$http_host;
                        fastcgi_pass $fastcgi;
                    }
                }
            }
            CONF);
        // The extension run: the stock php.ini and `extension=hooksig.so`, nothing else (not the
        // suite's PHP_INI_SCAN_DIR either: FPM reads its own stock conf.d).
        $ext = self::extension();
        if ($ext !== null) {
            $env = ['PHP_INI_SCAN_DIR' => self::STOCK_CONF_D] + $env;
            $setup = $preload ? ['-d', 'extension=' . $ext] : [];
            $this->start($setup, $env, $fastcgi);
            return;
        }
        // The README's setup: the header bin/hooksig-ffi-header prints, named by ffi.preload.
        $header = $this->dir . '/hooksig-ffi.h';
        $cmd = [PHP_BINARY, dirname(__DIR__) . '/bin/hooksig-ffi-header'];
        $p = proc_open($cmd, [1 => ['file', $header, 'w'], 2 => ['file', $this->dir . '/header.log', 'w']], $pipes, null, $env + getenv());
        if ($p === false || proc_close($p) !== 0) {
            throw new \RuntimeException('bin/hooksig-ffi-header failed: ' . $this->logs());
        }
        $setup = $preload ? ['-d', 'ffi.preload=' . $header, '-d', 'opcache.preload=' . dirname(__DIR__) . '/preload.php',
            '-d', 'opcache.preload_user=' . $user] : [];
        $this->start($setup, $env, $fastcgi);
    }

    /** The native extension this suite runs with (`HOOKSIG_EXT`), or null for the FFI run. */
    public static function extension(): ?string
    {
        return getenv('HOOKSIG_EXT') ?: null;
    }

    /**
     * php-fpm with the stock php.ini and `$setup`, then nginx in front of it.
     *
     * @param list<string> $setup
     * @param array<string, string> $env
     */
    private function start(array $setup, array $env, string $fastcgi): void
    {
        $this->spawn([self::FPM, '--nodaemonize', '--allow-to-run-as-root', '-c', self::STOCK_INI,
            '-y', $this->dir . '/fpm.conf', ...$setup], $env, 'fpm.out');
        // nginx only once php-fpm listens: whoever finds nginx's port open can send at once.
        [$host, $fpmPort] = explode(':', $fastcgi);
        if (self::await($host, (int) $fpmPort)) {
            $this->spawn([self::NGINX, '-c', $this->dir . '/nginx.conf', '-e', $this->dir . '/nginx-error.log'], $env, 'nginx.out');
            if (self::await('127.0.0.1', $this->port)) {
                return;
            }
        }
        $this->stop();
        throw new \RuntimeException('php-fpm/nginx did not start: ' . $this->logs());
    }

    /** Whether host:port accepts a connection within 10 s (a wait, not a timed assertion). */
    private static function await(string $host, int $port): bool
    {
        for ($i = 0; $i < 200; $i++) {
            $conn = @fsockopen($host, $port);
            if ($conn !== false) {
                fclose($conn);
                return true;
            }
            usleep(50_000);
        }
        return false;
    }

    /** @param list<string> $cmd @param array<string, string> $env */
    private function spawn(array $cmd, array $env, string $out): void
    {
        $log = $this->dir . '/' . $out;
        $process = proc_open($cmd, [0 => ['pipe', 'r'], 1 => ['file', $log, 'a'], 2 => ['file', $log, 'a']], $pipes, null, $env + getenv());
        if ($process === false) {
            throw new \RuntimeException('cannot start ' . $cmd[0]);
        }
        $this->processes[] = $process;
    }

    /** Everything the servers logged (for failure messages). */
    public function logs(): string
    {
        $out = '';
        foreach (glob($this->dir . '/*.{log,out}', GLOB_BRACE) ?: [] as $f) {
            $out .= "\n--- " . basename($f) . "\n" . file_get_contents($f);
        }
        return $out;
    }

    public function stop(): void
    {
        foreach (array_reverse($this->processes) as $process) {
            proc_terminate($process, 15);
            proc_close($process);
        }
        $this->processes = [];
    }
}
