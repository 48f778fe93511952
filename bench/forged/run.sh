#!/usr/bin/env bash
# `make bench-forged`: what a forged request costs next to a valid one, per scheme and binding
# (Rust core, C API, Python, Node) at 1 KiB and 1 MiB, plus the Chaindoc fallback's time and
# peak memory on 1 MiB and 10 MiB bodies; writes the "Forged requests" section of BENCHMARKS.md
# (bench/forged/report.py). Not a test: it prints figures.
#
#   BENCH_ROUNDS (default 21)   interleaved batches per case (median over them)
#   BENCH_BATCH_MS (default 10) target duration of one batch
#   BENCH_FILTER                only the schemes whose label contains it
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
out=$root/target/bench-forged
export BENCH_ROUNDS=${BENCH_ROUNDS:-21}
export BENCH_BATCH_MS=${BENCH_BATCH_MS:-10}
rm -rf "$out"
mkdir -p "$out"
SECONDS=0
step() { echo; echo "== [${SECONDS}s] $*"; }
load() { echo "$1 $(cut -d' ' -f1-3 /proc/loadavg)" >>"$out/load.txt"; }

# ---- build everything first -----------------------------------------------------------------
step "build: the Rust harness (core/examples/forged_cost.rs), libhooksig (C), the C harness"
cargo build --release -p hooksig-core --example forged_cost 2>&1 | tail -1
cargo build --release -p hooksig-c 2>&1 | tail -1
# The harness links -lhooksig, so it records the SONAME (libhooksig.so.0, set by bindings-c/build.rs):
# give target/release that name too (install.sh makes the same link).
ln -sf libhooksig.so "target/release/libhooksig.so.$(cargo pkgid -p hooksig-c | sed 's/.*[#@]//; s/\..*//')"
gcc -std=c11 -O2 -Wall -Wextra -Werror bench/forged/forged.c -Ibindings-c/include -Ltarget/release -lhooksig \
  -Wl,-rpath,"$root/target/release" -o "$out/forged_c"
harness=target/release/examples/forged_cost

step "build: the Python wheel into build/venv-bench (as bench/run.sh does)"
venv=$root/build/venv-bench
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if ! cmp -s bench/python/requirements.txt "$venv/.bench-requirements" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r bench/python/requirements.txt
  cp bench/python/requirements.txt "$venv/.bench-requirements"
fi
"$venv/bin/maturin" build --release --quiet -m bindings-python/Cargo.toml --out "$out/wheel"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$out"/wheel/hooksig-*.whl

step "build: the Node addon (bindings-node)"
if [ -x bindings-node/node_modules/.bin/napi ]; then
  (cd bindings-node && npm run --silent build >/dev/null)
else
  (cd bindings-node && npm install --ignore-scripts --no-audit --no-fund && npm run --silent build >/dev/null)
fi

# ---- measure ---------------------------------------------------------------------------------
step "the cases (every binding times the same bytes)"
"$harness" cases "$out/cases"

step "Rust core"
load rust
"$harness" table "$out/rust.jsonl"
step "C API"
load c
"$out/forged_c" "$out/cases" "$out/c.jsonl"
step "Python"
load python
"$venv/bin/python" bench/forged/forged.py "$out/cases" "$out/python.jsonl"
step "Node"
load node
node bench/forged/forged.mjs "$out/cases" "$out/node.jsonl"

step "Chaindoc fallback: one forged request, time and peak memory it adds"
load peak
for shape in zeros spaced pretty; do
  for mib in 1 10; do
    # The default cap (1 MiB) skips the fallback at 10 MiB; the lifted cap shows the pass itself.
    echo "{\"cap\":\"default\",$("$harness" peak "$shape" "$mib" | cut -c2-)"
    echo "{\"cap\":\"none\",$(JSON_FALLBACK_MAX=18446744073709551615 "$harness" peak "$shape" "$mib" | cut -c2-)"
  done
done | tee "$out/peak.jsonl"
load end

step "BENCHMARKS.md"
python3 bench/forged/report.py "$out" BENCHMARKS.md
echo "make bench-forged: done in ${SECONDS}s"
