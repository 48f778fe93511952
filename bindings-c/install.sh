#!/usr/bin/env bash
# Installs the C library into PREFIX: lib/libhooksig.so.VERSION with the links libhooksig.so.MAJOR
# (its SONAME, set by build.rs) and libhooksig.so, lib/libhooksig.a, include/hooksig.h,
# lib/pkgconfig/hooksig.pc (version from Cargo). Build first:
#   cargo build --release -p hooksig-c && bindings-c/install.sh /usr/local
# test.sh stages into target/hooksig-c the same way and compiles the C tests through pkg-config.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
prefix=${1:?usage: install.sh PREFIX}
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)
target=${CARGO_TARGET_DIR:-$root/target}/release
version=$(cargo pkgid --manifest-path "$root/Cargo.toml" -p hooksig-c | sed 's/.*[#@]//')

mkdir -p "$prefix/lib/pkgconfig" "$prefix/include"
major=${version%%.*}
install -m 0755 "$target/libhooksig.so" "$prefix/lib/libhooksig.so.$version"
ln -sf "libhooksig.so.$version" "$prefix/lib/libhooksig.so.$major"
ln -sf "libhooksig.so.$major" "$prefix/lib/libhooksig.so"
install -m 0644 "$target/libhooksig.a" "$prefix/lib/"
install -m 0644 "$here/include/hooksig.h" "$prefix/include/"
sed -e "s|@PREFIX@|$prefix|" -e "s|@VERSION@|$version|" "$here/hooksig.pc.in" \
  >"$prefix/lib/pkgconfig/hooksig.pc"
echo "installed hooksig $version into $prefix"
