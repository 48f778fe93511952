"""hooksig's Python ``Verifier.verify`` against the stdlib idiom and the peers' PyPI packages.

    python bench/python/bench.py [OUT.json]      (make bench runs it; BENCH_ROUNDS / BENCH_BATCH_MS)

One process. For each body size, every case gets a warm-up and a calibration, then ROUNDS rounds
run one batch of every case each (interleaved, so load drifts hit all cases alike); a batch is N
back-to-back calls timed with ``time.perf_counter_ns``. Reported: the median over the rounds of
the batch means, in ns per verification. Every case gets the same request: a ``bytes`` body
(what WSGI/ASGI frameworks hand over) and a plain ``dict`` of headers holding the scheme's signed
headers plus eight ordinary request headers. Each case is one plain Python function taking
``(headers, body)``, so the call overhead is the same for all; header lookups, the timestamp
window check and the constant-time compare happen inside it.
"""

from __future__ import annotations

import hashlib
import hmac
import importlib.metadata
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Callable

import hooksig
import standardwebhooks
import stripe

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "41"))
BATCH_NS = int(float(os.environ.get("BENCH_BATCH_MS", "10")) * 1e6)
SIZES = [(64, "64B"), (1024, "1KiB"), (16 * 1024, "16KiB"), (1 << 20, "1MiB")]
# The same secrets as core/benches/verify.rs.
SW_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SECRET = "whsec_benchmark_secret_value"
KEY = SECRET.encode()
TOLERANCE = 300

ORDINARY = {
    "Host": "hooks.example.com",
    "User-Agent": "Sender-Hookshot/1.0",
    "Content-Type": "application/json",
    "Accept": "*/*",
    "Accept-Encoding": "gzip",
    "X-Forwarded-For": "203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Request-Id": "5f0c4e0e-7a43-4c41-9f5e-1f6a3f0b2c9d",
}


def make_body(length: int) -> bytes:
    """JSON-looking filler, byte for byte the body of core/benches/verify.rs."""
    head = b'{"id":"evt_1","event":"x","data":"'
    n = max(length, 2)
    return (head + b"a" * n)[: n - 2] + b'"}'


def request_headers(scheme: str, secret: str, body: bytes) -> dict[str, str]:
    """The scheme's signed headers (current time) beside ordinary ones, as a framework gives them."""
    signed = hooksig.sign(scheme, secret, body, timestamp=int(time.time()), id="msg_1", event_type="x")
    return {**ORDINARY, "Content-Length": str(len(body)), **signed}


# ---- the cases: f(headers, body) ------------------------------------------------------------

VERIFIERS = {
    s: hooksig.Verifier(s, secret=SW_SECRET if s == "standard-webhooks" else SECRET, tolerance=TOLERANCE)
    for s in ("algoguard", "standard-webhooks", "stripe")
}


def hooksig_case(scheme: str) -> Callable[[dict[str, str], bytes], Any]:
    v = VERIFIERS[scheme]

    def verify(headers: dict[str, str], body: bytes) -> Any:
        return v.verify(headers, body)

    return verify


def stdlib_idiom(headers: dict[str, str], body: bytes) -> bool:
    """What the vendor pages show: hmac.new + hexdigest + compare_digest, header lookups included."""
    signature = headers.get("X-AlgoGuard-Signature")
    ts = headers.get("X-AlgoGuard-Timestamp")
    if not signature or not ts:
        raise ValueError("missing header")
    if abs(time.time() - int(ts)) > TOLERANCE:
        raise ValueError("stale")
    expected = "sha256=" + hmac.new(KEY, f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise ValueError("mismatch")
    return True


SW = standardwebhooks.Webhook(SW_SECRET)


def standardwebhooks_verify(headers: dict[str, str], body: bytes) -> Any:
    return SW.verify(body, headers)


def stripe_verify(headers: dict[str, str], body: bytes) -> Any:
    return stripe.WebhookSignature.verify_header(body, headers.get("Stripe-Signature"), SECRET, TOLERANCE)


GROUPS: list[tuple[str, str, list[tuple[str, Callable[..., Any]]]]] = [
    ("algoguard", SECRET, [("hooksig", hooksig_case("algoguard")), ("stdlib hmac idiom", stdlib_idiom)]),
    (
        "standard-webhooks",
        SW_SECRET,
        [("hooksig", hooksig_case("standard-webhooks")), ("standardwebhooks", standardwebhooks_verify)],
    ),
    ("stripe", SECRET, [("hooksig", hooksig_case("stripe")), ("stripe", stripe_verify)]),
]


# ---- timing -----------------------------------------------------------------------------------


def run_batch(f: Callable[..., Any], headers: Any, body: bytes, n: int) -> tuple[float, float]:
    """Mean wall-clock and thread-CPU ns per call (CPU time excludes other processes' turns)."""
    clock, cpu = time.perf_counter_ns, time.thread_time_ns
    t0, c0 = clock(), cpu()
    for _ in range(n):
        f(headers, body)
    t1, c1 = clock(), cpu()
    return (t1 - t0) / n, (c1 - c0) / n


def check(name: str, f: Callable[..., Any], headers: Any, body: bytes) -> None:
    """One call passes and a tampered body fails: each case really verifies."""
    f(headers, body)
    bad = bytearray(body)
    bad[-3] ^= 1
    try:
        failed = f(headers, bytes(bad)) is False
    except Exception:
        failed = True
    if not failed:
        raise SystemExit(f"{name}: a tampered body verified")


def calibrate(f: Callable[..., Any], headers: Any, body: bytes) -> int:
    """Warm up for >= 150 ms (and >= 5 calls); return the batch length for BATCH_NS."""
    calls, start, elapsed = 0, time.perf_counter_ns(), 0
    while elapsed < 150_000_000 or calls < 5:
        n = max(1, min(1000, calls))
        run_batch(f, headers, body, n)
        calls += n
        elapsed = time.perf_counter_ns() - start
    return max(1, round(BATCH_NS / (elapsed / calls)))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "target/bench/python.json")
    results = []
    for length, label in SIZES:
        body = make_body(length)
        cases = []
        for scheme, secret, impls in GROUPS:
            for impl, f in impls:
                headers = request_headers(scheme, secret, body)
                check(f"{scheme}/{impl}/{label}", f, headers, body)
                n = calibrate(f, headers, body)
                cases.append({"scheme": scheme, "impl": impl, "f": f, "headers": headers, "n": n, "samples": []})
        for r in range(ROUNDS):
            for k in range(len(cases)):
                c = cases[(k + r) % len(cases)]
                c["samples"].append(run_batch(c["f"], c["headers"], body, c["n"]))
        for c in cases:
            row = {
                "scheme": c["scheme"],
                "impl": c["impl"],
                "size": length,
                "label": label,
                "median_ns": statistics.median(s[0] for s in c["samples"]),
                "cpu_median_ns": statistics.median(s[1] for s in c["samples"]),
                "batch": c["n"],
                "batches": len(c["samples"]),
                "min_ns": min(s[0] for s in c["samples"]),
                "max_ns": max(s[0] for s in c["samples"]),
            }
            results.append(row)
            print(f"python {label:<5} {c['scheme']:<17} {c['impl']:<20} {row['median_ns']:>12.0f} ns", flush=True)
    doc = {
        "lang": "python",
        "versions": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "openssl": __import__("ssl").OPENSSL_VERSION,
            "hooksig": hooksig.__version__,
            "standardwebhooks": importlib.metadata.version("standardwebhooks"),
            "stripe": importlib.metadata.version("stripe"),
        },
        "config": {"rounds": ROUNDS, "batch_ms": BATCH_NS / 1e6},
        "results": results,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, indent=2) + "\n")


if __name__ == "__main__":
    main()
