#!/usr/bin/env bash
# Instructions per verification (valgrind's callgrind): the Rust core, the C API and the bare
# keyed HMAC floor, counted in `boundary --count` (bench/c/boundary). Exact and repeatable on a
# loaded machine, unlike the wall-clock medians; bench/run.sh runs it, bench/report.py reads it.
#
#   bash bench/callgrind.sh BOUNDARY LIBHOOKSIG.so OUT.jsonl
#
# Per case: two runs under callgrind, N and 2N calls, each counting only the instructions executed
# inside `count_loop` (--collect-atstart=no --toggle-collect); Ir per call = (Ir(2N) − Ir(N)) / N,
# so whatever the loop costs once (first-call effects) cancels as well as the set-up outside it.
#
# The counts move by ~0.1 % with the length of the program's arguments and environment (they shift
# the stack, hence the alignment of the stack buffers the core copies): so the program runs with an
# empty environment, through symlinks of a fixed-length path, and N and 2N have as many digits.
set -euo pipefail
bin=$1
lib=$2
out=$3
tmp=$(mktemp -d /tmp/hooksig-callgrind.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
ln -s "$(realpath "$bin")" "$tmp/boundary"
ln -s "$(realpath "$lib")" "$tmp/libhooksig.so"
vg=$(command -v valgrind)

# Ir executed inside count_loop for: IMPL SCHEME BYTES N
ir() {
  env -i "$vg" --tool=callgrind -q --collect-atstart=no --toggle-collect='*count_loop*' \
    --callgrind-out-file="$tmp/cg.out" "$tmp/boundary" --count "$@" "$tmp/libhooksig.so" >/dev/null
  local total
  total=$(awk '$1 == "totals:" || $1 == "summary:" { print $2; exit }' "$tmp/cg.out")
  if [ -z "$total" ] || [ "$total" -eq 0 ]; then
    echo "callgrind.sh: no instructions counted for $* (is count_loop in the binary?)" >&2
    exit 1
  fi
  echo "$total"
}

: >"$out"
# size label N (N and 2N with as many digits)
for sizes in "64 64B 200" "1024 1KiB 100" "1048576 1MiB 2"; do
  read -r size label n <<<"$sizes"
  for case in "floor algoguard" "core algoguard" "c algoguard" "core github" "c github" \
    "core standard-webhooks" "c standard-webhooks" "core stripe" "c stripe"; do
    read -r imp scheme <<<"$case"
    one=$(ir "$imp" "$scheme" "$size" "$n")
    two=$(ir "$imp" "$scheme" "$size" $((2 * n)))
    per=$(((two - one) / n))
    fixed=$((2 * one - two))
    name=$(case $imp in core) echo "rust core" ;; c) echo "C API" ;; floor) echo "hmac floor" ;; esac)
    printf 'callgrind %-5s %-17s %-10s %10d Ir/call (N=%d: %d, 2N: %d, once: %d)\n' \
      "$label" "$scheme" "$name" "$per" "$n" "$one" "$two" "$fixed"
    printf '{"scheme":"%s","impl":"%s","size":%d,"label":"%s","n":%d,"ir_n":%d,"ir_2n":%d,"ir_per_call":%d,"ir_once":%d}\n' \
      "$scheme" "$name" "$size" "$label" "$n" "$one" "$two" "$per" "$fixed" >>"$out"
  done
done
