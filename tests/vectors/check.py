#!/usr/bin/env python3
"""Independent checker for hooksig's shared test vectors (run in CI: python3 tests/vectors/check.py).

It does not import generate.py's signing code. For every file it checks:
  a) the format (required keys, unique names, exactly one body field, expect shape, the header
     each error names);
  b) every valid verify case and every sign case, by recomputing the MAC with `hmac` from the
     case's own data (header parsed the scheme's way, signed content rebuilt), and for text keys
     a second time with `openssl dgst -hmac` when openssl is installed; error cases whose outcome
     depends on the MAC (signature_mismatch, timestamp_expired/in_future) are checked the same way;
  c) ed25519 (`v1a`, discord) and ECDSA P-256 (sendgrid) cases with `cryptography` (an ECDSA sign case's
     expected signature is verified, not recomputed: ECDSA signatures need not be deterministic);
  d) that `generate.py --out <tmp>` reproduces the committed files byte for byte.
Prints one line per failure and a final line `N passed, M failed`; exits 1 on any failure.
"""
from __future__ import annotations

import base64
import binascii
import calendar
import datetime
import hashlib
import hmac
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

try:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
except ImportError:
    print("check.py: the Python package 'cryptography' is required for the ed25519 vectors.\n"
          "Install it with:  pip install cryptography", file=sys.stderr)
    print("0 passed, 1 failed")
    sys.exit(1)

HERE = Path(__file__).resolve().parent
FILES = ["algoguard", "chaindoc", "certifylize", "easycart", "aghanim", "standard-webhooks", "svix", "stripe",
         "github", "slack", "shopify", "paddle", "razorpay", "coinbase-commerce", "lemon-squeezy", "woocommerce",
         "typeform", "mux", "calendly", "zoom", "intercom", "vercel", "dropbox", "sentry", "pagerduty", "twitch",
         "zendesk", "box", "replicate", "clerk", "resend", "polar", "discord", "sendgrid", "docusign", "linear",
         "openai", "workos", "gocardless", "pusher"]
ERRORS = {"missing_signature", "missing_timestamp", "missing_id", "malformed_signature", "malformed_timestamp",
          "timestamp_expired", "timestamp_in_future", "signature_mismatch", "invalid_secret", "unknown_scheme",
          "invalid_config"}
OPENSSL = shutil.which("openssl")
NODE = shutil.which("node")


class Fail(Exception):
    pass


def need(cond, msg):
    if not cond:
        raise Fail(msg)


# ---------------------------------------------------------------------------------------------
# The schemes, written out plainly from SCHEMES.md (independently of generate.py).
# kind: "plain" (one encoded MAC per value, optional prefix), "stripe", "paddle", "list" (v1,/v1a,)


def S(kind, sig, signed, ts=None, idh=None, evh=None, id_field=None, ev_field=None, encoding="hex", prefix="",
      fallback=False, algorithm="sha256", ts_format="unix", id_signed=False, sig2=None, text_keys=False, tol=300,
      pk=None, sigs=(), overflow=None, body_ts=None, joiner=None):
    # pk: "ed25519" (hex public key, hex signature) or "p256" (base64 SPKI key, base64 DER
    # signature); sigs: more signature headers (DocuSign -2..-8); overflow: a header whose presence
    # is malformed_signature (DocuSign -9); body_ts: a top-level JSON number of milliseconds in the
    # body, read after the signature (Linear).
    # tol: the scheme's default tolerance (a case without "tolerance" uses it): 600 where the
    # vendor documents 10 minutes (twitch, box), 60 for linear, 180 for workos, 300 otherwise.
    # joiner: what a signer writes between the t= and v1= items (WorkOS: ", "); ts_format "ms":
    # Unix milliseconds, read as whole seconds rounded down.
    return dict(kind=kind, sig=sig, signed=signed, ts=ts, idh=idh, evh=evh, id_field=id_field, ev_field=ev_field,
                encoding=encoding, prefix=prefix, fallback=fallback, algorithm=algorithm, ts_format=ts_format,
                id_signed=id_signed, sig2=sig2, text_keys=text_keys, tol=tol, pk=pk,
                sigs=list(sigs) + ([sig2] if sig2 else []), overflow=overflow, body_ts=body_ts,
                joiner=joiner or {"stripe": ",", "paddle": ";"}.get(kind))


BUILTIN = {
    "algoguard": S("plain", "X-AlgoGuard-Signature", lambda t, i, b: t.encode() + b"." + b, ts="X-AlgoGuard-Timestamp",
                   id_field="id", ev_field="event", prefix="sha256="),
    "chaindoc": S("plain", "X-Webhook-Signature", lambda t, i, b: b, evh="X-Webhook-Event", fallback=True),
    "certifylize": S("plain", "X-Certifylize-Signature", lambda t, i, b: b, idh="X-Certifylize-Delivery-Id",
                     evh="X-Certifylize-Event-Type", prefix="sha256="),
    "easycart": S("plain", "X-Webhook-Signature", lambda t, i, b: b),
    "aghanim": S("plain", "x-aghanim-signature", lambda t, i, b: t.encode() + b"." + b,
                 ts="x-aghanim-signature-timestamp", id_field="event_id", ev_field="event_type"),
    "standard-webhooks": S("list", "webhook-signature", lambda t, i, b: i.encode() + b"." + t.encode() + b"." + b,
                           ts="webhook-timestamp", idh="webhook-id", encoding="base64"),
    "svix": S("list", "svix-signature", lambda t, i, b: i.encode() + b"." + t.encode() + b"." + b,
              ts="svix-timestamp", idh="svix-id", encoding="base64"),
    "stripe": S("stripe", "Stripe-Signature", lambda t, i, b: t.encode() + b"." + b, id_field="id", ev_field="type"),
    "github": S("plain", "X-Hub-Signature-256", lambda t, i, b: b, idh="X-GitHub-Delivery", evh="X-GitHub-Event",
                prefix="sha256="),
    "slack": S("plain", "X-Slack-Signature", lambda t, i, b: b"v0:" + t.encode() + b":" + b,
               ts="X-Slack-Request-Timestamp", prefix="v0="),
    "shopify": S("plain", "X-Shopify-Hmac-Sha256", lambda t, i, b: b, idh="X-Shopify-Webhook-Id",
                 evh="X-Shopify-Topic", encoding="base64"),
    "paddle": S("paddle", "Paddle-Signature", lambda t, i, b: t.encode() + b":" + b, id_field="event_id",
                ev_field="event_type"),
    "razorpay": S("plain", "X-Razorpay-Signature", lambda t, i, b: b, idh="X-Razorpay-Event-Id", ev_field="event"),
    "coinbase-commerce": S("plain", "X-CC-Webhook-Signature", lambda t, i, b: b),
    "lemon-squeezy": S("plain", "X-Signature", lambda t, i, b: b, evh="X-Event-Name"),
    "woocommerce": S("plain", "X-WC-Webhook-Signature", lambda t, i, b: b, idh="X-WC-Webhook-Delivery-ID",
                     evh="X-WC-Webhook-Topic", encoding="base64"),
    "typeform": S("plain", "Typeform-Signature", lambda t, i, b: b, id_field="event_id", ev_field="event_type",
                  encoding="base64", prefix="sha256="),
    # Stripe's header layout (t=..,v1=..) and signed content.
    "mux": S("stripe", "Mux-Signature", lambda t, i, b: t.encode() + b"." + b, id_field="id", ev_field="type"),
    "calendly": S("stripe", "Calendly-Webhook-Signature", lambda t, i, b: t.encode() + b"." + b, ev_field="event"),
    "zoom": S("plain", "x-zm-signature", lambda t, i, b: b"v0:" + t.encode() + b":" + b, ts="x-zm-request-timestamp",
              ev_field="event", prefix="v0="),
    "intercom": S("plain", "X-Hub-Signature", lambda t, i, b: b, id_field="id", ev_field="topic", prefix="sha1=",
                  algorithm="sha1"),
    "vercel": S("plain", "x-vercel-signature", lambda t, i, b: b, id_field="id", ev_field="type", algorithm="sha1"),
    "dropbox": S("plain", "X-Dropbox-Signature", lambda t, i, b: b),
    "sentry": S("plain", "Sentry-Hook-Signature", lambda t, i, b: b, idh="Request-ID", evh="Sentry-Hook-Resource"),
    "pagerduty": S("plain", "X-PagerDuty-Signature", lambda t, i, b: b, prefix="v1="),
    # RFC 3339 timestamps, signed as received: Twitch `{id}{ts}{body}`, Zendesk `{ts}{body}`.
    "twitch": S("plain", "Twitch-Eventsub-Message-Signature", lambda t, i, b: i.encode() + t.encode() + b,
                ts="Twitch-Eventsub-Message-Timestamp", idh="Twitch-Eventsub-Message-Id",
                evh="Twitch-Eventsub-Subscription-Type", prefix="sha256=", ts_format="rfc3339", id_signed=True,
                tol=600),
    "zendesk": S("plain", "X-Zendesk-Webhook-Signature", lambda t, i, b: t.encode() + b,
                 ts="X-Zendesk-Webhook-Signature-Timestamp", idh="X-Zendesk-Webhook-Invocation-Id", encoding="base64",
                 ts_format="rfc3339"),
    # Standard Webhooks / Svix under a vendor's name (Polar: the secret's text is the key).
    "replicate": S("list", "webhook-signature", lambda t, i, b: f"{i}.{t}.".encode() + b, ts="webhook-timestamp",
                   idh="webhook-id", encoding="base64"),
    "clerk": S("list", "svix-signature", lambda t, i, b: f"{i}.{t}.".encode() + b, ts="svix-timestamp", idh="svix-id",
               encoding="base64"),
    "resend": S("list", "svix-signature", lambda t, i, b: f"{i}.{t}.".encode() + b, ts="svix-timestamp", idh="svix-id",
                encoding="base64"),
    "polar": S("list", "webhook-signature", lambda t, i, b: f"{i}.{t}.".encode() + b, ts="webhook-timestamp",
               idh="webhook-id", encoding="base64", text_keys=True),
    # Box: one signature per key, in two headers; `{body}{ts}`.
    # Public-key schemes: `{ts}{body}` signed with ed25519 (Discord) or ECDSA P-256/SHA-256 (SendGrid).
    "discord": S("plain", "X-Signature-Ed25519", lambda t, i, b: t.encode() + b, ts="X-Signature-Timestamp",
                 id_field="id", ev_field="type", pk="ed25519"),
    "sendgrid": S("plain", "X-Twilio-Email-Event-Webhook-Signature", lambda t, i, b: t.encode() + b,
                  ts="X-Twilio-Email-Event-Webhook-Timestamp", encoding="base64", pk="p256"),
    # DocuSign: one base64 HMAC of the body per numbered header, 1..8; a 9th header is refused.
    "docusign": S("plain", "X-DocuSign-Signature-1", lambda t, i, b: b, ev_field="event", encoding="base64",
                  sigs=[f"X-DocuSign-Signature-{n}" for n in range(2, 9)], overflow="X-DocuSign-Signature-9"),
    # Linear: hex HMAC of the body; webhookTimestamp (ms) in the body, 60 s.
    "linear": S("plain", "Linear-Signature", lambda t, i, b: b, ev_field="type", body_ts="webhookTimestamp", tol=60),
    "box": S("plain", "box-signature-primary", lambda t, i, b: b + t.encode(), ts="box-delivery-timestamp",
             id_field="id", ev_field="trigger", encoding="base64", ts_format="rfc3339", sig2="box-signature-secondary",
             tol=600),
    # OpenAI: Standard Webhooks (webhook-* headers, whsec_ secret), event type from the body's `type`.
    "openai": S("list", "webhook-signature", lambda t, i, b: f"{i}.{t}.".encode() + b, ts="webhook-timestamp",
                idh="webhook-id", encoding="base64", ev_field="type"),
    # WorkOS: `t=<unix ms>, v1=<hex>` over `{t}.{body}` (t as received), 180 s.
    "workos": S("stripe", "WorkOS-Signature", lambda t, i, b: t.encode() + b"." + b, id_field="id", ev_field="event",
                ts_format="ms", tol=180, joiner=", "),
    # GoCardless: hex HMAC of the body; nothing else.
    "gocardless": S("plain", "Webhook-Signature", lambda t, i, b: b),
    # Pusher: hex HMAC of the body; time_ms (ms) in the body, 300 s.
    "pusher": S("plain", "X-Pusher-Signature", lambda t, i, b: b, body_ts="time_ms"),
}

RFC3339 = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]{1,9})?"
                     r"(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))")


def ts_seconds(sc, text):
    """Unix seconds of a timestamp text, None when malformed (RFC 3339 via datetime/calendar)."""
    if sc.get("ts_format", "unix") in ("unix", "ms"):
        if not re.fullmatch(r"[0-9]+", text) or int(text) > 2**63 - 1:
            return None
        return int(text) // 1000 if sc.get("ts_format") == "ms" else int(text)
    m = RFC3339.fullmatch(text)
    if not m:
        return None
    y, mo, d, h, mi, se = (int(m.group(k)) for k in range(1, 7))
    if h > 23 or mi > 59 or se > 59:
        return None
    try:
        day = datetime.date(y, mo, d)
    except ValueError:
        return None
    off = 0
    if m.group(9):
        oh, om = int(m.group(10)), int(m.group(11))
        if oh > 23 or om > 59:
            return None
        off = (oh * 3600 + om * 60) * (1 if m.group(9) == "+" else -1)
    return calendar.timegm(day.timetuple()) + h * 3600 + mi * 60 + se - off


def custom_scheme(c: dict) -> dict:
    tpl = c["template"]

    def signed(t, i, b):
        out = b""
        for part in re.split(r"(\{id\}|\{ts\}|\{body\})", tpl):
            out += {"{id}": (i or "").encode(), "{ts}": (t or "").encode(), "{body}": b}.get(part, part.encode())
        return out

    return S("plain", c["signature_header"], signed, ts=c.get("timestamp_header"), idh=c.get("id_header"),
             evh=c.get("event_header"), encoding=c["encoding"], prefix=c.get("prefix", ""),
             algorithm=c["algorithm"])


def ts_header(sc):
    return sc["sig"] if sc["kind"] in ("stripe", "paddle") else sc["ts"]


def has_ts(sc):
    return sc["kind"] in ("stripe", "paddle") or sc["ts"] is not None


def body_ts(sc, body: bytes):
    """Linear: (seconds or None, problem or None) from the body's JSON number field."""
    try:
        v = json.loads(body.decode("utf-8"), parse_float=lambda x: ("float", x),
                       parse_int=lambda x: ("int", x))
    except (UnicodeDecodeError, ValueError):
        return None, "missing_timestamp"
    if not isinstance(v, dict) or v.get(sc["body_ts"]) is None:
        return None, "missing_timestamp"
    x = v[sc["body_ts"]]
    if not (isinstance(x, tuple) and x[0] == "int" and re.fullmatch(r"[0-9]+", x[1])):
        return None, "malformed_timestamp"
    return int(x[1]) // 1000, None


def id_required(sc, scheme_obj):
    if sc["kind"] == "list" or sc.get("id_signed"):
        return True
    return isinstance(scheme_obj, dict) and sc["idh"] is not None and "{id}" in scheme_obj["custom"]["template"]


def error_header(sc, error, scheme_obj):
    if error in ("missing_signature", "malformed_signature", "signature_mismatch"):
        return sc["sig"]
    if error in ("missing_timestamp", "malformed_timestamp", "timestamp_expired", "timestamp_in_future"):
        return None if sc.get("body_ts") else ts_header(sc)
    if error == "missing_id":
        return sc["idh"]
    return None


# ---------------------------------------------------------------------------------------------
# Small decoders


def b64_strict(s: str) -> bytes:
    """Standard alphabet, padding optional, nothing else."""
    if not re.fullmatch(r"[A-Za-z0-9+/]*(={1,2})?", s) or len(s.rstrip("=")) % 4 == 1:
        raise ValueError("bad base64")
    core = s.rstrip("=")
    if "=" in s and len(s) % 4:
        raise ValueError("bad padding")
    return base64.b64decode(core + "=" * (-len(core) % 4), validate=True)


def dec(enc: str, encoding: str, size: int):
    """Decoded MAC, or None when it does not decode to `size` bytes."""
    if not enc.isascii():
        return None
    try:
        if encoding == "hex":
            if not re.fullmatch(r"[0-9a-fA-F]+", enc):
                return None
            raw = binascii.unhexlify(enc)
        else:
            raw = b64_strict(enc)
    except (ValueError, binascii.Error):
        return None
    return raw if len(raw) == size else None


def values(headers, name):
    out = []
    for n, v in headers:
        if n.lower() == name.lower():
            v = v.strip(" \t")
            if v:
                out.append(v)
    return out


def body_of(case) -> bytes:
    if "body" in case:
        return case["body"].encode("utf-8")
    if "body_base64" in case:
        return base64.b64decode(case["body_base64"], validate=True)
    r = case["body_repeat"]
    before, after = r.get("before", ""), r.get("after", "")
    return before.encode("utf-8") + r["text"].encode("utf-8") * r["count"] + after.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# Keys


def key_of(sc, secret: str, fmt: str):
    """("hmac", bytes, is_text), ("ed", private_seed_or_None, public_bytes) or ("ec", private_or_None,
    public_key)."""
    if sc.get("pk"):
        need(fmt in ("auto", "hex" if sc["pk"] == "ed25519" else "base64"), "public-key scheme: format")
        if sc["pk"] == "ed25519":
            raw = bytes.fromhex(secret)
            need(len(raw) in (32, 64), "ed25519 key: 32 (public) or 64 (seed+public) bytes")
            if len(raw) == 32:
                Ed25519PublicKey.from_public_bytes(raw)
                return ("ed", None, raw)
            pub = Ed25519PrivateKey.from_private_bytes(raw[:32]).public_key().public_bytes(
                serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            need(pub == raw[32:], "seed and public key do not match")
            return ("ed", raw[:32], pub)
        text = secret
        if text.startswith("-----BEGIN "):
            text = "".join(line for line in text.splitlines() if not line.startswith("-----"))
        der = b64_strict(text)
        try:
            return ("ec", None, serialization.load_der_public_key(der))
        except ValueError:
            priv = serialization.load_der_private_key(der, None)
            return ("ec", priv, priv.public_key())
    if fmt == "text":
        return ("hmac", secret.encode("utf-8"), True)
    if fmt == "hex":
        return ("hmac", bytes.fromhex(secret), False)
    if fmt == "base64":
        return ("hmac", b64_strict(secret), False)
    if sc["kind"] == "list" and not sc.get("text_keys"):
        if secret.startswith("whpk_"):
            pk = b64_strict(secret[len("whpk_"):])
            need(len(pk) == 32, "whpk_ key is not 32 bytes")
            return ("ed", None, pk)
        if secret.startswith("whsk_"):
            sk = b64_strict(secret[len("whsk_"):])
            need(len(sk) in (32, 64), "whsk_ key is not 32/64 bytes")
            priv = Ed25519PrivateKey.from_private_bytes(sk[:32])
            pub = priv.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
            if len(sk) == 64:
                need(sk[32:] == pub, "whsk_ 64-byte key: public half does not match the seed")
            return ("ed", sk[:32], pub)
        k = b64_strict(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
        need(len(k) >= 8, "symmetric key shorter than 8 bytes")
        return ("hmac", k, False)
    return ("hmac", secret.encode("utf-8"), True)


def mac(sc, key: bytes, content: bytes) -> bytes:
    return hmac.new(key, content, getattr(hashlib, sc["algorithm"])).digest()


def openssl_mac(sc, key_text: str, content: bytes) -> bytes:
    p = subprocess.run([OPENSSL, "dgst", "-" + sc["algorithm"], "-hmac", key_text], input=content,
                       capture_output=True)
    need(p.returncode == 0, f"openssl failed: {p.stderr.decode(errors='replace').strip()}")
    return bytes.fromhex(p.stdout.decode().strip().split()[-1])


# ---------------------------------------------------------------------------------------------
# Parsing a request the scheme's way


def parse(sc, headers):
    """(timestamp text or None, timestamp-problem or None, id or None, [(version, bytes)])"""
    size = hashlib.new(sc["algorithm"]).digest_size
    sigvals = values(headers, sc["sig"]) + [v for h in sc["sigs"] for v in values(headers, h)]
    ts_texts, cands = [], []
    if sc.get("pk"):
        for v in sigvals:
            for piece in v.split(","):
                piece = piece.strip(" \t")
                if not piece:
                    continue
                cands.append(("count", None))
                if sc["pk"] == "ed25519":
                    d = dec(piece, "hex", 64)
                    if d is not None:
                        cands.append(("ed", d))
                else:
                    try:
                        der = b64_strict(piece)
                        from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
                        r, s_ = decode_dss_signature(der)
                        # strict DER: re-encoding gives the same bytes; 0 < r, s < n
                        from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
                        n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551
                        if encode_dss_signature(r, s_) == der and 0 < r < n and 0 < s_ < n:
                            cands.append(("ec", der))
                    except (ValueError, binascii.Error):
                        pass
        ts_texts = values(headers, sc["ts"])
    elif sc["kind"] == "plain":
        for v in sigvals:
            for piece in v.split(","):
                piece = piece.strip(" \t")
                if sc["prefix"]:
                    if not piece.startswith(sc["prefix"]):
                        continue
                    piece = piece[len(sc["prefix"]):]
                d = dec(piece, sc["encoding"], size)
                if d is not None:
                    cands.append(("mac", d))
        if sc["ts"]:
            ts_texts = values(headers, sc["ts"])
    elif sc["kind"] in ("stripe", "paddle"):
        sep, tkey, vkey = (",", "t", "v1") if sc["kind"] == "stripe" else (";", "ts", "h1")
        for v in sigvals:
            for item in v.split(sep):
                # Items, keys and values are trimmed (WorkOS writes ", " between items).
                k, eq, x = item.partition("=")
                k, x = k.strip(" \t"), x.strip(" \t")
                if not eq:
                    continue
                if k == tkey:
                    ts_texts.append(x)
                elif k == vkey:
                    d = dec(x, "hex", 32)
                    if d is not None:
                        cands.append(("mac", d))
    else:  # list
        for v in sigvals:
            for entry in v.split(" "):
                ver, comma, x = entry.partition(",")
                if ver == "v1" and comma:
                    d = dec(x, "base64", 32)
                    if d is not None:
                        cands.append(("mac", d))
                elif ver == "v1a" and comma:
                    d = dec(x, "base64", 64)
                    if d is not None:
                        cands.append(("ed", d))
        ts_texts = values(headers, sc["ts"])
    ts, ts_problem = None, None
    if has_ts(sc):
        if not ts_texts:
            ts_problem = "missing_timestamp"
        elif len(set(ts_texts)) != 1 or ts_seconds(sc, ts_texts[0]) is None:
            ts_problem = "malformed_timestamp"
        else:
            ts = ts_texts[0]
    mid = None
    if sc["idh"]:
        ids = values(headers, sc["idh"])
        mid = ids[0] if ids else None
    return ts, ts_problem, mid, cands


def too_many(sc, headers, cands) -> bool:
    """More signatures than the scheme reads: 2 ed25519, 1 ECDSA, DocuSign's 9th header."""
    if sc.get("overflow") and values(headers, sc["overflow"]):
        return True
    n = sum(1 for kind, _ in cands if kind == "count")
    return (sc.get("pk") == "ed25519" and n > 2) or (sc.get("pk") == "p256" and n > 1)


def matches(sc, key, content: bytes, cands) -> bool:
    if key[0] == "ec":
        for kind, c in cands:
            if kind == "ec":
                try:
                    key[2].verify(c, content, ec.ECDSA(hashes.SHA256()))
                    return True
                except InvalidSignature:
                    pass
        return False
    if key[0] == "hmac":
        want = mac(sc, key[1], content)
        return any(kind == "mac" and hmac.compare_digest(want, c) for kind, c in cands)
    pub = Ed25519PublicKey.from_public_bytes(key[2])
    for kind, c in cands:
        if kind == "ed":
            try:
                pub.verify(c, content)
                return True
            except InvalidSignature:
                pass
    return False


def node_stringify(raw: bytes):
    p = subprocess.run([NODE, "-e", "const s=require('fs').readFileSync(0,'utf8');let v;try{v=JSON.parse(s)}"
                                    "catch(e){process.exit(3)}process.stdout.write(JSON.stringify(v))"],
                       input=raw, capture_output=True)
    return p.stdout if p.returncode == 0 else None


def json_field(raw: bytes, field):
    try:
        v = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    if isinstance(v, dict) and isinstance(v.get(field), str):
        return v[field]
    if isinstance(v, dict) and type(v.get(field)) is int:  # numbers count, as written
        return str(v[field])
    return None


# ---------------------------------------------------------------------------------------------
# Format


CASE_KEYS = {"name", "op", "source", "secrets", "secret_format", "tolerance", "json_fallback", "now", "headers",
             "body", "body_base64", "body_repeat", "timestamp", "id", "event_type", "expect", "expect_headers"}


def check_format(case, sc, scheme_obj):
    need(isinstance(case, dict), "case is not an object")
    extra = set(case) - CASE_KEYS
    need(not extra, f"unknown keys {sorted(extra)}")
    need(isinstance(case.get("name"), str) and case["name"], "name missing")
    op = case.get("op", "verify")
    need(op in ("verify", "sign"), f"bad op {op!r}")
    need(isinstance(case.get("secrets"), list) and all(isinstance(s, str) for s in case["secrets"]),
         "secrets must be a list of strings")
    need(case.get("secret_format", "auto") in ("auto", "text", "base64", "hex"), "bad secret_format")
    if "tolerance" in case:
        need(type(case["tolerance"]) is int and case["tolerance"] >= 0, "bad tolerance")
    if "json_fallback" in case:
        need(type(case["json_fallback"]) is bool, "bad json_fallback")
    need(type(case.get("now")) is int, "now must be an integer")
    if "source" in case:
        need(isinstance(case["source"], str), "bad source")
    bodies = [k for k in ("body", "body_base64", "body_repeat") if k in case]
    need(len(bodies) == 1, f"exactly one body field required, got {bodies}")
    if "body" in case:
        need(isinstance(case["body"], str), "body must be a string")
    elif "body_base64" in case:
        need(isinstance(case["body_base64"], str), "body_base64 must be a string")
        base64.b64decode(case["body_base64"], validate=True)
    else:
        r = case["body_repeat"]
        need(isinstance(r, dict) and {"text", "count"} <= set(r) <= {"before", "text", "count", "after"}
             and isinstance(r["text"], str) and type(r["count"]) is int and r["count"] > 0
             and all(isinstance(r.get(k, ""), str) for k in ("before", "after")), "bad body_repeat")
    if op == "verify":
        need("expect" in case and "expect_headers" not in case, "verify case needs expect (and no expect_headers)")
        need(not ({"timestamp", "id", "event_type"} & set(case)), "timestamp/id/event_type are for sign cases")
        h = case.get("headers")
        need(isinstance(h, list) and all(isinstance(x, list) and len(x) == 2 and all(isinstance(y, str) for y in x)
                                         for x in h), "headers must be [[name, value], ...]")
        e = case["expect"]
        need(isinstance(e, dict) and type(e.get("ok")) is bool, "expect.ok missing")
        if e["ok"]:
            need(set(e) - {"payload", "dedupe_key"} == {"ok", "key_index", "timestamp", "id", "event_type"},
                 f"ok expect keys: {sorted(e)}")
            need(type(e["key_index"]) is int and 0 <= e["key_index"] < len(case["secrets"]), "bad key_index")
            need(e["timestamp"] is None or type(e["timestamp"]) is int, "bad expect.timestamp")
            need(e["id"] is None or isinstance(e["id"], str), "bad expect.id")
            need(e["event_type"] is None or isinstance(e["event_type"], str), "bad expect.event_type")
            need("payload" not in e or isinstance(e["payload"], str), "bad payload")
        else:
            need(set(e) <= {"ok", "error", "header"}, f"error expect keys: {sorted(e)}")
            need(e.get("error") in ERRORS, f"unknown error {e.get('error')!r}")
            want = error_header(sc, e["error"], scheme_obj)
            need(e.get("header") == want, f"{e['error']} must name header {want!r}, case says {e.get('header')!r}")
        need(len(case["secrets"]) > 0 or e == {"ok": False, "error": "invalid_secret"},
             "an empty secrets list only makes sense for invalid_secret")
    else:
        need("expect" not in case and "headers" not in case, "sign case has expect/headers")
        need(len(case["secrets"]) >= 1, "sign case needs a secret")
        eh = case.get("expect_headers")
        need(isinstance(eh, list) and eh and all(isinstance(x, list) and len(x) == 2 and
                                                 all(isinstance(y, str) for y in x) for x in eh),
             "expect_headers must be [[name, value], ...]")
        need(case.get("timestamp") is None or type(case["timestamp"]) is int, "bad timestamp")
        for k in ("id", "event_type"):
            need(case.get(k) is None or isinstance(case[k], str), f"bad {k}")


# ---------------------------------------------------------------------------------------------
# Crypto checks


def fallback_on(sc, case):
    return case.get("json_fallback", sc["fallback"])


def check_verify_ok(case, sc, scheme_obj):
    e = case["expect"]
    fmt = case.get("secret_format", "auto")
    body = body_of(case)
    ts, ts_problem, mid, cands = parse(sc, case["headers"])
    need(values(case["headers"], sc["sig"]) or any(values(case["headers"], h) for h in sc["sigs"]),
         "no signature header")
    need(not too_many(sc, case["headers"], cands), "too many signatures")
    cands = [c for c in cands if c[0] != "count"]
    if sc.get("body_ts"):
        secs, ts_problem = body_ts(sc, body)
    need(ts_problem is None, f"timestamp: {ts_problem}")
    need(not id_required(sc, scheme_obj) or mid is not None, "required id header missing")
    need(cands, "no candidate signature decodes")
    # timestamp
    if sc.get("body_ts"):
        need(e["timestamp"] == secs, f"expect.timestamp {e['timestamp']} != body {secs}")
        need(abs(case["now"] - secs) <= case.get("tolerance", sc["tol"]), "timestamp outside tolerance")
    elif has_ts(sc):
        need(e["timestamp"] == ts_seconds(sc, ts), f"expect.timestamp {e['timestamp']} != header {ts}")
        tol = case.get("tolerance", sc["tol"])
        need(abs(case["now"] - ts_seconds(sc, ts)) <= tol, "timestamp outside tolerance in a valid case")
    else:
        need(e["timestamp"] is None, "scheme has no timestamp: expect.timestamp must be null")
    # id / event type
    if sc["idh"]:
        need(e["id"] == mid, f"expect.id {e['id']!r} != header {mid!r}")
    else:
        need(e["id"] == (json_field(body, sc["id_field"]) if sc["id_field"] else None), "expect.id mismatch")
    if sc["evh"]:
        ev = values(case["headers"], sc["evh"])
        need(e["event_type"] == (ev[0] if ev else None), "expect.event_type mismatch (header)")
    else:
        need(e["event_type"] == (json_field(body, sc["ev_field"]) if sc["ev_field"] else None),
             "expect.event_type mismatch (body)")
    # MAC
    signed_body = body
    if "payload" in e:
        need(fallback_on(sc, case), "payload given but the JSON fallback is off")
        signed_body = e["payload"].encode("utf-8")
        need(signed_body != body, "payload equals the body")
        if NODE:
            need(node_stringify(body) == signed_body, "payload is not node's JSON.stringify(JSON.parse(body))")
    need(not any(secret_refused(sc, s, fmt) for s in case["secrets"]), "a secret would be refused")
    keys = [key_of(sc, s, fmt) for s in case["secrets"]]
    content = sc["signed"](ts, mid, signed_body)
    hits = [i for i, k in enumerate(keys) if matches(sc, k, content, cands)]
    if sc["sigs"]:
        # Box, DocuSign: one signature per key, so with both keys configured both match; the first reports.
        need(hits[:1] == [e["key_index"]], f"matching secrets {hits}, expected the first to be {e['key_index']}")
    else:
        need(hits == [e["key_index"]], f"matching secrets {hits}, expected [{e['key_index']}]")
    if "payload" in e:
        raw_content = sc["signed"](ts, mid, body)
        need(not any(matches(sc, k, raw_content, cands) for k in keys), "raw body matches: payload must be omitted")
    # dedupe key: the id when it is signed (body field, or a header in the signed content),
    # else the first HMAC secret's MAC over the signed content (first 16 bytes, hex)
    if "dedupe_key" in e:
        sid = scheme_obj if isinstance(scheme_obj, str) else scheme_obj["custom"]["id"]
        id_signed = sc["id_field"] is not None or id_required(sc, scheme_obj)
        if id_signed and e["id"]:
            raw_id = e["id"].encode()
            plain = len(raw_id) <= 64 and all(33 <= c <= 126 for c in raw_id)
            want = f"{sid}:id:{e['id']}" if plain else f"{sid}:id-sha256:{hashlib.sha256(raw_id).hexdigest()}"
        elif sc.get("pk"):
            want = f"{sid}:sig:{hashlib.sha256(content).digest()[:16].hex()}"
        else:
            first = next(k for k in keys if k[0] == "hmac")
            want = f"{sid}:sig:{mac(sc, first[1], content)[:16].hex()}"
        need(e["dedupe_key"] == want, f"dedupe_key {e['dedupe_key']!r}, recomputed {want!r}")
    k = keys[e["key_index"]]
    if OPENSSL and k[0] == "hmac" and k[2]:
        om = openssl_mac(sc, case["secrets"][e["key_index"]], content)
        need(any(kind == "mac" and c == om for kind, c in cands), "openssl dgst disagrees")
        return 1
    return 0


def secret_refused(sc, secret: str, fmt: str) -> bool:
    if secret == "" or secret.strip() != secret:
        return True
    try:
        key_of(sc, secret, fmt)
    except (Fail, ValueError, binascii.Error):
        return True
    return False


def check_verify_error(case, sc, scheme_obj):
    """Work the outcome out independently, in SCHEMES.md's order of checks, and compare."""
    e = case["expect"]
    err = e["error"]
    fmt = case.get("secret_format", "auto")
    body = body_of(case)

    def outcome():
        if not case["secrets"] or any(secret_refused(sc, s, fmt) for s in case["secrets"]):
            return "invalid_secret"
        if not values(case["headers"], sc["sig"]) and not any(values(case["headers"], h) for h in sc["sigs"]):
            return "missing_signature"
        ts, ts_problem, mid, cands = parse(sc, case["headers"])
        if ts_problem:
            return ts_problem
        if id_required(sc, scheme_obj) and mid is None:
            return "missing_id"
        if too_many(sc, case["headers"], cands):
            return "malformed_signature"
        cands = [c for c in cands if c[0] != "count"]
        if not cands:
            return "malformed_signature"
        keys = [key_of(sc, s, fmt) for s in case["secrets"]]
        hit = any(matches(sc, k, sc["signed"](ts, mid, body), cands) for k in keys)
        if not hit and fallback_on(sc, case):
            if not NODE:
                return None  # cannot tell without node
            alt = node_stringify(body)
            if alt is not None:
                hit = any(matches(sc, k, sc["signed"](ts, mid, alt), cands) for k in keys)
        if not hit:
            return "signature_mismatch"
        if sc.get("body_ts"):
            secs, problem = body_ts(sc, body)
            if problem:
                return problem
            tol = case.get("tolerance", sc["tol"])
            return "timestamp_expired" if case["now"] - secs > tol else (
                "timestamp_in_future" if secs - case["now"] > tol else "ok")
        if has_ts(sc):
            tol = case.get("tolerance", sc["tol"])
            if case["now"] - ts_seconds(sc, ts) > tol:
                return "timestamp_expired"
            if ts_seconds(sc, ts) - case["now"] > tol:
                return "timestamp_in_future"
        return "ok"

    got = outcome()
    need(got is None or got == err, f"recomputed outcome {got!r}, case expects {err!r}")


def check_sign(case, sc, scheme_obj):
    fmt = case.get("secret_format", "auto")
    body = body_of(case)
    secret = case["secrets"][0]
    key = key_of(sc, secret, fmt)
    ts = str(case["timestamp"]) if case.get("timestamp") is not None else None
    if ts is not None and sc.get("ts_format") == "rfc3339":
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(case["timestamp"]))
    if ts is not None and sc.get("ts_format") == "ms":
        ts = str(case["timestamp"] * 1000)
    need(not has_ts(sc) or ts is not None, "sign case for a timestamp scheme without timestamp")
    mid = case.get("id")
    if sc["kind"] == "list" and mid is None:
        mid = "msg_" + hashlib.sha256(ts.encode() + b"." + body).hexdigest()[:24]
    need(not id_required(sc, scheme_obj) or mid is not None, "sign case without id for an id scheme")
    content = sc["signed"](ts, mid, body)
    if key[0] == "ed" and sc.get("pk"):
        need(key[1] is not None, "signing needs the secret key")
        sigval = Ed25519PrivateKey.from_private_bytes(key[1]).sign(content).hex()
    elif key[0] == "ec":
        need(key[1] is not None, "signing needs the private key")
        # ECDSA is randomized in general: check the expected signature verifies (and is strict DER)
        # rather than recomputing it.
        got = case["expect_headers"][0][1]
        ok = parse(sc, [[sc["sig"], got]])[3]
        need(any(k == "ec" for k, _ in ok) and matches(sc, key, content, ok), "expected signature does not verify")
        sigval = got
    elif key[0] == "ed":
        need(key[1] is not None, "signing needs a whsk_ key")
        raw = Ed25519PrivateKey.from_private_bytes(key[1]).sign(content)
        Ed25519PublicKey.from_public_bytes(key[2]).verify(raw, content)
        sigval = "v1a," + base64.b64encode(raw).decode()
    else:
        raw = mac(sc, key[1], content)
        enc = raw.hex() if sc["encoding"] == "hex" else base64.b64encode(raw).decode()
        j = sc["joiner"]
        sigval = {"plain": sc["prefix"] + enc, "stripe": f"t={ts}{j}v1={enc}", "paddle": f"ts={ts}{j}h1={enc}",
                  "list": f"v1,{enc}"}[sc["kind"]]
    if sc["kind"] == "list":
        want = [[sc["idh"], mid], [sc["ts"], ts], [sc["sig"], sigval]]
    else:
        want = [[sc["sig"], sigval]]
        if sc["kind"] == "plain" and sc["ts"]:
            want.append([sc["ts"], ts])
        if sc["idh"] and case.get("id") is not None:
            want.append([sc["idh"], case["id"]])
        if sc["evh"] and case.get("event_type") is not None:
            want.append([sc["evh"], case["event_type"]])
    need(case["expect_headers"] == want, f"expect_headers {case['expect_headers']} != recomputed {want}")
    if OPENSSL and key[0] == "hmac" and key[2]:
        need(openssl_mac(sc, secret, content) == raw, "openssl dgst disagrees")
        return 1
    return 0


# ---------------------------------------------------------------------------------------------
# Schemes that sign the request URL (twilio, square, hubspot): a second derivation of the
# signed content with urllib's parsers (Twilio's validator's own approach), per case.

REQUEST_FILES = ["twilio", "square", "hubspot"]
REQUEST_SIG = {"twilio": "X-Twilio-Signature", "square": "x-square-hmacsha256-signature",
               "hubspot": "X-HubSpot-Signature-v3"}
HUBSPOT_ESCAPES = {"%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$", "%27": "'",
                   "%28": "(", "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";"}


def request_contents(stem, case, body: bytes, exact: bool) -> list:
    """Every signed content the request may have been signed as (Twilio: without, with port)."""
    r = case["request"]
    url, method = r["url"], r.get("method") or "POST"
    if stem == "square":
        return [url.encode() + body]
    if stem == "hubspot":
        ts = values(case.get("headers", []) if case.get("op", "verify") == "verify" else case["expect_headers"],
                    "X-HubSpot-Request-Timestamp")[0]
        uri = re.sub("%[0-9A-Fa-f]{2}", lambda m: HUBSPOT_ESCAPES.get(m.group(0).upper(), m.group(0)), url)
        return [method.encode() + uri.encode() + body + ts.encode()]
    parsed = urllib.parse.urlparse(url)
    if "bodySHA256" in urllib.parse.parse_qs(parsed.query):
        need(hashlib.sha256(body).hexdigest() == urllib.parse.parse_qs(parsed.query)["bodySHA256"][0],
             "bodySHA256 differs from the body's hash")
        form = b""
    else:
        pairs = urllib.parse.parse_qsl(body.decode(), keep_blank_values=True)
        form = "".join(k + v for k, v in sorted(set(pairs))).encode()
    if exact:
        return [url.encode() + form]
    host = parsed.netloc.split(":")[0]
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    return [parsed._replace(netloc=host).geturl().encode() + form,
            parsed._replace(netloc=f"{host}:{port}").geturl().encode() + form]


def check_request_case(stem, case) -> int:
    body = body_of(case)
    algo = hashlib.sha1 if stem == "twilio" else hashlib.sha256
    secrets = [x.encode() for x in case["secrets"]]
    if case.get("op", "verify") == "sign":
        content = request_contents(stem, case, body, exact=True)[0]
        sig = base64.b64encode(hmac.new(secrets[0], content, algo).digest()).decode()
        need(values(case["expect_headers"], REQUEST_SIG[stem]) == [sig], "sign: signature differs")
        return 0
    e = case["expect"]
    if not e["ok"]:
        need(e["error"] in ERRORS | {"invalid_argument"}, f"unknown error {e['error']}")
        need(("request" in case) == (e["error"] != "invalid_argument"), "invalid_argument iff no request")
        return 0
    sigs = [base64.b64decode(v) for v in values(case["headers"], REQUEST_SIG[stem])]
    for content in request_contents(stem, case, body, exact=False):
        hits = [i for i, k in enumerate(secrets) if hmac.new(k, content, algo).digest() in sigs]
        if hits:
            need(hits[0] == e["key_index"], f"key_index {e['key_index']} != {hits[0]}")
            if "dedupe_key" in e and not e["dedupe_key"].startswith(f"{stem}:id:"):
                fp = hmac.new(secrets[0], content, algo).digest()[:16].hex()
                need(e["dedupe_key"] == f"{stem}:sig:{fp}", "dedupe key differs")
            if OPENSSL:
                need(openssl_mac({"algorithm": algo().name}, case["secrets"][hits[0]], content)
                     in sigs, "openssl dgst disagrees")
                return 1
            return 0
    raise Fail("no URL form and secret reproduce the signature")


def check_request_files(fail) -> tuple:
    passed, openssl_checked = 0, 0
    for stem in REQUEST_FILES:
        doc = json.loads((HERE / f"{stem}.json").read_text(encoding="utf-8"))
        for case in doc["cases"]:
            try:
                openssl_checked += check_request_case(stem, case)
                passed += 1
            except Fail as ex:
                fail(f"{stem}.json:{case.get('name')}", str(ex))
            except Exception as ex:  # noqa: BLE001
                fail(f"{stem}.json:{case.get('name')}", f"{type(ex).__name__}: {ex}")
    return passed, openssl_checked


def main():
    passed, failed = 0, 0
    openssl_checked = 0
    failures = []

    def fail(where, msg):
        nonlocal failed
        failed += 1
        failures.append(f"FAIL {where}: {msg}")
        print(f"FAIL {where}: {msg}", flush=True)

    more_passed, more_openssl = check_request_files(fail)
    passed += more_passed
    openssl_checked += more_openssl
    for stem in FILES + ["custom"]:
        path = HERE / f"{stem}.json"
        try:
            raw = path.read_bytes()
            doc = json.loads(raw.decode("utf-8"))
            need(isinstance(doc, dict), "top level is not an object")
            need(raw.endswith(b"\n"), "no trailing newline")
            if stem == "custom":
                need(set(doc) <= {"_comment", "blocks"} and isinstance(doc.get("blocks"), list) and doc["blocks"],
                     "custom.json needs a non-empty 'blocks' list")
                blocks = []
                for bl in doc["blocks"]:
                    need(set(bl) == {"scheme", "cases"}, "block keys must be scheme, cases")
                    c = bl["scheme"]["custom"]
                    need({"id", "signature_header", "template", "encoding", "algorithm"} <= set(c), "custom keys")
                    need(set(c) <= {"id", "signature_header", "timestamp_header", "id_header", "event_header",
                                    "template", "encoding", "prefix", "algorithm"}, "unknown custom key")
                    need(c["encoding"] in ("hex", "base64") and c["algorithm"] in ("sha256", "sha512"), "custom enc")
                    need(("{ts}" in c["template"]) == ("timestamp_header" in c), "{ts} needs a timestamp_header")
                    need(("{id}" not in c["template"]) or "id_header" in c, "{id} needs an id_header")
                    blocks.append((bl["scheme"], custom_scheme(c), bl["cases"]))
            else:
                need(set(doc) <= {"_comment", "scheme", "cases"}, f"unknown top-level keys {sorted(doc)}")
                need(doc.get("scheme") == stem, f"scheme {doc.get('scheme')!r} != file name {stem!r}")
                blocks = [(stem, BUILTIN[stem], doc["cases"])]
            names = set()
            for scheme_obj, sc, cases in blocks:
                need(isinstance(cases, list) and cases, "cases must be a non-empty list")
                for case in cases:
                    nm = case.get("name") if isinstance(case, dict) else None
                    need(nm not in names, f"duplicate case name {nm!r}")
                    names.add(nm)
            passed += 1
        except Fail as ex:
            fail(f"{stem}.json", str(ex))
            continue
        except Exception as ex:  # noqa: BLE001
            fail(f"{stem}.json", f"{type(ex).__name__}: {ex}")
            continue

        for scheme_obj, sc, cases in blocks:
            for case in cases:
                where = f"{stem}.json:{case.get('name')}"
                try:
                    check_format(case, sc, scheme_obj)
                    if case.get("op", "verify") == "sign":
                        openssl_checked += check_sign(case, sc, scheme_obj)
                    elif case["expect"]["ok"]:
                        openssl_checked += check_verify_ok(case, sc, scheme_obj)
                    else:
                        check_verify_error(case, sc, scheme_obj)
                    passed += 1
                except Fail as ex:
                    fail(where, str(ex))
                except Exception as ex:  # noqa: BLE001
                    fail(where, f"{type(ex).__name__}: {ex}")

    # d) the committed files are what generate.py produces
    with tempfile.TemporaryDirectory() as tmp:
        p = subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", tmp], capture_output=True)
        if p.returncode != 0:
            fail("generate.py", "regeneration failed: " + (p.stderr or p.stdout).decode(errors="replace").strip())
        else:
            produced = sorted(x.name for x in Path(tmp).glob("*.json"))
            committed = sorted(x.name for x in HERE.glob("*.json"))
            if produced != committed:
                fail("generate.py", f"file sets differ: generated {produced}, committed {committed}")
            for name in produced:
                if (HERE / name).exists() and (Path(tmp) / name).read_bytes() == (HERE / name).read_bytes():
                    passed += 1
                else:
                    fail(f"{name}", "stale: differs from `python3 tests/vectors/generate.py` output")

    if not OPENSSL:
        print("note: openssl not found; the second (openssl dgst) check was skipped")
    else:
        print(f"note: {openssl_checked} cases also checked with openssl dgst")
    if not NODE:
        print("note: node not found; JSON-fallback payloads were not re-derived with node")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
