#!/usr/bin/env bash
# `make dist-c`: the C library as a relocatable archive in dist/,
#   libhooksig-VERSION-x86_64-linux-gnu.tar.gz → libhooksig-VERSION/{lib,include,share/doc/hooksig}
# made by a staged install (bindings-c/install.sh with DESTDIR), its hooksig.pc made relative to
# its own location (`${pcfiledir}`), so the archive works wherever it is unpacked. Then checked
# where no Rust exists: unpacked into a fresh folder, the C tests are compiled through
# `pkg-config --cflags --libs hooksig` and run against the shared vectors and bad inputs with
# cargo and rustc off PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

cargo build --release -p hooksig-c
version=$(cargo pkgid -p hooksig-c | sed 's/.*[#@]//')
name=libhooksig-$version
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-dist-c.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== staged install (DESTDIR) into $name"
DESTDIR=$tmp/stage PREFIX=/usr/local bash bindings-c/install.sh >/dev/null
mv "$tmp/stage/usr/local" "$tmp/$name"
sed -i 's|^prefix=.*|prefix=${pcfiledir}/../..|' "$tmp/$name/lib/pkgconfig/hooksig.pc"
mkdir -p dist
archive=dist/$name-x86_64-linux-gnu.tar.gz
rm -f dist/libhooksig-*.tar.gz
tar -C "$tmp" --owner=0 --group=0 --sort=name -czf "$archive" "$name"
echo "wrote $archive"

echo "== the archive where no Rust exists"
check=$tmp/check
mkdir -p "$check"
tar -C "$check" -xzf "$archive"
prefix=$check/$name
python3 bindings-c/tests/vectors_to_fixture.py tests/vectors "$check/vectors.fixture"
python3 bindings-c/tests/vectors_to_fixture.py --bad-inputs tests/bad-inputs/cases.json "$check/bad-inputs.fixture"
tests=(bindings-c/tests/main.c bindings-c/tests/test_api.c bindings-c/tests/test_vectors.c
  bindings-c/tests/test_threads.c bindings-c/tests/test_replay.c bindings-c/tests/test_receiver.c
  bindings-c/tests/test_bad_inputs.c)
# Only system tools on PATH: no cargo, no rustc.
clean_path=/usr/bin:/bin
(
  export PATH=$clean_path PKG_CONFIG_PATH=$prefix/lib/pkgconfig
  if command -v cargo >/dev/null || command -v rustc >/dev/null; then
    echo "Rust is still reachable on PATH" >&2
    exit 1
  fi
  # shellcheck disable=SC2046
  gcc -std=c11 -O1 "${tests[@]}" $(pkg-config --cflags --libs hooksig) -lpthread -o "$check/tests"
  lib=$(pkg-config --variable=libdir hooksig)
  LD_LIBRARY_PATH=$lib "$check/tests" "$check/vectors.fixture" "$check/bad-inputs.fixture"
)
for f in LICENSE-MIT LICENSE-APACHE; do
  [ -f "$prefix/share/doc/hooksig/$f" ] || { echo "$f missing from the archive" >&2; exit 1; }
done
echo "dist-c: $archive unpacked, built through pkg-config and passed the shared tables without Rust"
