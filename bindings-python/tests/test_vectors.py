"""Every shared vector (tests/vectors/*.json) through the Python API: same outcome, same error
code and header, exact signed headers."""

from __future__ import annotations

from typing import Any

import pytest

import hooksig
from conftest import VECTORS, Case, SchemeSpec, case_body, load_vector_cases

CASES = load_vector_cases()


def test_vector_files_are_present() -> None:
    # The shared vectors are part of the repository; an empty run would prove nothing.
    assert len(list(VECTORS.glob("*.json"))) >= 13
    assert len(CASES) > 1000


def make_scheme(spec: SchemeSpec) -> str | hooksig.Scheme:
    if isinstance(spec, str):
        return spec
    return hooksig.custom_scheme(**spec["custom"])


def build_verifier(spec: SchemeSpec, case: Case) -> hooksig.Verifier:
    options: dict[str, Any] = {}
    for key in ("tolerance", "secret_format", "json_fallback"):
        if key in case:
            options[key] = case[key]
    return hooksig.Verifier(make_scheme(spec), secrets=case["secrets"], **options)


def check_error(err: hooksig.HooksigError, expect: dict[str, Any]) -> None:
    assert err.code == expect["error"], str(err)
    # The class is the one for the code, and carries the core's status.
    assert type(err).code == expect["error"]
    if "header" in expect:
        assert err.header == expect["header"]
    if err.code in ("invalid_secret", "unknown_scheme", "invalid_config", "invalid_argument"):
        assert isinstance(err, hooksig.ConfigError)
    else:
        assert isinstance(err, hooksig.VerificationError)


@pytest.mark.parametrize(("scheme", "case"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_vector(scheme: SchemeSpec, case: Case) -> None:
    body = case_body(case)
    if case.get("op", "verify") == "sign":
        run_sign(scheme, case, body)
    else:
        run_verify(scheme, case, body)


def request_line(case: Case) -> dict[str, str]:
    """A case's ``request`` as the ``url`` and ``method`` keywords (absent: none passed)."""
    request: dict[str, str] = case.get("request") or {}
    return {k: str(request[k]) for k in ("url", "method") if k in request}


def run_verify(scheme: SchemeSpec, case: Case, body: bytes) -> None:
    expect: dict[str, Any] = case["expect"]
    headers = [(str(n), str(v)) for n, v in case["headers"]]
    try:
        verifier = build_verifier(scheme, case)
    except hooksig.ConfigError as err:  # construction errors are the case's outcome
        assert not expect["ok"], f"unexpected {err.code}: {err}"
        check_error(err, expect)
        return
    # bytes, and a bytearray (read in place), must give the same outcome.
    for candidate in (body, bytearray(body)):
        try:
            result = verifier.verify(headers, candidate, now=case["now"], **request_line(case))
        except hooksig.HooksigError as err:
            assert not expect["ok"], f"unexpected {err.code}: {err}"
            check_error(err, expect)
            continue
        assert expect["ok"], f"expected {expect.get('error')}, got success"
        assert result.key_index == expect["key_index"]
        assert result.timestamp == expect["timestamp"]
        assert result.id == expect["id"]
        assert result.event_type == expect["event_type"]
        if "dedupe_key" in expect:
            assert result.dedupe_key == expect["dedupe_key"]
        payload = expect["payload"].encode("utf-8") if "payload" in expect else body
        assert result.payload == payload
        assert result.scheme == (scheme if isinstance(scheme, str) else scheme["custom"]["id"])


def run_sign(scheme: SchemeSpec, case: Case, body: bytes) -> None:
    options: dict[str, Any] = {k: case[k] for k in ("timestamp", "id", "event_type") if k in case}
    options.update(request_line(case))
    expected = [(str(n), str(v)) for n, v in case["expect_headers"]]
    secret = case["secrets"][0]
    if "secret_format" not in case:
        signed = hooksig.sign(make_scheme(scheme), secret, body, **options)
        assert list(signed.items()) == expected
    # The verifier's own sign() (first secret, the case's secret format) agrees.
    signed = build_verifier(scheme, case).sign(body, **options)
    assert list(signed.items()) == expected
