"""hooksig.Receiver and hooksig.Answer: the core's receiver policy as the binding exposes it,
and the exception table covering every core ErrorCode."""

from __future__ import annotations

import json
from typing import Any, cast

import pytest

import hooksig
from hooksig import _native

SECRET = "whsec_receiver_api"
BODY = b'{"id":"evt_1","event":"license.created"}'

# Every ErrorCode of the core (core/src/error.rs), with its class.
CODES: dict[str, type[hooksig.HooksigError]] = {
    "missing_signature": hooksig.MissingSignature,
    "missing_timestamp": hooksig.MissingTimestamp,
    "missing_id": hooksig.MissingId,
    "malformed_signature": hooksig.MalformedSignature,
    "malformed_timestamp": hooksig.MalformedTimestamp,
    "timestamp_expired": hooksig.TimestampExpired,
    "timestamp_in_future": hooksig.TimestampInFuture,
    "signature_mismatch": hooksig.SignatureMismatch,
    "invalid_secret": hooksig.InvalidSecret,
    "unknown_scheme": hooksig.UnknownScheme,
    "invalid_config": hooksig.InvalidConfig,
    "method_not_allowed": hooksig.MethodNotAllowed,
    "body_too_large": hooksig.BodyTooLarge,
    "body_read_failed": hooksig.BodyReadFailed,
    "delivery_in_progress": hooksig.DeliveryInProgress,
    "replay_store_unavailable": hooksig.ReplayStoreUnavailable,
    "invalid_argument": hooksig.InvalidArgument,
}


def test_every_code_has_its_class_status_and_description() -> None:
    exported = {
        getattr(hooksig, name)
        for name in hooksig.__all__
        if isinstance(getattr(hooksig, name), type)
        and issubclass(getattr(hooksig, name), hooksig.HooksigError)
    }
    bases = {hooksig.HooksigError, hooksig.VerificationError, hooksig.ConfigError}
    assert exported - bases - {hooksig.ReplayStoreError} == set(CODES.values())
    receiver = hooksig.Receiver()
    for code, cls in CODES.items():
        status, description = _native._error_info(code)
        assert (cls.code, cls.http_status, cls.description) == (code, status, description)
        answer = receiver.rejected(cls("x"))
        assert answer.status == status
        assert (
            answer.body
            == json.dumps({"error": code, "message": description}, separators=(",", ":")).encode()
        )
    assert issubclass(hooksig.DeliveryInProgress, hooksig.HooksigError)
    assert issubclass(hooksig.BodyTooLarge, hooksig.VerificationError)


def test_start_limits_and_methods() -> None:
    receiver = hooksig.Receiver()
    assert receiver.limit == hooksig.DEFAULT_BODY_LIMIT == 10 * 1024 * 1024
    assert receiver.start("POST", 10) is None and receiver.start("POST") is None
    answer = receiver.start("GET", None)  # which methods: the core's (tests/receivers)
    assert answer is not None
    assert (answer.status, answer.headers, answer.content_type) == (
        405,
        [("Allow", "POST")],
        "application/json",
    )
    small = hooksig.Receiver(16)
    too_large = small.start("POST", 17)
    assert too_large is not None and too_large.status == 413
    assert too_large.body == small.body_too_large().body
    assert small.body_read_failed().status == 400
    assert hooksig.Receiver(0).start("POST", 0) is None
    for bad in (-1, 1.5, "10", True, None):
        with pytest.raises(hooksig.InvalidArgument):
            hooksig.Receiver(bad)  # type: ignore[arg-type]


def test_verify_returns_the_answer_instead_of_raising() -> None:
    receiver = hooksig.Receiver()
    verifier = hooksig.Verifier("algoguard", secret=SECRET)
    headers = hooksig.sign("algoguard", SECRET, BODY)
    verified = receiver.verify(verifier, headers, BODY)
    assert isinstance(verified, hooksig.Verified) and verified.id == "evt_1"
    assert hooksig.Receiver.received(verified).body == (
        b'{"status":"received","scheme":"algoguard","id":"evt_1","event_type":"license.created"}'
    )
    refused = receiver.verify(verifier, headers, BODY + b" ")
    assert isinstance(refused, hooksig.Answer) and refused.status == 401
    with pytest.raises(hooksig.SignatureMismatch) as info:
        verifier.verify(headers, BODY + b" ")
    assert receiver.rejected(info.value).body == refused.body
    with pytest.raises(hooksig.InvalidArgument):
        receiver.verify(verifier, None, BODY)  # type: ignore[arg-type]
    with pytest.raises(hooksig.InvalidArgument):
        receiver.verify("algoguard", headers, BODY)  # type: ignore[arg-type]


def test_verify_answers_zoom_url_validation_with_the_secret_that_verified() -> None:
    secret = "whsec_receiver_api_zoom"
    verifier = hooksig.Verifier("zoom", secrets=["an-old-secret", secret])
    body = b'{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event":"endpoint.url_validation"}'
    answer = hooksig.Receiver().verify(verifier, hooksig.sign("zoom", secret, body), body)
    assert isinstance(answer, hooksig.Answer)
    assert (answer.status, answer.content_type) == (200, "application/json")
    # hmac.new(secret, plainToken, sha256).hexdigest()
    assert answer.body == (
        b'{"plainToken":"qgg8vlvZRS6UYooatFL8Aw","encryptedToken":'
        b'"d4c499c16399b54c6cc52d38f7d71fe17558aa20ab914c533cbc58d53efb277d"}'
    )
    other = b'{"event":"meeting.started","payload":{}}'
    verified = hooksig.Receiver().verify(verifier, hooksig.sign("zoom", secret, other), other)
    assert isinstance(verified, hooksig.Verified)


def test_guard_answers_and_the_failed_handler_rule() -> None:
    receiver = hooksig.Receiver()
    assert receiver.guarded("new") is None
    duplicate = receiver.guarded("duplicate")
    assert duplicate is not None
    assert (duplicate.status, duplicate.body) == (200, b'{"status":"duplicate"}')
    for state, status in (("in_progress", 409), ("unavailable", 503)):
        answer = receiver.guarded(state)  # type: ignore[arg-type]
        assert answer is not None
        assert (answer.status, answer.headers) == (status, [("Retry-After", "30")])
    with pytest.raises(hooksig.InvalidArgument):
        receiver.guarded("maybe")  # type: ignore[arg-type]
    # The 2xx rule is the core's (Receiver::finished): here, the int / None conversion.
    assert [receiver.finished(s) for s in (204, None, 422)] == ["keep", "release", "release"]
    with pytest.raises(hooksig.InvalidArgument):
        receiver.finished(-1)
    with pytest.raises(hooksig.InvalidArgument):
        receiver.rejected(ValueError("no code"))  # type: ignore[arg-type]


def test_shared_store_converts_the_cores_commands() -> None:
    store = hooksig._native.SharedStore(660, prefix="p:", processing_ttl=90)
    claim = store.claim("stripe:evt_1")
    assert (claim.name, claim.key, claim.value, claim.ttl, claim.only_if_absent) == (
        "SET",
        "p:stripe:evt_1",
        "processing",
        90,
        True,
    )
    assert store.settle("k", "keep").argv() == ["SET", "p:k", "done", "EX", "660"]
    assert store.settle("k", "release").argv() == ["DEL", "p:k"]
    assert store.lookup("k").value is None and store.lookup("k").ttl is None
    assert store.claimed(True) == "new" and store.claimed(False) is None
    assert [store.looked_up(v) for v in (b"done", "done", None, b"processing", cast(Any, 7))] == [
        "duplicate",
        "duplicate",
        "in_progress",
        "in_progress",
        "in_progress",
    ]
    with pytest.raises(hooksig.InvalidArgument):
        store.settle("k", "drop")  # type: ignore[arg-type]
    with pytest.raises(hooksig.InvalidArgument):
        hooksig._native.SharedStore(-1)
    with pytest.raises(hooksig.InvalidArgument):
        hooksig._native.SharedStore(True)
