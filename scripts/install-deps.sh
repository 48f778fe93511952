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
  "ruby:ruby"
  "php-config:php8.2-dev"
)

missing=()
for pair in "${wanted[@]}"; do
  cmd=${pair%%:*}
  pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
# phpredis, for the PHP receivers' Redis replay guard
# (asked of PHP itself: `php -m | grep -q` under pipefail fails when grep exits first)
if command -v php >/dev/null 2>&1 && ! php -r 'exit(extension_loaded("redis") ? 0 : 1);' 2>/dev/null; then
  missing+=("php8.2-redis")
elif ! command -v php >/dev/null 2>&1; then
  missing+=("php8.2-redis")
fi
# Ruby libraries for the Ruby gem's tests (Debian's: rubygems.org is not needed), checked by
# requiring what each package provides
for pair in "ffi:ruby-ffi" "sinatra/base:ruby-sinatra" "rack/test:ruby-rack-test" \
  "minitest:ruby-minitest" "redis:ruby-redis" "webrick:ruby-webrick"; do
  lib=${pair%%:*}
  if ! command -v ruby >/dev/null 2>&1 || ! ruby -e "require '$lib'" >/dev/null 2>&1; then
    missing+=("${pair#*:}")
  fi
done
# The PHP extensions the pinned Composer (scripts/composer.sh, for scripts/dist-php.sh) loads
# beyond php8.2-common's: zip (`composer archive`, dist/ as an artifact repository), mbstring and
# intl (Composer, symfony/string). None of them removes a package.
for ext in zip:php8.2-zip mbstring:php8.2-mbstring intl:php8.2-intl; do
  if ! command -v php >/dev/null 2>&1 || ! php -r "exit(extension_loaded('${ext%%:*}') ? 0 : 1);" 2>/dev/null; then
    missing+=("${ext#*:}")
  fi
done
# PDO drivers, for the PHP receivers' SQL replay guard (scripts/postgres.sh runs the server)
for ext in pdo_pgsql:php8.2-pgsql pdo_sqlite:php8.2-sqlite3; do
  if ! command -v php >/dev/null 2>&1 || ! php -r "exit(extension_loaded('${ext%%:*}') ? 0 : 1);" 2>/dev/null; then
    missing+=("${ext#*:}")
  fi
done
# The native PHP extension (bindings-php-ext, ext-php-rs): PHP's headers come with php8.2-dev
# (php-config, above); bindgen needs libclang (Debian 12's is clang 14, which ext-php-rs 0.16.4
# works with).
if ! ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1; then
  missing+=("libclang-dev")
fi
# mono's class libraries beyond mscorlib (System.Core for LINQ, System.Web.Extensions for JSON)
if [ ! -e /usr/lib/mono/4.5/System.Core.dll ]; then
  missing+=("libmono-system-core4.0-cil")
fi
if [ ! -e /usr/lib/mono/4.5/System.Web.Extensions.dll ]; then
  missing+=("libmono-system-web-extensions4.0-cil")
fi

# The PHP framework adapters' tests (bindings-php/src/Symfony, Laravel, Psr): a file each
# Debian package installs. php8.2-psr is the PSR-15 interfaces (a PHP extension); Laravel's
# router and HTTP request come as its Illuminate components (php-illuminate-routing pulls
# php-illuminate-http and php-illuminate-container). Never Debian's `composer` package: its
# dependency php-symfony-service-contracts Breaks php-psr, so installing it removes php8.2-psr (the
# PSR-15 interfaces these tests need). scripts/composer.sh instead downloads that composer and its
# libraries at pinned versions and unpacks them under build/tools/composer (`apt-get download`,
# `dpkg-deb -x`: no package installed or removed), run by `php -n` without the psr extension.
php_files=(
  "/usr/share/php/Symfony/Component/HttpFoundation/autoload.php:php-symfony-http-foundation"
  "/usr/share/php/Symfony/Component/HttpKernel/autoload.php:php-symfony-http-kernel"
  "/usr/share/php/Slim/autoload.php:php-slim"
  "/usr/share/php/Nyholm/Psr7/autoload.php:php-nyholm-psr7"
  "/etc/php/8.2/mods-available/psr.ini:php8.2-psr"
  "/usr/share/php/Illuminate/Routing/autoload.php:php-illuminate-routing"
  "/usr/share/php/Illuminate/Events/autoload.php:php-illuminate-events"
)
for pair in "${php_files[@]}"; do
  [ -e "${pair%%:*}" ] || missing+=("${pair#*:}")
done

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
