#!/usr/bin/env bash
# shellcheck disable=SC2016  # PHP code in single quotes: its $ are PHP's
# `make dist-php`: the PHP package as a Composer archive in dist/, hooksig-hooksig-VERSION.zip
# (`composer archive` of bindings-php: composer.json with its `version`, src/, bin/, preload.php,
# autoload.php, the framework examples, README and both licences; composer.json's
# `archive.exclude` leaves out the tests). Made from a staged copy of the files git tracks in
# bindings-php, with the licence symlinks resolved (Composer drops symlinks that leave the
# package) and every mtime set to the time of the last commit touching bindings-php (in UTC), so
# the same tree gives the same zip. Composer is Debian 12's 2.5.5, pinned with the libraries it
# runs on and unpacked under build/tools/composer by scripts/composer.sh, not installed (Debian's
# composer package would remove php8.2-psr).
# Then consumed as a user would, where no Rust and no source tree exist: a fresh project with its
# own COMPOSER_HOME, Packagist disabled and dist/ as an artifact repository
# (`composer config repositories.hooksig artifact dist/` + `composer require hooksig/hooksig`,
# network disabled), the C archive that `make dist-c` built (run first if dist/ lacks it; `make
# dist` and `make test` run dist-c just before) unpacked beside it and HOOKSIG_LIB
# pointing at its lib/ (the header is found in its include/). There, with `env -i
# PATH=build/tools/composer/bin:/usr/bin:/bin` and an empty HOME: bindings-php's VectorsTest
# (copied out, with the shared vectors) under Debian's phpunit with the project's
# vendor/autoload.php as bootstrap, checked to load the installed classes, and the README's PHP
# quick start (examples/php/index.php, copied in as the project's index.php) served by `php -S` with a signed, a forged and an unsigned request.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if ! command -v phpunit >/dev/null || ! php -r 'exit(extension_loaded("zip") && extension_loaded("ffi") &&
  extension_loaded("intl") && extension_loaded("mbstring") ? 0 : 1);' 2>/dev/null; then
  bash scripts/install-deps.sh
fi
# Composer: Debian's, pinned and unpacked under build/tools/composer, not installed (scripts/composer.sh)
composer_bin=$(bash scripts/composer.sh)

version=$(cargo pkgid -p hooksig-c | sed 's/.*[#@]//')
declared=$(php -r 'echo json_decode(file_get_contents($argv[1]), true)["version"] ?? "";' bindings-php/composer.json)
[ "$declared" = "$version" ] ||
  { echo "bindings-php/composer.json \"version\" is '$declared', the crates are $version" >&2; exit 1; }
c_archive=dist/libhooksig-$version-x86_64-linux-gnu.tar.gz
[ -f "$c_archive" ] || bash scripts/dist-c.sh
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-dist-php.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== composer archive of bindings-php (staged: tracked files, licences resolved)"
stage=$tmp/stage
mkdir -p "$stage"
git -C bindings-php ls-files -z | (cd bindings-php && xargs -0 cp --parents -L -t "$stage")
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct -- bindings-php)}
find "$stage" -exec touch -h -d "@$epoch" {} +
mkdir -p dist
rm -f dist/hooksig-hooksig-*.zip
(cd "$stage" && TZ=UTC COMPOSER_HOME=$tmp/composer-home COMPOSER_ALLOW_SUPERUSER=1 \
  "$composer_bin/composer" archive --format=zip --dir="$root/dist" --file="hooksig-hooksig-$version" --no-interaction -q)
zip=dist/hooksig-hooksig-$version.zip
listing=$(unzip -Z1 "$zip")
for f in composer.json LICENSE-MIT LICENSE-APACHE README.md src/Verifier.php src/Native.php src/functions.php \
  preload.php autoload.php bin/hooksig-ffi-header; do
  grep -qx "$f" <<<"$listing" || { echo "$f missing from $zip" >&2; exit 1; }
done
if grep -qE '^(tests/|phpunit\.xml|test\.sh|vendor/|lib/)' <<<"$listing"; then
  echo "$zip holds what archive.exclude leaves out" >&2; exit 1
fi
# Both licences (issue 15), as files with the repository's text, not the symlinks bindings-php has
for f in LICENSE-MIT LICENSE-APACHE; do
  unzip -p "$zip" "$f" | cmp -s - "$f" || { echo "$f in $zip differs from the repository's $f" >&2; exit 1; }
done
echo "wrote $zip ($(wc -l <<<"$listing") files)"

echo "== the package installed from dist/ into a fresh project, without Rust"
use=$tmp/consumer
mkdir -p "$use/check/tests" "$use/tests/vectors" "$tmp/c" "$tmp/home"
tar -C "$tmp/c" -xzf "$c_archive"
lib=$tmp/c/libhooksig-$version/lib/libhooksig.so
[ -f "$lib" ] || { echo "$c_archive has no lib/libhooksig.so" >&2; exit 1; }
# What the project holds besides vendor/: the quick start, and the vector test with the vectors it
# reads (VectorsTest looks in ../../tests/vectors from its own folder).
cp examples/php/index.php "$use/index.php"
cp bindings-php/tests/VectorsTest.php "$use/check/tests/"
cp tests/vectors/*.json "$use/tests/vectors/"
cat >"$use/check/bootstrap.php" <<'PHP'
<?php
// The installed package's autoloader, and proof that the classes come from vendor/.
declare(strict_types=1);
require __DIR__ . '/../vendor/autoload.php';
$file = (new ReflectionClass(Hooksig\Verifier::class))->getFileName();
if (!str_starts_with((string) $file, dirname(__DIR__) . '/vendor/hooksig/hooksig/src/')) {
    throw new RuntimeException("Hooksig\\Verifier was loaded from $file, not the installed package");
}
PHP
cat >"$use/check/quickstart.php" <<'PHP'
<?php
// The README's quick start (index.php) under `php -S`: a signed delivery (200), a forged one (401),
// an unsigned one (400). Prints `N passed, N failed`.
declare(strict_types=1);
require __DIR__ . '/../vendor/autoload.php';
[, $port] = $argv;
$body = '{"event":"order.paid","id":"evt_1"}';
$post = static function (array $headers, string $body) use ($port): array {
    $lines = [];
    foreach ($headers as $name => $value) {
        $lines[] = "$name: $value";
    }
    $lines[] = 'Content-Type: application/json';
    $context = stream_context_create(['http' => ['method' => 'POST', 'header' => $lines,
        'content' => $body, 'ignore_errors' => true, 'timeout' => 10]]);
    $answer = (string) file_get_contents("http://127.0.0.1:$port/webhooks/algoguard", false, $context);
    preg_match('#^HTTP/\S+ (\d+)#', $http_response_header[0] ?? '', $m);
    return [(int) ($m[1] ?? 0), $answer];
};
$signed = Hooksig\sign('algoguard', 'whsec_ihr_secret_hier', $body, time());
$forged = Hooksig\sign('algoguard', 'not_the_secret', $body, time());
$checks = [
    'signed' => [$post($signed, $body), 200, '"status":"received"'],
    'forged' => [$post($forged, $body), 401, '"error":"signature_mismatch"'],
    'unsigned' => [$post([], $body), 400, '"error":"missing_'],
];
$failed = 0;
foreach ($checks as $name => [[$status, $answer], $want, $needle]) {
    if ($status !== $want || !str_contains($answer, $needle)) {
        fwrite(STDERR, "quick start, $name request: $status $answer (expected $want with $needle)\n");
        $failed++;
    }
}
printf("%d passed, %d failed\n", count($checks) - $failed, $failed);
exit($failed === 0 ? 0 : 1);
PHP
cat >"$tmp/consume.sh" <<'SH'
set -euo pipefail
dist=$1 version=$2 use=$3 composer_bin=$4
if command -v cargo >/dev/null || command -v rustc >/dev/null; then echo "Rust is still reachable on PATH" >&2; exit 1; fi
[ "$(command -v composer)" = "$composer_bin/composer" ] ||
  { echo "composer on PATH is $(command -v composer), not the pinned $composer_bin/composer" >&2; exit 1; }
cd "$use"
# The README's two lines as typed, with the project's dist/ being the repository's dist/ (which
# also holds the other artefacts: Composer skips archives without a composer.json).
ln -s "$dist" dist
printf '{"name": "example/consumer", "type": "project", "require": {}}\n' >composer.json
composer config repositories.hooksig artifact dist/
composer config repo.packagist false
composer require hooksig/hooksig --no-interaction --no-progress -q
installed=$(composer show hooksig/hooksig --format=json | php -r 'echo json_decode(stream_get_contents(STDIN), true)["versions"][0];')
[ "$installed" = "$version" ] || { echo "installed hooksig/hooksig $installed, expected $version" >&2; exit 1; }
[ -f vendor/hooksig/hooksig/LICENSE-MIT ] && [ ! -L vendor/hooksig/hooksig/LICENSE-MIT ] &&
  [ -f vendor/hooksig/hooksig/LICENSE-APACHE ] && [ ! -L vendor/hooksig/hooksig/LICENSE-APACHE ] ||
  { echo "the installed package lacks its licences" >&2; exit 1; }
[ ! -e vendor/hooksig/hooksig/tests ] || { echo "the installed package holds its tests" >&2; exit 1; }
echo "composer: hooksig/hooksig $installed installed from the artifact repository $dist"
# The PHP-FPM setup's first command (README, "PHP-FPM"), through Composer's vendor/bin link.
vendor/bin/hooksig-ffi-header >check/hooksig-ffi.h
grep -q '#define FFI_SCOPE "HOOKSIG"' check/hooksig-ffi.h && grep -qF "#define FFI_LIB \"$HOOKSIG_LIB\"" check/hooksig-ffi.h ||
  { echo "vendor/bin/hooksig-ffi-header did not print the preload header for $HOOKSIG_LIB" >&2; exit 1; }

# The shared vectors through VectorsTest, no skipped/risky/incomplete test passing as green.
status=0
phpunit --bootstrap check/bootstrap.php --do-not-cache-result --fail-on-skipped --fail-on-risky \
  --fail-on-incomplete --fail-on-warning --log-junit check/junit.xml check/tests/VectorsTest.php \
  >check/phpunit.log 2>&1 || status=$?
tail -n 3 check/phpunit.log
php -r '
  $x = simplexml_load_file($argv[1]);
  if ($x === false || !isset($x->testsuite)) { fwrite(STDERR, "no JUnit report\n"); exit(1); }
  $s = $x->testsuite->attributes();
  $tests = (int) $s["tests"];
  $bad = (int) $s["failures"] + (int) $s["errors"] + (int) ($s["skipped"] ?? 0) + (int) ($s["warnings"] ?? 0);
  printf("%d passed, %d failed\n", $tests - $bad, $bad);
  exit($tests > 0 && $bad === 0 ? 0 : 1);
' check/junit.xml || status=1
[ "$status" -eq 0 ] || { cat check/phpunit.log >&2; exit 1; }

# The README's quick start, served as its comment says.
port=$(php -r '$s = stream_socket_server("tcp://127.0.0.1:0"); echo explode(":", stream_socket_get_name($s, false))[1];')
php -d ffi.enable=1 -S "127.0.0.1:$port" index.php >check/server.log 2>&1 &
server=$!
for _ in $(seq 50); do
  php -r '$s = @fsockopen("127.0.0.1", (int) $argv[1]); exit($s ? 0 : 1);' "$port" && break
  sleep 0.1
done
status=0
php check/quickstart.php "$port" || status=$?
kill "$server"
wait "$server" 2>/dev/null || true
[ "$status" -eq 0 ] || { cat check/server.log >&2; exit 1; }
SH
env -i PATH="$composer_bin:/usr/bin:/bin" HOME="$tmp/home" COMPOSER_HOME="$tmp/home/composer" \
  COMPOSER_CACHE_DIR="$tmp/home/cache" COMPOSER_DISABLE_NETWORK=1 COMPOSER_NO_AUDIT=1 COMPOSER_ALLOW_SUPERUSER=1 \
  HOOKSIG_LIB="$lib" bash "$tmp/consume.sh" "$root/dist" "$version" "$use" "$composer_bin"
echo "dist-php: $zip installed from dist/ by Composer and passed the shared vectors and the quick start without Rust"
