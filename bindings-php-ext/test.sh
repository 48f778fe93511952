#!/usr/bin/env bash
# bindings-php-ext/test.sh (make test-php-ext): the native PHP extension, from its dist/
# artefact (scripts/dist-php-ext.sh builds and checks it): first the same answers as the FFI
# route, byte for byte (tests/differential.php over every vector and every receiver / replay
# guard / store step, errors included), then the composer package's whole PHPUnit suite again
# with hooksig.so loaded (php -S children and CLI through PHP_INI_SCAN_DIR, PHP-FPM through its
# stock php.ini plus only `extension=`) and HOOKSIG_BACKEND=ext, under which the FFI route
# refuses to load: a silent fallback fails. Prints `N passed, N failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

echo "== build, pack and check the extension (dist/)"
bash scripts/dist-php-ext.sh
so=$(cat target/hooksig-php-ext.path)

echo "== the same answers as libhooksig through FFI"
export HOOKSIG_LIB=${HOOKSIG_LIB:-$root/target/release/libhooksig.so}
[ -f "$HOOKSIG_LIB" ] || cargo build --release -p hooksig-c
out=$root/target/hooksig-php-ext
mkdir -p "$out"
HOOKSIG_BACKEND=ffi php "$here/tests/differential.php" >"$out/ffi.txt"
HOOKSIG_BACKEND=ext php -d "extension=$so" "$here/tests/differential.php" >"$out/ext.txt"
# And where PHP has no FFI at all (-n: no php.ini, no conf.d; the extension the only one loaded),
# the route picked by itself: the package must not need FFI once the extension is there.
env -u HOOKSIG_BACKEND php -n -d "extension=$so" "$here/tests/differential.php" >"$out/ext-no-ffi.txt"
for run in ext ext-no-ffi; do
  if ! cmp -s "$out/ffi.txt" "$out/$run.txt"; then
    diff "$out/ffi.txt" "$out/$run.txt" | head -20 >&2
    echo "the extension ($run) and FFI answer differently" >&2
    exit 1
  fi
done
[ "$(wc -l <"$out/ffi.txt")" -gt 5000 ] || { echo "the differential run is too short" >&2; exit 1; }
echo "$(wc -l <"$out/ffi.txt") answers identical (also with no FFI extension loaded at all)"

echo "== PHP suite with the extension (HOOKSIG_BACKEND=ext)"
mkdir -p "$out/conf.d"
printf 'extension=%s\n' "$so" >"$out/conf.d/hooksig.ini"
# A leading ':' keeps PHP's own conf.d (phpredis, PDO, psr) and adds this one.
PHP_INI_SCAN_DIR=":$out/conf.d" HOOKSIG_BACKEND=ext HOOKSIG_EXT=$so HOOKSIG_PHPUNIT_TAG=ext \
  bash "$root/bindings-php/test.sh"
