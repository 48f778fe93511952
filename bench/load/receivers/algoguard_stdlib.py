"""AlgoGuard verification with Python's standard library, as a careful receiver writes it.

The same decisions as hooksig (SCHEMES.md): 400 for a missing or malformed header, 401 for a
stale or future timestamp (300 s) or a wrong signature. Used by flask_stdlib.py and
fastapi_stdlib.py.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import time
from collections.abc import Mapping

SECRET = os.environ["ALGOGUARD_SECRET"].encode()
TOLERANCE = 300
_SIGNATURE = re.compile(r"sha256=([0-9a-fA-F]{64})")
_TIMESTAMP = re.compile(r"[0-9]{1,18}")


def check(headers: Mapping[str, str], body: bytes) -> tuple[str, int] | None:
    """None when the request is authentic, else (error code, HTTP status)."""
    signature = headers.get("X-AlgoGuard-Signature")
    if signature is None:
        return "missing_signature", 400
    timestamp = headers.get("X-AlgoGuard-Timestamp")
    if timestamp is None:
        return "missing_timestamp", 400
    if not _TIMESTAMP.fullmatch(timestamp):
        return "malformed_timestamp", 400
    match = _SIGNATURE.fullmatch(signature)
    if match is None:
        return "malformed_signature", 400
    age = int(time.time()) - int(timestamp)
    if age > TOLERANCE:
        return "timestamp_expired", 401
    if age < -TOLERANCE:
        return "timestamp_in_future", 401
    expected = hmac.new(SECRET, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, match.group(1).lower()):
        return "signature_mismatch", 401
    return None
