#!/usr/bin/env python3
"""Convert tests/vectors/*.json into the line-based fixture the C test reads.

Why: C has no JSON parser in its standard library and we vendor nothing. This script only
re-spells the cases (no logic, no expectations of its own); every string becomes `x<hex>` so
the C side needs no escaping rules ("-" means absent/null). Format, one item per line:

    file <name>                    starts a scheme block
    scheme named x<id> | scheme custom
    set x<key> x<value>|-          custom scheme option (after `scheme custom`)
    case x<name>                   starts a case; `end` closes it
    op verify|sign
    secret x<bytes>                zero or more
    secret_format x<text>
    tolerance <int>
    json_fallback 0|1
    now <int>
    header x<name> x<value>
    body x<bytes>   |   body_repeat x<text> <count> x<before> x<after>   (before+text*count+after)
    timestamp <int>   id x<text>   event x<text>           (sign)
    request x<method>|- x<url>|-   the request line (verify and sign; absent: not passed)
    expect ok <key_index> <timestamp|-> x<id>|- x<event>|- x<payload>|-
    expect_dedupe x<key>           (after `expect ok`, when the case gives dedupe_key)
    expect error <code> x<header>|-
    expect_header x<name> x<value>
    end

Usage: vectors_to_fixture.py VECTOR_DIR OUT_FILE

With `--bad-inputs CASES_JSON OUT_FILE` it re-spells tests/bad-inputs/cases.json instead (the
rules are in that file's `_comment`; the C side applies them):

    case x<name>
    scheme x<id>
    secret x<bytes>                zero or more
    tolerance <int>
    now <int>
    sign_timestamp <int>
    body x<bytes>   |   body_repeat x<text> <count>
    headers_replaced               then zero or more `header x<name> x<value>`
    timestamp_header x<bytes>
    signature_header x<bytes>   |   signature_header_repeat x<text> <count>
    expect <code>
    end
"""
import base64
import json
import sys
from pathlib import Path


def x(value):
    if value is None:
        return "-"
    if isinstance(value, str):
        value = value.encode("utf-8")
    return "x" + value.hex()


def body_line(case):
    if "body" in case:
        return f"body {x(case['body'])}"
    if "body_base64" in case:
        return f"body {x(base64.b64decode(case['body_base64']))}"
    rep = case["body_repeat"]  # kept as a rule, as in the JSON: the C side expands it
    before, after = rep.get("before", ""), rep.get("after", "")
    return f"body_repeat {x(rep['text'])} {int(rep['count'])} {x(before)} {x(after)}"


def emit_case(case, out):
    out.append(f"case {x(case['name'])}")
    op = case.get("op", "verify")
    out.append(f"op {op}")
    for s in case["secrets"]:
        out.append(f"secret {x(s)}")
    if "secret_format" in case:
        out.append(f"secret_format {x(case['secret_format'])}")
    if "tolerance" in case:
        out.append(f"tolerance {int(case['tolerance'])}")
    if "json_fallback" in case:
        out.append(f"json_fallback {1 if case['json_fallback'] else 0}")
    out.append(f"now {int(case['now'])}")
    for name, value in case.get("headers", []):
        out.append(f"header {x(name)} {x(value)}")
    out.append(body_line(case))
    if "request" in case:
        req = case["request"]
        out.append(f"request {x(req.get('method'))} {x(req.get('url'))}")
    if op == "sign":
        if case.get("timestamp") is not None:
            out.append(f"timestamp {int(case['timestamp'])}")
        if case.get("id") is not None:
            out.append(f"id {x(case['id'])}")
        if case.get("event_type") is not None:
            out.append(f"event {x(case['event_type'])}")
        for name, value in case["expect_headers"]:
            out.append(f"expect_header {x(name)} {x(value)}")
    else:
        e = case["expect"]
        if e["ok"]:
            ts = e.get("timestamp")
            out.append(
                f"expect ok {int(e['key_index'])} {'-' if ts is None else int(ts)} "
                f"{x(e.get('id'))} {x(e.get('event_type'))} {x(e.get('payload'))}"
            )
            if "dedupe_key" in e:
                out.append(f"expect_dedupe {x(e['dedupe_key'])}")
        else:
            out.append(f"expect error {e['error']} {x(e.get('header'))}")
    out.append("end")


def emit_block(name, block, out):
    out.append(f"file {name}")
    scheme = block["scheme"]
    if isinstance(scheme, str):
        out.append(f"scheme named {x(scheme)}")
    else:
        out.append("scheme custom")
        for key, value in scheme["custom"].items():
            if isinstance(value, bool):
                value = "true" if value else "false"
            out.append(f"set {x(key)} {x(value)}")
    for case in block["cases"]:
        emit_case(case, out)


def byte_value(field, value):
    """A bad-inputs byte value: {"text"} | {"hex"} | {"repeat", "count"} (kept as a rule)."""
    if "text" in value:
        return f"{field} {x(value['text'])}"
    if "hex" in value:
        return f"{field} {x(bytes.fromhex(value['hex']))}"
    return f"{field}_repeat {x(value['repeat'])} {int(value['count'])}"


def bad_inputs(cases_json, out_file):
    doc = json.loads(Path(cases_json).read_text(encoding="utf-8"))
    out = []
    for case in doc["cases"]:
        out.append(f"case {x(case['name'])}")
        out.append(f"scheme {x(case['scheme'])}")
        for secret in case["secrets"]:
            out.append(f"secret {x(secret)}")
        if "tolerance" in case:
            out.append(f"tolerance {int(case['tolerance'])}")
        out.append(f"now {int(case['now'])}")
        if "sign_timestamp" in case:
            out.append(f"sign_timestamp {int(case['sign_timestamp'])}")
        if "body" in case:
            out.append(byte_value("body", case["body"]))
        if "headers" in case:
            out.append("headers_replaced")
            for name, value in case["headers"]:
                out.append(byte_value("header " + x(name), value))
        if "timestamp_header" in case:
            out.append(f"timestamp_header {x(case['timestamp_header'])}")
        if "signature_header" in case:
            out.append(byte_value("signature_header", case["signature_header"]))
        out.append(f"expect {case['expect']}")
        out.append("end")
    if not doc["cases"]:
        sys.exit(f"no cases in {cases_json}")
    Path(out_file).write_text("\n".join(out) + "\n", encoding="ascii")


def main():
    if sys.argv[1] == "--bad-inputs":
        bad_inputs(sys.argv[2], sys.argv[3])
        return
    vector_dir, out_file = Path(sys.argv[1]), Path(sys.argv[2])
    files = sorted(vector_dir.glob("*.json"))
    if not files:
        sys.exit(f"no vector files in {vector_dir}")
    out = []
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for block in doc.get("blocks", [doc]):
            emit_block(path.name, block, out)
    out_file.write_text("\n".join(out) + "\n", encoding="ascii")


if __name__ == "__main__":
    main()
