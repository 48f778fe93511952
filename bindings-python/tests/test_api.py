"""The Python surface: argument types, header containers, body types, errors, versions."""

from __future__ import annotations

import array
import email.message
import re
from collections.abc import Iterable
from typing import Any

import httpx
import pytest
from starlette.datastructures import Headers as StarletteHeaders
from werkzeug.datastructures import EnvironHeaders
from werkzeug.datastructures import Headers as WerkzeugHeaders

import hooksig
from conftest import BINDING, REPO
from hooksig import _native

NOW = 1_767_225_600
SECRET = "whsec_api_test_secret_value"
BODY = b'{"id":"evt_42","event":"license.created","note":"caf\xc3\xa9"}'
SIG = "X-AlgoGuard-Signature"
TS = "X-AlgoGuard-Timestamp"


@pytest.fixture
def verifier() -> hooksig.Verifier:
    return hooksig.Verifier("algoguard", secret=SECRET)


def signed(body: bytes = BODY, ts: int = NOW) -> dict[str, str]:
    return hooksig.sign("algoguard", SECRET, body, timestamp=ts)


# --- versions and metadata ----------------------------------------------------------------


def test_version_is_the_cargo_version() -> None:
    from importlib.metadata import version

    root = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    match = re.search(r'\[workspace\.package\][^\[]*?\nversion = "([^"]+)"', root)
    assert match is not None
    assert "version.workspace = true" in (BINDING / "Cargo.toml").read_text(encoding="utf-8")
    assert hooksig.__version__ == match.group(1)
    assert version("hooksig") == hooksig.__version__
    assert hooksig.__version__ == _native.CORE_VERSION


def test_schemes_lists_the_builtin_ids_in_table_order() -> None:
    table = (REPO / "SCHEMES.md").read_text(encoding="utf-8")
    ids = re.findall(r"^\| `([a-z-]+)` \|", table, flags=re.MULTILINE)
    assert hooksig.schemes() == ids
    assert len(ids) == 43


def test_builtin_scheme_objects() -> None:
    stripe = hooksig.scheme("stripe")
    assert (stripe.id, stripe.signature_header, stripe.timestamp_header) == (
        "stripe",
        "Stripe-Signature",
        None,
    )
    sw = hooksig.scheme("standard-webhooks")
    assert (sw.timestamp_header, sw.id_header) == ("webhook-timestamp", "webhook-id")
    assert hooksig.scheme("chaindoc").json_fallback is True
    with pytest.raises(hooksig.UnknownScheme):
        hooksig.scheme("stripe ")


# --- header containers --------------------------------------------------------------------


def header_sources(h: dict[str, str]) -> list[Any]:
    pairs = list(h.items())
    environ = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in h.items()}
    msg = email.message.Message()
    for k, v in pairs:
        msg[k] = v
    return [
        h,
        {k.lower(): v for k, v in h.items()},
        {k.upper().encode(): v.encode() for k, v in h.items()},
        pairs,
        [[k, v] for k, v in pairs],
        [(k.encode(), v) for k, v in pairs],
        iter(pairs),
        EnvironHeaders(environ),
        WerkzeugHeaders(pairs),
        StarletteHeaders(h),
        msg,
        httpx.Headers(h),
    ]


def test_every_header_container_verifies(verifier: hooksig.Verifier) -> None:
    sources = header_sources(signed())
    for source in sources:
        assert verifier.verify(source, BODY, now=NOW).id == "evt_42", type(source)


def test_every_header_container_reports_a_tampered_body(verifier: hooksig.Verifier) -> None:
    for source in header_sources(signed()):
        with pytest.raises(hooksig.SignatureMismatch):
            verifier.verify(source, BODY + b" ", now=NOW)


def test_repeated_headers_in_starlette_and_werkzeug(verifier: hooksig.Verifier) -> None:
    good = signed()
    wrong = "sha256=" + "0" * 64
    raw = [(SIG.lower().encode(), wrong.encode()), (SIG.lower().encode(), good[SIG].encode())]
    raw.append((TS.lower().encode(), good[TS].encode()))
    starlette = StarletteHeaders(raw=raw)
    assert starlette[SIG] == wrong  # the mapping view shows only the first value ...
    assert verifier.verify(starlette, BODY, now=NOW).id == "evt_42"  # ... every value is tried
    werkzeug = WerkzeugHeaders([(SIG, wrong), (SIG, good[SIG]), (TS, good[TS])])
    assert verifier.verify(werkzeug, BODY, now=NOW).id == "evt_42"


def test_names_differing_only_in_case_are_one_repeated_header(verifier: hooksig.Verifier) -> None:
    good = signed()
    wrong = "sha256=" + "0" * 64
    # A dict can hold the same header under two spellings: both are values of one header.
    for first, second in ((wrong, good[SIG]), (good[SIG], wrong)):
        h = {SIG: first, SIG.upper(): second, TS.lower(): good[TS]}
        assert verifier.verify(h, BODY, now=NOW).id == "evt_42"
    conflicting = {TS: good[TS], TS.lower(): str(NOW + 1), SIG.lower(): good[SIG]}
    with pytest.raises(hooksig.MalformedTimestamp):
        verifier.verify(conflicting, BODY, now=NOW)


def test_headers_the_scheme_does_not_read_are_still_type_checked(
    verifier: hooksig.Verifier,
) -> None:
    h: dict[Any, Any] = {**signed(), "X-Count": 5}
    with pytest.raises(hooksig.InvalidArgument):
        verifier.verify(h, BODY, now=NOW)
    with pytest.raises(hooksig.InvalidArgument):
        pairs: list[Any] = [*signed().items(), (7, "x")]
        verifier.verify(pairs, BODY, now=NOW)


def test_svix_also_reads_the_unbranded_webhook_headers() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    unbranded = hooksig.sign("standard-webhooks", secret, BODY, timestamp=NOW, id="msg_1")
    assert "webhook-signature" in unbranded
    svix = hooksig.Verifier("svix", secret=secret)
    for h in (unbranded, {k.upper(): v for k, v in unbranded.items()}, list(unbranded.items())):
        assert svix.verify(h, BODY, now=NOW).id == "msg_1"
    without_id = {k: v for k, v in unbranded.items() if k != "webhook-id"}
    with pytest.raises(hooksig.MissingId) as info:
        svix.verify(without_id, BODY, now=NOW)
    assert info.value.header == "webhook-id"


def test_none_value_counts_as_absent(verifier: hooksig.Verifier) -> None:
    h: dict[str, str | None] = {SIG: None, TS: str(NOW)}
    with pytest.raises(hooksig.MissingSignature) as info:
        verifier.verify(h, BODY, now=NOW)
    assert info.value.header == SIG


def test_non_ascii_and_surrogate_header_values_are_request_errors(
    verifier: hooksig.Verifier,
) -> None:
    for bad in ("sha256=é" + "0" * 63, "sha256=\udc80" + "0" * 63):
        with pytest.raises(hooksig.MalformedSignature):
            verifier.verify({SIG: bad, TS: str(NOW)}, BODY, now=NOW)
    with pytest.raises(hooksig.MalformedTimestamp):
        verifier.verify({SIG: signed()[SIG], TS: "\uff11\uff17\uff16\uff17"}, BODY, now=NOW)


def test_json_decodes_the_payload(verifier: hooksig.Verifier) -> None:
    body = b'{"type":"invoice.paid","n":[1,2.5],"s":"\\u00e9"}'
    assert verifier.verify(signed(body), body, now=NOW).json() == {
        "type": "invoice.paid",
        "n": [1, 2.5],
        "s": "\u00e9",
    }
    not_json = b"id=1&type=paid"
    with pytest.raises(ValueError):
        verifier.verify(signed(not_json), not_json, now=NOW).json()


# --- body types ---------------------------------------------------------------------------


def test_bytes_payload_is_the_callers_object(verifier: hooksig.Verifier) -> None:
    body = bytes(BODY)
    assert verifier.verify(signed(), body, now=NOW).payload is body
    big = b"x" * (3 * _native.DETACH_THRESHOLD)
    assert verifier.verify(signed(big), big, now=NOW).payload is big


@pytest.mark.parametrize("size", [len(BODY), 5 * _native.DETACH_THRESHOLD])
def test_body_types(verifier: hooksig.Verifier, size: int) -> None:
    body = (BODY * (size // len(BODY) + 1))[:size]
    h = signed(body)
    ba = bytearray(body)
    padded = b"<<" + body + b">>"
    candidates: list[Any] = [
        body,
        ba,
        memoryview(body),
        memoryview(ba),
        memoryview(padded)[2:-2],  # a slice: copied once
        memoryview(bytearray(padded))[2:-2],
        memoryview(body).cast("c"),
    ]
    for candidate in candidates:
        result = verifier.verify(h, candidate, now=NOW)
        assert result.payload == body
        assert type(result.payload) is bytes


def test_str_body_is_utf8(verifier: hooksig.Verifier) -> None:
    text = BODY.decode("utf-8")
    assert verifier.verify(signed(), text, now=NOW).payload == BODY
    big = "é" * (4 * _native.DETACH_THRESHOLD)
    assert verifier.verify(signed(big.encode()), big, now=NOW).payload == big.encode()
    # A lone surrogate cannot come from UTF-8: the body cannot verify, nothing else is raised.
    with pytest.raises(hooksig.SignatureMismatch):
        verifier.verify(signed(), text + "\udc80", now=NOW)


def test_strided_and_wide_memoryviews(verifier: hooksig.Verifier) -> None:
    spaced = bytes(b for c in BODY for b in (c, 0x20))
    assert verifier.verify(signed(), memoryview(spaced)[::2], now=NOW).payload == BODY
    ints = array.array("i", [1, 2, 3, 4])
    raw = ints.tobytes()
    assert verifier.verify(signed(raw), memoryview(ints), now=NOW).payload == raw


def test_bytearray_changed_after_verify_does_not_change_payload(
    verifier: hooksig.Verifier,
) -> None:
    ba = bytearray(BODY)
    result = verifier.verify(signed(), ba, now=NOW)
    ba[0:1] = b"X"
    assert result.payload == BODY


# --- wrong types: InvalidArgument (a TypeError and an InvalidConfig), never a crash ---------


def assert_invalid_argument(err: BaseException) -> None:
    assert type(err) is hooksig.InvalidArgument
    assert isinstance(err, TypeError) and isinstance(err, hooksig.InvalidConfig)
    assert (err.code, err.http_status) == ("invalid_argument", 500)


def test_invalid_argument_class() -> None:
    cls = hooksig.InvalidArgument
    assert cls.__mro__[1:6] == (
        hooksig.InvalidConfig,
        hooksig.ConfigError,
        hooksig.HooksigError,
        ValueError,
        TypeError,
    )
    assert (cls.__module__, cls.code, cls.http_status, cls.header) == (
        "hooksig",
        "invalid_argument",
        500,
        None,
    )
    assert cls.description == _native._error_info("invalid_argument")[1]
    assert cls.description != hooksig.InvalidConfig.description


@pytest.mark.parametrize("body", [None, 42, [1, 2], {"a": 1}, 1.5])
def test_wrong_body_type_is_invalid_argument(verifier: hooksig.Verifier, body: Any) -> None:
    with pytest.raises(TypeError, match="body must be") as info:
        verifier.verify(signed(), body, now=NOW)
    assert_invalid_argument(info.value)


def test_released_memoryview_body_is_invalid_argument(verifier: hooksig.Verifier) -> None:
    view = memoryview(BODY)
    view.release()
    with pytest.raises(hooksig.InvalidArgument, match="memoryview"):
        verifier.verify(signed(), view, now=NOW)


class ItemsNotCallable:
    items = 5


@pytest.mark.parametrize(
    "headers",
    [
        None,
        "X-AlgoGuard-Signature: x",
        b"raw",
        42,
        [("a", "b", "c")],
        [("a", 1)],
        [1],
        {"a": 1},
        {1: "a"},
        ItemsNotCallable(),
    ],
)
def test_wrong_headers_type_is_invalid_argument(verifier: hooksig.Verifier, headers: Any) -> None:
    with pytest.raises(TypeError) as info:
        verifier.verify(headers, BODY, now=NOW)
    assert_invalid_argument(info.value)


class Boom(Exception):
    pass


def untyped_headers(obj: object) -> Any:
    return obj


def test_exceptions_from_the_callers_own_objects_pass_through(verifier: hooksig.Verifier) -> None:
    class BrokenHeaders:
        def items(self) -> Any:
            raise Boom("from the caller")

    def broken_secrets() -> Iterable[str]:
        yield SECRET
        raise Boom("from the caller")

    with pytest.raises(Boom):
        verifier.verify(untyped_headers(BrokenHeaders()), BODY, now=NOW)
    with pytest.raises(Boom):
        hooksig.Verifier("github", secrets=broken_secrets())


# Every call below is also a mypy error (the stubs say what is accepted): go through Any.
untyped: Any = hooksig

BAD_CALLS: dict[str, Any] = {
    # What pyo3 would otherwise convert itself, with its plain TypeError / OverflowError.
    "scheme int": lambda: untyped.Verifier(42, secret=SECRET),
    "scheme bytes": lambda: untyped.Verifier(b"github", secret=SECRET),
    "scheme() int": lambda: untyped.scheme(42),
    "secret int": lambda: untyped.Verifier("github", secret=42),
    "secrets str": lambda: untyped.Verifier("github", secrets=SECRET),
    "secrets int": lambda: untyped.Verifier("github", secrets=42),
    "secrets [int]": lambda: untyped.Verifier("github", secrets=[SECRET, 42]),
    "tolerance str": lambda: untyped.Verifier("github", secret=SECRET, tolerance="300"),
    "tolerance float": lambda: untyped.Verifier("github", secret=SECRET, tolerance=300.0),
    "tolerance bool": lambda: untyped.Verifier("github", secret=SECRET, tolerance=True),
    "tolerance 2**63": lambda: untyped.Verifier("github", secret=SECRET, tolerance=2**63),
    "secret_format None": lambda: untyped.Verifier("github", secret=SECRET, secret_format=None),
    "secret_format bytes": lambda: untyped.Verifier("github", secret=SECRET, secret_format=b"hex"),
    "secret_format surrogate": lambda: untyped.Verifier(
        "github", secret=SECRET, secret_format="\ud800"
    ),
    "json_fallback int": lambda: untyped.Verifier("github", secret=SECRET, json_fallback=1),
    "now str": lambda: untyped.Verifier("algoguard", secret=SECRET).verify(signed(), BODY, "1"),
    "now float": lambda: untyped.Verifier("algoguard", secret=SECRET).verify(
        signed(), BODY, now=float(NOW)
    ),
    "now 2**64": lambda: untyped.Verifier("algoguard", secret=SECRET).verify(
        signed(), BODY, now=2**64
    ),
    "now -2**63-1": lambda: untyped.Verifier("algoguard", secret=SECRET).verify(
        signed(), BODY, now=-(2**63) - 1
    ),
    "sign timestamp str": lambda: untyped.sign("github", SECRET, BODY, timestamp="1"),
    "sign timestamp huge": lambda: untyped.sign("github", SECRET, BODY, timestamp=10**30),
    "sign id int": lambda: untyped.sign("github", SECRET, BODY, id=1),
    "sign event_type bytes": lambda: untyped.sign("github", SECRET, BODY, event_type=b"push"),
    "sign body None": lambda: untyped.sign("github", SECRET, None),
    "Verifier.sign timestamp float": lambda: untyped.Verifier("github", secret=SECRET).sign(
        BODY, timestamp=1.0
    ),
    "Verifier.sign id int": lambda: untyped.Verifier("github", secret=SECRET).sign(BODY, id=7),
    "verify url bytes": lambda: untyped.Verifier("square", secret=SECRET).verify(
        {}, BODY, url=b"https://example.com/hook"
    ),
    "verify method int": lambda: untyped.Verifier("hubspot", secret=SECRET).verify(
        {}, BODY, url="https://example.com/hook", method=1
    ),
    "verify url surrogate": lambda: untyped.Verifier("square", secret=SECRET).verify(
        {}, BODY, url="https://example.com/\ud800"
    ),
    "Receiver.verify url int": lambda: untyped.Receiver().verify(
        untyped.Verifier("square", secret=SECRET), {}, BODY, url=1
    ),
    "sign url int": lambda: untyped.sign("square", SECRET, BODY, url=1),
    "sign method bytes": lambda: untyped.sign(
        "hubspot", SECRET, BODY, url="https://example.com/hook", method=b"POST"
    ),
    "Verifier.sign url bytes": lambda: untyped.Verifier("square", secret=SECRET).sign(
        BODY, url=b"https://example.com/hook"
    ),
    "public_url base int": lambda: untyped.public_url(1, "/hook"),
    "public_url path bytes": lambda: untyped.public_url("https://example.com", b"/hook"),
    "custom id int": lambda: untyped.custom_scheme(1, "X-Sig"),
    "custom header None": lambda: untyped.custom_scheme("x", None),
    "custom template None": lambda: untyped.custom_scheme("x", "X-Sig", template=None),
    "custom encoding int": lambda: untyped.custom_scheme("x", "X-Sig", encoding=64),
    "custom prefix int": lambda: untyped.custom_scheme("x", "X-Sig", prefix=1),
    "custom json_fallback str": lambda: untyped.custom_scheme("x", "X-Sig", json_fallback="no"),
    "guard ttl str": lambda: untyped.ReplayGuard(ttl="60"),
    "guard ttl 0": lambda: untyped.ReplayGuard(ttl=0),
    "guard ttl -1": lambda: untyped.ReplayGuard(ttl=-1),
    "guard without ttl": lambda: untyped.ReplayGuard(),
    "guard capacity 0": lambda: untyped.ReplayGuard(ttl=60, capacity=0),
    "guard capacity None": lambda: untyped.ReplayGuard(ttl=60, capacity=None),
    "guard verifier str": lambda: untyped.ReplayGuard(verifier="github"),
    "guard key bytes": lambda: untyped.ReplayGuard(ttl=60).check_and_remember(b"k"),
    "guard now float": lambda: untyped.ReplayGuard(ttl=60).check_and_remember("k", now=1.0),
    "guard forget int": lambda: untyped.ReplayGuard(ttl=60).forget(1),
}


@pytest.mark.parametrize("call", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_wrong_argument_types_and_ranges_are_invalid_argument(call: Any) -> None:
    with pytest.raises(Exception) as info:
        call()
    assert_invalid_argument(info.value)
    assert SECRET not in str(info.value)


def test_invalid_argument_messages_name_the_argument_not_the_value() -> None:
    with pytest.raises(hooksig.InvalidArgument) as info:
        untyped.Verifier("github", secret=SECRET, tolerance="not-a-number-xyz")
    assert str(info.value) == "tolerance must be an int, not str"
    with pytest.raises(hooksig.InvalidArgument) as info:
        hooksig.Verifier("github", secret=SECRET).verify({}, BODY, now=2**64)
    assert str(info.value) == "now must fit in a signed 64-bit integer"


def test_index_ints_are_ints() -> None:
    class Seconds:
        def __index__(self) -> int:
            return 10

    ten: Any = Seconds()
    v = hooksig.Verifier("algoguard", secret=SECRET, tolerance=ten)
    assert v.verify(signed(ts=NOW - 10), BODY, now=NOW).timestamp == NOW - 10


def test_a_secret_with_a_lone_surrogate_is_invalid_secret() -> None:
    with pytest.raises(hooksig.InvalidSecret):
        hooksig.Verifier("github", secret="abc\ud800")
    with pytest.raises(hooksig.InvalidSecret):
        hooksig.sign("github", "abc\ud800", BODY)


# --- errors -------------------------------------------------------------------------------

REQUEST_CLASSES = {
    "missing_signature": (hooksig.MissingSignature, 400),
    "missing_timestamp": (hooksig.MissingTimestamp, 400),
    "missing_id": (hooksig.MissingId, 400),
    "malformed_signature": (hooksig.MalformedSignature, 400),
    "malformed_timestamp": (hooksig.MalformedTimestamp, 400),
    "timestamp_expired": (hooksig.TimestampExpired, 401),
    "timestamp_in_future": (hooksig.TimestampInFuture, 401),
    "signature_mismatch": (hooksig.SignatureMismatch, 401),
    "method_not_allowed": (hooksig.MethodNotAllowed, 405),
    "body_too_large": (hooksig.BodyTooLarge, 413),
    "body_read_failed": (hooksig.BodyReadFailed, 400),
}
CONFIG_CLASSES = {
    "invalid_secret": hooksig.InvalidSecret,
    "unknown_scheme": hooksig.UnknownScheme,
    "invalid_config": hooksig.InvalidConfig,
}


def test_exception_hierarchy_codes_and_statuses() -> None:
    assert issubclass(hooksig.HooksigError, ValueError)
    assert issubclass(hooksig.VerificationError, hooksig.HooksigError)
    assert issubclass(hooksig.ConfigError, hooksig.HooksigError)
    assert not issubclass(hooksig.ConfigError, hooksig.VerificationError)
    for code, (cls, status) in REQUEST_CLASSES.items():
        assert issubclass(cls, hooksig.VerificationError)
        assert (cls.code, cls.http_status, cls.__module__) == (code, status, "hooksig")
        assert cls.description
    for code, ccls in CONFIG_CLASSES.items():
        assert issubclass(ccls, hooksig.ConfigError)
        assert (ccls.code, ccls.http_status) == (code, 500)
    assert (hooksig.VerificationError.code, hooksig.VerificationError.http_status) == (
        "internal",
        500,
    )


def request_errors() -> Iterable[tuple[str, dict[str, str], bytes]]:
    good = signed()
    yield "missing_signature", {TS: str(NOW)}, BODY
    yield "missing_timestamp", {SIG: good[SIG]}, BODY
    yield "malformed_signature", {SIG: "sha256=zz", TS: str(NOW)}, BODY
    yield "malformed_timestamp", {SIG: good[SIG], TS: "12a"}, BODY
    yield "timestamp_expired", signed(ts=NOW - 301), BODY
    yield "timestamp_in_future", signed(ts=NOW + 301), BODY
    yield "signature_mismatch", good, BODY.replace(b"42", b"43")


def test_request_errors_carry_code_header_and_status(verifier: hooksig.Verifier) -> None:
    seen = set()
    for code, headers, body in request_errors():
        with pytest.raises(hooksig.VerificationError) as info:
            verifier.verify(headers, body, now=NOW)
        err = info.value
        cls, status = REQUEST_CLASSES[code]
        assert type(err) is cls
        assert (err.code, err.http_status) == (code, status)
        assert err.header == (TS if "timestamp" in code else SIG)
        for text in (str(err), repr(err)):
            assert SECRET not in text and "evt_4" not in text
        seen.add(code)
    assert len(seen) == 7


def test_missing_id_for_standard_webhooks() -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    h = hooksig.sign("standard-webhooks", secret, BODY, timestamp=NOW, id="msg_1")
    del h["webhook-id"]
    with pytest.raises(hooksig.MissingId) as info:
        hooksig.Verifier("standard-webhooks", secret=secret).verify(h, BODY, now=NOW)
    assert info.value.header == "webhook-id"


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"scheme": "nope", "secret": SECRET}, "unknown_scheme"),
        ({"scheme": "github"}, "invalid_secret"),
        ({"scheme": "github", "secrets": []}, "invalid_secret"),
        ({"scheme": "github", "secret": ""}, "invalid_secret"),
        ({"scheme": "github", "secret": f" {SECRET} "}, "invalid_secret"),
        ({"scheme": "github", "secret": SECRET, "secret_format": "hex"}, "invalid_secret"),
        ({"scheme": "svix", "secret": "whsec_!!not-base64!!"}, "invalid_secret"),
        ({"scheme": "github", "secret": SECRET, "tolerance": -1}, "invalid_config"),
        ({"scheme": "github", "secret": SECRET, "secret_format": "rot13"}, "invalid_config"),
        ({"scheme": "github", "secret": SECRET, "secrets": [SECRET]}, "invalid_config"),
    ],
)
def test_config_errors(kwargs: dict[str, Any], code: str) -> None:
    with pytest.raises(hooksig.ConfigError) as info:
        hooksig.Verifier(**kwargs)
    err = info.value
    assert isinstance(err, ValueError)
    assert type(err) is CONFIG_CLASSES[code]
    assert (err.code, err.header, err.http_status) == (code, None, 500)
    assert "api_test_secret" not in str(err) and "api_test_secret" not in repr(err)


def test_sign_errors_are_config_errors() -> None:
    with pytest.raises(hooksig.InvalidConfig):
        hooksig.sign("github", SECRET, BODY, timestamp=-1)
    with pytest.raises(hooksig.UnknownScheme):
        hooksig.sign("nope", SECRET, BODY)
    with pytest.raises(hooksig.InvalidSecret):
        hooksig.sign("github", "", BODY)


@pytest.mark.parametrize("detached", [False, True])
def test_a_panic_surfaces_as_verification_error(detached: bool) -> None:
    with pytest.raises(hooksig.VerificationError) as info:
        _native._panic_through_boundary(detached)
    assert type(info.value) is hooksig.VerificationError
    assert (info.value.code, info.value.http_status, info.value.header) == ("internal", 500, None)
    # The interpreter carries on: the next call works.
    assert hooksig.schemes()


# --- behaviour ----------------------------------------------------------------------------


def test_system_clock_is_the_default() -> None:
    v = hooksig.Verifier("algoguard", secret=SECRET)
    assert v.verify(hooksig.sign("algoguard", SECRET, BODY), BODY).timestamp is not None
    with pytest.raises(hooksig.TimestampExpired):
        v.verify(signed(ts=NOW - 10 * 365 * 86400), BODY)


def test_tolerance_not_given_is_the_schemes_default() -> None:
    assert hooksig.Verifier("twitch", secret=SECRET).tolerance == 600
    assert hooksig.Verifier("box", secret=SECRET, tolerance=None).tolerance == 600
    assert hooksig.Verifier("stripe", secret=SECRET).tolerance == 300
    assert hooksig.Verifier("twitch", secret=SECRET, tolerance=300).tolerance == 300


def test_tolerance_option() -> None:
    v = hooksig.Verifier("algoguard", secret=SECRET, tolerance=10)
    assert v.verify(signed(ts=NOW - 10), BODY, now=NOW).timestamp == NOW - 10
    with pytest.raises(hooksig.TimestampExpired):
        v.verify(signed(ts=NOW - 11), BODY, now=NOW)


def test_rotation_reports_key_index() -> None:
    v = hooksig.Verifier("algoguard", secrets=["whsec_old_one", SECRET.encode()])
    assert v.verify(signed(), BODY, now=NOW).key_index == 1
    assert v.sign(BODY, timestamp=NOW) == hooksig.sign(
        "algoguard", "whsec_old_one", BODY, timestamp=NOW
    )


def test_json_fallback_payload_is_what_was_signed() -> None:
    compact = b'{"event":"document.created","n":1}'
    pretty = b'{\n  "event": "document.created",\n  "n": 1.0\n}'
    h = hooksig.sign("chaindoc", "k3y", compact, event_type="document.created")
    r = hooksig.Verifier("chaindoc", secret="k3y").verify(h, pretty)
    assert r.payload == compact and r.event_type == "document.created"
    with pytest.raises(hooksig.SignatureMismatch):
        hooksig.Verifier("chaindoc", secret="k3y", json_fallback=False).verify(h, pretty)


def test_sign_header_order_and_names() -> None:
    sw = hooksig.sign(
        "standard-webhooks", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", BODY, timestamp=NOW, id="m"
    )
    assert list(sw) == ["webhook-id", "webhook-timestamp", "webhook-signature"]
    gh = hooksig.sign("github", SECRET, BODY, id="d-1", event_type="push")
    assert list(gh) == ["X-Hub-Signature-256", "X-GitHub-Delivery", "X-GitHub-Event"]


def test_custom_scheme_round_trip_and_errors() -> None:
    acme = hooksig.custom_scheme(
        "acme",
        "X-Acme-Signature",
        template="{id}.{ts}.{body}",
        encoding="base64",
        prefix="v1=",
        algorithm="sha512",
        timestamp_header="X-Acme-Timestamp",
        id_header="X-Acme-Id",
        event_header="X-Acme-Event",
    )
    assert (acme.id, acme.signature_header, acme.event_header) == (
        "acme",
        "X-Acme-Signature",
        "X-Acme-Event",
    )
    assert "acme" in repr(acme)
    h = hooksig.sign(acme, "k", BODY, timestamp=NOW, id="a-1", event_type="order.paid")
    assert list(h) == ["X-Acme-Signature", "X-Acme-Timestamp", "X-Acme-Id", "X-Acme-Event"]
    r = hooksig.Verifier(acme, secret="k").verify(h, BODY, now=NOW)
    assert (r.scheme, r.id, r.event_type, r.timestamp) == ("acme", "a-1", "order.paid", NOW)
    bad_options: list[dict[str, Any]] = [
        {"encoding": "base32"},
        {"algorithm": "md5"},
        {"template": "{ts}.{body}"},  # no timestamp header
        {"template": "no body"},
        {"timestamp_header": "bad header"},
    ]
    for bad in bad_options:
        with pytest.raises(hooksig.InvalidConfig):
            hooksig.custom_scheme("x", "X-Sig", **bad)


def test_reprs_never_show_secrets_or_payload(verifier: hooksig.Verifier) -> None:
    assert SECRET not in repr(verifier) and "redacted" in repr(verifier)
    assert verifier.scheme == "algoguard"
    r = verifier.verify(signed(), BODY, now=NOW)
    assert "license.created" in repr(r) and "caf" not in repr(r)
