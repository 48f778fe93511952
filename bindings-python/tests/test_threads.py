"""Concurrency: one shared Verifier used by 8 threads at once gives the right answer every time,
for bodies below and above the size at which the GIL is released."""

from __future__ import annotations

import threading
from typing import Union

import hooksig
from hooksig import _native

NOW = 1_767_225_600
SECRETS = ["whsec_thread_old", "whsec_thread_current"]
THREADS = 8
ROUNDS = 40

Outcome = Union[tuple[str, int, bytes], str]


def make_jobs() -> list[tuple[dict[str, str], bytes | str | bytearray, Outcome]]:
    jobs: list[tuple[dict[str, str], bytes | str | bytearray, Outcome]] = []
    for i in range(24):
        size = [10, 1000, _native.DETACH_THRESHOLD, 300_000][i % 4]
        body = (f'{{"id":"evt_{i}","event":"e.{i}","pad":"'.encode() + b"p" * size) + b'"}'
        secret = SECRETS[i % 2]
        h = hooksig.sign("algoguard", secret, body, timestamp=NOW - i)
        jobs.append((h, body, (f"evt_{i}", i % 2, body)))
        jobs.append((h, body.decode(), (f"evt_{i}", i % 2, body)))
        jobs.append((h, bytearray(body), (f"evt_{i}", i % 2, body)))
        jobs.append((h, body[:-2] + b'x"}', "signature_mismatch"))
        stale = hooksig.sign("algoguard", secret, body, timestamp=NOW - 301 - i)
        jobs.append((stale, body, "timestamp_expired"))
    return jobs


def run(
    verifier: hooksig.Verifier, headers: dict[str, str], body: bytes | str | bytearray
) -> Outcome:
    try:
        r = verifier.verify(headers, body, now=NOW)
    except hooksig.VerificationError as err:
        return err.code
    return (r.id or "", r.key_index, r.payload)


def test_eight_threads_share_one_verifier() -> None:
    verifier = hooksig.Verifier("algoguard", secrets=SECRETS)
    jobs = make_jobs()
    # Expected outcomes are stated by construction; check them once on this thread too.
    assert [run(verifier, h, b) for h, b, _ in jobs] == [want for _, _, want in jobs]

    barrier = threading.Barrier(THREADS)
    failures: list[str] = []
    done = [0] * THREADS

    def worker(n: int) -> None:
        barrier.wait()
        for r in range(ROUNDS):
            for j, (h, b, want) in enumerate(jobs[(n + r) % 5 :: 3]):
                got = run(verifier, h, b)
                if got != want:
                    failures.append(f"thread {n} round {r} job {j}: {got!r:.80} != {want!r:.80}")
                done[n] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert all(count >= ROUNDS * 30 for count in done), done
