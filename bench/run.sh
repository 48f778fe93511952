#!/usr/bin/env bash
# `make bench`: builds what the benchmarks need, runs every one of them once, and writes
# BENCHMARKS.md from their results (bench/report.py). From a clean clone: Rust, Python 3, Node,
# gcc, valgrind and the npm/PyPI registries. All results of one run go to target/bench/ (criterion's to
# target/bench/criterion), which is emptied first, so BENCHMARKS.md only ever holds one run.
#
#   BENCH_ROUNDS (default 61)   batches per case (the median is taken over them)
#   BENCH_BATCH_MS (default 10) target duration of one batch
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$root/target/bench
export BENCH_ROUNDS=${BENCH_ROUNDS:-61}
export BENCH_BATCH_MS=${BENCH_BATCH_MS:-10}
export CRITERION_HOME=$out/criterion
rm -rf "$out"
mkdir -p "$out"
SECONDS=0
load() { echo "$1 $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/load.txt"; }
step() { echo; echo "== [${SECONDS}s] $*"; }

# ---- build everything first, so no build of ours runs while we measure ---------------------
step "build: the criterion bench, libhooksig (C), the boundary bench, the C program"
cargo bench -p hooksig-core --bench verify --no-run 2>&1 | tail -1
cargo build --release -p hooksig-c 2>&1 | tail -1
# The harness links -lhooksig, so it records the SONAME (libhooksig.so.0, set by bindings-c/build.rs):
# give target/release that name too (install.sh makes the same link).
ln -sf libhooksig.so "target/release/libhooksig.so.$(cargo pkgid -p hooksig-c | sed 's/.*[#@]//; s/\..*//')"
cp Cargo.lock bench/c/boundary/Cargo.lock     # the core's dependencies at the root's versions
cargo build --release --manifest-path bench/c/boundary/Cargo.toml --target-dir target/bench-rust 2>&1 | tail -1
lib=$root/target/release/libhooksig.so
gcc -std=c11 -O2 -Wall -Wextra -Werror bench/c/bench.c -Ibindings-c/include -Ltarget/release -lhooksig \
  -Wl,-rpath,"$root/target/release" -o "$out/bench_c"

step "build: the Python wheel into build/venv-bench"
venv=$root/build/venv-bench
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! cmp -s bench/python/requirements.txt "$venv/.bench-requirements" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r bench/python/requirements.txt -c bindings-python/requirements-test.txt
  cp bench/python/requirements.txt "$venv/.bench-requirements"
fi
"$venv/bin/maturin" build --release --quiet -m bindings-python/Cargo.toml --out "$out/wheel"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$out"/wheel/hooksig-*.whl

step "build: the Node addon (bindings-node, napi build) and bench/node's packages"
if [ -x bindings-node/node_modules/.bin/napi ]; then
  (cd bindings-node && npm run --silent build >/dev/null)
else
  (cd bindings-node && npm install --ignore-scripts --no-audit --no-fund && npm run --silent build >/dev/null)
fi
(cd bench/node && npm install --no-audit --no-fund --loglevel=error)

# ---- measure -------------------------------------------------------------------------------
step "criterion: core verify per scheme and size, with the SHA-256 / HMAC floors"
load criterion
cargo bench -p hooksig-core --bench verify >"$out/criterion.log" 2>&1 || { tail -30 "$out/criterion.log"; exit 1; }
grep -E '^(floor|verify)/|time:' "$out/criterion.log" || true

step "boundary: the Rust core and the C API in one process"
load boundary
target/bench-rust/release/boundary "$lib" "$out/boundary.json"

step "callgrind: instructions per verification (core, C API, HMAC floor; 64 B, 1 KiB, 1 MiB)"
load callgrind
bash bench/callgrind.sh target/bench-rust/release/boundary "$lib" "$out/callgrind.jsonl"

step "the C API from C"
load c
"$out/bench_c" "$out/c.json"

step "Python"
load python
"$venv/bin/python" bench/python/bench.py "$out/python.json"

step "Node"
load node
node bench/node/bench.mjs "$out/node.json"

step "peak memory, 100 MiB body"
load memory
peak=target/bench-rust/release/peak_rss
for mode in alloc verify; do
  "$peak" core "$mode" 100
  "$peak" c "$mode" 100 "$lib"
  "$venv/bin/python" bench/python/peak_rss.py "$mode" 100
  node bench/node/peak_rss.mjs "$mode" 100
done | tee "$out/memory.jsonl"
load end

step "BENCHMARKS.md"
"$venv/bin/python" bench/report.py "$out" BENCHMARKS.md
echo "make bench: done in ${SECONDS}s"
