#!/usr/bin/env bash
# Regenerates bindings-c/include/hooksig.h (C, and PHP's FFI::cdef through bindings-php/src/Native.php)
# with bindings-c/header-gen, which links cbindgen =0.29.0 as a locked
# dependency: no cbindgen from PATH or HOME is ever used (its output differs between releases).
#
#   bindings-c/gen-header.sh           rewrite both headers
#   bindings-c/gen-header.sh --check   regenerate into a temp dir; fail if the committed ones differ
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

check=0
[ "${1:-}" = "--check" ] && check=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cargo run --locked --quiet --manifest-path "$root/Cargo.toml" -p hooksig-header-gen -- "$tmp"

if [ "$check" = 1 ]; then
  status=0
  for f in hooksig.h; do
    if ! diff -u "$here/include/$f" "$tmp/$f" >"$tmp/diff" 2>&1; then
      echo "gen-header: bindings-c/include/$f is stale; run bindings-c/gen-header.sh and commit it" >&2
      head -40 "$tmp/diff" >&2
      status=1
    fi
  done
  [ "$status" = 0 ] && echo "gen-header: include/hooksig.h is up to date"
  exit "$status"
fi
mkdir -p "$here/include"
cp "$tmp/hooksig.h" "$here/include/"
echo "gen-header: wrote bindings-c/include/hooksig.h"
