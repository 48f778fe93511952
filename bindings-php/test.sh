#!/usr/bin/env bash
# PHP (FFI) suite: PHPUnit over every vector, the API tests and the php -S receiver
# (examples/php). Called by bindings-c/test.sh with HOOKSIG_LIB set; runnable alone after
# `cargo build --release -p hooksig-c`. Prints `N passed, N failed`. bindings-php-ext/test.sh
# runs it again with the native extension (HOOKSIG_BACKEND=ext; HOOKSIG_PHPUNIT_TAG names its
# logs).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
export HOOKSIG_LIB=${HOOKSIG_LIB:-$root/target/release/libhooksig.so}
[ -f "$HOOKSIG_LIB" ] || cargo build --release -p hooksig-c --manifest-path "$root/Cargo.toml"
php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || { echo "PHP's FFI extension is not loaded" >&2; exit 1; }
# The replay tests run a real redis-server and talk to it with phpredis (no skipping).
php -r 'exit(extension_loaded("redis") ? 0 : 1);' || { echo "phpredis is not loaded (Debian: php8.2-redis)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is missing (Debian: redis-server)" >&2; exit 1; }

tag=${HOOKSIG_PHPUNIT_TAG:+-$HOOKSIG_PHPUNIT_TAG}
junit=$root/target/hooksig-php$tag-junit.xml
mkdir -p "$root/target"
rm -f "$junit"
status=0
phpunit --configuration "$here/phpunit.xml.dist" --log-junit "$junit" >"$root/target/hooksig-php$tag.log" 2>&1 || status=$?
tail -n 25 "$root/target/hooksig-php$tag.log"
php -r '
  $x = simplexml_load_file($argv[1]);
  if ($x === false || !isset($x->testsuite)) { fwrite(STDERR, "no JUnit report\n"); echo "0 passed, 1 failed\n"; exit(1); }
  $s = $x->testsuite->attributes();
  $bad = (int) $s["failures"] + (int) $s["errors"] + (int) ($s["skipped"] ?? 0) + (int) ($s["warnings"] ?? 0);
  printf("%d passed, %d failed\n", (int) $s["tests"] - $bad, $bad);
' "$junit" || status=1
exit "$status"
