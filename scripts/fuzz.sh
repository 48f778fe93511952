#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 10: the CI smoke run), starting from the
# checked-in corpus, then the Node differential check over the JSON corpus.
# New corpus entries go to build/fuzz-corpus so the checked-in corpus stays as committed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
export RUSTC_BOOTSTRAP=1   # cargo-fuzz needs nightly flags; this machine has stable only
targets=(verify_any stripe_header standard_webhooks_header prefixed_hex js_json)
(cd fuzz && cargo fuzz build --release 2>&1 | tail -1)
failed=0
for t in "${targets[@]}"; do
  work=build/fuzz-corpus/$t
  mkdir -p "$work"
  log=build/fuzz-$t.log
  if (cd fuzz && cargo fuzz run --release "$t" "../$work" "corpus/$t" -- \
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
