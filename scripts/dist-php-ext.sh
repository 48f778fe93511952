#!/usr/bin/env bash
# `make dist-php-ext`: hooksig's native PHP extension as a prebuilt .so per PHP ABI in dist/,
#   hooksig-php<MAJOR.MINOR>-<nts|zts>-<arch>-linux.so, plus dist/hooksig.ini (the conf.d file,
#   `extension=hooksig.so`). Built with ext-php-rs against the headers of `php-config` (Debian:
#   php8.2-dev); PHP refuses a .so built for another API version or thread-safety, hence one
#   file per ABI in the name. Then checked as a user installs it: copied as hooksig.so into an
#   extension directory, loaded through the shipped hooksig.ini alone (no other ini), with no
#   startup warning and the core's version. Writes the artefact's path to
#   target/hooksig-php-ext.path for bindings-php-ext/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

command -v php-config >/dev/null || { echo "php-config is missing (Debian: php8.2-dev)" >&2; exit 1; }
cargo build --release -p hooksig-php-ext
version=$(cargo pkgid -p hooksig-php-ext | sed 's/.*[#@]//')
php_bin=$(php-config --php-binary)
abi=$("$php_bin" -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION, PHP_ZTS ? "-zts" : "-nts";')
name=hooksig-php$abi-$(uname -m)-linux.so
mkdir -p dist
rm -f dist/hooksig-php*-linux.so
cp target/release/libhooksig_php.so "dist/$name"
strip --strip-unneeded "dist/$name"
cp bindings-php-ext/hooksig.ini dist/hooksig.ini
echo "wrote dist/$name (PHP API $(php-config --phpapi)) and dist/hooksig.ini"

echo "== installed as the README says: hooksig.so + hooksig.ini, nothing else"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-dist-php-ext.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/ext" "$tmp/conf.d"
cp "dist/$name" "$tmp/ext/hooksig.so"
cp dist/hooksig.ini "$tmp/conf.d/"
printf 'extension_dir=%s\n' "$tmp/ext" >"$tmp/php.ini"
out=$(PHP_INI_SCAN_DIR=$tmp/conf.d "$php_bin" -c "$tmp/php.ini" -r \
  'echo extension_loaded("hooksig") ? "loaded " . Hooksig\Ext\version() : "not loaded";' 2>"$tmp/stderr")
if [ "$out" != "loaded $version" ] || [ -s "$tmp/stderr" ]; then
  echo "the installed extension: '$out' (expected 'loaded $version')" >&2
  cat "$tmp/stderr" >&2
  exit 1
fi
echo "$out"
echo "$root/dist/$name" >"$root/target/hooksig-php-ext.path"
