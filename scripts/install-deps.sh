#!/usr/bin/env bash
# Installs the system packages the test suites need, when they are missing.
# As root it uses apt-get; otherwise it only reports what is missing.
set -euo pipefail

# command-to-check  debian-package
wanted=(
  "php:php8.2-cli"
  "phpunit:phpunit"
  "mcs:mono-mcs"
  "mono:mono-runtime"
  "valgrind:valgrind"
  "openssl:openssl"
  "pkg-config:pkg-config"
  "redis-server:redis-server"
  "pg_ctlcluster:postgresql"
  "wrk:wrk"
  "/usr/sbin/php-fpm8.2:php8.2-fpm"
  "/usr/sbin/nginx:nginx-light"
  "nuget:nuget"
  "shellcheck:shellcheck"
  "go:golang-go"
)

missing=()
for pair in "${wanted[@]}"; do
  cmd=${pair%%:*}
  pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
# phpredis, for the PHP receivers' Redis replay guard
if command -v php >/dev/null 2>&1 && ! php -m 2>/dev/null | grep -qi '^redis$'; then
  missing+=("php8.2-redis")
elif ! command -v php >/dev/null 2>&1; then
  missing+=("php8.2-redis")
fi
# PDO drivers, for the PHP receivers' SQL replay guard (scripts/postgres.sh runs the server)
for ext in pdo_pgsql:php8.2-pgsql pdo_sqlite:php8.2-sqlite3; do
  if ! command -v php >/dev/null 2>&1 || ! php -m 2>/dev/null | grep -qi "^${ext%%:*}\$"; then
    missing+=("${ext#*:}")
  fi
done
# mono's class libraries beyond mscorlib (System.Core for LINQ, System.Web.Extensions for JSON)
if [ ! -e /usr/lib/mono/4.5/System.Core.dll ]; then
  missing+=("libmono-system-core4.0-cil")
fi
if [ ! -e /usr/lib/mono/4.5/System.Web.Extensions.dll ]; then
  missing+=("libmono-system-web-extensions4.0-cil")
fi

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages (run as root, or install them): ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
