#!/usr/bin/env bash
# bindings-c/test.sh (make test-c): builds libhooksig once (release), checks the committed
# header, runs the C tests against the .so and the .a under valgrind, then the PHP (FFI) and
# C# (P/Invoke) suites against the same .so. Each suite prints `N passed, N failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
cd "$root"

need=(php phpunit mcs mono valgrind pkg-config redis-server /usr/sbin/php-fpm8.2 /usr/sbin/nginx)
for cmd in "${need[@]}"; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then bash scripts/install-deps.sh; fi
    break
  fi
done
# phpredis (php8.2-redis) is a PHP extension, not a command.
if ! php -r 'exit(extension_loaded("redis") ? 0 : 1);' 2>/dev/null && [ "$(id -u)" -eq 0 ]; then
  bash scripts/install-deps.sh
fi

echo "== build libhooksig (release)"
cargo build --release -p hooksig-c

echo "== shared-library version (SONAME libhooksig.so.MAJOR, set by bindings-c/build.rs)"
major=$(cargo pkgid --manifest-path "$root/Cargo.toml" -p hooksig-c | sed 's/.*[#@]//; s/\..*//')
soname=$(readelf -d "$root/target/release/libhooksig.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libhooksig.so.$major" ]; then
  echo "libhooksig.so has SONAME '$soname', expected libhooksig.so.$major" >&2
  exit 1
fi
echo "SONAME $soname"

echo "== header is up to date"
bash "$here/gen-header.sh" --check

out=$root/target/hooksig-c
rm -rf "$out"
mkdir -p "$out"
bash "$here/install.sh" "$out/prefix" >/dev/null
export PKG_CONFIG_PATH=$out/prefix/lib/pkgconfig

echo "== staged install (DESTDIR + PREFIX): no staging path in hooksig.pc"
DESTDIR=$out/stage PREFIX=/opt/hooksig bash "$here/install.sh" >/dev/null
staged=$out/stage/opt/hooksig
if grep -q "$out/stage" "$staged/lib/pkgconfig/hooksig.pc" || ! grep -qx 'prefix=/opt/hooksig' "$staged/lib/pkgconfig/hooksig.pc"; then
  echo "a staged install wrote the staging path into hooksig.pc" >&2
  exit 1
fi
[ "$(readlink "$staged/lib/libhooksig.so")" = "libhooksig.so.$major" ] || { echo "libhooksig.so link" >&2; exit 1; }
# The staged tree as a sysroot: pkg-config prefixes -I/-L with it, and the quick start links.
# shellcheck disable=SC2046
gcc -std=c11 "$here/tests/quickstart.c" -o "$out/quickstart_staged" \
  $(PKG_CONFIG_PATH=$staged/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$out/stage pkg-config --cflags --libs hooksig)
LD_LIBRARY_PATH=$staged/lib "$out/quickstart_staged" | grep -qx "200: verified a ping event"
lib=$(pkg-config --variable=libdir hooksig)
python3 "$here/tests/vectors_to_fixture.py" "$root/tests/vectors" "$out/vectors.fixture"
python3 "$here/tests/vectors_to_fixture.py" --bad-inputs "$root/tests/bad-inputs/cases.json" "$out/bad-inputs.fixture"

echo "== README snippets are the tested files"
python3 "$root/scripts/check-snippets.py" "$here/README.md" "$root/bindings-php/README.md" \
  "$root/bindings-dotnet/README.md"

echo "== Rust unit tests of the C boundary (panic policy, status table)"
if ! cargo test --release -p hooksig-c >"$out/rust-tests.log" 2>&1; then
  cat "$out/rust-tests.log" >&2
  exit 1
fi
grep "^test result" "$out/rust-tests.log"

cflags=(-std=c11 -Wall -Wextra -Werror -O1 -g)
tests=("$here"/tests/main.c "$here"/tests/test_api.c "$here"/tests/test_vectors.c "$here"/tests/test_threads.c
  "$here"/tests/test_replay.c "$here"/tests/test_receiver.c "$here"/tests/test_bad_inputs.c)
# shellcheck disable=SC2046
gcc "${cflags[@]}" "${tests[@]}" $(pkg-config --cflags --libs hooksig) -lpthread -o "$out/tests_shared"
# shellcheck disable=SC2046
gcc "${cflags[@]}" "${tests[@]}" $(pkg-config --cflags hooksig) "$lib/libhooksig.a" \
  $(pkg-config --variable=native_static_libs hooksig) -lpthread -o "$out/tests_static"
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$here/tests/quickstart.c" $(pkg-config --cflags --libs hooksig) -o "$out/quickstart"
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$here/tests/replay_example.c" $(pkg-config --cflags --libs hooksig) -o "$out/replay_example"
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$here/tests/any_of_example.c" $(pkg-config --cflags --libs hooksig) -o "$out/any_of_example"
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$here/tests/url_example.c" $(pkg-config --cflags --libs hooksig) -o "$out/url_example"
if readelf -d "$out/tests_static" | grep -q 'libhooksig'; then
  echo "tests_static depends on libhooksig.so: the static link did not happen" >&2
  exit 1
fi
readelf -d "$out/tests_shared" | grep -q "NEEDED.*\[libhooksig.so.$major\]" || {
  echo "tests_shared does not load libhooksig.so.$major (its SONAME)" >&2
  exit 1
}

vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=1)
echo "== C tests, shared library, under valgrind"
LD_LIBRARY_PATH=$lib "${vg[@]}" "$out/tests_shared" "$out/vectors.fixture" "$out/bad-inputs.fixture"
echo "== C tests, static library, under valgrind"
# The bad-input table (its 100 MiB body takes ~18 s under valgrind) runs once, above.
"${vg[@]}" "$out/tests_static" "$out/vectors.fixture"
echo "== C quick start (README)"
LD_LIBRARY_PATH=$lib "${vg[@]}" "$out/quickstart" | tee "$out/quickstart.out"
grep -qx "200: verified a ping event" "$out/quickstart.out"
echo "== C replay guard example (README)"
LD_LIBRARY_PATH=$lib "${vg[@]}" "$out/replay_example" | tee "$out/replay_example.out"
if [ "$(grep -c '^handled ping$' "$out/replay_example.out")" != 1 ] ||
  ! grep -q '^duplicate: github:sig:' "$out/replay_example.out" || ! grep -qx '200 200' "$out/replay_example.out"; then
  echo "the replay example did not run the handler exactly once" >&2
  exit 1
fi
echo "== C any_of example (README)"
LD_LIBRARY_PATH=$lib "${vg[@]}" "$out/any_of_example" | tee "$out/any_of_example.out"
[ "$(cat "$out/any_of_example.out")" = "$(printf 'github\n400')" ] || {
  echo "the any_of example did not print github, 400" >&2
  exit 1
}

echo "== C URL-signing scheme example (README)"
LD_LIBRARY_PATH=$lib "${vg[@]}" "$out/url_example" | tee "$out/url_example.out"
[ "$(cat "$out/url_example.out")" = "$(printf 'twilio\n401')" ] || {
  echo "the URL example did not print twilio, 401" >&2
  exit 1
}

export HOOKSIG_LIB=$lib/libhooksig.so
echo "== PHP (FFI)"
bash "$root/bindings-php/test.sh"
echo "== C# (P/Invoke, Mono)"
bash "$root/bindings-dotnet/test.sh"
echo "bindings-c: all suites passed"
