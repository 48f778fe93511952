"""Shared paths and helpers for the hooksig Python tests."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any, Union

REPO = Path(__file__).resolve().parents[2]
VECTORS = REPO / "tests" / "vectors"
EXAMPLES = REPO / "examples"
BINDING = REPO / "bindings-python"

Case = dict[str, Any]
HeaderList = list[tuple[str, str]]
SchemeSpec = Union[str, dict[str, Any]]


def case_body(case: Case) -> bytes:
    """The body of a vector case (exactly one of body, body_base64, body_repeat)."""
    if "body" in case:
        return str(case["body"]).encode("utf-8")
    if "body_base64" in case:
        return base64.b64decode(case["body_base64"])
    rep = case["body_repeat"]  # before + text * count + after (before/after optional)
    before, after = str(rep.get("before", "")), str(rep.get("after", ""))
    return (before + str(rep["text"]) * int(rep["count"]) + after).encode("utf-8")


def load_vector_cases() -> list[tuple[str, SchemeSpec, Case]]:
    """Every case of every vector file, as (test id, scheme, case)."""
    out: list[tuple[str, SchemeSpec, Case]] = []
    for path in sorted(VECTORS.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        blocks = doc.get("blocks", [doc])
        for block in blocks:
            for case in block["cases"]:
                out.append((f"{path.stem}:{case['name']}", block["scheme"], case))
    return out
