#!/usr/bin/env bash
# Composer for `make dist-php`, pinned and not installed: Debian 12's `composer` package and the
# PHP libraries it runs on, each an exact version (and the .deb's SHA-256) listed below, fetched
# with `apt-get download` into build/tools/composer/debs/ and unpacked with `dpkg-deb -x` into
# build/tools/composer/root/ (no dpkg database change, nothing under /usr, nothing removed).
# Installing Debian's composer instead would remove php8.2-psr: its dependency
# php-symfony-service-contracts Breaks php-psr (see scripts/install-deps.sh).
#
# It runs as /usr/bin/php8.2 -n: no php.ini and no conf.d, so not the php-psr extension (its
# built-in Psr\ interfaces are what Debian's Breaks keeps apart from the PHP-source psr/log and
# psr/container these libraries ship) and no extension but those named below; its include_path is
# the unpacked tree only (Debian's autoloaders require their neighbours by __DIR__): the pinned
# libraries, never whatever /usr/share/php holds.
#   phar, iconv, ctype, tokenizer, posix  php8.2-common (Composer's platform check; Symfony)
#   mbstring, intl                        php8.2-mbstring, php8.2-intl (Composer, symfony/string)
#   zip                                   php8.2-zip (`composer archive --format=zip`, and an
#                                         artifact repository's zips)
#   ffi                                   php8.2-common (the platform the package requires:
#                                         `composer require hooksig/hooksig` checks ext-ffi)
# Without zip, phar, ffi, or both mbstring and iconv, the offline install from dist/ fails; intl is
# what Debian's php-symfony-string depends on (curl is left out: no network here).
#
# Prints the folder holding the `composer` wrapper (build/tools/composer/bin), after setting it up
# when the pins changed or it is missing; with arguments, runs that composer with them instead.
# A second run reuses the checked .debs and the unpacked tree, and needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
self=$PWD/scripts/composer.sh # in the stamp: a change to this script sets the tree up anew
tools=$PWD/build/tools/composer
php=/usr/bin/php8.2

# package=version sha256 (apt-cache depends --recurse composer, the PHP-source packages; the
# others are php8.2-cli and the extensions above, from scripts/install-deps.sh)
pins=(
  "composer=2.5.5-1+deb12u5 02540f1cb8a6ab8e829e5a56d2920497d98d9d482217854b84e01fdfb5e08b9f"
  "jsonlint=1.9.0-1 f13e4b464b609f47194eba494ef18150e852162eab0392b75a633cab44f340a0"
  "php-composer-ca-bundle=1.3.5-1 563f8b08320c90f2afb02ae05f7cafceb79ff546b21e95ff8a53e597164a468d"
  "php-composer-class-map-generator=1.0.0-2+deb12u1 087499a4a6d679025fb915ffb57cb5a0ec176552eaefec24f5c15cfb18de3ef2"
  "php-composer-metadata-minifier=1.0.0-2 a0c1ac01559e1a49c0a53448b787e1094a3613c3dc05d54becc2492e8771727a"
  "php-composer-pcre=3.1.0-1+deb12u1 d87cedaa2488f33d31c429971225479260c4b49f9163da2a6c756c915fab4c07"
  "php-composer-semver=3.3.2-1 b9995a9a1f4a54d84413252ede10fbbdcd008723c446ba3ea6aed80c36469829"
  "php-composer-spdx-licenses=1.5.7-1 1664fcb4562ebc1785ad02325b26c0ecb2d071c15197488dbd683a691907389e"
  "php-composer-xdebug-handler=3.0.3-2+deb12u1 6773abb646f728498440b1edd40287878998ea12656370e1aee1958d4a43c419"
  "php-json-schema=5.2.12-2 117c9713ba66548169261a4b437e024e1cddaf7b212b7fc982a15904f4a6a247"
  "php-psr-container=1.1.2-1 cb4e2d7764b00ef2279c6e08efdd4296a89360bad6c0e22da3ce6abd53dee2a3"
  "php-psr-log=1.1.4-2 737d70a65a1bfa16ea8b09892592d35824171729d3f781a7c32250e5b28416d7"
  "php-react-promise=2.9.0-3 5eb55cabd6744ffa278078faea1a13d759f8f295f012a88c46db0aa54806b8f4"
  "php-seld-signal-handler=2.0.1-2 f147af90d787444c86ac24b7d3aac1667c166c7318e10315072b84b2239f9825"
  "php-symfony-console=5.4.53+dfsg-0+deb12u1 64bd4cbdd9556ee3fd212e444a8df4aa0af00e09c81abb8634eff819a7bab62b"
  "php-symfony-deprecation-contracts=2.5.5-0+deb12u1 df200d35b124c18ce5f6b0c96746bb91158292e3501bafa72dc6a042212c8ac2"
  "php-symfony-filesystem=5.4.53+dfsg-0+deb12u1 57c77569ed858d966b6f7c5d8bcf864c749e2344b905d32d325684543676b556"
  "php-symfony-finder=5.4.53+dfsg-0+deb12u1 f2afdcfeab1434a239a8df3a39484a7fc9fe38eee92c1ef0924ef48df92c6426"
  "php-symfony-process=5.4.53+dfsg-0+deb12u1 5158bbeb6ab6c70678a9a92ca2840464a1214f70d6ec194c5e982554cc6b8df0"
  "php-symfony-service-contracts=2.5.5-0+deb12u1 9495db8f5d862e093707e4e3f78beba04a0496b4cbdd5b44a28623df18f03779"
  "php-symfony-string=5.4.53+dfsg-0+deb12u1 06acedf1a43cea0c596a7e2be93b22560738bac1752b434a272e81a78695a354"
)
extensions=(phar iconv ctype tokenizer posix mbstring intl zip ffi)
composer_version=2.5.5

# The versions of a package apt's lists offer, one a line
offered() {
  apt-cache madison "$1" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u
}

setup() {
  [ -x "$php" ] || { echo "composer.sh: $php is missing (scripts/install-deps.sh installs php8.2-cli)" >&2; exit 1; }
  local extdir
  extdir=$("$php" -n -r 'echo ini_get("extension_dir");')
  for ext in "${extensions[@]}"; do
    [ -f "$extdir/$ext.so" ] ||
      { echo "composer.sh: PHP extension $ext missing ($extdir/$ext.so; scripts/install-deps.sh installs it)" >&2; exit 1; }
  done
  local stamp
  stamp=$(printf '%s\n' "${pins[@]}" "${extensions[@]}" "$php" "$tools" "$(sha256sum <"$self")")
  if [ -f "$tools/stamp" ] && [ "$(cat "$tools/stamp")" = "$stamp" ] && [ -x "$tools/bin/composer" ] &&
    [ -f "$tools/root/usr/bin/composer" ]; then
    return
  fi

  mkdir -p "$tools/debs"
  local pin pkg version sha deb missing=()
  for pin in "${pins[@]}"; do
    pkg=${pin%%=*}
    version=${pin#*=}
    version=${version%% *}
    sha=${pin##* }
    deb=$tools/debs/${pkg}_${version//:/%3a}_all.deb # apt-get download's name: an epoch's colon is %3a
    if [ -f "$deb" ] && ! sha256sum --status -c <<<"$sha  $deb"; then
      rm -f "$deb"
    fi
    [ -f "$deb" ] || missing+=("$pkg=$version")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    # apt's package lists: fetched once when they lack a pinned version (a fresh machine has none)
    local lists_known=1
    for pin in "${missing[@]}"; do
      offered "${pin%%=*}" | grep -qxF "${pin#*=}" || lists_known=0
    done
    if [ "$lists_known" = 0 ] && [ "$(id -u)" -eq 0 ]; then
      apt-get update -qq >/dev/null
    fi
    if ! (cd "$tools/debs" && apt-get download -qq -o APT::Sandbox::User="$(id -un)" "${missing[@]}" >/dev/null 2>&1); then
      for pin in "${missing[@]}"; do
        offered "${pin%%=*}" | grep -qxF "${pin#*=}" && continue
        {
          echo "composer.sh: the pinned ${pin%%=*} ${pin#*=} is not in the Debian archive."
          echo "  Offered now (apt-cache madison ${pin%%=*}): $(offered "${pin%%=*}" | tr '\n' ' ')"
          echo "  Debian keeps only a package's latest version in a suite: put the new version and the"
          echo "  sha256sum of its .deb in scripts/composer.sh's pins, then run make dist-php again."
        } >&2
      done
      echo "composer.sh: apt-get download of ${#missing[@]} pinned packages failed (the Debian archive unreachable?)" >&2
      exit 1
    fi
    for pin in "${pins[@]}"; do
      pkg=${pin%%=*}
      version=${pin#*=}
      version=${version%% *}
      sha=${pin##* }
      deb=$tools/debs/${pkg}_${version//:/%3a}_all.deb
      [ -f "$deb" ] || { echo "composer.sh: apt-get download did not write $deb" >&2; exit 1; }
      sha256sum --status -c <<<"$sha  $deb" ||
        { echo "composer.sh: $deb has SHA-256 $(sha256sum "$deb" | cut -d' ' -f1), pinned $sha" >&2; exit 1; }
    done
  fi

  rm -rf "${tools:?}/root" "${tools:?}/root.new" "${tools:?}/bin"
  mkdir -p "$tools/root.new" "$tools/bin"
  for pin in "${pins[@]}"; do
    pkg=${pin%%=*}
    version=${pin#*=}
    version=${version%% *}
    dpkg-deb -x "$tools/debs/${pkg}_${version//:/%3a}_all.deb" "$tools/root.new"
  done
  mv "$tools/root.new" "$tools/root"
  {
    echo '#!/bin/bash'
    echo "# Debian's composer $composer_version, unpacked by scripts/composer.sh (not installed)"
    printf 'exec %q -n -d %q' "$php" "include_path=.:$tools/root/usr/share/php"
    for ext in "${extensions[@]}"; do printf ' -d extension=%q' "$ext"; done
    printf ' %q "$@"\n' "$tools/root/usr/bin/composer"
  } >"$tools/bin/composer"
  chmod +x "$tools/bin/composer"
  local got
  got=$(COMPOSER_HOME=$tools/home COMPOSER_ALLOW_SUPERUSER=1 "$tools/bin/composer" --version --no-ansi 2>&1) || true
  case $got in
    "Composer version $composer_version "*) ;;
    *) echo "composer.sh: the unpacked composer does not run: $got" >&2; exit 1 ;;
  esac
  rm -rf "${tools:?}/home"
  printf '%s\n' "$stamp" >"$tools/stamp"
}

setup
if [ $# -eq 0 ]; then
  echo "$tools/bin"
else
  exec "$tools/bin/composer" "$@"
fi
