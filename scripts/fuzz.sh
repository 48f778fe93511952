#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10: the CI smoke run), starting from the
# checked-in corpus, then the Node differential check over the JSON corpus.
# New corpus entries go to build/fuzz-corpus so the checked-in corpus stays as committed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
# cargo-fuzz is pinned and lives in target/tools: a cargo-fuzz on PATH or in ~/.cargo may be
# any version, so it is never used.
fuzz_version=0.13.2
cargo_fuzz=$PWD/target/tools/bin/cargo-fuzz
if ! "$cargo_fuzz" --version 2>/dev/null | grep -qx "cargo-fuzz $fuzz_version"; then
  echo "fuzz: installing cargo-fuzz $fuzz_version into target/tools (one time, 1-2 min)" >&2
  cargo install --quiet --locked cargo-fuzz --version "=$fuzz_version" --root target/tools --force
fi
export RUSTC_BOOTSTRAP=1   # cargo-fuzz needs nightly flags; this machine has stable only
targets=(verify_any stripe_header standard_webhooks_header prefixed_hex js_json)
# cargo fuzz has no --locked: fail instead if the build had to change the committed lockfile.
lock_before=$(sha256sum fuzz/Cargo.lock)
(cd fuzz && "$cargo_fuzz" fuzz build --release 2>&1 | tail -1)
if [ "$(sha256sum fuzz/Cargo.lock)" != "$lock_before" ]; then
  echo "fuzz: fuzz/Cargo.lock was stale (the core's dependencies changed); commit the updated one" >&2
  exit 1
fi
failed=0
for t in "${targets[@]}"; do
  work=build/fuzz-corpus/$t
  mkdir -p "$work"
  log=build/fuzz-$t.log
  if (cd fuzz && "$cargo_fuzz" fuzz run --release "$t" "../$work" "corpus/$t" -- \
        -max_total_time="$seconds" -print_final_stats=1) >"$log" 2>&1; then
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
    echo "fuzz $t: ${runs} executions in ${seconds}s, no crash"
  else
    echo "fuzz $t: FAILED (see $log and fuzz/artifacts/$t)"
    tail -30 "$log"
    failed=$((failed + 1))
  fi
done
build/venv/bin/python fuzz/differential.py fuzz/corpus/js_json build/fuzz-corpus/js_json
echo "$(( ${#targets[@]} - failed )) passed, $failed failed"
[ "$failed" -eq 0 ]
