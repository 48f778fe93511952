"""Forged-request cost ÷ valid-request cost through the Python binding (`make bench-forged`).

    python bench/forged/forged.py CASES_DIR OUT.jsonl

Times the requests `forged_cost cases` wrote (the same bytes every binding gets): for each case
a valid request and the same headers with a wrong signature, as `Verifier.verify` sees them
(headers in a dict, a bytes body, `now` fixed to the signing time). Interleaved batches
(`BENCH_ROUNDS`, `BENCH_BATCH_MS`), median of the batch means in thread CPU time
(`time.thread_time_ns`: the machine is shared, CPU time is what the request costs).
A rejection is an exception, caught in the timed loop, as a receiver would.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import hooksig

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "21"))
BATCH_NS = int(float(os.environ.get("BENCH_BATCH_MS", "10")) * 1e6)
NOW = 1_767_225_600
FILTER = os.environ.get("BENCH_FILTER", "")


def load(cases_dir: Path):
    for line in (cases_dir / "cases.tsv").read_text().splitlines():
        f = line.split("\t")
        scheme, label, shape, size, body_file, n = f[0], f[1], f[2], f[3], f[4], int(f[5])
        secrets, rest = f[6 : 6 + n], f[6 + n :]
        nv = int(rest[0])
        valid = dict(zip(rest[1 : 1 + 2 * nv : 2], rest[2 : 2 + 2 * nv : 2]))
        rest = rest[1 + 2 * nv :]
        nf = int(rest[0])
        forged = dict(zip(rest[1 : 1 + 2 * nf : 2], rest[2 : 2 + 2 * nf : 2]))
        url = rest[1 + 2 * nf] if len(rest) > 1 + 2 * nf else ""
        body = (cases_dir / body_file).read_bytes()
        yield scheme, label, shape, size, secrets, body, valid, forged, url or None


def batch(fn, n: int) -> float:
    start = time.thread_time_ns()
    for _ in range(n):
        fn()
    return (time.thread_time_ns() - start) / n


def main(cases_dir: str, out: str) -> int:
    results = []
    print(f"{'scheme':<24} {'body':<38} {'size':>5} {'valid µs':>12} {'forged µs':>12} {'ratio':>8}")
    for scheme, label, shape, size, secrets, body, valid, forged, url in load(Path(cases_dir)):
        if FILTER not in label:
            continue
        v = hooksig.Verifier(scheme, secrets=secrets)

        def ok() -> None:
            v.verify(valid, body, now=NOW, url=url)

        def bad() -> None:
            try:
                v.verify(forged, body, now=NOW, url=url)
            except hooksig.HooksigError:
                return
            raise AssertionError(f"{label} {shape}: the forged request verified")

        ok()
        bad()
        start = time.perf_counter_ns()
        for _ in range(3):
            ok()
            bad()
        one = max((time.perf_counter_ns() - start) / 3, 1)
        n = max(1, min(1_000_000, int(BATCH_NS / one)))
        vs, fs = [], []
        for r in range(ROUNDS):
            if r % 2 == 0:
                vs.append(batch(ok, n))
                fs.append(batch(bad, n))
            else:
                fs.append(batch(bad, n))
                vs.append(batch(ok, n))
        vu, fu = statistics.median(vs) / 1e3, statistics.median(fs) / 1e3
        print(f"{label:<24} {shape:<38} {size:>5} {vu:>12.2f} {fu:>12.2f} {fu / vu:>7.2f}×", flush=True)
        results.append(
            {"binding": "python", "scheme": label, "shape": shape, "size": size, "valid_us": vu, "forged_us": fu}
        )
    Path(out).write_text("".join(json.dumps(r) + "\n" for r in results))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
