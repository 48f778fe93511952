#!/usr/bin/env bash
# Installs the C library (`make install-c`, or this script after a release build):
#   lib/libhooksig.so.VERSION with the links libhooksig.so.MAJOR (its SONAME, set by build.rs) and
#   libhooksig.so, lib/libhooksig.a, include/hooksig.h, lib/pkgconfig/hooksig.pc (version from
#   Cargo), share/doc/hooksig/LICENSE-*.
#
#   cargo build --release -p hooksig-c && bindings-c/install.sh            # PREFIX=/usr/local
#   PREFIX=/usr DESTDIR=/tmp/stage bindings-c/install.sh                   # staged (packaging)
#   bindings-c/install.sh /opt/hooksig                                     # PREFIX as argument
#
# PREFIX is where the files will live at run time, and the only path written into hooksig.pc;
# DESTDIR (optional, as in GNU make) is prepended to every file copied, so a staged install
# carries no staging path. test.sh stages this way and compiles the C tests through pkg-config.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
prefix=${1:-${PREFIX:-/usr/local}}
case $prefix in
  /*) ;;
  *) prefix=$(mkdir -p "$prefix" && cd "$prefix" && pwd) ;; # relative: resolved once, here
esac
prefix=${prefix%/}
dest=${DESTDIR:-}
target=${CARGO_TARGET_DIR:-$root/target}/release
version=$(cargo pkgid --manifest-path "$root/Cargo.toml" -p hooksig-c | sed 's/.*[#@]//')
for built in libhooksig.so libhooksig.a; do
  [ -f "$target/$built" ] || { echo "install.sh: $target/$built is missing: run cargo build --release -p hooksig-c" >&2; exit 1; }
done

lib=$dest$prefix/lib
mkdir -p "$lib/pkgconfig" "$dest$prefix/include" "$dest$prefix/share/doc/hooksig"
major=${version%%.*}
install -m 0755 "$target/libhooksig.so" "$lib/libhooksig.so.$version"
ln -sf "libhooksig.so.$version" "$lib/libhooksig.so.$major"
ln -sf "libhooksig.so.$major" "$lib/libhooksig.so"
install -m 0644 "$target/libhooksig.a" "$lib/"
install -m 0644 "$here/include/hooksig.h" "$dest$prefix/include/"
install -m 0644 "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$dest$prefix/share/doc/hooksig/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" "$here/hooksig.pc.in" \
  >"$lib/pkgconfig/hooksig.pc"
echo "installed hooksig $version into ${dest:+$dest (staged) }$prefix"
