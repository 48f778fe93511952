"""Independent implementations agree with hooksig: Python's hmac for every HMAC scheme, and the
PyPI packages `standardwebhooks` and `stripe` for their own schemes, in both directions."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time
from datetime import datetime, timezone
from typing import Callable

import pytest
import standardwebhooks
import stripe

import hooksig

NOW = 1_767_225_600
RNG = random.Random(20260101)
BODIES = [
    b"",
    b'{"id":"evt_1","event":"a.b","event_id":"e1","event_type":"t","type":"x"}',
    '{"msg":"h\u00e9llo \u2603 \U0001f600"}'.encode(),
    bytes(RNG.randrange(256) for _ in range(1000)),  # not UTF-8
    bytes(RNG.randrange(32, 127) for _ in range(70_000)),  # above the GIL threshold
]


def mac(key: bytes, content: bytes) -> bytes:
    return hmac.new(key, content, hashlib.sha256).digest()


def hexmac(key: bytes, content: bytes) -> str:
    return mac(key, content).hex()


# scheme -> (signature header, timestamp header or None, header value from (key, ts, body))
Builder = Callable[[bytes, str, bytes], str]
TABLE: dict[str, tuple[str, str | None, Builder]] = {
    "algoguard": (
        "X-AlgoGuard-Signature",
        "X-AlgoGuard-Timestamp",
        lambda k, t, b: "sha256=" + hexmac(k, t.encode() + b"." + b),
    ),
    "chaindoc": ("X-Webhook-Signature", None, lambda k, t, b: hexmac(k, b)),
    "certifylize": ("X-Certifylize-Signature", None, lambda k, t, b: "sha256=" + hexmac(k, b)),
    "easycart": ("X-Webhook-Signature", None, lambda k, t, b: hexmac(k, b)),
    "aghanim": (
        "x-aghanim-signature",
        "x-aghanim-signature-timestamp",
        lambda k, t, b: hexmac(k, t.encode() + b"." + b),
    ),
    "github": ("X-Hub-Signature-256", None, lambda k, t, b: "sha256=" + hexmac(k, b)),
    "slack": (
        "X-Slack-Signature",
        "X-Slack-Request-Timestamp",
        lambda k, t, b: "v0=" + hexmac(k, b"v0:" + t.encode() + b":" + b),
    ),
    "shopify": (
        "X-Shopify-Hmac-Sha256",
        None,
        lambda k, t, b: base64.b64encode(mac(k, b)).decode(),
    ),
    "stripe": (
        "Stripe-Signature",
        None,
        lambda k, t, b: f"t={t},v1=" + hexmac(k, t.encode() + b"." + b),
    ),
    "paddle": (
        "Paddle-Signature",
        None,
        lambda k, t, b: f"ts={t};h1=" + hexmac(k, t.encode() + b":" + b),
    ),
}


@pytest.mark.parametrize("scheme", sorted(TABLE))
@pytest.mark.parametrize("body_index", range(len(BODIES)))
def test_hmac_schemes_match_stdlib(scheme: str, body_index: int) -> None:
    body = BODIES[body_index]
    secret = f"{scheme}_secret_{body_index}"
    sig_header, ts_header, build = TABLE[scheme]
    value = build(secret.encode(), str(NOW), body)
    headers = {sig_header: value}
    if ts_header:
        headers[ts_header] = str(NOW)
    # stdlib signs, hooksig verifies ...
    v = hooksig.Verifier(scheme, secret=secret, json_fallback=False)
    assert v.verify(headers, body, now=NOW).payload == body
    with pytest.raises(hooksig.SignatureMismatch):
        v.verify(headers, body + b"!", now=NOW)
    # ... and hooksig signs exactly what stdlib computes.
    ours = hooksig.sign(scheme, secret, body, timestamp=NOW)
    assert ours[sig_header] == value
    if ts_header:
        assert ours[ts_header] == str(NOW)


@pytest.mark.parametrize("scheme", ["standard-webhooks", "svix"])
@pytest.mark.parametrize("body_index", range(len(BODIES)))
def test_versioned_base64_schemes_match_stdlib(scheme: str, body_index: int) -> None:
    key = bytes(RNG.randrange(256) for _ in range(24))
    secret = "whsec_" + base64.b64encode(key).decode()
    body = BODIES[body_index]
    prefix = "webhook" if scheme == "standard-webhooks" else "svix"
    content = b"msg_x." + str(NOW).encode() + b"." + body
    value = "v1," + base64.b64encode(mac(key, content)).decode()
    headers = {f"{prefix}-id": "msg_x", f"{prefix}-timestamp": str(NOW)}
    headers[f"{prefix}-signature"] = value
    assert hooksig.Verifier(scheme, secret=secret).verify(headers, body, now=NOW).id == "msg_x"
    assert hooksig.sign(scheme, secret, body, timestamp=NOW, id="msg_x") == headers


# --- standardwebhooks (PyPI) --------------------------------------------------------------

SW_SECRET = "whsec_" + base64.b64encode(b"standard-webhooks-test-key-0001").decode()
SW_BODY = '{"type":"invoice.paid","data":{"amount":1200,"currency":"EUR","note":"\u00e9"}}'


def test_standardwebhooks_signs_hooksig_verifies() -> None:
    wh = standardwebhooks.Webhook(SW_SECRET)
    now = datetime.now(tz=timezone.utc)
    sig = wh.sign("msg_sw_1", now, SW_BODY)
    headers = {
        "webhook-id": "msg_sw_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": sig,
    }
    r = hooksig.Verifier("standard-webhooks", secret=SW_SECRET).verify(headers, SW_BODY.encode())
    assert (r.id, r.timestamp) == ("msg_sw_1", int(now.timestamp()))
    # Svix's headers carry the same signature.
    svix = {k.replace("webhook-", "svix-"): v for k, v in headers.items()}
    assert hooksig.Verifier("svix", secret=SW_SECRET).verify(svix, SW_BODY).id == "msg_sw_1"
    with pytest.raises(hooksig.SignatureMismatch):
        hooksig.Verifier("standard-webhooks", secret=SW_SECRET).verify(headers, SW_BODY + " ")


def test_hooksig_signs_standardwebhooks_verifies() -> None:
    headers = hooksig.sign("standard-webhooks", SW_SECRET, SW_BODY, id="msg_hs_1")
    assert standardwebhooks.Webhook(SW_SECRET).verify(SW_BODY, headers) == json.loads(SW_BODY)
    svix = hooksig.sign("svix", SW_SECRET, SW_BODY, id="msg_hs_2")
    renamed = {k.replace("svix-", "webhook-"): v for k, v in svix.items()}
    assert standardwebhooks.Webhook(SW_SECRET).verify(SW_BODY, renamed) == json.loads(SW_BODY)
    tampered = SW_BODY.replace("1200", "1300")
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(SW_SECRET).verify(tampered, headers)


# --- stripe (PyPI) ------------------------------------------------------------------------

STRIPE_SECRET = "whsec_stripe_test_0123456789abcdef"
STRIPE_BODY = (
    '{"id":"evt_1Q2w3E","object":"event","type":"payment_intent.succeeded",'
    '"data":{"object":{"id":"pi_1","object":"payment_intent","amount":2000}}}'
)


def test_stripe_signs_hooksig_verifies() -> None:
    ts = int(time.time())
    header = stripe.WebhookSignature.generate_signature_header(STRIPE_BODY, STRIPE_SECRET, ts)
    v = hooksig.Verifier("stripe", secret=STRIPE_SECRET)
    r = v.verify({"Stripe-Signature": header}, STRIPE_BODY.encode())
    assert (r.id, r.event_type, r.timestamp) == ("evt_1Q2w3E", "payment_intent.succeeded", ts)
    with pytest.raises(hooksig.SignatureMismatch):
        v.verify({"Stripe-Signature": header}, STRIPE_BODY.replace("2000", "1"))
    old = stripe.WebhookSignature.generate_signature_header(STRIPE_BODY, STRIPE_SECRET, ts - 600)
    with pytest.raises(hooksig.TimestampExpired):
        v.verify({"Stripe-Signature": old}, STRIPE_BODY)


def test_hooksig_signs_stripe_verifies() -> None:
    headers = hooksig.sign("stripe", STRIPE_SECRET, STRIPE_BODY)
    header = headers["Stripe-Signature"]
    assert stripe.WebhookSignature.verify_header(STRIPE_BODY, header, STRIPE_SECRET, 300)
    event = stripe.Webhook.construct_event(STRIPE_BODY, header, STRIPE_SECRET)
    assert (event.id, event.type) == ("evt_1Q2w3E", "payment_intent.succeeded")
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(
            STRIPE_BODY.replace("2000", "1"), header, STRIPE_SECRET, 300
        )
