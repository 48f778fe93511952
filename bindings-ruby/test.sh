#!/usr/bin/env bash
# Ruby suite: builds libhooksig, runs the minitest suites against this checkout (the shared
# vectors, bad inputs, the receiver table over real HTTP through Sinatra and bare Rack on
# WEBrick, rack-test, the Redis guard against a real redis-server, the README's quick start),
# then builds the gem twice with `gem build` — with libhooksig bundled in lib/ (a platform gem)
# and without it (pure Ruby, libhooksig from the system path) — installs each with
# `gem install --local` into a temp GEM_HOME and runs a smoke test, the vectors and the quick
# start against the installed gem, from outside the checkout. Only Debian's packages are used
# (ruby, ruby-ffi, ruby-sinatra, ruby-rack-test, ruby-minitest, ruby-redis, ruby-webrick): no
# network, no compiler at install time. Any failure, error or skip fails the run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
command -v ruby >/dev/null || { echo "ruby is missing (Debian: ruby)" >&2; exit 1; }
command -v gem >/dev/null || { echo "gem is missing (Debian: ruby)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "redis-server is missing (Debian: redis-server)" >&2; exit 1; }
for lib in ffi sinatra/base rack/test minitest redis webrick; do
  ruby -e "require '$lib'" 2>/dev/null || { echo "the Ruby library '$lib' is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }
done

cargo build --release -p hooksig-c --manifest-path "$root/Cargo.toml"
build=$root/build/ruby
rm -rf "$build"
mkdir -p "$build"
unset HOOKSIG_LIB
# Nothing from the real HOME for Ruby and gem (cargo keeps its toolchain through these two).
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export HOME=$build/home GEM_SPEC_CACHE=$build/spec-cache
mkdir -p "$HOME"

# The README's quick start is examples/quickstart.rb, which examples_test.rb runs.
python3 "$root/scripts/check-snippets.py" "$here/README.md" >/dev/null
for f in "$here"/lib/*.rb "$here"/lib/hooksig/*.rb "$here"/examples/*.rb "$here"/test/*.rb; do
  out=$(ruby -wc "$f" 2>&1) || { echo "$out" >&2; exit 1; }
  if grep -q 'warning' <<<"$out"; then echo "$out" >&2; exit 1; fi
done

# run LOG FILES...: one minitest process; passes only with 0 failures, 0 errors, 0 skips.
summary=()
run() {
  local log=$1
  shift
  if ! ruby -W0 -e 'ARGV.each { |f| require f }' "$@" >"$log" 2>&1; then
    tail -n 60 "$log"
    exit 1
  fi
  local line
  line=$(grep -E '^[0-9]+ runs, [0-9]+ assertions, ' "$log" | tail -n 1)
  if ! grep -qE ' 0 failures, 0 errors, 0 skips$' <<<"$line"; then
    tail -n 60 "$log"
    exit 1
  fi
  summary+=("$(basename "$log" .log): $line")
}

suites=()
for t in api vectors receivers rack replay stress examples any_of request_line; do suites+=("$here/test/${t}_test.rb"); done
run "$build/checkout.log" "${suites[@]}"

# The gems, built from a staged copy (the checkout stays clean).
stage() { # stage DIR [with-lib]
  mkdir -p "$1"
  cp -r "$here/hooksig.gemspec" "$here/README.md" "$here/LICENSE-MIT" "$here/LICENSE-APACHE" "$here/lib" "$1/"
  rm -f "$1/lib/libhooksig.so"
  if [ "${2:-}" = with-lib ]; then
    cp "$root/target/release/libhooksig.so" "$1/lib/libhooksig.so"
  fi
  (cd "$1" && gem build -q hooksig.gemspec >/dev/null)
}
stage "$build/gem-bundled" with-lib
stage "$build/gem-pure"
bundled=$(ls "$build"/gem-bundled/hooksig-*-x86_64-linux.gem)
pure=$(ls "$build"/gem-pure/hooksig-*.gem)
case $pure in *linux*) echo "the pure gem is platform-specific: $pure" >&2; exit 1 ;; esac
cp "$bundled" "$pure" "$build/"

installed=("$here/test/installed_test.rb" "$here/test/vectors_test.rb" "$here/test/examples_test.rb")
cd "$build" # outside bindings-ruby: nothing is loaded from the checkout or the cwd
GEM_HOME=$build/gem-home-bundled gem install --local --no-document -q "$bundled" >/dev/null
GEM_HOME=$build/gem-home-bundled HOOKSIG_RUBY_INSTALLED=1 run "$build/installed-bundled.log" "${installed[@]}"

# The pure gem finds libhooksig on the system path (here: an install.sh prefix in LD_LIBRARY_PATH).
bash "$root/bindings-c/install.sh" "$build/prefix" >/dev/null
GEM_HOME=$build/gem-home-pure gem install --local --no-document -q "$pure" >/dev/null
GEM_HOME=$build/gem-home-pure HOOKSIG_RUBY_INSTALLED=1 HOOKSIG_EXPECT_LIB=libhooksig.so.0 \
  LD_LIBRARY_PATH=$build/prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
  run "$build/installed-pure.log" "$here/test/installed_test.rb" "$here/test/vectors_test.rb"

printf '%s\n' "${summary[@]}"
echo "gems: $(basename "$bundled") (libhooksig bundled), $(basename "$pure") (pure)"
