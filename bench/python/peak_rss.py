"""Peak memory of one ``hooksig.Verifier.verify`` of a large body (it must not copy the body).

    python bench/python/peak_rss.py verify|alloc [MIB]

Builds an AlgoGuard request with a MIB-byte JSON ``bytes`` body, signs it with a streaming stdlib
HMAC (no concatenated copy), lets the temporaries go, resets the kernel's peak-RSS counter
(/proc/self/clear_refs), then verifies once (``verify``) or does nothing (``alloc``) and prints
the peak RSS (VmHWM) as JSON. The difference between the two runs is what verification adds.
"""

import hashlib
import hmac
import json
import re
import sys

import hooksig

NOW = 1_767_225_600
SECRET = "whsec_benchmark_secret_value"


def status_kib(field: str) -> int:
    with open("/proc/self/status") as f:
        return int(re.search(rf"^{field}:\s+(\d+)", f.read(), re.M).group(1))


def main() -> None:
    mode = sys.argv[1] if len(sys.argv) > 1 else "verify"
    n = (int(sys.argv[2]) if len(sys.argv) > 2 else 100) << 20
    head = b'{"id":"evt_1","event":"x","data":"'
    body = b"".join([head, b"a" * (n - len(head) - 2), b'"}'])  # one temporary, freed below
    mac = hmac.new(SECRET.encode(), f"{NOW}.".encode(), hashlib.sha256)
    mac.update(body)
    headers = {
        "Content-Type": "application/json",
        "X-AlgoGuard-Signature": "sha256=" + mac.hexdigest(),
        "X-AlgoGuard-Timestamp": str(NOW),
    }
    verifier = hooksig.Verifier("algoguard", secret=SECRET)
    rss_before = status_kib("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    result = None
    if mode == "verify":
        result = verifier.verify(headers, body, now=NOW)
        assert result.id == "evt_1"
    peak = status_kib("VmHWM")
    out = {"api": "python", "mode": mode, "body_bytes": len(body), "rss_before_kib": rss_before, "peak_kib": peak}
    if result is not None:
        out["payload_is_body"] = result.payload is body
    print(json.dumps(out))


if __name__ == "__main__":
    main()
