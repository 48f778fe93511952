#!/usr/bin/env python3
"""Generate hooksig's shared cross-language test vectors (tests/vectors/*.json).

Expected signatures are computed here with Python's standard library (hmac, hashlib, base64),
`cryptography` for ed25519, `node -e 'JSON.stringify(JSON.parse(..))'` for the JSON-fallback
payloads and `openssl dgst` for the Certifylize page's own curl example. Nothing here uses
hooksig itself. The output is deterministic: running the script twice gives identical bytes.

    python3 tests/vectors/generate.py              # rewrite the files next to this script
    python3 tests/vectors/generate.py --out DIR    # write them somewhere else (check.py does)

The rules implemented here are those of SCHEMES.md; tests/vectors/README.md describes the
file format. check.py re-checks every case by an independent path.
"""
from __future__ import annotations

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

try:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
except ImportError:  # pragma: no cover
    sys.exit("generate.py needs the 'cryptography' package (ed25519 vectors): pip install cryptography")

HERE = Path(__file__).resolve().parent
NOW = 1767225600  # 2026-01-01T00:00:00Z
MIB = 1024 * 1024
I64_MAX = 2**63 - 1

# --------------------------------------------------------------------------------------------
# Bodies


class Body:
    """A request body as the vector file spells it: text, base64 bytes or a repeated text.

    `repeat` is (text, count) or (text, count, before, after): the body is before + text * count + after.
    """

    def __init__(self, text=None, data=None, repeat=None):
        self.text, self.data, self.repeat = text, data, repeat

    def _repeat(self):
        t, n, *rest = self.repeat
        before, after = (list(rest) + ["", ""])[:2]
        return t, n, before, after

    def raw(self) -> bytes:
        if self.text is not None:
            return self.text.encode("utf-8")
        if self.data is not None:
            return self.data
        t, n, before, after = self._repeat()
        return before.encode("utf-8") + t.encode("utf-8") * n + after.encode("utf-8")

    def fields(self) -> dict:
        if self.text is not None:
            return {"body": self.text}
        if self.data is not None:
            return {"body_base64": base64.b64encode(self.data).decode("ascii")}
        t, n, before, after = self._repeat()
        r: dict = {"before": before} if before else {}  # before/after only when non-empty
        r.update({"text": t, "count": n})
        if after:
            r["after"] = after
        return {"body_repeat": r}


def T(s: str) -> Body:
    return Body(text=s)


def B(b: bytes) -> Body:
    return Body(data=b)


EMPTY = T("")
BIG = Body(repeat=("a", MIB))
UNICODE = T("zażółć gęślą jaźń 🎣")
NON_UTF8 = B(bytes([0xFF, 0xFE, 0x00, 0x80, 0x7B, 0x22, 0xC3, 0x28, 0x0A]))


def body_json_field(raw: bytes, field: str):
    """The top-level string field of a JSON object body, else None."""
    try:
        v = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(v, dict) or field not in v:
        return None
    if not isinstance(v[field], str):
        raise SystemExit(f"vector body has a non-string {field!r}: keep vectors unambiguous")
    return v[field]


# --------------------------------------------------------------------------------------------
# Node's JSON.stringify(JSON.parse(body)), by running node

NODE_SCRIPT = (
    "const s=require('fs').readFileSync(0,'utf8');let v;"
    "try{v=JSON.parse(s)}catch(e){process.exit(3)}"
    "process.stdout.write(JSON.stringify(v))"
)
_node_cache: dict = {}


def node_stringify(raw: bytes):
    """Bytes node's JSON.stringify(JSON.parse(raw)) produces, None when JSON.parse throws."""
    if raw in _node_cache:
        return _node_cache[raw]
    node = shutil.which("node")
    if node is None:
        sys.exit("generate.py needs `node` (Node 20) on PATH for the JSON-fallback vectors")
    p = subprocess.run([node, "-e", NODE_SCRIPT], input=raw, capture_output=True)
    if p.returncode == 3:
        out = None
    elif p.returncode == 0:
        out = p.stdout
    else:
        sys.exit(f"node failed: {p.stderr.decode(errors='replace')}")
    _node_cache[raw] = out
    return out


# --------------------------------------------------------------------------------------------
# ed25519 (Standard Webhooks / Svix `v1a`)

ED_SEED = hashlib.sha256(b"hooksig test vectors ed25519 seed 1").digest()
ED_SEED_OTHER = hashlib.sha256(b"hooksig test vectors ed25519 seed 2").digest()


def ed_pub(seed: bytes) -> bytes:
    return (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )


def b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


WHSK = "whsk_" + b64(ED_SEED)
WHSK64 = "whsk_" + b64(ED_SEED + ed_pub(ED_SEED))
WHPK = "whpk_" + b64(ed_pub(ED_SEED))
WHPK_OTHER = "whpk_" + b64(ed_pub(ED_SEED_OTHER))

# --------------------------------------------------------------------------------------------
# Schemes


class Scheme:
    def __init__(self, sid, kind, sig, template, encoding="hex", prefix="", ts=None, idh=None,
                 evh=None, id_field=None, ev_field=None, fallback=False, algorithm="sha256",
                 custom=None, ts_format="unix", sig2=None, text_keys=False, tol=300, joiner=None):
        self.sid, self.kind, self.sig, self.template = sid, kind, sig, template
        self.encoding, self.prefix, self.ts, self.idh, self.evh = encoding, prefix, ts, idh, evh
        self.id_field, self.ev_field, self.fallback = id_field, ev_field, fallback
        self.algorithm, self.custom = algorithm, custom
        self.ts_format, self.sig2, self.text_keys = ts_format, sig2, text_keys
        # What `sign` writes between the timestamp and signature items of a key=value list
        # (WorkOS's SDK splits on ", " exactly); the verifier trims items, so any works there.
        self.joiner = joiner or {"stripe": ",", "paddle": ";"}.get(kind)
        # The scheme's default tolerance (core `Scheme::default_tolerance`): what a case without
        # "tolerance" is verified with. 600 where the vendor documents 10 minutes (twitch, box).
        self.tol = tol

    def tstr(self, t: int) -> str:
        """The timestamp text this scheme sends for Unix time t (what `sign` writes)."""
        if self.ts_format == "rfc3339":
            return rfc3339(t)
        if self.ts_format == "ms":
            return str(t * 1000)
        return str(t)

    # -- facts
    @property
    def has_ts(self):
        return self.kind in ("stripe", "paddle") or self.ts is not None

    @property
    def ts_error_header(self):
        return self.sig if self.kind in ("stripe", "paddle") else self.ts

    @property
    def id_required(self):
        return self.idh is not None and "{id}" in self.template

    @property
    def ts_in_signature(self):
        return self.kind in ("stripe", "paddle")

    # -- keys
    def key(self, secret: str, fmt: str | None = None):
        """HMAC key bytes, or ("ed", seed|None, public) for whsk_/whpk_ keys."""
        fmt = fmt or "auto"
        if fmt == "text":
            return secret.encode("utf-8")
        if fmt == "hex":
            return bytes.fromhex(secret)
        if fmt == "base64":
            return strict_b64(secret)
        if self.kind == "sw" and not self.text_keys:
            if secret.startswith("whsk_"):
                k = strict_b64(secret[5:])
                return ("ed", k[:32], ed_pub(k[:32]))
            if secret.startswith("whpk_"):
                return ("ed", None, strict_b64(secret[5:]))
            k = strict_b64(secret[6:] if secret.startswith("whsec_") else secret)
            assert len(k) >= 8
            return k
        return secret.encode("utf-8")

    # -- signing
    def content(self, body: bytes, ts: str | None, mid: str | None) -> bytes:
        out = b""
        for part in re.split(r"(\{id\}|\{ts\}|\{body\})", self.template):
            if part == "{id}":
                out += mid.encode("utf-8")
            elif part == "{ts}":
                out += ts.encode("utf-8")
            elif part == "{body}":
                out += body
            else:
                out += part.encode("utf-8")
        return out

    def digest(self, key: bytes, content: bytes) -> bytes:
        return hmac.new(key, content, getattr(hashlib, self.algorithm)).digest()

    def encode(self, d: bytes) -> str:
        return d.hex() if self.encoding == "hex" else b64(d)

    def wrap(self, enc: str, ts: str | None = None, version: str | None = None) -> str:
        """Put an encoded signature where the scheme's header carries it."""
        if self.kind == "stripe":
            return f"t={ts}{self.joiner}{version or 'v1'}={enc}"
        if self.kind == "paddle":
            return f"ts={ts}{self.joiner}{version or 'h1'}={enc}"
        if self.kind == "sw":
            return f"{version or 'v1'},{enc}"
        return self.prefix + enc

    def mac(self, secret, body: Body | bytes, ts=None, mid=None, fmt=None) -> bytes:
        raw = body.raw() if isinstance(body, Body) else body
        return self.digest(self.key(secret, fmt), self.content(raw, ts, mid))

    def enc(self, secret, body, ts=None, mid=None, fmt=None) -> str:
        return self.encode(self.mac(secret, body, ts, mid, fmt))

    def value(self, secret, body, ts=None, mid=None, fmt=None) -> str:
        """The complete, valid signature header value."""
        k = self.key(secret, fmt)
        if isinstance(k, tuple):
            raw = body.raw() if isinstance(body, Body) else body
            sig = Ed25519PrivateKey.from_private_bytes(k[1]).sign(self.content(raw, ts, mid))
            return "v1a," + b64(sig)
        return self.wrap(self.enc(secret, body, ts, mid, fmt), ts)

    def headers(self, sig=None, ts=None, mid=None, event=None) -> list:
        """Request headers with the canonical names (None values are left out)."""
        h = []
        if self.kind == "sw":
            order = [(self.idh, mid), (self.ts, ts), (self.sig, sig)]
        else:
            order = [(self.sig, sig)]
            if not self.ts_in_signature:
                order.append((self.ts, ts))
            order += [(self.idh, mid), (self.evh, event)]
        for name, v in order:
            if name is not None and v is not None:
                h.append([name, v])
        return h

    def sign_headers(self, secret, body, ts=None, mid=None, event=None, fmt=None) -> list:
        sig = self.value(secret, body, ts, mid, fmt)
        if self.kind == "sw":
            return [[self.idh, mid], [self.ts, ts], [self.sig, sig]]
        h = [[self.sig, sig]]
        if self.ts is not None:
            h.append([self.ts, ts])
        if self.idh is not None and mid is not None:
            h.append([self.idh, mid])
        if self.evh is not None and event is not None:
            h.append([self.evh, event])
        return h

    def expected_fields(self, headers, raw: bytes):
        def first(name):
            if name is None:
                return None
            for n, v in headers:
                if n.lower() == name.lower():
                    v = v.strip(" \t")
                    return v or None
            return None

        mid = first(self.idh) if self.idh else (body_json_field(raw, self.id_field) if self.id_field else None)
        ev = first(self.evh) if self.evh else (body_json_field(raw, self.ev_field) if self.ev_field else None)
        return mid, ev


def rfc3339(t: int) -> str:
    """`YYYY-MM-DDThh:mm:ssZ` (UTC) for Unix time t, by Python's datetime."""
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def strict_b64(s: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", s):
        raise ValueError("not base64")
    s = s.rstrip("=")
    return base64.b64decode(s + "=" * (-len(s) % 4), validate=True)


SCHEMES = {
    "algoguard": Scheme("algoguard", "plain", "X-AlgoGuard-Signature", "{ts}.{body}", prefix="sha256=",
                        ts="X-AlgoGuard-Timestamp", id_field="id", ev_field="event"),
    "chaindoc": Scheme("chaindoc", "plain", "X-Webhook-Signature", "{body}", evh="X-Webhook-Event",
                       fallback=True),
    "certifylize": Scheme("certifylize", "plain", "X-Certifylize-Signature", "{body}", prefix="sha256=",
                          idh="X-Certifylize-Delivery-Id", evh="X-Certifylize-Event-Type"),
    "easycart": Scheme("easycart", "plain", "X-Webhook-Signature", "{body}"),
    "aghanim": Scheme("aghanim", "plain", "x-aghanim-signature", "{ts}.{body}",
                      ts="x-aghanim-signature-timestamp", id_field="event_id", ev_field="event_type"),
    "standard-webhooks": Scheme("standard-webhooks", "sw", "webhook-signature", "{id}.{ts}.{body}",
                                encoding="base64", ts="webhook-timestamp", idh="webhook-id"),
    "svix": Scheme("svix", "sw", "svix-signature", "{id}.{ts}.{body}", encoding="base64",
                   ts="svix-timestamp", idh="svix-id"),
    "stripe": Scheme("stripe", "stripe", "Stripe-Signature", "{ts}.{body}", id_field="id", ev_field="type"),
    "github": Scheme("github", "plain", "X-Hub-Signature-256", "{body}", prefix="sha256=",
                     idh="X-GitHub-Delivery", evh="X-GitHub-Event"),
    "slack": Scheme("slack", "plain", "X-Slack-Signature", "v0:{ts}:{body}", prefix="v0=",
                    ts="X-Slack-Request-Timestamp"),
    "shopify": Scheme("shopify", "plain", "X-Shopify-Hmac-Sha256", "{body}", encoding="base64",
                      idh="X-Shopify-Webhook-Id", evh="X-Shopify-Topic"),
    "paddle": Scheme("paddle", "paddle", "Paddle-Signature", "{ts}:{body}", id_field="event_id",
                     ev_field="event_type"),
    "razorpay": Scheme("razorpay", "plain", "X-Razorpay-Signature", "{body}", idh="X-Razorpay-Event-Id",
                       ev_field="event"),
    "coinbase-commerce": Scheme("coinbase-commerce", "plain", "X-CC-Webhook-Signature", "{body}"),
    "lemon-squeezy": Scheme("lemon-squeezy", "plain", "X-Signature", "{body}", evh="X-Event-Name"),
    "woocommerce": Scheme("woocommerce", "plain", "X-WC-Webhook-Signature", "{body}", encoding="base64",
                          idh="X-WC-Webhook-Delivery-ID", evh="X-WC-Webhook-Topic"),
    "typeform": Scheme("typeform", "plain", "Typeform-Signature", "{body}", encoding="base64", prefix="sha256=",
                       id_field="event_id", ev_field="event_type"),
    # Mux and Calendly use Stripe's layout: `t=<ts>,v1=<hex>` over `{ts}.{body}` (kind "stripe").
    "mux": Scheme("mux", "stripe", "Mux-Signature", "{ts}.{body}", id_field="id", ev_field="type"),
    "calendly": Scheme("calendly", "stripe", "Calendly-Webhook-Signature", "{ts}.{body}", ev_field="event"),
    "zoom": Scheme("zoom", "plain", "x-zm-signature", "v0:{ts}:{body}", prefix="v0=", ts="x-zm-request-timestamp",
                   ev_field="event"),
    "intercom": Scheme("intercom", "plain", "X-Hub-Signature", "{body}", prefix="sha1=", id_field="id",
                       ev_field="topic", algorithm="sha1"),
    "vercel": Scheme("vercel", "plain", "x-vercel-signature", "{body}", id_field="id", ev_field="type",
                     algorithm="sha1"),
    "dropbox": Scheme("dropbox", "plain", "X-Dropbox-Signature", "{body}"),
    "sentry": Scheme("sentry", "plain", "Sentry-Hook-Signature", "{body}", idh="Request-ID",
                     evh="Sentry-Hook-Resource"),
    # PagerDuty: `v1=<hex>` entries, comma-separated, one per signing secret.
    "pagerduty": Scheme("pagerduty", "plain", "X-PagerDuty-Signature", "{body}", prefix="v1="),
    # RFC 3339 timestamps (ts_format), signed exactly as received.
    "twitch": Scheme("twitch", "plain", "Twitch-Eventsub-Message-Signature", "{id}{ts}{body}", prefix="sha256=",
                     ts="Twitch-Eventsub-Message-Timestamp", idh="Twitch-Eventsub-Message-Id",
                     evh="Twitch-Eventsub-Subscription-Type", ts_format="rfc3339", tol=600),
    "zendesk": Scheme("zendesk", "plain", "X-Zendesk-Webhook-Signature", "{ts}{body}", encoding="base64",
                      ts="X-Zendesk-Webhook-Signature-Timestamp", idh="X-Zendesk-Webhook-Invocation-Id",
                      ts_format="rfc3339"),
    # Standard Webhooks / Svix deliveries under a vendor's name (issue 18).
    "replicate": Scheme("replicate", "sw", "webhook-signature", "{id}.{ts}.{body}", encoding="base64",
                        ts="webhook-timestamp", idh="webhook-id"),
    "clerk": Scheme("clerk", "sw", "svix-signature", "{id}.{ts}.{body}", encoding="base64", ts="svix-timestamp",
                    idh="svix-id"),
    "resend": Scheme("resend", "sw", "svix-signature", "{id}.{ts}.{body}", encoding="base64", ts="svix-timestamp",
                     idh="svix-id"),
    # Polar: Standard Webhooks headers and content, but the secret's text is the HMAC key.
    "polar": Scheme("polar", "sw", "webhook-signature", "{id}.{ts}.{body}", encoding="base64", ts="webhook-timestamp",
                    idh="webhook-id", text_keys=True),
    # Box: one signature per signing key, primary and secondary header; `{body}{ts}`.
    "docusign": Scheme("docusign", "plain", "X-DocuSign-Signature-1", "{body}", encoding="base64", ev_field="event"),
    "linear": Scheme("linear", "plain", "Linear-Signature", "{body}", ev_field="type", tol=60),
    "box": Scheme("box", "plain", "box-signature-primary", "{body}{ts}", encoding="base64", ts="box-delivery-timestamp",
                  id_field="id", ev_field="trigger", ts_format="rfc3339", sig2="box-signature-secondary",
                  tol=600),
    # OpenAI: Standard Webhooks headers and content, `whsec_` secret; event type from the body.
    "openai": Scheme("openai", "sw", "webhook-signature", "{id}.{ts}.{body}", encoding="base64", ts="webhook-timestamp",
                     idh="webhook-id", ev_field="type"),
    # WorkOS: Stripe's `t=..,v1=..` layout written with ", ", `t` in Unix milliseconds, 180 s.
    "workos": Scheme("workos", "stripe", "WorkOS-Signature", "{ts}.{body}", id_field="id", ev_field="event",
                     ts_format="ms", joiner=", ", tol=180),
    "gocardless": Scheme("gocardless", "plain", "Webhook-Signature", "{body}"),
    # Pusher: hex HMAC of the body; the body's `time_ms` (milliseconds) is the timestamp (gen_pusher).
    "pusher": Scheme("pusher", "plain", "X-Pusher-Signature", "{body}"),
    # URL-signing schemes (gen_twilio, gen_square, gen_hubspot build their content themselves).
    "twilio": Scheme("twilio", "plain", "X-Twilio-Signature", "{url}{form}", encoding="base64",
                     algorithm="sha1"),
    "square": Scheme("square", "plain", "x-square-hmacsha256-signature", "{url}{body}", encoding="base64",
                     id_field="event_id", ev_field="type"),
    "hubspot": Scheme("hubspot", "plain", "X-HubSpot-Signature-v3", "{method}{url}{body}{ts}",
                      encoding="base64", ts="X-HubSpot-Request-Timestamp", ts_format="ms"),
}

# --------------------------------------------------------------------------------------------
# Dedupe keys (SCHEMES.md, "Dedupe keys"): from signed material only.


def header_values(headers, name):
    return [v for n, v in headers if name is not None and n.lower() == name.lower()]


def ts_text(S: Scheme, headers):
    """The timestamp text the verifier signs with, or None when not unambiguous here."""
    if S.ts_in_signature:
        key, seps = ("t", ",") if S.kind == "stripe" else ("ts", ",;")
        found = set()
        for v in header_values(headers, S.sig):
            for item in re.split("[" + seps + "]", v):
                k, eq, val = item.partition("=")
                if eq and k.strip(" \t") == key:
                    found.add(val.strip(" \t"))
        return found.pop() if len(found) == 1 else None
    if S.ts is None:
        return ""
    found = {p.strip(" \t") for v in header_values(headers, S.ts) for p in v.split(",")} - {""}
    return found.pop() if len(found) == 1 else None


def dedupe_key(S: Scheme, secrets, fmt, headers, payload: bytes, mid):
    """`scheme:id:<id>` for a signed id (1-64 printable ASCII bytes, else `id-sha256:<hex>`),
    otherwise `scheme:sig:<hex>` of the first 16 bytes of the first HMAC secret's MAC over the
    signed content. None when this generator cannot tell (the field is then left out)."""
    id_signed = S.id_field is not None or (S.idh is not None and "{id}" in S.template)
    if id_signed and mid:
        raw = mid.encode("utf-8")
        if 1 <= len(raw) <= 64 and all(0x21 <= b <= 0x7E for b in raw):
            return f"{S.sid}:id:{mid}"
        return f"{S.sid}:id-sha256:{hashlib.sha256(raw).hexdigest()}"
    hmac_secrets = [s for s in secrets if not isinstance(S.key(s, fmt), tuple)]
    if getattr(S, "pk", None):
        # Public-key schemes: SHA-256 of the signed content (never the signature's bytes).
        ts = ts_text(S, headers)
        return f"{S.sid}:sig:{hashlib.sha256(S.content(payload, ts, None)).digest()[:16].hex()}"
    if not hmac_secrets:
        return None
    ts = ts_text(S, headers)
    if ts is None:
        return None
    header_ids = [v.strip(" \t") for v in header_values(headers, S.idh)]
    header_id = next((v for v in header_ids if v), "")
    fp = S.digest(S.key(hmac_secrets[0], fmt), S.content(payload, ts, header_id))[:16]
    return f"{S.sid}:sig:{fp.hex()}"


# --------------------------------------------------------------------------------------------
# Case builders

KEY_ORDER = ["name", "op", "source", "secrets", "secret_format", "tolerance", "json_fallback", "now",
             "request", "headers", "body", "body_base64", "body_repeat", "timestamp", "id", "event_type",
             "expect", "expect_headers"]


def ordered(c: dict) -> dict:
    extra = set(c) - set(KEY_ORDER)
    assert not extra, extra
    return {k: c[k] for k in KEY_ORDER if k in c}


class Builder:
    def __init__(self, S: Scheme):
        self.S = S
        self.cases: list = []
        self.names: set = set()

    def _add(self, c):
        assert c["name"] not in self.names, c["name"]
        self.names.add(c["name"])
        self.cases.append(ordered(c))

    def verify(self, name, secrets, headers, body: Body, expect, now=NOW, secret_format=None,
               tolerance=None, json_fallback=None, source=None, request=None):
        c = {"name": name, "secrets": list(secrets), "now": now, "headers": headers, **body.fields(),
             "expect": expect}
        if request is not None:
            c["request"] = request
        if source:
            c["source"] = source
        if secret_format:
            c["secret_format"] = secret_format
        if tolerance is not None:
            c["tolerance"] = tolerance
        if json_fallback is not None:
            c["json_fallback"] = json_fallback
        self._add(c)

    def ok(self, name, secrets, headers, body: Body, key_index=0, ts=None, payload: bytes | None = None,
           **kw):
        mid, ev = self.S.expected_fields(headers, body.raw())
        e = {"ok": True, "key_index": key_index, "timestamp": ts, "id": mid, "event_type": ev}
        if payload is not None:
            assert payload != body.raw()
            e["payload"] = payload.decode("utf-8")
        key = dedupe_key(self.S, secrets, kw.get("secret_format"), headers,
                         payload if payload is not None else body.raw(), mid)
        if key is not None:
            e["dedupe_key"] = key
        self.verify(name, secrets, headers, body, e, **kw)

    def err(self, name, secrets, headers, body: Body, error, **kw):
        S = self.S
        header = {
            "missing_signature": S.sig, "malformed_signature": S.sig, "signature_mismatch": S.sig,
            "missing_timestamp": S.ts_error_header, "malformed_timestamp": S.ts_error_header,
            "timestamp_expired": S.ts_error_header, "timestamp_in_future": S.ts_error_header,
            "missing_id": S.idh,
        }.get(error)
        e = {"ok": False, "error": error}
        if header is not None:
            e["header"] = header
        self.verify(name, secrets, headers, body, e, **kw)

    def sign(self, name, secret, body: Body, ts=None, mid=None, event=None, expect_headers=None,
             secret_format=None, source=None, now=NOW, request=None):
        c = {"name": name, "op": "sign", "secrets": [secret], "now": now, **body.fields()}
        if request is not None:
            c["request"] = request
        if source:
            c["source"] = source
        if secret_format:
            c["secret_format"] = secret_format
        if ts is not None:
            c["timestamp"] = ts
        if mid is not None:
            c["id"] = mid
        if event is not None:
            c["event_type"] = event
        if expect_headers is None:
            hts = self.S.tstr(ts) if ts is not None else None
            if self.S.kind == "sw" and mid is None:
                mid_used = "msg_" + hashlib.sha256(f"{ts}.".encode() + body.raw()).hexdigest()[:24]
            else:
                mid_used = mid
            expect_headers = self.S.sign_headers(secret, body, hts, mid_used, event, secret_format)
        c["expect_headers"] = expect_headers
        self._add(c)


def mixed_case(name: str) -> str:
    return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))


def rename(headers, f):
    return [[f(n), v] for n, v in headers]


# --------------------------------------------------------------------------------------------
# The cases every scheme gets


def standard_cases(b: Builder, cfg: dict):
    S = b.S
    sec, others, body = cfg["secret"], cfg["others"], cfg["body"]
    mid, ev = cfg.get("id"), cfg.get("event")
    ts_i = NOW if S.has_ts else None
    ts = S.tstr(NOW) if S.has_ts else None
    rid = mid if S.idh else None
    rev = ev if S.evh else None

    def H(sig, ts_=ts, mid_=rid, ev_=rev):
        return S.headers(sig, ts_, mid_, ev_)

    def V(secret=sec, body_=body, ts_=ts, mid_=rid, fmt=None):
        return S.value(secret, body_, ts_, mid_, fmt)

    def E(secret=sec, body_=body, ts_=ts, mid_=rid):
        return S.enc(secret, body_, ts_, mid_)

    # ---- valid
    b.ok("valid_basic", [sec], H(V()), body, ts=ts_i)
    b.ok("valid_empty_body", [sec], H(V(body_=EMPTY)), EMPTY, ts=ts_i)
    b.ok("valid_body_1mib_repeat", [sec], H(V(body_=BIG)), BIG, ts=ts_i)
    b.ok("valid_unicode_body", [sec], H(V(body_=UNICODE)), UNICODE, ts=ts_i)
    b.ok("valid_non_utf8_body", [sec], H(V(body_=NON_UTF8)), NON_UTF8, ts=ts_i)
    if S.encoding == "hex":
        b.ok("valid_uppercase_hex", [sec], H(S.wrap(E().upper(), ts)), body, ts=ts_i)
    b.ok("valid_rotated_secrets_second_matches", [others[0], sec, others[1]], H(V()), body, key_index=1,
         ts=ts_i)
    b.ok("valid_rotated_secrets_third_matches", [others[0], others[1], sec], H(V()), body, key_index=2,
         ts=ts_i)
    b.ok("valid_header_names_lowercase", [sec], rename(H(V()), str.lower), body, ts=ts_i)
    b.ok("valid_header_names_uppercase", [sec], rename(H(V()), str.upper), body, ts=ts_i)
    b.ok("valid_header_names_mixed_case", [sec], rename(H(V()), mixed_case), body, ts=ts_i)
    # Dedupe keys come from signed material only (issue 12): an unsigned id header may be edited,
    # removed or inflated by whoever replays a delivery; the key must not change.
    if S.idh is not None and "{id}" not in S.template:
        b.ok("valid_dedupe_key_unchanged_when_id_header_edited", [sec], H(V(), mid_="replayed-" + mid), body,
             ts=ts_i)
        b.ok("valid_dedupe_key_unchanged_when_id_header_removed", [sec], H(V(), mid_=None), body, ts=ts_i)
        b.ok("valid_dedupe_key_unchanged_when_id_header_is_8_kib", [sec], H(V(), mid_="x" * 8192), body, ts=ts_i)
    if S.idh is not None and "{id}" in S.template:
        for nm, long_id in [("64_bytes_kept", "m" * 64), ("65_bytes_hashed", "m" * 65),
                            ("8_kib_hashed", "m" * 8192), ("with_space_hashed", "msg 1")]:
            b.ok(f"valid_dedupe_key_signed_id_{nm}", [sec], H(V(mid_=long_id), mid_=long_id), body, ts=ts_i)
    if S.id_field is not None:
        long_body = T(json.dumps({S.id_field: "evt_" + "9" * 200}))
        b.ok("valid_dedupe_key_long_body_id_hashed", [sec], H(V(body_=long_body)), long_body, ts=ts_i)

    def repeated(first, second):
        h = H(second)
        i = [n for n, _ in h].index(S.sig)
        return h[:i] + [[S.sig, first]] + h[i:]

    wrong = V(secret=others[0])
    b.ok("valid_repeated_signature_header_wrong_then_right", [sec], repeated(wrong, V()), body, ts=ts_i)
    b.ok("valid_repeated_signature_header_right_then_wrong", [sec], repeated(V(), wrong), body, ts=ts_i)
    bad_enc = "zz" if S.encoding == "hex" else "!!"
    b.ok("valid_repeated_signature_header_malformed_then_right", [sec],
         repeated(S.wrap(bad_enc, ts), V()), body, ts=ts_i)
    if S.kind == "plain":
        # Node joins repeated headers with ", "; plain schemes split a value on ",".
        b.ok("valid_comma_joined_signature_values", [sec], H(f"{wrong}, {V()}"), body, ts=ts_i)
    b.ok("valid_whitespace_around_header_values", [sec],
         [[n, f" \t{v}\t "] for n, v in H(V())], body, ts=ts_i)

    if S.has_ts:
        for name, delta in [("valid_timestamp_at_past_boundary", -S.tol),
                            ("valid_timestamp_at_future_boundary", S.tol)]:
            t = S.tstr(NOW + delta)
            b.ok(name, [sec], H(V(ts_=t), ts_=t), body, ts=NOW + delta)
        for name, delta in [("valid_custom_tolerance_at_past_boundary", -10),
                            ("valid_custom_tolerance_at_future_boundary", 10)]:
            t = S.tstr(NOW + delta)
            b.ok(name, [sec], H(V(ts_=t), ts_=t), body, ts=NOW + delta, tolerance=10)
        t = S.tstr(NOW - 3000)
        b.ok("valid_large_tolerance_accepts_old_timestamp", [sec], H(V(ts_=t), ts_=t), body, ts=NOW - 3000,
             tolerance=3600)
        if not S.ts_in_signature:
            h = H(V())
            i = [n for n, _ in h].index(S.ts)
            b.ok("valid_repeated_timestamp_header_same_value", [sec], h[:i + 1] + [[S.ts, ts]] + h[i + 1:],
                 body, ts=ts_i)

    if S.idh:
        h = H(V())
        i = [n for n, _ in h].index(S.idh)
        b.ok("valid_repeated_id_header_first_value_used", [sec],
             h[:i + 1] + [[S.idh, rid + "_second"]] + h[i + 1:], body, ts=ts_i)
        if not S.id_required:
            b.ok("valid_without_id_and_event_headers", [sec], S.headers(V(), ts, None, None), body, ts=ts_i)

    # ---- sign
    sign_id = cfg.get("sign_id", mid)
    sign_ev = cfg.get("sign_event", ev)
    b.sign("sign_basic", sec, body, ts=ts_i, mid=sign_id if (S.idh or S.id_field) else None,
           event=sign_ev if (S.evh or S.ev_field) else None)
    b.sign("sign_empty_body", sec, EMPTY, ts=ts_i, mid="msg_empty" if S.id_required else None)
    b.sign("sign_unicode_body", sec, UNICODE, ts=ts_i, mid="msg_unicode" if S.id_required else None)
    b.sign("sign_non_utf8_body", sec, NON_UTF8, ts=ts_i, mid="msg_bytes" if S.id_required else None)
    if not S.idh or not S.evh:
        # id / event type given, but the scheme has no header for (one of) them: not emitted.
        b.sign("sign_id_and_event_type_without_scheme_headers", sec, body, ts=ts_i, mid="msg_emitted"
               if S.id_required else "id_not_emitted", event="event.not_emitted")
    if S.has_ts:
        b.sign("sign_other_timestamp", sec, body, ts=NOW - 12345, mid="msg_other_ts" if S.id_required else None)

    # ---- errors: signature header
    def without_sig(h):
        return [x for x in h if x[0] != S.sig]

    b.err("error_missing_signature_header_absent", [sec], without_sig(H(V())), body, "missing_signature")
    b.err("error_missing_signature_empty_value", [sec], H(""), body, "missing_signature")
    b.err("error_missing_signature_whitespace_only_value", [sec], H(" \t "), body, "missing_signature")

    tampered = cfg["tampered"]
    b.err("error_signature_mismatch_tampered_body", [sec], H(V()), tampered, "signature_mismatch")
    b.err("error_signature_mismatch_empty_body", [sec], H(V()), EMPTY, "signature_mismatch")
    b.err("error_signature_mismatch_wrong_secret", [others[0]], H(V()), body, "signature_mismatch")
    b.err("error_signature_mismatch_wrong_rotated_secrets", [others[0], others[1]], H(V()), body,
          "signature_mismatch")
    if S.has_ts:
        t2 = S.tstr(NOW + 1)
        if S.ts_in_signature:
            hh = H(S.wrap(E(), t2))
        else:
            hh = H(V(), ts_=t2)
        b.err("error_signature_mismatch_tampered_timestamp", [sec], hh, body, "signature_mismatch")
    if S.id_required:
        b.err("error_signature_mismatch_tampered_id", [sec], H(V(), mid_=rid + "x"), body, "signature_mismatch")

    # ---- errors: malformed signatures
    e = E()
    mal = []
    if S.encoding == "hex":
        mal += [("truncated_hex", e[:-1]), ("short_hex", e[:-2]), ("too_long_hex", e + "00"),
                ("non_hex", "g" + e[1:]), ("non_ascii", "ą" + e[2:]), ("emoji", "🎣" + e[1:]),
                ("empty_after_prefix", "")]
    else:
        d = S.mac(sec, body, ts, rid)
        mal += [("non_base64", "!" + e[1:]), ("truncated_base64", e.rstrip("=")[:-2]),
                ("wrong_length", b64(d[:-1])), ("invalid_padding", e + "="),
                ("non_ascii", "ą" + e[2:]), ("emoji", "🎣" + e[1:]), ("empty_after_prefix", "")]
    for nm, enc in mal:
        if S.kind == "plain" and not S.prefix and enc == "":
            continue  # would be an empty header: missing_signature, covered above
        b.err(f"error_malformed_signature_{nm}", [sec], H(S.wrap(enc, ts)), body, "malformed_signature")
    if S.kind == "plain":
        if S.prefix:
            wrong_prefix = "sha1=" if S.prefix != "sha1=" else "sha256="
            b.err(f"error_malformed_signature_wrong_prefix_{wrong_prefix[:-1]}", [sec], H(wrong_prefix + e),
                  body, "malformed_signature")
            b.err("error_malformed_signature_missing_prefix", [sec], H(e), body, "malformed_signature")
        else:
            b.err("error_malformed_signature_unexpected_prefix_sha256", [sec], H("sha256=" + e), body,
                  "malformed_signature")
    elif S.kind == "stripe":
        b.err("error_malformed_signature_only_v0_entry", [sec], H(S.wrap(e, ts, "v0")), body, "malformed_signature")
        b.err("error_malformed_signature_entry_without_key", [sec], H(f"t={ts},{e}"), body, "malformed_signature")
        b.err("error_malformed_signature_timestamp_only", [sec], H(f"t={ts}"), body, "malformed_signature")
    elif S.kind == "paddle":
        b.err("error_malformed_signature_only_h0_entry", [sec], H(S.wrap(e, ts, "h0")), body, "malformed_signature")
        b.err("error_malformed_signature_entry_without_key", [sec], H(f"ts={ts};{e}"), body, "malformed_signature")
        b.err("error_malformed_signature_timestamp_only", [sec], H(f"ts={ts}"), body, "malformed_signature")
    elif S.kind == "sw":
        b.err("error_malformed_signature_only_unknown_version_v2", [sec], H(S.wrap(e, ts, "v2")), body,
              "malformed_signature")
        b.err("error_malformed_signature_missing_version", [sec], H(e), body, "malformed_signature")

    # ---- errors: timestamps
    if S.has_ts:
        def Hts(tsv, sig=None):
            """Headers carrying `tsv` as the timestamp text (None: no timestamp at all)."""
            if S.ts_in_signature:
                enc = S.enc(sec, body, tsv if tsv is not None else "0", rid)
                key = "v1" if S.kind == "stripe" else "h1"
                tkey = "t" if S.kind == "stripe" else "ts"
                sep = S.joiner
                val = f"{key}={enc}" if tsv is None else f"{tkey}={tsv}{sep}{key}={enc}"
                return H(val if sig is None else sig)
            s = sig if sig is not None else S.value(sec, body, tsv if tsv is not None else "0", rid)
            return H(s, ts_=tsv)

        if S.ts_in_signature:
            b.err("error_missing_timestamp_absent", [sec], Hts(None), body, "missing_timestamp")
            b.err("error_malformed_timestamp_empty", [sec], Hts(""), body, "malformed_timestamp")
        else:
            b.err("error_missing_timestamp_header_absent", [sec], Hts(None), body, "missing_timestamp")
            b.err("error_missing_timestamp_empty_value", [sec], Hts(""), body, "missing_timestamp")
            b.err("error_missing_timestamp_whitespace_only_value", [sec], Hts("  "), body, "missing_timestamp")
        if S.ts_format in ("unix", "ms"):
            malformed = [("negative", "-1"), ("plus_sign", "+5"), ("fraction", "5.0"), ("exponent", "1e10"),
                         ("letters", "abc"), ("hex", "0x10"), ("inner_space", "17672 25600"),
                         ("fullwidth_digits", "１７６７２２５６００"), ("overflow_20_digits", "99999999999999999999"),
                         ("i64_max_plus_one", str(I64_MAX + 1)), ("fraction_of_now", f"{NOW}.5")]
        else:
            # RFC 3339 date-times (SCHEMES.md): strict, every field range-checked.
            malformed = [("unix_seconds", str(NOW)), ("letters", "abc"), ("space_instead_of_t", "2026-01-01 00:00:00Z"),
                         ("no_offset", "2026-01-01T00:00:00"), ("no_seconds", "2026-01-01T00:00Z"),
                         ("one_digit_month", "2026-1-01T00:00:00Z"), ("empty_fraction", "2026-01-01T00:00:00.Z"),
                         ("fraction_10_digits", "2026-01-01T00:00:00.1234567890Z"),
                         ("offset_without_colon", "2026-01-01T00:00:00+0100"), ("offset_hour_24", "2026-01-01T00:00:00+24:00"),
                         ("trailing_text", "2026-01-01T00:00:00Zx"), ("month_13", "2026-13-01T00:00:00Z"),
                         ("february_29_not_leap", "2026-02-29T00:00:00Z"), ("april_31", "2026-04-31T00:00:00Z"),
                         ("hour_24", "2026-01-01T24:00:00Z"), ("leap_second", "2025-12-31T23:59:60Z"),
                         ("fullwidth_digits", "２０２６-01-01T00:00:00Z"), ("signed_year", "+2026-01-01T00:00:00Z"),
                         ("date_only", "2026-01-01")]
        for nm, tv in malformed:
            b.err(f"error_malformed_timestamp_{nm}", [sec], Hts(tv), body, "malformed_timestamp")

        if S.ts_in_signature:
            tk, sep, vk = ("t", S.joiner, "v1") if S.kind == "stripe" else ("ts", S.joiner, "h1")
            b.err("error_malformed_timestamp_repeated_different_values_in_one_header", [sec],
                  H(f"{tk}={S.tstr(NOW)}{sep}{tk}={S.tstr(NOW + 1)}{sep}{vk}={E()}"), body, "malformed_timestamp")
            h1 = H(S.value(sec, body, S.tstr(NOW), rid))
            h2 = H(S.value(sec, body, S.tstr(NOW + 1), rid))
            b.err("error_malformed_timestamp_repeated_headers_different_values", [sec], h1 + h2, body,
                  "malformed_timestamp")
        else:
            h = H(V())
            i = [n for n, _ in h].index(S.ts)
            b.err("error_malformed_timestamp_repeated_header_different_values", [sec],
                  h[:i + 1] + [[S.ts, S.tstr(NOW + 1)]] + h[i + 1:], body, "malformed_timestamp")

        for nm, t, err, tol in [("error_timestamp_expired_by_1s", NOW - S.tol - 1, "timestamp_expired", None),
                                ("error_timestamp_in_future_by_1s", NOW + S.tol + 1, "timestamp_in_future", None),
                                ("error_timestamp_expired_custom_tolerance", NOW - 11, "timestamp_expired", 10),
                                ("error_timestamp_in_future_custom_tolerance", NOW + 11, "timestamp_in_future", 10),
                                ("error_timestamp_expired_zero", 0, "timestamp_expired", None),
                                ("error_timestamp_in_future_i64_max", I64_MAX, "timestamp_in_future", None)]:
            if t != I64_MAX or S.ts_format == "unix":
                tv = S.tstr(t)
            else:
                # The latest instant the format can write: i64::MAX milliseconds, or year 9999.
                tv = str(I64_MAX) if S.ts_format == "ms" else "9999-12-31T23:59:59Z"
            b.err(nm, [sec], Hts(tv), body, err, tolerance=tol)

        # ---- order of checks
        old = S.tstr(NOW - 1000)
        if not S.ts_in_signature:
            b.err("error_order_missing_signature_before_missing_timestamp", [sec],
                  [x for x in H(V()) if x[0] not in (S.sig, S.ts)], body, "missing_signature")
        bad_sig = S.wrap(bad_enc, None) if not S.ts_in_signature else None
        if S.ts_in_signature:
            vk = "v1" if S.kind == "stripe" else "h1"
            b.err("error_order_missing_timestamp_before_malformed_signature", [sec], H(f"{vk}={bad_enc}"), body,
                  "missing_timestamp")
        else:
            b.err("error_order_missing_timestamp_before_malformed_signature", [sec], H(bad_sig, ts_=None), body,
                  "missing_timestamp")
        b.err("error_order_malformed_timestamp_before_signature_mismatch", [sec],
              Hts("abc", S.value(others[0], body, "abc", rid) if not S.ts_in_signature else
                  S.wrap(S.enc(others[0], body, "abc", rid), "abc")), body, "malformed_timestamp")
        b.err("error_order_signature_mismatch_before_expired", [sec],
              Hts(old, S.value(others[0], body, old, rid)), body, "signature_mismatch")
        b.err("error_order_malformed_signature_before_expired", [sec],
              Hts(old, S.wrap(bad_enc, old)), body, "malformed_signature")

    # ---- errors: ids
    if S.id_required:
        h = H(V())
        b.err("error_missing_id_header_absent", [sec], [x for x in h if x[0] != S.idh], body, "missing_id")
        b.err("error_missing_id_empty_value", [sec], H(V(), mid_=""), body, "missing_id")
        b.err("error_order_missing_timestamp_before_missing_id", [sec],
              [x for x in h if x[0] not in (S.idh, S.ts)], body, "missing_timestamp")
        b.err("error_order_missing_signature_before_missing_id", [sec],
              [x for x in h if x[0] not in (S.idh, S.sig)], body, "missing_signature")
        b.err("error_order_missing_id_before_malformed_signature", [sec],
              [x for x in H(S.wrap(bad_enc, ts)) if x[0] != S.idh], body, "missing_id")
        smuggled = rid + "_smuggled"
        hs = H(V(mid_=smuggled))
        i = [n for n, _ in hs].index(S.idh)
        b.err("error_signature_mismatch_second_id_header_smuggled", [sec],
              hs[:i] + [[S.idh, rid]] + hs[i:], body, "signature_mismatch")

    # ---- errors: secrets (refused when the verifier is built)
    hv = H(V())
    for nm, secrets in [("empty_string", [""]), ("empty_list", []), ("leading_space", [" " + sec]),
                        ("trailing_space", [sec + " "]), ("leading_tab", ["\t" + sec]),
                        ("trailing_newline", [sec + "\n"]), ("one_of_rotated_empty", [sec, ""]),
                        ("one_of_rotated_trailing_space", [others[0], sec + " "])]:
        b.err(f"error_invalid_secret_{nm}", secrets, hv, body, "invalid_secret")


# --------------------------------------------------------------------------------------------
# Per scheme


def sw_key(label: str, n: int = 32) -> bytes:
    return hashlib.sha256(label.encode()).digest()[:n]


def gen_algoguard():
    S = SCHEMES["algoguard"]
    b = Builder(S)
    body = T('{"id":"evt_123","event":"license.created","data":{"license":{"id":"6b1f0c2e-8d3a-4c55-9a1e-2f4b7c9d0e11",'
             '"license_key":"AG-7F3K-92QX-L5MZ-0PDA","status":"active","expires_at":"2026-12-31T23:59:59Z"}}}')
    cfg = dict(secret="whsec_algoguard_7Kq2vN9xRm4TzP", others=["whsec_algoguard_old_3Jd8", "whsec_algoguard_next_Qw1x"],
               body=body, tampered=T(body.text.replace('"active"', '"revoked"')), id="evt_123",
               event="license.created")
    standard_cases(b, cfg)
    sec, ts = cfg["secret"], str(NOW)
    # The page's own payload: no top-level id (only data.license.id) -> id null.
    seed_body = T('{\n"event": "license.created",\n"data": {\n"license": {\n"id": "uuid",\n'
                  '"license_key": "AG-XXXX-XXXX-XXXX-XXXX",\n"status": "active",\n'
                  '"expires_at": "2025-12-31T23:59:59Z"\n}\n}\n}')
    b.ok("valid_body_without_top_level_id_gives_null_id", [sec], S.headers(S.value(sec, seed_body, ts), ts),
         seed_body, ts=NOW)
    vf = T('{"event":"verification.failed","data":{"license_key":"AG-XXXX-XXXX-XXXX-XXXX","reason":"license_expired",'
           '"ip_address":"203.0.113.42"}}')
    b.ok("valid_verification_failed_event", [sec], S.headers(S.value(sec, vf, ts), ts), vf, ts=NOW)
    esc = T('{"id":"evt_\\u00fc\\/1","event":"license.\\u0061ctivated"}')
    b.ok("valid_body_fields_with_json_escapes", [sec], S.headers(S.value(sec, esc, ts), ts), esc, ts=NOW)
    return b


def gen_aghanim():
    S = SCHEMES["aghanim"]
    b = Builder(S)
    # The body of the page's test request, byte for byte as its curl -d sends it.
    body = T('{\n"event_id": "whevt_eAeXhOxLwxy",\n"event_type": "player.verify",\n"idempotency_key": null,\n'
             '"event_data": {\n"player_id": "testplayer"\n},\n"context": null\n}')
    cfg = dict(secret="s2s_live_9d8c7b6a5f4e3d2c1b0a", others=["s2s_live_old_00000001", "s2s_live_next_0000002"],
               body=body, tampered=T(body.text.replace("testplayer", "testplayer2")), id="whevt_eAeXhOxLwxy",
               event="player.verify")
    standard_cases(b, cfg)
    sec, ts = cfg["secret"], str(NOW)
    compact = T('{"event_id":"whevt_Q2x9","event_type":"item.granted","idempotency_key":"idem_1",'
                '"event_data":{"player_id":"p1","item_id":"sword"},"context":null}')
    b.ok("valid_compact_event", [sec], S.headers(S.value(sec, compact, ts), ts), compact, ts=NOW)
    esc = T('{"event_id":"whevt_\\u0041b","event_type":"player.\\u0076erify"}')
    b.ok("valid_body_fields_with_json_escapes", [sec], S.headers(S.value(sec, esc, ts), ts), esc, ts=NOW)
    noid = T('{"event_type":"player.verify","event_data":{"player_id":"testplayer"}}')
    b.ok("valid_body_without_event_id_gives_null_id", [sec], S.headers(S.value(sec, noid, ts), ts), noid, ts=NOW)
    return b


def gen_certifylize():
    S = SCHEMES["certifylize"]
    b = Builder(S)
    body = T('{\n"type": "edu.credential.issued",\n"createdAt": "2026-01-15T12:34:56.000Z",\n"data": {\n'
             '"credentialId": "cmkd3owfi0002rzjp0yyo2jfr",\n"verifyId": "009f0e320cd9ea5f1173b42e8c2c4dd6db6632e70bbb65b8",\n'
             '"status": "ACTIVE",\n"recipientEmail": "max@example.com"\n}\n}')
    cfg = dict(secret="cfz_whsec_4f9a2c71e0b84d6f", others=["cfz_whsec_old_1b2c3d", "cfz_whsec_new_9e8f7a"],
               body=body, tampered=T(body.text.replace("ACTIVE", "REVOKED")), id="dlv_cmkd3p1xa0003rzjp",
               event="edu.credential.issued")
    standard_cases(b, cfg)
    # The page's curl example: SIG=$(printf "%s" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
    secret, ebody = "YOUR_ENDPOINT_SECRET", '{"hello":"world"}'
    sig = hmac.new(secret.encode(), ebody.encode(), hashlib.sha256).hexdigest()
    if shutil.which("openssl"):
        p = subprocess.run(["openssl", "dgst", "-sha256", "-hmac", secret], input=ebody.encode(),
                           capture_output=True, check=True)
        o = p.stdout.decode().strip().split(" ")[-1]
        assert o == sig, (o, sig)
    src = "Certifylize docs, 'Webhook-Signaturen verifizieren': example curl (openssl dgst -sha256 -hmac)"
    hh = [["X-Certifylize-Signature", "sha256=" + sig], ["X-Certifylize-Delivery-Id", "dlv_test_123"],
          ["X-Certifylize-Event-Type", "beispiel.test"], ["Content-Type", "application/json"]]
    b.ok("valid_documented_curl_example", [secret], hh, T(ebody), source=src)
    b.sign("sign_documented_curl_example", secret, T(ebody), mid="dlv_test_123", event="beispiel.test",
           expect_headers=hh[:3], source=src)
    return b


def gen_chaindoc():
    S = SCHEMES["chaindoc"]
    b = Builder(S)
    body = T('{"event":"document.created","documentId":"86840ee4-8bf2-4a91-a289-e99d8307ec25",'
             '"name":"Service Agreement","timestamp":"2024-12-04T10:30:00.000Z"}')
    assert node_stringify(body.raw()) == body.raw()
    cfg = dict(secret="your_secure_random_string", others=["chaindoc_old_secret_1", "chaindoc_next_secret_2"],
               body=body, tampered=T(body.text.replace("Service Agreement", "Service Agreement v2")),
               event="document.created")
    standard_cases(b, cfg)
    sec = cfg["secret"]
    fallback_cases(b, sec, cfg["others"], default_on=True)
    return b


def fallback_cases(b: Builder, sec: str, others, default_on: bool):
    """JSON fallback: the sender signed Node's JSON.stringify(JSON.parse(body)), not the body."""
    S = b.S
    ev = "document.created" if S.sid == "chaindoc" else None

    def H(sig):
        return S.headers(sig, None, None, ev)

    pretty = T('{\n  "event": "document.created",\n  "documentId": "test-123",\n  "name": "Test Document",\n'
               '  "timestamp": "2024-12-04T10:30:00.000Z"\n}')
    items = [
        ("pretty_printed", pretty),
        ("trailing_newline", T('{"event":"document.created","documentId":"test-123"}\n')),
        ("integer_like_keys_reordered", T('{"b":1,"a":2,"10":3,"2":4}')),
        ("duplicate_keys_last_wins", T('{"a":1,"b":2,"a":3}')),
        ("number_forms", T('{"x":1.0,"y":1e2,"z":-0,"w":1.50,"v":-0.0}')),
        ("number_forms_extended", T('{"small":1E-7,"micro":0.000001,"big":12345678901234567890,"e21":1e21,'
                                    '"e20":1e20,"tiny":5e-324,"max":1.7976931348623157e308,"third":0.333333333333333333}')),
        ("string_escapes", T('{"name":"Caf\\u00e9","url":"https:\\/\\/example.com\\/x","q":"\\"q\\"",'
                             '"nl":"a\\nb","tab":"\\t","bs":"\\\\"}')),
        ("string_escapes_extended", T('{"ctl":"\\u001f\\b\\f","ls":"\\u2028\\u2029","pair":"\\ud83c\\udfa3",'
                                      '"lone":"\\ud83c","del":"\\u007f","lower":"\\u00E9"}')),
        ("raw_unicode_kept", T('{ "text": "zażółć gęślą jaźń 🎣" }')),
        ("top_level_array_with_spaces", T('  [ 1 , 2.50 , "x" , null , true , { } ]  ')),
        ("nested_whitespace", T('{\r\n\t"a" : [ { "b" : { } } ] ,\r\n\t"c" : "d"\r\n}\r\n')),
    ]
    for nm, body in items:
        payload = node_stringify(body.raw())
        assert payload is not None and payload != body.raw(), nm
        sig = S.value(sec, T(payload.decode("utf-8")))
        kw = {} if default_on else {"json_fallback": True}
        b.ok(f"valid_json_fallback_{nm}", [sec], H(sig), body, payload=payload, **kw)
        if nm == "pretty_printed":
            b.ok("valid_json_fallback_pretty_printed_rotated_secrets", [others[0], sec], H(sig), body, key_index=1,
                 payload=payload, **kw)
            b.err("error_signature_mismatch_json_fallback_disabled", [sec], H(sig), body, "signature_mismatch",
                  json_fallback=False)
            if not default_on:
                b.err("error_signature_mismatch_json_fallback_default_off", [sec], H(sig), body,
                      "signature_mismatch")
            # The body itself signed: raw match, no payload.
            b.ok("valid_pretty_printed_body_signed_raw", [sec], H(S.value(sec, body)), body, **kw)
            b.err("error_signature_mismatch_json_fallback_wrong_secret", [others[0]], H(sig), body,
                  "signature_mismatch", **kw)
            tampered = T(body.text.replace("Test Document", "Test Document 2"))
            b.err("error_signature_mismatch_json_fallback_tampered", [sec], H(sig), tampered, "signature_mismatch",
                  **kw)
    # The second MAC's rule (SCHEMES.md, rule 5) leaves bodies under its floor alone: ~8 KiB of
    # compact events with one space in front (a full pass, then a MAC as long as the body)
    # verifies. Its refusal over the floor is a case in tests/bad-inputs (check.py has no model of
    # the work budget).
    event = ('{"id":"evt_00000042","event":"document.signed","createdAt":"2026-12-01T10:42:00.000Z",'
             '"data":{"document":{"id":"doc_7f3a42","title":"Lease \\"Flat 42\\"","status":"signed","pages":3,'
             '"tags":["lease","2026"],"note":"line one\\nline two"},"signers":[{"email":"ann@example.com",'
             '"name":"Ann M\u00fcller","signedAt":"2026-12-01T10:00:02Z","field":{"page":1,"x":0.25,"y":0.5}},'
             '{"email":"bob@example.com","name":"Bob","signedAt":null,"field":{"page":2,"x":0.125,"y":0.75}}],'
             '"amount":1250.5,"currency":"EUR","test":false}},')
    body = Body(repeat=(event, 14, " [", "{}]"))
    payload = node_stringify(body.raw())
    assert payload == body.raw()[1:]
    b.ok("valid_json_fallback_compact_events_one_leading_space_8kib", [sec], H(S.value(sec, T(payload.decode()))),
         body, payload=payload, **({} if default_on else {"json_fallback": True}))
    nj = T("event=document.created&documentId=test-123")
    assert node_stringify(nj.raw()) is None
    b.err("error_signature_mismatch_not_json_body", [sec], H(S.value(sec, T("event=document.created"))), nj,
          "signature_mismatch", **({} if default_on else {"json_fallback": True}))


def gen_easycart():
    S = SCHEMES["easycart"]
    b = Builder(S)
    body = T('{"event":"order.paid","order":{"id":10245,"number":"EC-10245","total":"149.00","currency":"PLN",'
             '"customer":{"email":"klient@example.pl","name":"Zażółć Gęślą"}}}')
    cfg = dict(secret="your_secret_signing_key", others=["easycart_old_signing_key", "easycart_new_signing_key"],
               body=body, tampered=T(body.text.replace("149.00", "1.49")))
    standard_cases(b, cfg)
    fallback_cases(b, cfg["secret"], cfg["others"], default_on=False)
    return b


def gen_github():
    S = SCHEMES["github"]
    b = Builder(S)
    body = T('{"ref":"refs/heads/main","before":"0000000000000000000000000000000000000000",'
             '"after":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","repository":{"full_name":"octo-org/hooksig"}}')
    cfg = dict(secret="gh_webhook_secret_2f7c9a1e", others=["gh_webhook_secret_old", "gh_webhook_secret_new"],
               body=body, tampered=T(body.text.replace("main", "evil")),
               id="72d3162e-cc78-11e3-81ab-4c9367dc0958", event="push")
    standard_cases(b, cfg)
    # GitHub's documented test values.
    src = "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries#testing-the-webhook-payload-validation"
    gsec, gbody = "It's a Secret to Everybody", "Hello, World!"
    gsig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert "sha256=" + hmac.new(gsec.encode(), gbody.encode(), hashlib.sha256).hexdigest() == gsig
    b.ok("valid_documented_example", [gsec], [["X-Hub-Signature-256", gsig]], T(gbody), source=src)
    b.sign("sign_documented_example", gsec, T(gbody), expect_headers=[["X-Hub-Signature-256", gsig]], source=src)
    b.err("error_signature_mismatch_documented_example_tampered", [gsec], [["X-Hub-Signature-256", gsig]],
          T("Hello, World?"), "signature_mismatch", source=src)
    # Explicit secret formats (the key as hex / base64 bytes).
    key = hashlib.sha256(b"hooksig github binary key").digest()
    for nm, fmt, s in [("hex_lowercase", "hex", key.hex()), ("hex_uppercase", "hex", key.hex().upper()),
                       ("base64_padded", "base64", b64(key)), ("base64_unpadded", "base64", b64(key).rstrip("=")),
                       ("text", "text", "gh_webhook_secret_2f7c9a1e")]:
        sig = "sha256=" + hmac.new(key if fmt != "text" else s.encode(), body.raw(), hashlib.sha256).hexdigest()
        b.ok(f"valid_secret_format_{nm}", [s], S.headers(sig, None, cfg["id"], "push"), body, secret_format=fmt)
    b.sign("sign_secret_format_hex", key.hex(), body, mid=cfg["id"], event="push", secret_format="hex")
    hh = S.headers(S.value(cfg["secret"], body), None, cfg["id"], "push")
    for nm, fmt, s in [("hex_odd_length", "hex", key.hex()[:-1]), ("hex_non_hex_digit", "hex", "zz" + key.hex()[2:]),
                       ("base64_invalid_char", "base64", "!!" + b64(key)[2:]),
                       ("base64_urlsafe_alphabet", "base64", "-_" + b64(key)[2:])]:
        b.err(f"error_invalid_secret_format_{nm}", [s], hh, body, "invalid_secret", secret_format=fmt)
    return b


SLACK_SRC = "https://api.slack.com/authentication/verifying-requests-from-slack"
SLACK_DOC_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SLACK_DOC_TS = 1531420618
SLACK_DOC_SIG = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def slack_doc_body(command: str) -> str:
    return ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
            f"&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command={command}&text=&response_url="
            "https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
            "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")


def gen_slack():
    S = SCHEMES["slack"]
    b = Builder(S)
    body = T("token=gIkuvaNzQIHg97ATvDxqgjtO&team_id=T0001&team_domain=example&channel_id=C2147483705"
             "&user_id=U2147483697&user_name=Steve&command=%2Fhooksig&text=zaż%C3%B3łć&response_url="
             "https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1234%2F5678")
    cfg = dict(secret="a1b2c3d4e5f60718293a4b5c6d7e8f90", others=["0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                                                                 "11112222333344445555666677778888"],
               body=body, tampered=T(body.text.replace("Steve", "Mallory")))
    standard_cases(b, cfg)
    # Slack's documented example. The body is the one the page shows (command=%2Fwebhook-collect);
    # with command=%2Fwebresponse (as it was once quoted to us) the published signature does not verify.
    dbody = slack_doc_body("%2Fwebhook-collect")
    got = "v0=" + hmac.new(SLACK_DOC_SECRET.encode(), f"v0:{SLACK_DOC_TS}:{dbody}".encode(), hashlib.sha256).hexdigest()
    assert got == SLACK_DOC_SIG, got
    hh = [["X-Slack-Request-Timestamp", str(SLACK_DOC_TS)], ["X-Slack-Signature", SLACK_DOC_SIG]]
    b.ok("valid_documented_example", [SLACK_DOC_SECRET], hh, T(dbody), ts=SLACK_DOC_TS, now=SLACK_DOC_TS,
         source=SLACK_SRC)
    b.sign("sign_documented_example", SLACK_DOC_SECRET, T(dbody), ts=SLACK_DOC_TS, now=SLACK_DOC_TS,
           expect_headers=[["X-Slack-Signature", SLACK_DOC_SIG], ["X-Slack-Request-Timestamp", str(SLACK_DOC_TS)]],
           source=SLACK_SRC)
    b.err("error_timestamp_expired_documented_example_today", [SLACK_DOC_SECRET], hh, T(dbody), "timestamp_expired",
          source=SLACK_SRC)
    b.err("error_signature_mismatch_documented_example_other_command", [SLACK_DOC_SECRET], hh,
          T(slack_doc_body("%2Fwebresponse")), "signature_mismatch", now=SLACK_DOC_TS, source=SLACK_SRC)
    return b


def gen_shopify():
    S = SCHEMES["shopify"]
    b = Builder(S)
    body = T('{"id":820982911946154508,"email":"jon@example.com","total_price":"199.00","currency":"USD",'
             '"line_items":[{"title":"IPod Nano - 8GB","quantity":1}]}')
    cfg = dict(secret="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", others=["shpss_old_1111111111111111",
                                                                        "shpss_new_2222222222222222"],
               body=body, tampered=T(body.text.replace("199.00", "0.00")),
               id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043", event="orders/create")
    standard_cases(b, cfg)
    sec = cfg["secret"]

    def H(sig):
        return S.headers(sig, None, cfg["id"], cfg["event"])

    e = S.enc(sec, body)
    assert e.endswith("=") and not e.endswith("==")
    b.ok("valid_base64_without_padding", [sec], H(e.rstrip("=")), body)
    # Find a body whose signature uses '+' or '/', to show the URL-safe alphabet is refused.
    for i in range(1000):
        bi = T(f'{{"id":{i},"topic":"orders/paid"}}')
        ei = S.enc(sec, bi)
        if "+" in ei or "/" in ei:
            break
    b.ok("valid_base64_with_plus_or_slash", [sec], H(ei), bi)
    b.err("error_malformed_signature_urlsafe_alphabet", [sec], H(ei.replace("+", "-").replace("/", "_")), bi,
          "malformed_signature")
    b.err("error_malformed_signature_padding_in_middle", [sec], H(e[:20] + "=" + e[20:]), body, "malformed_signature")
    b.err("error_malformed_signature_hex_instead_of_base64", [sec], H(S.mac(sec, body).hex()), body,
          "malformed_signature")
    return b


def gen_stripe():
    S = SCHEMES["stripe"]
    b = Builder(S)
    body = T('{"id":"evt_3NG8Du2eZvKYlo2C0mXaPz1q","object":"event","api_version":"2024-06-20","created":1767225590,'
             '"type":"payment_intent.succeeded","data":{"object":{"id":"pi_3NG8Du2eZvKYlo2C0yJ0Yb7k",'
             '"object":"payment_intent","amount":2000,"currency":"usd","status":"succeeded"}}}')
    sec = "whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH"
    cfg = dict(secret=sec, others=["whsec_oldOldOldOldOldOldOldOldOldOld12", "whsec_nextNextNextNextNextNextNextN34"],
               body=body, tampered=T(body.text.replace("2000", "200000")), id="evt_3NG8Du2eZvKYlo2C0mXaPz1q",
               event="payment_intent.succeeded")
    standard_cases(b, cfg)
    ts = str(NOW)
    e = S.enc(sec, body, ts)
    wrong = S.enc(cfg["others"][0], body, ts)
    b.ok("valid_multiple_v1_entries_second_valid", [sec], [["Stripe-Signature", f"t={ts},v1={wrong},v1={e}"]], body,
         ts=NOW)
    b.ok("valid_multiple_v1_entries_first_valid", [sec], [["Stripe-Signature", f"t={ts},v1={e},v1={wrong}"]], body,
         ts=NOW)
    b.ok("valid_unknown_v0_and_v2_entries_ignored", [sec],
         [["Stripe-Signature", f"t={ts},v0={wrong},v1={e},v2={wrong}"]], body, ts=NOW)
    b.ok("valid_v0_entry_first_with_malformed_value", [sec], [["Stripe-Signature", f"t={ts},v0=notHex!,v1={e}"]],
         body, ts=NOW)
    b.ok("valid_t_after_v1", [sec], [["Stripe-Signature", f"v1={e},t={ts}"]], body, ts=NOW)
    # whsec_... is the HMAC key as text: the base64-decoded bytes are NOT the key.
    decoded = strict_b64(sec[6:])
    dsig = hmac.new(decoded, f"{ts}.".encode() + body.raw(), hashlib.sha256).hexdigest()
    b.err("error_signature_mismatch_whsec_secret_base64_decoded", [sec], [["Stripe-Signature", f"t={ts},v1={dsig}"]],
          body, "signature_mismatch")
    odd = "whsec_!!!not base64 but fine as text"
    b.ok("valid_whsec_secret_not_base64_is_text", [odd], [["Stripe-Signature", S.value(odd, body, ts)]], body, ts=NOW)
    b.err("error_malformed_signature_only_unknown_entries", [sec], [["Stripe-Signature", f"t={ts},v0={e},v2={e}"]],
          body, "malformed_signature")
    b.err("error_missing_timestamp_v0_and_v1_only", [sec], [["Stripe-Signature", f"v0={e},v1={e}"]], body,
          "missing_timestamp")
    return b


def gen_paddle():
    S = SCHEMES["paddle"]
    b = Builder(S)
    body = T('{"event_id":"evt_01hv8x2acma2gz8ezbgp4asvzc","event_type":"transaction.paid",'
             '"occurred_at":"2026-01-01T00:00:00.000000Z","notification_id":"ntf_01hv8x2af3bkb0zgb8w37cdpxc",'
             '"data":{"id":"txn_01hv8wptq8987qeep44cyrewp9","status":"paid","currency_code":"EUR"}}')
    sec = "pdl_ntfset_01hv8wxr9ya3e6vqy3rw4w8a0e_Zg3x7UeH2kQd9Yt5Rb1NcLwPo4sV6aJm"
    cfg = dict(secret=sec, others=["pdl_ntfset_01hv8wxr9ya3e6vqy3rw4w8a0e_OLDoldOLDoldOLDold",
                                   "pdl_ntfset_01hv8wxr9ya3e6vqy3rw4w8a0e_NEXTnextNEXTnextNE"],
               body=body, tampered=T(body.text.replace('"paid"', '"refunded"')), id="evt_01hv8x2acma2gz8ezbgp4asvzc",
               event="transaction.paid")
    standard_cases(b, cfg)
    ts = str(NOW)
    e = S.enc(sec, body, ts)
    wrong = S.enc(cfg["others"][0], body, ts)
    b.ok("valid_multiple_h1_entries_second_valid", [sec], [["Paddle-Signature", f"ts={ts};h1={wrong};h1={e}"]], body,
         ts=NOW)
    b.ok("valid_multiple_h1_entries_first_valid", [sec], [["Paddle-Signature", f"ts={ts};h1={e};h1={wrong}"]], body,
         ts=NOW)
    b.ok("valid_unknown_h2_entry_ignored", [sec], [["Paddle-Signature", f"ts={ts};h2={wrong};h1={e}"]], body, ts=NOW)
    b.ok("valid_h1_before_ts", [sec], [["Paddle-Signature", f"h1={e};ts={ts}"]], body, ts=NOW)
    b.err("error_malformed_signature_only_unknown_entries", [sec], [["Paddle-Signature", f"ts={ts};h2={e}"]], body,
          "malformed_signature")
    return b


def gen_sw(sid: str):
    S = SCHEMES[sid]
    b = Builder(S)
    key = sw_key(f"hooksig {sid} key 0")
    sec = "whsec_" + b64(key)
    assert sec.endswith("=")
    others = ["whsec_" + b64(sw_key(f"hooksig {sid} key 1")), "whsec_" + b64(sw_key(f"hooksig {sid} key 2", 24))]
    body = T('{"type":"invoice.paid","timestamp":"2026-01-01T00:00:00Z","data":{"id":"inv_2mZ8","amount":4200}}')
    mid = "msg_2LJnAG8pJpgWtzqGyzFU4gGz1Ta" if sid == "svix" else "msg_31CkXq0bNrZ5aVd7eYtUwPfHs2G"
    cfg = dict(secret=sec, others=others, body=body, tampered=T(body.text.replace("4200", "42000")), id=mid)
    standard_cases(b, cfg)
    ts = str(NOW)

    def H(sig, mid_=mid, ts_=ts):
        return S.headers(sig, ts_, mid_)

    e = S.enc(sec, body, ts, mid)
    wrong = S.enc(others[0], body, ts, mid)
    # Secret forms.
    for nm, s in [("whsec_prefix_padded", sec), ("whsec_prefix_unpadded", sec.rstrip("=")),
                  ("no_prefix_padded", sec[6:]), ("no_prefix_unpadded", sec[6:].rstrip("="))]:
        b.ok(f"valid_secret_{nm}", [s], H(f"v1,{e}"), body, ts=NOW)
    urlsafe_key = next(k for k in (sw_key(f"hooksig {sid} urlsafe {i}") for i in range(1000))
                       if "+" in b64(k) or "/" in b64(k))
    b.ok("valid_secret_24_bytes_no_padding_needed", [others[1]], H(S.value(others[1], body, ts, mid)), body, ts=NOW)
    k8 = sw_key(f"hooksig {sid} key 8", 8)
    s8 = "whsec_" + b64(k8)
    b.ok("valid_secret_exactly_8_bytes", [s8], H(S.value(s8, body, ts, mid)), body, ts=NOW)
    b.ok("valid_secret_format_base64", [sec[6:]], H(f"v1,{e}"), body, ts=NOW, secret_format="base64")
    text = "my-plain-text-secret_not-base64"
    tv = "v1," + b64(hmac.new(text.encode(), S.content(body.raw(), ts, mid), hashlib.sha256).digest())
    b.ok("valid_secret_format_text", [text], H(tv), body, ts=NOW, secret_format="text")
    b.err("error_invalid_secret_text_secret_in_auto_format", [text], H(tv), body, "invalid_secret")
    b.sign("sign_secret_format_text", text, body, ts=NOW, mid=mid, secret_format="text")
    # whsec_ used as raw text by the sender: does not verify with the decoded key.
    raw_text = "v1," + b64(hmac.new(sec.encode(), S.content(body.raw(), ts, mid), hashlib.sha256).digest())
    b.err("error_signature_mismatch_secret_used_as_text_by_sender", [sec], H(raw_text), body, "signature_mismatch")
    # Lists.
    b.ok("valid_signature_list_with_unknown_versions", [sec], H(f"v2,{wrong} v1,{wrong} v1,{e} v3,abc"), body, ts=NOW)
    b.ok("valid_signature_list_valid_first", [sec], H(f"v1,{e} v1,{wrong}"), body, ts=NOW)
    b.ok("valid_signature_list_with_malformed_entry", [sec], H(f"v1,!!notbase64 v1,{e}"), body, ts=NOW)
    b.err("error_signature_mismatch_list_all_wrong", [sec], H(f"v1,{wrong} v2,{e}"), body, "signature_mismatch")
    b.err("error_malformed_signature_list_only_unknown_versions", [sec], H(f"v2,{e} v0,{e}"), body,
          "malformed_signature")
    # Invalid secrets.
    for nm, s in [("whsec_not_base64", "whsec_!!!notbase64"), ("whsec_7_bytes", "whsec_" + b64(b"1234567")),
                  ("whsec_empty", "whsec_"),
                  ("whsec_urlsafe_alphabet", "whsec_" + b64(urlsafe_key).replace("+", "-").replace("/", "_")),
                  ("no_prefix_not_base64", "not base64 at all"), ("whsec_inner_space", sec[:12] + " " + sec[12:]),
                  ("whpk_31_bytes", "whpk_" + b64(ed_pub(ED_SEED)[:31])), ("whpk_not_base64", "whpk_!!!!"),
                  ("whsk_33_bytes", "whsk_" + b64(ED_SEED + b"\x00")), ("whsk_not_base64", "whsk_%%%%")]:
        b.err(f"error_invalid_secret_{nm}", [s], H(f"v1,{e}"), body, "invalid_secret")
    # ed25519 (v1a).
    content = S.content(body.raw(), ts, mid)
    esig = b64(Ed25519PrivateKey.from_private_bytes(ED_SEED).sign(content))
    assert S.value(WHSK, body, ts, mid) == "v1a," + esig
    b.ok("valid_ed25519_v1a_public_key", [WHPK], H(f"v1a,{esig}"), body, ts=NOW)
    b.ok("valid_ed25519_v1a_secret_key_seed", [WHSK], H(f"v1a,{esig}"), body, ts=NOW)
    b.ok("valid_ed25519_v1a_secret_key_64_bytes", [WHSK64], H(f"v1a,{esig}"), body, ts=NOW)
    b.ok("valid_ed25519_v1a_among_unknown_versions", [WHPK], H(f"v2,{esig} v1a,{esig}"), body, ts=NOW)
    b.ok("valid_ed25519_v1a_rotated_public_keys", [WHPK_OTHER, WHPK], H(f"v1a,{esig}"), body, key_index=1, ts=NOW)
    for nm, bd in [("empty_body", EMPTY), ("non_utf8_body", NON_UTF8), ("unicode_body", UNICODE)]:
        b.ok(f"valid_ed25519_v1a_{nm}", [WHPK], H(S.value(WHSK, bd, ts, mid)), bd, ts=NOW)
    b.err("error_signature_mismatch_ed25519_v1a_tampered_body", [WHPK], H(f"v1a,{esig}"), cfg["tampered"],
          "signature_mismatch")
    b.err("error_signature_mismatch_ed25519_v1a_other_key", [WHPK_OTHER], H(f"v1a,{esig}"), body, "signature_mismatch")
    b.err("error_signature_mismatch_ed25519_v1a_tampered_id", [WHPK], H(f"v1a,{esig}", mid_=mid + "x"), body,
          "signature_mismatch")
    b.err("error_malformed_signature_ed25519_v1a_wrong_length", [WHPK], H(f"v1a,{b64(strict_b64(esig)[:63])}"), body,
          "malformed_signature")
    b.err("error_malformed_signature_ed25519_v1a_not_base64", [WHPK], H("v1a,!!!notbase64!!!"), body,
          "malformed_signature")
    t_old = str(NOW - 301)
    b.err("error_timestamp_expired_ed25519_v1a", [WHPK], H(S.value(WHSK, body, t_old, mid), ts_=t_old), body,
          "timestamp_expired")
    b.sign("sign_ed25519_v1a_secret_key_seed", WHSK, body, ts=NOW, mid=mid)
    b.sign("sign_ed25519_v1a_secret_key_64_bytes", WHSK64, body, ts=NOW, mid=mid)
    b.sign("sign_derived_id", sec, body, ts=NOW)
    b.sign("sign_derived_id_empty_body", sec, EMPTY, ts=NOW)
    # Svix's documented example.
    src = "https://docs.svix.com/receiving/verifying-payloads/how-manual"
    xs, xid, xts, xbody = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, \
        '{"test": 2432232314}'
    xsig = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    calc = "v1," + b64(hmac.new(base64.b64decode(xs[6:]), f"{xid}.{xts}.{xbody}".encode(), hashlib.sha256).digest())
    assert calc == xsig, calc
    if S.sig != "svix-signature":
        src += " (Svix's example, with the standard-webhooks header names)"
    xh = S.headers(xsig, str(xts), xid)
    b.ok("valid_documented_svix_example", [xs], xh, T(xbody), ts=xts, now=xts, source=src)
    b.sign("sign_documented_svix_example", xs, T(xbody), ts=xts, mid=xid, now=xts, expect_headers=xh, source=src)
    b.err("error_timestamp_expired_documented_svix_example_today", [xs], xh, T(xbody), "timestamp_expired", source=src)
    b.err("error_signature_mismatch_documented_svix_example_tampered", [xs], xh, T('{"test": 2432232315}'),
          "signature_mismatch", now=xts, source=src)
    return b


# --------------------------------------------------------------------------------------------
# Vendors added in issue 18: plain HMAC-SHA256 over the body or a `{ts}.{body}`-style template.
# Each gets the standard cases plus one case whose signature was produced or accepted by the
# vendor's own SDK (run outside this repository; the value is pinned here and re-derived with
# hmac) where such an SDK exists.


def sdk_case(b: Builder, name, secret, body: Body, sig, source, ts=None, mid=None, event=None,
             sign=True):
    """A pinned signature from a vendor SDK: verify it, tamper it, and (plain schemes) sign it."""
    S = b.S
    tss = S.tstr(ts) if ts is not None else None
    assert S.value(secret, body, tss, mid if S.id_required else None) == sig, (S.sid, S.value(secret, body, tss))
    rid = mid if S.idh else None
    rev = event if S.evh else None
    h = S.headers(sig, tss if not S.ts_in_signature else None, rid, rev)
    now = ts if ts is not None else NOW
    b.ok(f"valid_{name}", [secret], h, body, ts=ts, now=now, source=source)
    b.err(f"error_signature_mismatch_{name}_tampered", [secret], h, T(body.text + " "), "signature_mismatch",
          now=now, source=source)
    if sign:
        b.sign(f"sign_{name}", secret, body, ts=ts, mid=mid, event=event, now=now,
               expect_headers=S.sign_headers(secret, body, tss, mid, event), source=source)


RAZORPAY_BODY = T('{"entity":"event","account_id":"acc_BFQ7uQEaa7j2z7","event":"payment.captured",'
                  '"contains":["payment"],"payload":{"payment":{"entity":{"id":"pay_DESlfW9H8K9uqM",'
                  '"entity":"payment","amount":100,"currency":"INR","status":"captured",'
                  '"order_id":"order_DESlLckIVRkHWj","method":"card","email":"gaurav.kumar@example.com"}}},'
                  '"created_at":1767225600}')
RAZORPAY_SDK = ("razorpay 2.0.1 (PyPI): razorpay.Client().utility.verify_webhook_signature(body, signature, "
                "secret) accepts this signature and rejects the tampered body")
RAZORPAY_SDK_SIG = "1ae8d8e079c71ee9a2ad5caf1250949a2b718e0c070d6c53aaf56dfa9369cdf4"


def gen_razorpay():
    S = SCHEMES["razorpay"]
    b = Builder(S)
    body = RAZORPAY_BODY
    cfg = dict(secret="rzp_webhook_secret_8c1f2a7d", others=["rzp_webhook_secret_old_1111",
                                                           "rzp_webhook_secret_new_2222"],
               body=body, tampered=T(body.text.replace('"amount":100', '"amount":100000')), id="MJsJ0h0jxHkWnC",
               event="payment.captured")
    standard_cases(b, cfg)
    sdk_case(b, "sdk_razorpay_python", cfg["secret"], body, RAZORPAY_SDK_SIG, RAZORPAY_SDK, mid="MJsJ0h0jxHkWnC")
    return b


COINBASE_BODY = T('{"attempt_number":1,"event":{"api_version":"2018-03-22","created_at":"2026-01-01T00:00:00Z",'
                  '"data":{"code":"66BEOV2A","name":"The Sovereign Individual","pricing_type":"no_price"},'
                  '"id":"24934862-d980-46cb-9402-43c81b0cdba6","resource":"event","type":"charge:created"},'
                  '"id":"f0a6d4b4-6a8e-4d37-9d36-91b5c3b2d2a0","scheduled_for":"2026-01-01T00:00:00Z"}')
COINBASE_SDK = ("coinbase-commerce 1.0.1 (PyPI): coinbase_commerce.webhook.WebhookSignature._compute_signature("
                "body, secret) produced this signature; Webhook.construct_event accepts it and rejects the tampered "
                "body")
COINBASE_SDK_SIG = "76508133b4ecd9b5ec35b267b5175e1e637a2df4db0a67b17abb6c745b6a0101"


def gen_coinbase_commerce():
    S = SCHEMES["coinbase-commerce"]
    b = Builder(S)
    body = COINBASE_BODY
    cfg = dict(secret="9c5b1e2f-4a7d-4c1e-8f3b-2d6a0e9c7b41", others=["0b1c2d3e-old0-4000-8000-000000000001",
                                                                     "0b1c2d3e-new0-4000-8000-000000000002"],
               body=body, tampered=T(body.text.replace("charge:created", "charge:confirmed")))
    standard_cases(b, cfg)
    sdk_case(b, "sdk_coinbase_commerce_python", cfg["secret"], body, COINBASE_SDK_SIG, COINBASE_SDK)
    return b


def gen_lemon_squeezy():
    S = SCHEMES["lemon-squeezy"]
    b = Builder(S)
    body = T('{"meta":{"event_name":"order_created","custom_data":{"customer_id":25}},"data":{"type":"orders",'
             '"id":"1","attributes":{"store_id":1,"identifier":"104e18a2-d755-4d4b-80c4-a6c1dcbe1c10",'
             '"status":"paid","total":999,"currency":"USD","user_email":"jan@example.com"}}}')
    cfg = dict(secret="ls_signing_secret_5d2e8f1a", others=["ls_signing_secret_old_0001", "ls_signing_secret_new_0002"],
               body=body, tampered=T(body.text.replace('"total":999', '"total":9')), event="order_created")
    standard_cases(b, cfg)
    return b


def gen_woocommerce():
    S = SCHEMES["woocommerce"]
    b = Builder(S)
    body = T('{"id":727,"parent_id":0,"status":"processing","currency":"USD","total":"29.35",'
             '"billing":{"first_name":"John","last_name":"Doe","email":"john.doe@example.com"},'
             '"line_items":[{"id":315,"name":"Woo Single #1","quantity":2,"total":"6.00"}]}')
    cfg = dict(secret="wc_webhook_secret_3f9e1c7a", others=["wc_webhook_secret_old_aaaa", "wc_webhook_secret_new_bbbb"],
               body=body, tampered=T(body.text.replace('"29.35"', '"0.35"')), id="9bd8a4e3f1c2b7a6d5e4f3a2b1c0d9e8",
               event="order.created")
    standard_cases(b, cfg)
    e = S.enc(cfg["secret"], body)
    if e.endswith("="):
        b.ok("valid_base64_without_padding", [cfg["secret"]],
             S.headers(e.rstrip("="), None, cfg["id"], cfg["event"]), body)
    b.err("error_malformed_signature_hex_instead_of_base64", [cfg["secret"]],
          S.headers(S.mac(cfg["secret"], body).hex(), None, cfg["id"], cfg["event"]), body, "malformed_signature")
    sdk_case(b, "woocommerce_core_formula", cfg["secret"], body, "d9IGz9JI4wm7q2QeoA3IqzrxfrNr0fweL8jjhSlMgx0=",
             "WooCommerce core WC_Webhook::generate_signature: base64_encode(hash_hmac('sha256', $payload, "
             "wp_specialchars_decode($secret, ENT_QUOTES), true)), run with php 8 (htmlspecialchars_decode)",
             mid=cfg["id"], event=cfg["event"])
    return b


def gen_typeform():
    S = SCHEMES["typeform"]
    b = Builder(S)
    body = T('{"event_id":"01HZ8Y2F7K3M4N5P6Q7R8S9T0V","event_type":"form_response","form_response":'
             '{"form_id":"lT4Z3j","token":"a3a12ec67a1365927098a606107fac15","submitted_at":"2026-01-01T00:00:00Z",'
             '"answers":[{"type":"text","text":"Lorem ipsum dolor","field":{"id":"JwWggjAKtOkA","type":"short_text"}}]}}')
    cfg = dict(secret="tf_webhook_secret_6a1d9c3e", others=["tf_webhook_secret_old_0001", "tf_webhook_secret_new_0002"],
               body=body, tampered=T(body.text.replace("Lorem", "Ipsum")), id="01HZ8Y2F7K3M4N5P6Q7R8S9T0V",
               event="form_response")
    standard_cases(b, cfg)
    sec = cfg["secret"]
    e = S.enc(sec, body)
    if e.endswith("="):
        b.ok("valid_base64_without_padding", [sec], [[S.sig, "sha256=" + e.rstrip("=")]], body)
    b.err("error_malformed_signature_hex_instead_of_base64", [sec], [[S.sig, "sha256=" + S.mac(sec, body).hex()]],
          body, "malformed_signature")
    return b


MUX_BODY = T('{"type":"video.asset.ready","object":{"type":"asset","id":"0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002"},'
             '"id":"3a56ac3d-33da-4366-855b-f592d898409d","environment":{"name":"Production","id":"j0863n"},'
             '"data":{"status":"ready","playback_ids":[{"policy":"public","id":"0201p02fGKPE7MrbC269XRD7LpcHhrmbu0002"}],'
             '"duration":23.8,"aspect_ratio":"16:9"},"created_at":"2026-01-01T00:00:00.000000Z","attempts":[],'
             '"accessor_source":null,"accessor":null,"request_id":null}')
MUX_SDK = ("@mux/mux-node 15.3.0 (npm): client.webhooks.verifySignature(body, headers, secret) accepts this "
           "header (clock set to the case's now), rejects the tampered body and rejects the header 301 s later")
MUX_SDK_SIG = "t=1767225600,v1=f2f0f7d314f052118e9fe4cd97faefd09e0f5b07d31835f1999577b0267607ab"


def gen_mux():
    S = SCHEMES["mux"]
    b = Builder(S)
    body = MUX_BODY
    cfg = dict(secret="mux_whsec_4q8n2k6v1c9x3z7b5m0l", others=["mux_whsec_old_0000000000000001",
                                                               "mux_whsec_new_0000000000000002"],
               body=body, tampered=T(body.text.replace('"ready"', '"errored"')),
               id="3a56ac3d-33da-4366-855b-f592d898409d", event="video.asset.ready")
    standard_cases(b, cfg)
    sdk_case(b, "sdk_mux_node", cfg["secret"], body, MUX_SDK_SIG, MUX_SDK, ts=NOW, mid=cfg["id"],
             event=cfg["event"])
    return b


def gen_calendly():
    S = SCHEMES["calendly"]
    b = Builder(S)
    body = T('{"created_at":"2026-01-01T00:00:00.000000Z","created_by":"https://api.calendly.com/users/AAAAAAAAAAAAAAAA",'
             '"event":"invitee.created","payload":{"email":"test@example.com","name":"John Doe","status":"active",'
             '"uri":"https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA"}}')
    cfg = dict(secret="cal_signing_key_2b7e151628aed2a6", others=["cal_signing_key_old_000000001",
                                                                 "cal_signing_key_new_000000002"],
               body=body, tampered=T(body.text.replace("invitee.created", "invitee.canceled")), event="invitee.created")
    standard_cases(b, cfg)
    # Calendly's own examples reject a timestamp older than 3 minutes: a verifier built with
    # tolerance 180 does the same.
    sec = cfg["secret"]
    for nm, t, tol in [("valid_tolerance_180_at_boundary", NOW - 180, 180)]:
        b.ok(nm, [sec], S.headers(S.value(sec, body, str(t))), body, ts=t, tolerance=tol)
    b.err("error_timestamp_expired_tolerance_180", [sec], S.headers(S.value(sec, body, str(NOW - 181))), body,
          "timestamp_expired", tolerance=180)
    return b


def gen_zoom():
    S = SCHEMES["zoom"]
    b = Builder(S)
    body = T('{"event":"meeting.started","payload":{"account_id":"AAAAAABBBB","object":{"id":"1234567890",'
             '"uuid":"4444AAAiAAAAAiAiAiiAii==","host_id":"x1yCzABCDEfg23HiJKl4mN","topic":"My Meeting","type":2,'
             '"start_time":"2026-01-01T00:00:00Z","timezone":"America/Los_Angeles","duration":60}},'
             '"event_ts":1767225600000}')
    cfg = dict(secret="zoom_secret_token_Wc4bq2XnRk8", others=["zoom_secret_token_old_00001",
                                                               "zoom_secret_token_new_00002"],
               body=body, tampered=T(body.text.replace("My Meeting", "Their Meeting")), event="meeting.started")
    standard_cases(b, cfg)
    # The endpoint.url_validation request is signed like any event (answering it is the receiver's job).
    sec, ts = cfg["secret"], str(NOW)
    uv = T('{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1767225600000,'
           '"event":"endpoint.url_validation"}')
    b.ok("valid_endpoint_url_validation_event", [sec], S.headers(S.value(sec, uv, ts), ts), uv, ts=NOW)
    sdk_case(b, "zoom_sample_formula", sec, body,
             "v0=ce37b42aff00d3631a03cde876abf02c7c734ba499fcc70aacef915daeba8618",
             "Zoom's official sample (github.com/zoom/webhook-sample, index.js): v0= + hex HMAC-SHA256 of "
             "`v0:${x-zm-request-timestamp}:${JSON.stringify(req.body)}`, run with node (the body is compact, so "
             "JSON.stringify(JSON.parse(body)) is the body)", ts=NOW)
    return b


def sha1_extra(b: Builder, sec: str, body: Body):
    """HMAC-SHA1 schemes: a 20-byte MAC; a SHA-256 MAC of the right content is the wrong length."""
    S = b.S
    sha256 = hmac.new(sec.encode(), body.raw(), hashlib.sha256).hexdigest()
    b.err("error_malformed_signature_sha256_length", [sec], [[S.sig, S.prefix + sha256]], body, "malformed_signature")


def gen_intercom():
    S = SCHEMES["intercom"]
    b = Builder(S)
    body = T('{"type":"notification_event","app_id":"ecahpwf5","data":{"type":"notification_event_data",'
             '"item":{"type":"conversation","id":"147","created_at":1767225590,"state":"open",'
             '"source":{"type":"conversation","body":"<p>Hello</p>"}}},"links":{},"id":"notif_7f8e9d0c-1b2a-4c3d",'
             '"topic":"conversation.user.created","delivery_status":"pending","delivery_attempts":1,'
             '"delivered_at":0,"first_sent_at":1767225600,"created_at":1767225600,"self":null}')
    cfg = dict(secret="ic_client_secret_2f4e6a8c0b", others=["ic_client_secret_old_00001", "ic_client_secret_new_00002"],
               body=body, tampered=T(body.text.replace("Hello", "Goodbye")), id="notif_7f8e9d0c-1b2a-4c3d",
               event="conversation.user.created")
    standard_cases(b, cfg)
    sha1_extra(b, cfg["secret"], body)
    return b


def gen_vercel():
    S = SCHEMES["vercel"]
    b = Builder(S)
    body = T('{"id":"uHDeNk3cD2nbKdcTbYVQiZ9A","type":"deployment.created","createdAt":1767225600000,'
             '"region":"iad1","payload":{"team":{"id":"team_4FWx5KQoszRi0ZmM9q9IBoKG"},"user":{"id":"zTuNVUXEAvvnNN3IaqinkyMw"},'
             '"deployment":{"id":"dpl_2qmVb7ffSnbdtMKvKvW9oF7BNc5H","url":"hooksig-demo-abc123.vercel.app","name":"hooksig-demo"},'
             '"target":"production"}}')
    cfg = dict(secret="vercel_webhook_secret_9A8b7C6d", others=["vercel_webhook_secret_old_001",
                                                               "vercel_webhook_secret_new_002"],
               body=body, tampered=T(body.text.replace("production", "preview")), id="uHDeNk3cD2nbKdcTbYVQiZ9A",
               event="deployment.created")
    standard_cases(b, cfg)
    sha1_extra(b, cfg["secret"], body)
    return b


# --------------------------------------------------------------------------------------------
# Issue 18, second round: body-only HMAC-SHA256 vendors (Dropbox, Sentry, PagerDuty).


def openssl_hex(secret: str, data: bytes) -> str:
    """hex HMAC-SHA256 by `openssl dgst` (a second path for the pinned vendor cases)."""
    p = subprocess.run(["openssl", "dgst", "-sha256", "-hmac", secret, "-hex"], input=data, capture_output=True,
                       check=True)
    return p.stdout.decode().strip().split("= ")[-1]


DROPBOX_BODY = T('{"list_folder": {"accounts": ["dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc", '
                 '"dbid:AAD6cfLvNqsdhwrlWz6gsAuVqq4wDhlaP-8"]}, "delta": {"users": [12345678, 23456789]}}')


def gen_dropbox():
    S = SCHEMES["dropbox"]
    b = Builder(S)
    body = DROPBOX_BODY
    cfg = dict(secret="dbx_app_secret_x7k2m9q4", others=["dbx_app_secret_old_0001", "dbx_app_secret_new_0002"],
               body=body, tampered=T(body.text.replace("12345678", "87654321")))
    standard_cases(b, cfg)
    sdk_case(b, "dropbox_documented_formula", cfg["secret"], body, openssl_hex(cfg["secret"], body.raw()),
             "Dropbox webhooks reference (dropbox.com/developers/reference/webhooks): X-Dropbox-Signature is the hex "
             "HMAC-SHA256 of the request body keyed with the app secret; value from `openssl dgst -sha256 -hmac`")
    return b


SENTRY_BODY = T('{"action":"created","installation":{"uuid":"a8e5d37a-696c-4c54-adb5-b3f28d64c7de"},'
                '"data":{"issue":{"id":"1170820242","shortId":"EXAMPLE-1","title":"Error #1: This is a test error!",'
                '"culprit":"SentryCustomError(frontend/src/util)","level":"error","status":"unresolved",'
                '"project":{"id":"5398494","name":"example","slug":"example"}}},'
                '"actor":{"type":"application","id":"sentry","name":"Sentry"}}')


def gen_sentry():
    S = SCHEMES["sentry"]
    b = Builder(S)
    body = SENTRY_BODY
    cfg = dict(secret="4f1c9a2e7b3d8c6a5e0f1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6",
               others=["0000000000000000000000000000000000000000000000000000000000000001",
                       "0000000000000000000000000000000000000000000000000000000000000002"],
               body=body, tampered=T(body.text.replace("unresolved", "resolved")),
               id="9f6e1b0c-3a2d-4e5f-8a7b-6c5d4e3f2a1b", event="issue")
    standard_cases(b, cfg)
    # Sentry-Hook-Timestamp is sent but not signed: it is not read, so an old or edited one changes nothing.
    sec = cfg["secret"]
    h = S.headers(S.value(sec, body), None, cfg["id"], cfg["event"]) + [["Sentry-Hook-Timestamp", "1"]]
    b.ok("valid_unsigned_sentry_hook_timestamp_ignored", [sec], h, body)
    sdk_case(b, "sentry_documented_formula", sec, body, openssl_hex(sec, body.raw()),
             "Sentry integration-platform webhooks (docs.sentry.io/integrations/integration-platform/webhooks/): "
             "Sentry-Hook-Signature is the hex HMAC-SHA256 of the body keyed with the integration's client secret; "
             "value from `openssl dgst -sha256 -hmac`", mid=cfg["id"], event=cfg["event"])
    return b


PAGERDUTY_BODY = T('{"event":{"id":"01DEN7T4ADXCS6ZQJ9B6ZVGUOM","event_type":"incident.triggered",'
                   '"resource_type":"incident","occurred_at":"2026-01-01T00:00:00.000Z","agent":null,'
                   '"client":null,"data":{"id":"PGR0VU2","type":"incident","title":"A little bump in the road",'
                   '"status":"triggered","urgency":"high"}}}')


def gen_pagerduty():
    S = SCHEMES["pagerduty"]
    b = Builder(S)
    body = PAGERDUTY_BODY
    sec = "pd_signing_secret_Qm4v8Xz2Lp6n"
    old, new = "pd_signing_secret_old_00000001", "pd_signing_secret_new_00000002"
    cfg = dict(secret=sec, others=[old, new], body=body, tampered=T(body.text.replace('"high"', '"low"')))
    standard_cases(b, cfg)
    # PagerDuty sends one `v1=` entry per signing secret, comma-separated, in one header value.
    both = f"{S.value(old, body)},{S.value(sec, body)}"
    b.ok("valid_two_v1_entries_second_matches", [sec], [[S.sig, both]], body)
    b.ok("valid_two_v1_entries_first_matches", [old], [[S.sig, both]], body)
    b.ok("valid_two_v1_entries_new_secret_configured_first", [new, sec], [[S.sig, both]], body, key_index=1)
    b.ok("valid_unknown_version_entry_ignored", [sec], [[S.sig, f"v2={S.enc(sec, body)},{S.value(sec, body)}"]],
         body)
    b.err("error_malformed_signature_only_v0_entry", [sec], [[S.sig, "v0=" + S.enc(sec, body)]], body,
          "malformed_signature")
    b.err("error_signature_mismatch_two_v1_entries_neither_matches", [new], [[S.sig, both]], body,
          "signature_mismatch")
    sdk_case(b, "pagerduty_documented_algorithm", sec, body, "v1=" + openssl_hex(sec, body.raw()),
             "PagerDuty's Verifying Signatures page (developer.pagerduty.com/docs/webhooks/v3-overview, "
             "PagerDuty/developer-docs docs/webhooks/04-Signatures.md): split X-PagerDuty-Signature on `,`, keep "
             "`v1=` entries, compare with v1= + hex HMAC-SHA256 of the raw body; its Python example accepts this "
             "value; value from `openssl dgst -sha256 -hmac`")
    return b


# --------------------------------------------------------------------------------------------
# RFC 3339 timestamps (Twitch, Zendesk): the signed content holds the text as received; the
# verifier reads it as Unix seconds for the window (fraction dropped, offset applied).

TWITCH_BODY = T('{"subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4","type":"channel.follow","version":"2",'
                '"status":"enabled","cost":0,"condition":{"broadcaster_user_id":"1337","moderator_user_id":"1337"},'
                '"transport":{"method":"webhook","callback":"https://example.com/webhooks/callback"},'
                '"created_at":"2025-12-31T23:00:00.634234626Z"},"event":{"user_id":"1234","user_login":"cool_user",'
                '"user_name":"Cool_User","broadcaster_user_id":"1337","broadcaster_user_login":"cooler_user",'
                '"broadcaster_user_name":"Cooler_User","followed_at":"2025-12-31T23:59:59.634234626Z"}}')
TWITCH_SAMPLE = ("Twitch's documented Node sample (dev.twitch.tv/docs/eventsub/handling-webhook-events, Verifying the "
                 "event message): 'sha256=' + createHmac('sha256', secret).update(id + timestamp + body).digest('hex'), "
                 "run with node 20; the sample's timingSafeEqual accepts this header and rejects the tampered body")
TWITCH_SAMPLE_SIG = "sha256=268cb32168dcfa1e01b55cb83d547e5eecfaa6cd66bdb8ec6101bb3acdc1c7f4"


def gen_twitch():
    S = SCHEMES["twitch"]
    b = Builder(S)
    body = TWITCH_BODY
    mid = "e76c6bd4-55c9-4987-8304-da1588d8988b"
    sec = "twitch_eventsub_secret_5xQ9rT2m"
    cfg = dict(secret=sec, others=["twitch_eventsub_secret_old_001", "twitch_eventsub_secret_new_002"], body=body,
               tampered=T(body.text.replace("cool_user", "evil_user")), id=mid, event="channel.follow")
    standard_cases(b, cfg)
    # Twitch sends nanoseconds; the fraction is signed as sent and dropped for the window.
    nano = "2026-01-01T00:00:00.634234626Z"
    sig = S.value(sec, body, nano, mid)
    assert sig == TWITCH_SAMPLE_SIG, sig
    h = S.headers(sig, nano, mid, "channel.follow")
    b.ok("valid_twitch_sample_nanosecond_timestamp", [sec], h, body, ts=NOW, source=TWITCH_SAMPLE)
    b.err("error_signature_mismatch_twitch_sample_tampered", [sec], h, T(body.text + " "), "signature_mismatch",
          source=TWITCH_SAMPLE)
    b.err("error_signature_mismatch_fraction_dropped_from_signed_text", [sec],
          S.headers(sig, "2026-01-01T00:00:00Z", mid, "channel.follow"), body, "signature_mismatch")
    late = "2025-12-31T23:55:00.999999999Z"  # 299.000000001 s old: whole seconds, rounded down, give 300
    b.ok("valid_fraction_rounded_down_at_past_boundary", [sec], S.headers(S.value(sec, body, late, mid), late, mid),
         body, ts=NOW - 300)
    # Twitch asks receivers to reject messages older than 10 minutes: tolerance 600, which is the
    # scheme's default (cases without "tolerance" use it).
    for nm, t in [("valid_tolerance_600_at_past_boundary", NOW - 600)]:
        b.ok(nm, [sec], S.headers(S.value(sec, body, S.tstr(t), mid), S.tstr(t), mid), body, ts=t, tolerance=600)
    t = S.tstr(NOW - 601)
    b.err("error_timestamp_expired_tolerance_600", [sec], S.headers(S.value(sec, body, t, mid), t, mid), body,
          "timestamp_expired", tolerance=600)
    for nm, t in [("valid_default_tolerance_8_minutes_old", NOW - 480),
                  ("valid_default_tolerance_at_past_boundary_10_minutes", NOW - 600)]:
        b.ok(nm, [sec], S.headers(S.value(sec, body, S.tstr(t), mid), S.tstr(t), mid), body, ts=t)
    t = S.tstr(NOW - 660)
    b.err("error_timestamp_expired_default_tolerance_11_minutes_old", [sec],
          S.headers(S.value(sec, body, t, mid), t, mid), body, "timestamp_expired")
    t = S.tstr(NOW - 480)
    b.err("error_timestamp_expired_8_minutes_old_explicit_tolerance_300", [sec],
          S.headers(S.value(sec, body, t, mid), t, mid), body, "timestamp_expired", tolerance=300)
    off = "2026-01-01T09:00:00+09:00"
    b.ok("valid_offset_timestamp", [sec], S.headers(S.value(sec, body, off, mid), off, mid), body, ts=NOW)
    # The subscription's challenge request is signed like any message (answering it is the receiver's job).
    ch = T('{"challenge":"pogchamp-kappa-360noscope-vohiyo","subscription":{"id":"f1c2a387-161a-49f9-a165-0f21d7a4e1c4",'
           '"status":"webhook_callback_verification_pending","type":"channel.follow","version":"2","cost":1}}')
    chid = "a1b2c3d4-0000-4000-8000-000000000001"
    ts = S.tstr(NOW)
    b.ok("valid_webhook_callback_verification_message", [sec], S.headers(S.value(sec, ch, ts, chid), ts, chid,
                                                                          "channel.follow"), ch, ts=NOW)
    return b


ZENDESK_BODY = T('{"account_id":123456,"detail":{"id":"35436","subject":"Help, my printer is on fire!","status":"NEW",'
                 '"priority":"HIGH"},"event":{},"id":"cbe4028c-7239-495d-b020-f22348516046","subject":"zen:ticket:35436",'
                 '"time":"2026-01-01T00:00:00Z","type":"zen:event-type:ticket.created","zendesk_event_version":"2022-11-06"}')
ZENDESK_SAMPLE = ("Zendesk's documented Node example (developer.zendesk.com/documentation/webhooks/verifying/): "
                  "createHmac('sha256', SIGNING_SECRET).update(timestamp + body).digest('base64') with the page's test "
                  "signing secret as the key text, run with node 20")
ZENDESK_SAMPLE_SIG = "XYKhc//wPdjQ9KdTs6hLnI9Jgp+iYHWg/5G9ZzPOJWk="


def gen_zendesk():
    S = SCHEMES["zendesk"]
    b = Builder(S)
    body = ZENDESK_BODY
    sec = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
    cfg = dict(secret=sec, others=["zd_signing_secret_old_000001", "zd_signing_secret_new_000002"], body=body,
               tampered=T(body.text.replace("HIGH", "LOW")), id="8350205582")
    standard_cases(b, cfg)
    ts = S.tstr(NOW)
    e = S.enc(sec, body, ts)
    if e.endswith("="):
        b.ok("valid_base64_without_padding", [sec], S.headers(e.rstrip("="), ts, cfg["id"]), body, ts=NOW)
    b.err("error_malformed_signature_hex_instead_of_base64", [sec],
          S.headers(S.mac(sec, body, ts).hex(), ts, cfg["id"]), body, "malformed_signature")
    off = "2025-12-31T16:00:00-08:00"
    b.ok("valid_offset_timestamp", [sec], S.headers(S.value(sec, body, off), off, cfg["id"]), body, ts=NOW)
    b.err("error_signature_mismatch_same_instant_other_text", [sec], S.headers(S.value(sec, body, off), ts, cfg["id"]),
          body, "signature_mismatch")
    sdk_case(b, "zendesk_documented_example", sec, body, ZENDESK_SAMPLE_SIG, ZENDESK_SAMPLE, ts=NOW, mid=cfg["id"])
    return b


BOX_BODY = T('{"type":"webhook_event","id":"eb0c4e06-751f-442c-86f8-fd5bb404dbec","created_at":"2025-12-31T16:00:00-08:00",'
             '"trigger":"FILE.UPLOADED","webhook":{"id":"1234567890","type":"webhook"},"created_by":{"type":"user",'
             '"id":"22222222","name":"Aaron Levie","login":"alevie@example.com"},"source":{"id":"123456789",'
             '"type":"file","name":"Contract.pdf","parent":{"type":"folder","id":"0"}}}')
BOX_SDK = ("boxsdk 10.18.0 (PyPI): box_sdk_gen's compute_webhook_signature produced both signatures; "
           "WebhooksManager.validate_message(body, headers, primary_key, secondary_key=...) with its clock at the "
           "case's now accepts the request, rejects the tampered body, and rejects it 601 s later")
BOX_SDK_SIG = "t+xOcXOGeeMJobDaUBiTpBqwiqbfWGrpmQVou0Wzozc="
BOX_SDK_SIG2 = "BO2iMONGJMWgLNIow0WQeAGU1oNS1iWdPZPDiace2Ck="


def gen_box():
    S = SCHEMES["box"]
    b = Builder(S)
    body = BOX_BODY
    primary, secondary = "box_primary_key_Xe91Lk2v", "box_secondary_key_Qp37Zr8w"
    cfg = dict(secret=primary, others=["box_primary_key_old_0001", "box_secondary_key_old_0002"], body=body,
               tampered=T(body.text.replace("Contract.pdf", "Invoice.pdf")), id="eb0c4e06-751f-442c-86f8-fd5bb404dbec",
               event="FILE.UPLOADED")
    standard_cases(b, cfg)
    ts = "2025-12-31T16:00:00-08:00"  # Box dates its deliveries in Pacific time
    sp, ss = S.value(primary, body, ts), S.value(secondary, body, ts)
    both = [[S.sig, sp], [S.sig2, ss], [S.ts, ts], ["box-signature-version", "1"],
            ["box-signature-algorithm", "HmacSHA256"]]
    b.ok("valid_both_headers_primary_key_configured", [primary], both, body, ts=NOW)
    b.ok("valid_both_headers_secondary_key_configured", [secondary], both, body, ts=NOW)
    b.ok("valid_both_keys_configured", [primary, secondary], both, body, ts=NOW)
    b.ok("valid_both_keys_configured_secondary_first", [secondary, primary], both, body, ts=NOW)
    b.ok("valid_secondary_header_only", [secondary], [[S.sig2, ss], [S.ts, ts]], body, ts=NOW)
    b.ok("valid_primary_header_empty_secondary_right", [secondary], [[S.sig, ""], [S.sig2, ss], [S.ts, ts]], body,
         ts=NOW)
    b.ok("valid_primary_malformed_secondary_right", [secondary], [[S.sig, "!!"], [S.sig2, ss], [S.ts, ts]], body,
         ts=NOW)
    b.ok("valid_rotated_primary_secondary_still_right", [secondary],
         [[S.sig, S.value("box_primary_key_old_0001", body, ts)], [S.sig2, ss], [S.ts, ts]], body, ts=NOW)
    b.err("error_signature_mismatch_both_headers_other_keys", ["box_primary_key_old_0001"], both, body,
          "signature_mismatch")
    b.err("error_missing_signature_both_headers_empty", [primary], [[S.sig, " "], [S.sig2, ""], [S.ts, ts]], body,
          "missing_signature")
    b.err("error_malformed_signature_secondary_only_malformed", [secondary], [[S.sig2, "!!"], [S.ts, ts]], body,
          "malformed_signature")
    b.err("error_signature_mismatch_secondary_tampered_body", [secondary], [[S.sig2, ss], [S.ts, ts]],
          T(body.text + " "), "signature_mismatch")
    # Box's SDKs reject deliveries older than 10 minutes: tolerance 600.
    t = S.tstr(NOW - 600)
    b.ok("valid_tolerance_600_at_past_boundary", [primary], S.headers(S.value(primary, body, t), t), body,
         ts=NOW - 600, tolerance=600)
    t = S.tstr(NOW - 601)
    b.err("error_timestamp_expired_tolerance_600", [primary], S.headers(S.value(primary, body, t), t), body,
          "timestamp_expired", tolerance=600)
    # 600 is also the scheme's default: cases without "tolerance" use it.
    for nm, d in [("valid_default_tolerance_8_minutes_old", 480),
                  ("valid_default_tolerance_at_past_boundary_10_minutes", 600)]:
        t = S.tstr(NOW - d)
        b.ok(nm, [primary], S.headers(S.value(primary, body, t), t), body, ts=NOW - d)
    t = S.tstr(NOW - 660)
    b.err("error_timestamp_expired_default_tolerance_11_minutes_old", [primary],
          S.headers(S.value(primary, body, t), t), body, "timestamp_expired")
    t = S.tstr(NOW - 480)
    b.err("error_timestamp_expired_8_minutes_old_explicit_tolerance_300", [primary],
          S.headers(S.value(primary, body, t), t), body, "timestamp_expired", tolerance=300)
    assert (sp, ss) == (BOX_SDK_SIG, BOX_SDK_SIG2), (sp, ss)
    b.ok("valid_sdk_box_python", [primary, secondary], both, body, ts=NOW, source=BOX_SDK)
    b.err("error_signature_mismatch_sdk_box_python_tampered", [primary, secondary], both, T(body.text + " "),
          "signature_mismatch", source=BOX_SDK)
    return b


# --------------------------------------------------------------------------------------------
# Standard Webhooks / Svix under a vendor's name: gen_sw's cases, plus one request the vendor's
# SDK accepted (run outside this repository with its clock at the case's now).


def alias_sdk_case(b: Builder, name, secret, body: Body, mid, sig, source):
    S = b.S
    ts = str(NOW)
    assert S.value(secret, body, ts, mid) == sig, (S.sid, S.value(secret, body, ts, mid))
    h = S.headers(sig, ts, mid)
    b.ok(f"valid_{name}", [secret], h, body, ts=NOW, source=source)
    b.err(f"error_signature_mismatch_{name}_tampered", [secret], h, T(body.text + " "), "signature_mismatch",
          source=source)
    b.sign(f"sign_{name}", secret, body, ts=NOW, mid=mid, expect_headers=S.sign_headers(secret, body, ts, mid),
           source=source)


ALIAS_SDK = {
    "replicate": (T('{"id":"ufawqhfynnddngldkgtslldrkq","model":"black-forest-labs/flux-schnell","version":"5599ed30",'
                    '"input":{"prompt":"an astronaut riding a horse"},"status":"succeeded","created_at":'
                    '"2026-01-01T00:00:00.000Z","output":["https://replicate.delivery/xezq/out-0.webp"]}'),
                  "msg_2qEZ6kBZPk7Z9nB1mR3cVHtXw0", "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD",
                  "replicate 1.4.0 (npm): validateWebhook({id, timestamp, signature, body, secret}) accepts this "
                  "request (Date.now at the case's now) and rejects the tampered body"),
    "clerk": (T('{"data":{"id":"user_29w83sxmDNGwOuEthce5gg56FcC","object":"user","first_name":"Example",'
                '"email_addresses":[{"email_address":"example@example.org","id":"idn_29w83yL7CwVlJXylYLxcslromF1"}]},'
                '"event_attributes":{"http_request":{"client_ip":"0.0.0.0","user_agent":"Mozilla/5.0"}},'
                '"object":"event","timestamp":1767225600000,"type":"user.created"}'),
              "msg_2kDjbPC4iKtWVJbrT0b3HzN7dPz", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
              "@clerk/backend 3.25.0 (npm): verifyWebhook(new Request(..., {headers: svix-*}), {signingSecret}) "
              "accepts this request (Date.now at the case's now) and rejects the tampered body; svix 2.5.0 "
              "Webhook.verify agrees"),
    "resend": (T('{"type":"email.delivered","created_at":"2026-01-01T00:00:00.000Z","data":{"email_id":'
                 '"56761188-7520-42d8-8898-ff6fc54ce618","from":"Acme <onboarding@resend.dev>","to":'
                 '["delivered@resend.dev"],"subject":"Sending this example","created_at":"2025-12-31T23:59:58.000Z"}}'),
               "msg_2pN2W0rW0o8jU0d8vKfDk1VqJ6Z", "whsec_5WbX5kEWLlfzsGNjH64I8lOOqUB6e8FH",
               "resend 6.38.0 (npm): new Resend(key).webhooks.verify({payload, headers: {id, timestamp, signature}, "
               "webhookSecret}) accepts this request (Date.now at the case's now) and rejects the tampered body"),
}


def gen_alias(sid):
    b = gen_sw(sid)
    body, mid, secret, source = ALIAS_SDK[sid]
    alias_sdk_case(b, f"sdk_{sid}", secret, body, mid, ALIAS_SDK_SIG[sid], source)
    return b


ALIAS_SDK_SIG = {"replicate": "v1,ca7feG5JLHh9wkpcDjyy6Lim4cqFNnEMiNglDgH29bU=",
                 "clerk": "v1,Gts3ddn+d0ddYXxV6EeA7NTAk5hIbLMg4ZFfdXvSDSw=",
                 "resend": "v1,znzGS/BBa0QxrFlCz2P4Rwc7+a6h3fwqQZ5GgRHD5UE="}

POLAR_BODY = T('{"type":"order.paid","timestamp":"2026-01-01T00:00:00.000000Z","data":{"id":'
               '"9b7e3f36-6c27-4b5a-9d0e-2f7a0f0c4b11","status":"paid","total_amount":2000,"currency":"usd",'
               '"customer_id":"5a4e7c11-0f4f-4b8e-9f2c-6d1e2b3c4d5e"}}')
POLAR_SDK = ("polar-sdk 1.0.2 (PyPI): polar.webhooks._verify_signature(body, headers, secret), the check behind "
             "validate_event, accepts this request (time.time at the case's now) and rejects the tampered body")
POLAR_SDK_SIG = "v1,bkxHUBk2Edkv3RszyE0K6To84ue4LQIGIpfP6RhCRvQ="


def gen_polar():
    S = SCHEMES["polar"]
    b = Builder(S)
    body = POLAR_BODY
    sec = "polar_whs_Qm8Z3v2LkT7pW9xR4nB6cY1dF5hJ0sG"
    mid = "msg_2wQ8b4Wb8Yx1Zc7nR5tP3kL9mD0"
    cfg = dict(secret=sec, others=["polar_whs_old_000000000000000001", "polar_whs_new_000000000000000002"],
               body=body, tampered=T(body.text.replace("2000", "20")), id=mid)
    standard_cases(b, cfg)
    ts = str(NOW)
    e, wrong = S.enc(sec, body, ts, mid), S.enc(cfg["others"][0], body, ts, mid)

    def H(sig):
        return S.headers(sig, ts, mid)

    b.ok("valid_signature_list_with_unknown_versions", [sec], H(f"v2,{wrong} v1,{wrong} v1,{e} v3,abc"), body, ts=NOW)
    b.err("error_malformed_signature_list_only_unknown_versions", [sec], H(f"v2,{e} v0,{e}"), body,
          "malformed_signature")
    # The secret is text: a whsec_-looking secret is not base64-decoded in auto format.
    wh = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    b.ok("valid_whsec_looking_secret_used_as_text", [wh], H(S.value(wh, body, ts, mid)), body, ts=NOW)
    decoded = "v1," + b64(hmac.new(strict_b64(wh[6:]), S.content(body.raw(), ts, mid), hashlib.sha256).digest())
    b.err("error_signature_mismatch_whsec_secret_decoded_by_sender", [wh], H(decoded), body, "signature_mismatch")
    b.ok("valid_whsec_secret_decoded_with_format_base64", [wh[6:]], H(decoded), body, ts=NOW, secret_format="base64")
    alias_sdk_case(b, "sdk_polar_python", sec, body, mid, POLAR_SDK_SIG, POLAR_SDK)
    return b


# --------------------------------------------------------------------------------------------
# Custom schemes

CUSTOM = [
    {"id": "acme-full", "signature_header": "X-Acme-Signature", "timestamp_header": "X-Acme-Timestamp",
     "id_header": "X-Acme-Id", "event_header": "X-Acme-Event", "template": "{id}.{ts}.{body}", "encoding": "hex",
     "prefix": "sha256=", "algorithm": "sha256"},
    {"id": "body-sha512-b64", "signature_header": "X-Signature-512", "template": "{body}", "encoding": "base64",
     "algorithm": "sha512"},
    {"id": "ts-colon-hex", "signature_header": "X-Tsc-Signature", "timestamp_header": "X-Tsc-Timestamp",
     "template": "{ts}:{body}", "encoding": "hex", "algorithm": "sha256"},
]


def gen_custom():
    blocks = []
    for c in CUSTOM:
        S = Scheme(c["id"], "plain", c["signature_header"], c["template"], encoding=c["encoding"],
                   prefix=c.get("prefix", ""), ts=c.get("timestamp_header"), idh=c.get("id_header"),
                   evh=c.get("event_header"), algorithm=c["algorithm"], custom=c)
        b = Builder(S)
        body = T('{"order":"A-1001","status":"shipped","items":[{"sku":"X1","qty":2}]}')
        cfg = dict(secret=f"{c['id']}-secret-0001", others=[f"{c['id']}-secret-old", f"{c['id']}-secret-new"],
                   body=body, tampered=T(body.text.replace("shipped", "cancelled")), id="del_0001",
                   event="order.shipped")
        standard_cases(b, cfg)
        if c["encoding"] == "base64":
            e = S.enc(cfg["secret"], body)
            b.ok("valid_base64_without_padding", [cfg["secret"]], [[S.sig, e.rstrip("=")]], body)
            b.err("error_malformed_signature_sha256_length", [cfg["secret"]],
                  [[S.sig, b64(hmac.new(cfg["secret"].encode(), body.raw(), hashlib.sha256).digest())]], body,
                  "malformed_signature")
        for x in b.cases:
            x["name"] = f"{c['id']}/{x['name']}"
        blocks.append({"scheme": {"custom": c}, "cases": b.cases})
    return blocks


# --------------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------------
# Issue 18, third round: public-key schemes (Discord ed25519, SendGrid ECDSA P-256), DocuSign's
# numbered headers, Linear's body timestamp. Vendor SDKs were run outside this repository
# (versions in each `source`); the values are pinned here and re-derived with `cryptography`.

from cryptography.hazmat.primitives import hashes as _hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec as _ec  # noqa: E402

DISCORD_SEED = hashlib.sha256(b"hooksig test vectors discord seed 1").digest()
DISCORD_SEED_OTHER = hashlib.sha256(b"hooksig test vectors discord seed 2").digest()
DISCORD_PUB = ed_pub(DISCORD_SEED).hex()
DISCORD_PUB_OTHER = ed_pub(DISCORD_SEED_OTHER).hex()
DISCORD_PRIV = DISCORD_SEED.hex() + DISCORD_PUB  # libsodium/tweetnacl's 64-byte secret key, hex
P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551


def p256_key(label: bytes):
    return _ec.derive_private_key(int.from_bytes(hashlib.sha256(label).digest(), "big") % P256_N, _ec.SECP256R1())


SG_KEY = p256_key(b"hooksig test vectors sendgrid p256 1")
SG_KEY_OTHER = p256_key(b"hooksig test vectors sendgrid p256 2")


def spki_b64(k) -> str:
    return b64(k.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def pkcs8_b64(k) -> str:
    return b64(k.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                               serialization.NoEncryption()))


SG_PUB, SG_PUB_OTHER, SG_PRIV = spki_b64(SG_KEY), spki_b64(SG_KEY_OTHER), pkcs8_b64(SG_KEY)


class PkScheme(Scheme):
    """A public-key scheme: `pk` is "ed25519" (hex key and signature) or "p256" (base64)."""

    def __init__(self, *a, pk, **kw):
        super().__init__(*a, **kw)
        self.pk = pk

    def value(self, secret, body, ts=None, mid=None, fmt=None) -> str:
        raw = body.raw() if isinstance(body, Body) else body
        content = self.content(raw, ts, mid)
        if self.pk == "ed25519":
            assert len(secret) == 128, "sign with the 128-hex secret key"
            return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(secret[:64])).sign(content).hex()
        key = {SG_PRIV: SG_KEY}[secret]
        # RFC 6979 deterministic nonces (what hooksig's signer uses), so the files are stable.
        return b64(key.sign(content, _ec.ECDSA(_hashes.SHA256(), deterministic_signing=True)))

    def expected_fields(self, headers, raw: bytes):
        try:
            v = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None, None

        def f(name):
            if not isinstance(v, dict) or name is None or name not in v:
                return None
            x = v[name]
            return str(x) if isinstance(x, int) and not isinstance(x, bool) else (x if isinstance(x, str) else None)
        return f(self.id_field), f(self.ev_field)


DISCORD = PkScheme("discord", "plain", "X-Signature-Ed25519", "{ts}{body}", ts="X-Signature-Timestamp",
                   id_field="id", ev_field="type", pk="ed25519")
SENDGRID = PkScheme("sendgrid", "plain", "X-Twilio-Email-Event-Webhook-Signature", "{ts}{body}", encoding="base64",
                    ts="X-Twilio-Email-Event-Webhook-Timestamp", pk="p256")


def pk_cases(b: Builder, priv, pub, pub_other, body: Body, bad_keys):
    """What every public-key scheme gets: valid, rotation, bounds, every error code."""
    S = b.S
    ts = str(NOW)
    sig = S.value(priv, body, ts)
    H = lambda sig_=sig, ts_=ts: S.headers(sig_, ts_)  # noqa: E731
    b.ok("valid_basic", [pub], H(), body, ts=NOW)
    b.ok("valid_private_key_verifies_too", [priv], H(), body, ts=NOW)
    for label, bd in (("empty_body", EMPTY), ("unicode_body", UNICODE), ("non_utf8_body", NON_UTF8),
                      ("body_1mib_repeat", BIG)):
        b.ok(f"valid_{label}", [pub], H(S.value(priv, bd, ts)), bd, ts=NOW)
    b.ok("valid_rotated_keys_second_matches", [pub_other, pub], H(), body, key_index=1, ts=NOW)
    b.ok("valid_header_names_lowercase", [pub], rename(H(), str.lower), body, ts=NOW)
    b.ok("valid_header_names_mixed_case", [pub], rename(H(), mixed_case), body, ts=NOW)
    b.ok("valid_at_tolerance_past_boundary", [pub], H(), body, ts=NOW, now=NOW + 300)
    b.ok("valid_at_tolerance_future_boundary", [pub], H(), body, ts=NOW, now=NOW - 300)
    b.ok("valid_custom_tolerance_60", [pub], H(), body, ts=NOW, now=NOW + 60, tolerance=60)
    b.err("error_timestamp_expired_301s", [pub], H(), body, "timestamp_expired", now=NOW + 301)
    b.err("error_timestamp_in_future_301s", [pub], H(), body, "timestamp_in_future", now=NOW - 301)
    b.err("error_timestamp_expired_custom_tolerance_60", [pub], H(), body, "timestamp_expired", now=NOW + 61,
          tolerance=60)
    b.err("error_signature_mismatch_tampered_body", [pub], H(), T(body.text + " "), "signature_mismatch")
    b.err("error_signature_mismatch_other_key", [pub_other], H(), body, "signature_mismatch")
    b.err("error_signature_mismatch_timestamp_changed", [pub], H(ts_=str(NOW + 1)), body, "signature_mismatch")
    b.err("error_missing_signature", [pub], [[S.ts, ts]], body, "missing_signature")
    b.err("error_missing_signature_empty", [pub], H(sig_=""), body, "missing_signature")
    b.err("error_missing_timestamp", [pub], [[S.sig, sig]], body, "missing_timestamp")
    b.err("error_malformed_timestamp", [pub], H(ts_=ts + ".5"), body, "malformed_timestamp")
    b.err("error_malformed_timestamp_conflicting", [pub], H() + [[S.ts, str(NOW + 1)]], body, "malformed_timestamp")
    b.err("error_malformed_signature_not_encoded", [pub], H(sig_="not a signature!"), body, "malformed_signature")
    b.err("error_malformed_signature_truncated", [pub], H(sig_=sig[:-8]), body, "malformed_signature")
    b.err("error_order_missing_timestamp_before_malformed_signature", [pub], [[S.sig, "zz"]], body,
          "missing_timestamp")
    for i, (label, k) in enumerate(bad_keys):
        b.err(f"error_invalid_secret_{label}", [k], H(), body, "invalid_secret")
    b.err("error_invalid_secret_empty_list", [], H(), body, "invalid_secret")
    b.err("error_invalid_secret_text_format", [pub], H(), body, "invalid_secret", secret_format="text")
    b.sign("sign_basic", priv, body, ts=NOW, expect_headers=S.headers(sig, ts))
    return sig


DISCORD_BODY = T('{"app_permissions":"2248473465835073","application_id":"1234567890123456789","entitlements":[],'
                 '"id":"1345678901234567890","token":"aW50ZXJhY3Rpb246MTM0NTY3ODkwMTIzNDU2Nzg5MDp0ZXN0","type":2,'
                 '"data":{"id":"1111111111111111111","name":"ping","type":1},"version":1}')
DISCORD_PING = T('{"application_id":"1234567890123456789","id":"1345678901234567891","token":"dGVzdA","type":1,'
                 '"version":1}')
DISCORD_SDK = ("discord-interactions 0.4.0 (PyPI, verify_key(raw_body, signature, timestamp, public_key)) and "
               "discord-interactions 4.4.0 (npm, verifyKey(...)) accept this request and reject the tampered body")
DISCORD_SDK_SIG = ("05abfcd23bc0a7395a218bbb2aef08503f2af38287d1e54c7f4443559f9b388a"
                   "faaa4ea1b36e66ee277151eea255c2875aaae43ed05f5e567d836ab1e50a0301")


def gen_discord():
    b = Builder(DISCORD)
    S = DISCORD
    sig = pk_cases(b, DISCORD_PRIV, DISCORD_PUB, DISCORD_PUB_OTHER, DISCORD_BODY, [
        ("not_hex", "z" * 64), ("wrong_length_32_hex", DISCORD_PUB[:32]),
        ("whsec_style_secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        ("secret_key_halves_mismatch", DISCORD_SEED.hex() + DISCORD_PUB_OTHER)])
    b.ok("valid_uppercase_hex_key_and_signature", [DISCORD_PUB.upper()], S.headers(sig.upper(), str(NOW)),
         DISCORD_BODY, ts=NOW)
    ping = S.value(DISCORD_PRIV, DISCORD_PING, str(NOW))
    b.ok("valid_ping", [DISCORD_PUB], S.headers(ping, str(NOW)), DISCORD_PING, ts=NOW)
    three = ", ".join([sig, sig, sig])
    b.err("error_malformed_signature_more_than_2_ed25519_signatures", [DISCORD_PUB], S.headers(three, str(NOW)),
          DISCORD_BODY, "malformed_signature")
    b.ok("valid_two_signatures_second_matches", [DISCORD_PUB],
         S.headers(S.value(DISCORD_PRIV, T("other"), str(NOW)) + ", " + sig, str(NOW)), DISCORD_BODY, ts=NOW)
    assert S.value(DISCORD_PRIV, DISCORD_BODY, str(NOW)) == DISCORD_SDK_SIG, S.value(DISCORD_PRIV, DISCORD_BODY,
                                                                                       str(NOW))
    b.ok("valid_sdk_discord_interactions", [DISCORD_PUB], S.headers(DISCORD_SDK_SIG, str(NOW)), DISCORD_BODY,
         ts=NOW, source=DISCORD_SDK)
    return b


SENDGRID_BODY = T('[{"email":"example@test.com","timestamp":1767225590,"smtp-id":"<14c5d75ce93.dfd.64b469@ismtpd-555>",'
                  '"event":"processed","category":["cat facts"],"sg_event_id":"rbtnWrG1DVDGGGFHFyun0A==",'
                  '"sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0"}]\r\n')
SENDGRID_SDK = ("sendgrid 6.12.5 (PyPI): sendgrid.helpers.eventwebhook.EventWebhook(public_key)."
                "verify_signature(payload, signature, timestamp) accepts this request and rejects the tampered body")
SENDGRID_SDK_SIG = "MEYCIQDBvMFi9oMPWRbeS4Jjc6HRf5Hqi9GececIj+k9SuhehQIhAIJWGdOOH6OqCcA10hSzfyoH7y93KViCgrOVAy3NFX8r"


def der_high_s(sig_b64: str) -> str:
    """The same ECDSA signature with s replaced by n - s (equally valid; DER re-encoded)."""
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
    r, s_ = decode_dss_signature(base64.b64decode(sig_b64))
    return b64(encode_dss_signature(r, P256_N - s_))


def gen_sendgrid():
    b = Builder(SENDGRID)
    S = SENDGRID
    sig = pk_cases(b, SG_PRIV, SG_PUB, SG_PUB_OTHER, SENDGRID_BODY, [
        ("not_base64", "not base64 at all!"), ("not_a_key", b64(b"\x30\x03\x02\x01\x01")),
        ("ed25519_hex_key", DISCORD_PUB)])
    pem = "-----BEGIN PUBLIC KEY-----\n" + SG_PUB[:64] + "\n" + SG_PUB[64:] + "\n-----END PUBLIC KEY-----\n"
    b.ok("valid_pem_public_key", [pem.strip()], S.headers(sig, str(NOW)), SENDGRID_BODY, ts=NOW)
    b.ok("valid_high_s_signature", [SG_PUB], S.headers(der_high_s(sig), str(NOW)), SENDGRID_BODY, ts=NOW)
    b.err("error_malformed_signature_more_than_1_ecdsa_signature", [SG_PUB], S.headers(sig + ", " + sig, str(NOW)),
          SENDGRID_BODY, "malformed_signature")
    b.err("error_malformed_signature_raw_64_bytes_not_der", [SG_PUB], S.headers(b64(bytes(range(64))), str(NOW)),
          SENDGRID_BODY, "malformed_signature")
    assert sig == SENDGRID_SDK_SIG, sig
    b.ok("valid_sdk_sendgrid_python", [SG_PUB], S.headers(sig, str(NOW)), SENDGRID_BODY, ts=NOW,
         source=SENDGRID_SDK)
    return b


DOCUSIGN_BODY = T('{"event":"envelope-completed","apiVersion":"v2.1","uri":"/restapi/v2.1/accounts/'
                  '8b4ea2e8-4b6c-4d92-9bbd-1f3c1d3e0a11/envelopes/93be49e8-8ae2-4c8f-a1f4-3d8e1c5b2f10",'
                  '"retryCount":0,"configurationId":10418163,"generatedDateTime":"2026-01-01T00:00:00.0000000Z",'
                  '"data":{"accountId":"8b4ea2e8-4b6c-4d92-9bbd-1f3c1d3e0a11","userId":'
                  '"3f2c1b0a-1111-2222-3333-444455556666","envelopeId":"93be49e8-8ae2-4c8f-a1f4-3d8e1c5b2f10"}}')
DOCUSIGN_HEADERS = [f"X-DocuSign-Signature-{i}" for i in range(1, 10)]


def gen_docusign():
    S = SCHEMES["docusign"]
    b = Builder(S)
    body = DOCUSIGN_BODY
    sec, old, other = "docusign_connect_key_B7q2Lm9x", "docusign_connect_key_old_0001", "docusign_key_new_0002"
    cfg = dict(secret=sec, others=[old, other], body=body, tampered=T(body.text.replace("completed", "voided")))
    standard_cases(b, cfg)
    s_new, s_old = S.value(sec, body), S.value(old, body)
    # One header per active Connect key, numbered from 1; any header may match any configured key.
    b.ok("valid_numbered_second_header_matches", [sec], [[DOCUSIGN_HEADERS[0], s_old], [DOCUSIGN_HEADERS[1], s_new]],
         body)
    b.ok("valid_numbered_headers_both_keys_configured", [old, sec],
         [[DOCUSIGN_HEADERS[0], s_new], [DOCUSIGN_HEADERS[1], s_old]], body)
    b.ok("valid_numbered_eighth_header_matches", [sec],
         [[DOCUSIGN_HEADERS[i], s_old] for i in range(7)] + [[DOCUSIGN_HEADERS[7], s_new]], body)
    b.ok("valid_only_second_header_present", [sec], [[DOCUSIGN_HEADERS[1], s_new]], body)
    b.err("error_malformed_signature_ninth_header", [sec],
          [[DOCUSIGN_HEADERS[i], s_new] for i in range(9)], body, "malformed_signature")
    b.err("error_signature_mismatch_unnumbered_header_ignored", [sec],
          [[DOCUSIGN_HEADERS[0], s_old], ["X-DocuSign-Signature", s_new]], body, "signature_mismatch")
    b.err("error_missing_signature_only_unnumbered_header", [sec], [["X-DocuSign-Signature", s_new]], body,
          "missing_signature")
    b.ok("valid_docusign_documented_formula", [sec], [[DOCUSIGN_HEADERS[0], openssl_b64(sec, body.raw())]], body,
         source="DocuSign Connect HMAC (developers.docusign.com/platform/webhooks/connect/validate): "
                "X-DocuSign-Signature-1 is the base64 HMAC-SHA256 of the body keyed with the Connect key; value "
                "from `openssl dgst -sha256 -hmac ... -binary | base64`")
    return b


def openssl_b64(secret: str, data: bytes) -> str:
    return b64(bytes.fromhex(openssl_hex(secret, data)))


def linear_body(ms, action="create") -> Body:
    return T('{"action":"%s","type":"Issue","createdAt":"2026-01-01T00:00:00.000Z","data":{"id":'
             '"2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9","title":"Fix the login page","identifier":"ENG-123"},'
             '"url":"https://linear.app/acme/issue/ENG-123","organizationId":"c1b2a3d4-0000-4000-8000-000000000001",'
             '"webhookTimestamp":%s,"webhookId":"0d6c8c4a-5f3e-4a9b-9d2e-7c1f0e6b5a42"}' % (action, ms))


LINEAR_SDK = ("@linear/sdk 98.0.0 (npm): new LinearWebhookClient(secret).verify(Buffer.from(body), signature) with "
              "Date.now() at the case's now accepts this request, rejects the tampered body, and rejects it 61 s "
              "later (Invalid webhook timestamp)")


def gen_linear():
    S = SCHEMES["linear"]
    b = Builder(S)
    sec, old = "lin_wh_9f8e7d6c5b4a39281706f5e4d3c2b1a0", "lin_wh_old_00000000000000000000000001"
    ms = NOW * 1000
    body = linear_body(ms)
    H = lambda bd, secret=sec: [[S.sig, S.value(secret, bd)]]  # noqa: E731

    def ok(name, secrets, headers, bd, t, **kw):
        b.verify(name, secrets, headers, bd, {"ok": True, "key_index": kw.pop("key_index", 0), "timestamp": t,
                 "id": None, "event_type": "Issue",
                 "dedupe_key": f"linear:sig:{S.digest(secrets[0].encode(), bd.raw())[:16].hex()}"}, **kw)

    ok("valid_basic", [sec], H(body), body, NOW)
    ok("valid_rotated_secrets_second_matches", [old, sec], H(body), body, NOW, key_index=1)
    ok("valid_uppercase_hex", [sec], [[S.sig, S.value(sec, body).upper()]], body, NOW)
    ok("valid_header_name_lowercase", [sec], [["linear-signature", S.value(sec, body)]], body, NOW)
    ok("valid_at_tolerance_past_boundary_60s", [sec], H(body), body, NOW, now=NOW + 60)
    ok("valid_at_tolerance_future_boundary_60s", [sec], H(body), body, NOW, now=NOW - 60)
    b1 = linear_body(ms + 999)
    ok("valid_milliseconds_rounded_down", [sec], H(b1), b1, NOW, now=NOW - 60)
    ok("valid_custom_tolerance_300", [sec], H(body), body, NOW, now=NOW + 300, tolerance=300)
    ok("valid_sdk_linear", [sec], H(body), body, NOW, source=LINEAR_SDK)
    ok("valid_linear_timestamp_header_ignored", [sec], H(body) + [["Linear-Timestamp", "0"]], body, NOW)
    b.err("error_timestamp_expired_61s", [sec], H(body), body, "timestamp_expired", now=NOW + 61)
    b.err("error_timestamp_in_future_61s", [sec], H(body), body, "timestamp_in_future", now=NOW - 61)
    b.err("error_timestamp_expired_sdk_linear_61s_later", [sec], H(body), body, "timestamp_expired", now=NOW + 61,
          source=LINEAR_SDK)
    b.err("error_signature_mismatch_tampered_body", [sec], H(body), linear_body(ms, "remove"), "signature_mismatch")
    b.err("error_signature_mismatch_sdk_linear_tampered", [sec], H(body), T(body.text + " "), "signature_mismatch",
          source=LINEAR_SDK)
    b.err("error_signature_mismatch_wrong_secret", [old], H(body), body, "signature_mismatch")
    b.err("error_missing_signature", [sec], [], body, "missing_signature")
    b.err("error_malformed_signature_not_hex", [sec], [[S.sig, "z" * 64]], body, "malformed_signature")
    no_ts = T(body.text.replace(',"webhookTimestamp":%d' % ms, ""))
    b.err("error_missing_timestamp_no_field", [sec], H(no_ts), no_ts, "missing_timestamp")
    nul = T(body.text.replace(str(ms), "null"))
    b.err("error_missing_timestamp_null", [sec], H(nul), nul, "missing_timestamp")
    b.err("error_missing_timestamp_non_json_body", [sec], H(T("not json")), T("not json"), "missing_timestamp")
    for label, v in (("string", '"%d"' % ms), ("fraction", "%d.5" % ms), ("negative", "-1"), ("exponent", "1.7e12")):
        bd = T(body.text.replace(str(ms), v))
        b.err(f"error_malformed_timestamp_{label}", [sec], H(bd), bd, "malformed_timestamp")
    b.err("error_order_signature_mismatch_before_missing_timestamp", [sec], H(body), no_ts, "signature_mismatch")
    b.err("error_invalid_secret_whitespace", [sec + "\n"], H(body), body, "invalid_secret")
    b.sign("sign_basic", sec, body, expect_headers=[[S.sig, S.value(sec, body)]])
    return b


# --------------------------------------------------------------------------------------------
# Issue 18's second batch (36 → 40): each checked against the vendor's Python SDK, run outside
# this repository in a venv with time.time patched to the case's now.

OPENAI_BODY = T('{"id":"evt_6953c1e0a5b08190b7d1a24e9f3c5d71","object":"event","created_at":1767225600,'
                '"type":"response.completed","data":{"id":"resp_6953c1df2e5c8190a0c3b4d5e6f70812"}}')
OPENAI_MID = "wh_6953c1e0a5b08190b7d1a24e9f3c5d70"
OPENAI_SECRET = "whsec_16Srh5aFfCAJbSxXSwDoa9Nco7Xc0OCRn/6BfWBKuck="
OPENAI_SDK = ("openai 3.57.0 (PyPI): OpenAI(webhook_secret=secret).webhooks.unwrap(body, headers) accepts this "
              "request (time.time at the case's now) and returns a response.completed event; verify_signature "
              "rejects the tampered body and the request 301 s later, and accepts hooksig's sign output")
OPENAI_SDK_SIG = "v1,pK8Q5RgBcgARzzqw7rLYE+F73Xu+Y5aqLVX+DQKFNgU="
OPENAI_TEXT_SECRET = "openai_plain_secret_not_base64"
OPENAI_TEXT_SDK = ("openai 3.57.0 (PyPI): webhooks.verify_signature(body, headers, secret=<a secret without "
                   "whsec_>) MACs with the secret's text and accepts this signature; hooksig reads a secret "
                   "without whsec_ as base64 in auto format, so it needs secret_format text")
OPENAI_TEXT_SDK_SIG = "v1,tJZq7PSbhwsWNjFdTw2D2/ramrdHx1lDvReO0dJ6ztM="


def gen_openai():
    S = SCHEMES["openai"]
    b = gen_sw("openai")
    alias_sdk_case(b, "sdk_openai_python", OPENAI_SECRET, OPENAI_BODY, OPENAI_MID, OPENAI_SDK_SIG, OPENAI_SDK)
    ts = str(NOW)
    h = S.headers(OPENAI_SDK_SIG, ts, OPENAI_MID)
    b.err("error_timestamp_expired_sdk_openai_python_301s_later", [OPENAI_SECRET], h, OPENAI_BODY,
          "timestamp_expired", now=NOW + 301, source=OPENAI_SDK)
    # OpenAI's SDK uses a secret without `whsec_` as text; hooksig's auto format (as for every
    # Standard Webhooks scheme) base64-decodes it: secret_format text gives the SDK's key.
    assert S.value(OPENAI_TEXT_SECRET, OPENAI_BODY, ts, OPENAI_MID, "text") == OPENAI_TEXT_SDK_SIG
    ht = S.headers(OPENAI_TEXT_SDK_SIG, ts, OPENAI_MID)
    b.ok("valid_sdk_openai_python_secret_without_prefix_format_text", [OPENAI_TEXT_SECRET], ht, OPENAI_BODY, ts=NOW,
         secret_format="text", source=OPENAI_TEXT_SDK)
    b.err("error_invalid_secret_sdk_openai_python_secret_without_prefix_auto", [OPENAI_TEXT_SECRET], ht, OPENAI_BODY,
          "invalid_secret", source=OPENAI_TEXT_SDK)
    return b


WORKOS_BODY = T('{"id":"event_01KDX0Q8W6Y8M3K2T5R4P7N1B0","data":{"object":"user","id":"user_01E4ZCR3C56J083X43JQXF3JK5",'
                '"email":"todd@example.com","first_name":"Todd","last_name":"Rundgren","email_verified":true,'
                '"profile_picture_url":null,"last_sign_in_at":null,"external_id":null,"metadata":{},'
                '"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"},"event":"user.created",'
                '"created_at":"2026-01-01T00:00:00.000Z"}')
WORKOS_SDK = ("workos 10.8.0 (PyPI): workos.webhooks._verification.verify_event(event_body, event_signature, secret) "
              "and WorkOSClient(...).webhooks.verify_header(...) accept this request (time.time at the case's now; "
              "verify_event returns a UserCreated event), reject the tampered body, the header without the space "
              "after the comma, and the request 181 s later (DEFAULT_TOLERANCE = 180); they accept hooksig's sign "
              "output")
WORKOS_SDK_SIG = "t=1767225600000, v1=9c4d6a0f838aed9f3f9ac190ff05f5057b85cab789d1bbc7cbde05e3223e04a2"


def gen_workos():
    S = SCHEMES["workos"]
    b = Builder(S)
    body = WORKOS_BODY
    sec = "wos_wh_secret_5Zq8N3vK7xR2mT9pL4cY"
    cfg = dict(secret=sec, others=["wos_wh_secret_old_000000000001", "wos_wh_secret_new_000000000002"],
               body=body, tampered=T(body.text.replace("todd@example.com", "mallory@example.com")),
               id="event_01KDX0Q8W6Y8M3K2T5R4P7N1B0", event="user.created")
    standard_cases(b, cfg)
    sdk_case(b, "sdk_workos_python", sec, body, WORKOS_SDK_SIG, WORKOS_SDK, ts=NOW, mid=cfg["id"],
             event=cfg["event"])
    h = [[S.sig, WORKOS_SDK_SIG]]
    b.err("error_timestamp_expired_sdk_workos_python_181s_later", [sec], h, body, "timestamp_expired", now=NOW + 181,
          source=WORKOS_SDK)
    b.err("error_timestamp_in_future_sdk_workos_python_181s_early", [sec], h, body, "timestamp_in_future",
          now=NOW - 181, source=WORKOS_SDK)
    ms = NOW * 1000
    e = S.enc(sec, body, str(ms))
    wrong = S.enc(cfg["others"][0], body, str(ms))
    # The verifier trims list items: the SDK's ", " and a bare "," both parse (the SDK itself
    # accepts only ", "; `sign` writes that).
    b.ok("valid_without_space_after_comma", [sec], [[S.sig, f"t={ms},v1={e}"]], body, ts=NOW)
    b.ok("valid_multiple_v1_entries_second_valid", [sec], [[S.sig, f"t={ms}, v1={wrong}, v1={e}"]], body, ts=NOW)
    # Milliseconds count as whole seconds, rounded down (as for Linear's webhookTimestamp).
    t999 = str(ms + 999)
    b.ok("valid_milliseconds_rounded_down", [sec], [[S.sig, S.value(sec, body, t999)]], body, ts=NOW)
    # A seconds value read as milliseconds is a date in 1970: expired, not malformed.
    b.err("error_timestamp_expired_seconds_instead_of_milliseconds", [sec], [[S.sig, S.value(sec, body, str(NOW))]],
          body, "timestamp_expired")
    b.ok("valid_explicit_tolerance_300_wins_over_180", [sec], h, body, ts=NOW, now=NOW + 300, tolerance=300)
    return b


GOCARDLESS_BODY = T('{"events":[{"id":"EV0123ABCDEF45","created_at":"2026-01-01T00:00:00.000Z","resource_type":"payments",'
                    '"action":"confirmed","links":{"payment":"PM0123ABCDEF45"},"details":{"origin":"gocardless",'
                    '"cause":"payment_confirmed","description":"Enough time has passed since the payment was submitted '
                    'for the banks to return an error, so this payment is now confirmed."},"metadata":{}}],'
                    '"meta":{"webhook_id":"WB0123ABCDEF45"}}')
GOCARDLESS_SDK = ("gocardless_pro 3.22.0 (PyPI): gocardless_pro.webhooks.parse_with_meta(body, secret, signature) "
                  "accepts this request (events [confirmed], webhook_id WB0123ABCDEF45) and webhooks.parse rejects "
                  "the tampered body (InvalidSignatureError); both accept hooksig's sign output")
GOCARDLESS_SDK_SIG = "1a02ff21200602bc09c3f250b1f3a580cf51382e5f797afc52bed0f4daa02542"


def gen_gocardless():
    S = SCHEMES["gocardless"]
    b = Builder(S)
    body = GOCARDLESS_BODY
    sec = "gc_webhook_secret_Hq3Lm8Vx2Rk7Tn4P"
    cfg = dict(secret=sec, others=["gc_webhook_secret_old_00000001", "gc_webhook_secret_new_00000002"],
               body=body, tampered=T(body.text.replace('"confirmed"', '"failed"')))
    standard_cases(b, cfg)
    sdk_case(b, "sdk_gocardless_python", sec, body, GOCARDLESS_SDK_SIG, GOCARDLESS_SDK)
    return b


def pusher_body(ms, channel="presence-room-42") -> Body:
    return T('{"time_ms":%s,"events":[{"name":"channel_occupied","channel":"%s"},'
             '{"name":"member_added","channel":"%s","user_id":"user-7"}]}' % (ms, channel, channel))


PUSHER_SDK = ("pusher 3.3.4 (PyPI): pusher.Pusher(app_id, key, secret).validate_webhook(key, signature, body) "
              "accepts this request (time.time at the case's now), returns None for the tampered body, for "
              "another X-Pusher-Key and 301 s later or earlier (|now - time_ms| > 300000 ms), and accepts "
              "hooksig's sign output")
PUSHER_SDK_SIG = "9ba844ee34ce90a944f7e6b8b6e0babba4689d90419d1b7feb85989411584490"


def gen_pusher():
    S = SCHEMES["pusher"]
    b = Builder(S)
    sec, old, nxt = "7ad3773142a6692b25b8", "0000000000000000old1", "0000000000000000new2"
    ms = NOW * 1000
    body = pusher_body(ms)
    assert S.value(sec, body) == PUSHER_SDK_SIG

    def H(bd, secret=sec):
        return [[S.sig, S.value(secret, bd)]]

    key_header = ["X-Pusher-Key", "278d425bdf160c739803"]
    b.ok("valid_basic", [sec], H(body) + [key_header], body, ts=NOW)
    b.ok("valid_sdk_pusher_python", [sec], [[S.sig, PUSHER_SDK_SIG], key_header], body, ts=NOW, source=PUSHER_SDK)
    b.ok("valid_rotated_secrets_second_matches", [old, sec, nxt], H(body), body, key_index=1, ts=NOW)
    b.ok("valid_uppercase_hex", [sec], [[S.sig, S.value(sec, body).upper()]], body, ts=NOW)
    b.ok("valid_header_name_lowercase", [sec], [["x-pusher-signature", S.value(sec, body)]], body, ts=NOW)
    b.ok("valid_comma_joined_signature_values", [sec], [[S.sig, f"{S.value(old, body)}, {S.value(sec, body)}"]], body,
         ts=NOW)
    b.ok("valid_repeated_signature_header_wrong_then_right", [sec], H(body, old) + H(body), body, ts=NOW)
    # X-Pusher-Key is not signed and not read: route to the app's verifier by it instead.
    b.ok("valid_x_pusher_key_header_not_read", [sec], H(body) + [["X-Pusher-Key", "some-other-app"]], body, ts=NOW)
    b.ok("valid_at_tolerance_past_boundary_300s", [sec], H(body), body, ts=NOW, now=NOW + 300)
    b.ok("valid_at_tolerance_future_boundary_300s", [sec], H(body), body, ts=NOW, now=NOW - 300)
    b1 = pusher_body(ms + 999)
    b.ok("valid_milliseconds_rounded_down", [sec], H(b1), b1, ts=NOW, now=NOW - 300)
    b.ok("valid_custom_tolerance_at_boundary_10s", [sec], H(body), body, ts=NOW, now=NOW + 10, tolerance=10)
    b.ok("valid_large_tolerance_accepts_old_timestamp", [sec], H(body), body, ts=NOW, now=NOW + 3000, tolerance=3600)
    for nm, bd in [("unicode", pusher_body(ms, "presence-zażółć-🎣")), ("pretty_printed",
                   T('{\n  "time_ms": %d,\n  "events": []\n}' % ms))]:
        b.ok(f"valid_{nm}_body", [sec], H(bd), bd, ts=NOW)
    b.err("error_timestamp_expired_301s", [sec], H(body), body, "timestamp_expired", now=NOW + 301)
    b.err("error_timestamp_in_future_301s", [sec], H(body), body, "timestamp_in_future", now=NOW - 301)
    b.err("error_timestamp_expired_sdk_pusher_python_301s_later", [sec], [[S.sig, PUSHER_SDK_SIG]], body,
          "timestamp_expired", now=NOW + 301, source=PUSHER_SDK)
    b.err("error_timestamp_expired_custom_tolerance", [sec], H(body), body, "timestamp_expired", now=NOW + 11,
          tolerance=10)
    b.err("error_timestamp_expired_zero", [sec], H(pusher_body(0)), pusher_body(0), "timestamp_expired")
    b.err("error_timestamp_in_future_i64_max", [sec], H(pusher_body(I64_MAX)), pusher_body(I64_MAX),
          "timestamp_in_future")
    b.err("error_signature_mismatch_tampered_body", [sec], H(body), pusher_body(ms, "presence-room-43"),
          "signature_mismatch")
    b.err("error_signature_mismatch_sdk_pusher_python_tampered", [sec], [[S.sig, PUSHER_SDK_SIG]], T(body.text + " "),
          "signature_mismatch", source=PUSHER_SDK)
    b.err("error_signature_mismatch_tampered_time_ms", [sec], H(body), pusher_body(ms + 1000), "signature_mismatch")
    b.err("error_signature_mismatch_wrong_secret", [old], H(body), body, "signature_mismatch")
    b.err("error_signature_mismatch_wrong_rotated_secrets", [old, nxt], H(body), body, "signature_mismatch")
    b.err("error_missing_signature_header_absent", [sec], [key_header], body, "missing_signature")
    b.err("error_missing_signature_empty_value", [sec], [[S.sig, " "]], body, "missing_signature")
    e = S.value(sec, body)
    for nm, v in [("not_hex", "z" * 64), ("truncated_hex", e[:-1]), ("too_long_hex", e + "00"),
                  ("unexpected_prefix_sha256", "sha256=" + e), ("non_ascii", "ą" + e[2:])]:
        b.err(f"error_malformed_signature_{nm}", [sec], [[S.sig, v]], body, "malformed_signature")
    no_ts = T('{"events":[{"name":"channel_vacated","channel":"presence-room-42"}]}')
    b.err("error_missing_timestamp_no_field", [sec], H(no_ts), no_ts, "missing_timestamp")
    nul = T(body.text.replace(str(ms), "null"))
    b.err("error_missing_timestamp_null", [sec], H(nul), nul, "missing_timestamp")
    nested = T('{"data":{"time_ms":%d},"events":[]}' % ms)
    b.err("error_missing_timestamp_nested_field_only", [sec], H(nested), nested, "missing_timestamp")
    b.err("error_missing_timestamp_non_json_body", [sec], H(T("not json")), T("not json"), "missing_timestamp")
    b.err("error_missing_timestamp_empty_body", [sec], H(EMPTY), EMPTY, "missing_timestamp")
    for label, v in (("string", '"%d"' % ms), ("fraction", "%d.5" % ms), ("negative", "-1"), ("exponent", "1.7e12"),
                     ("true", "true")):
        bd = T(body.text.replace(str(ms), v))
        b.err(f"error_malformed_timestamp_{label}", [sec], H(bd), bd, "malformed_timestamp")
    b.err("error_order_signature_mismatch_before_missing_timestamp", [sec], H(body), no_ts, "signature_mismatch")
    b.err("error_order_malformed_signature_before_missing_timestamp", [sec], [[S.sig, "zz"]], no_ts,
          "malformed_signature")
    for nm, secrets in [("empty_string", [""]), ("empty_list", []), ("trailing_newline", [sec + "\n"]),
                        ("leading_space", [" " + sec]), ("one_of_rotated_empty", [sec, ""])]:
        b.err(f"error_invalid_secret_{nm}", secrets, H(body), body, "invalid_secret")
    b.sign("sign_basic", sec, body)
    b.sign("sign_empty_body", sec, EMPTY)
    b.sign("sign_unicode_body", sec, UNICODE)
    b.sign("sign_non_utf8_body", sec, NON_UTF8)
    b.sign("sign_sdk_pusher_python", sec, body, source=PUSHER_SDK,
           expect_headers=[[S.sig, PUSHER_SDK_SIG]])
    return b



# --------------------------------------------------------------------------------------------
# Schemes that sign the request URL (and method): each case carries "request": {method, url}.
# The signed content is built here from the vendors' documented rules, independently of the
# core; the SDK-produced signatures are pinned and re-derived.


def req(url, method="POST"):
    return {"method": method, "url": url}


def b64_hmac(secret: str, content: bytes, algo=hashlib.sha256) -> str:
    return base64.b64encode(hmac.new(secret.encode(), content, algo).digest()).decode()


def sig_key(sid: str, secret: str, content: bytes, algo=hashlib.sha256) -> str:
    return f"{sid}:sig:{hmac.new(secret.encode(), content, algo).digest()[:16].hex()}"


def twilio_form(pairs) -> bytes:
    """Twilio's compute_signature: names sorted, each name's values sorted, each (name, value) once."""
    seen = sorted(set((k, v) for k, v in pairs))
    return "".join(k + v for k, v in seen).encode("utf-8")


TWILIO_TOKEN = "12345678901234567890123456789012"
TWILIO_URL = "https://example.com/hooks/twilio/sms?tenant=acme"
TWILIO_PARAMS = [("AccountSid", "AC0123456789abcdef0123456789abcdef"), ("Body", "Hello + bye & 100% \u2713"),
                 ("From", "+14155550100"), ("MessageSid", "SM0123456789abcdef0123456789abcdef"), ("NumMedia", "0"),
                 ("To", "+14155550199"), ("SmsStatus", "received"), ("ApiVersion", "2010-04-01"), ("FromCity", "")]
TWILIO_JSON = '{"CallSid":"CA0123456789abcdef0123456789abcdef","CallStatus":"completed"}'
TWILIO_SDK = ("twilio 9.13.0 (PyPI): RequestValidator(auth_token).compute_signature(url, params) produced this "
              "signature; RequestValidator.validate(url, params, signature) accepts it")
TWILIO_SDK_FORM_SIG = "EYf6pDho2olos7qDBYjfaiF+aFs="
TWILIO_DOCS = ("https://www.twilio.com/docs/usage/security#validating-requests (the documented example: Auth Token "
               "12345; twilio 9.13.0 RequestValidator.compute_signature gives the same value and validate accepts it)")
TWILIO_DOCS_SIG = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
TWILIO_SDK_PORT_SIG = "ETpiM28BU6xccwC/wV64PaPaXIM="
TWILIO_SDK_JSON_SIG = "eBJFZK/RchS7xMFqthj27IHUEdI="


def gen_twilio():
    S = SCHEMES["twilio"]
    b = Builder(S)
    tok, old = TWILIO_TOKEN, "00000000000000000000000000000old"
    form_body = T(urllib.parse.urlencode(TWILIO_PARAMS))
    canon = twilio_form(TWILIO_PARAMS)
    content = TWILIO_URL.encode() + canon
    sig = b64_hmac(tok, content, hashlib.sha1)
    assert sig == TWILIO_SDK_FORM_SIG
    r = req(TWILIO_URL)
    H = lambda v: [[S.sig, v]]  # noqa: E731
    ok = {"ok": True, "key_index": 0, "timestamp": None, "id": None, "event_type": None,
          "dedupe_key": sig_key("twilio", tok, content, hashlib.sha1)}
    b.verify("valid_sdk_twilio_form", [tok], H(sig), form_body, ok, request=r, source=TWILIO_SDK)
    # Twilio's own documented example (token 12345, its URL and five parameters).
    doc_url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    doc_params = [("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
                  ("From", "+12349013030"), ("To", "+18005551212")]
    doc_content = doc_url.encode() + twilio_form(doc_params)
    assert b64_hmac("12345", doc_content, hashlib.sha1) == TWILIO_DOCS_SIG
    b.verify("valid_twilio_docs_example", ["12345"], H(TWILIO_DOCS_SIG), T(urllib.parse.urlencode(doc_params)),
             {**ok, "dedupe_key": sig_key("twilio", "12345", doc_content, hashlib.sha1)}, request=req(doc_url),
             source=TWILIO_DOCS)
    b.verify("valid_form_params_in_another_order", [tok], H(sig),
             T(urllib.parse.urlencode(list(reversed(TWILIO_PARAMS)))), ok, request=r)
    b.verify("valid_rotated_secrets_second_matches", [old, tok], H(sig), form_body,
             {**ok, "key_index": 1, "dedupe_key": sig_key("twilio", old, content, hashlib.sha1)}, request=r)
    b.verify("valid_header_name_lowercase", [tok], [["x-twilio-signature", sig]], form_body, ok, request=r)
    # Twilio signed with the port; the application sees the URL without it (and the reverse).
    port_url = TWILIO_URL.replace("example.com", "example.com:443")
    port_content = port_url.encode() + canon
    assert b64_hmac(tok, port_content, hashlib.sha1) == TWILIO_SDK_PORT_SIG
    b.verify("valid_sdk_signed_with_port_request_without", [tok], H(TWILIO_SDK_PORT_SIG), form_body,
             {**ok, "dedupe_key": sig_key("twilio", tok, port_content, hashlib.sha1)}, request=r,
             source=TWILIO_SDK + " (the URL with :443; validate() of the URL without the port accepts it)")
    b.verify("valid_signed_without_port_request_with", [tok], H(sig), form_body, ok, request=req(port_url))
    local = "http://127.0.0.1:8080/twilio"
    b.verify("valid_local_url_with_port", [tok], H(b64_hmac(tok, local.encode() + canon, hashlib.sha1)), form_body,
             {**ok, "dedupe_key": sig_key("twilio", tok, local.encode() + canon, hashlib.sha1)}, request=req(local))
    # Repeated names: each value once, values sorted (Twilio's MediaUrl0.., or a client's list).
    rep = [("To", "+1"), ("Tag", "b"), ("Tag", "a"), ("Tag", "b")]
    rep_content = TWILIO_URL.encode() + twilio_form(rep)
    assert twilio_form(rep) == b"TagaTagbTo+1"
    b.verify("valid_repeated_param_values_sorted_once", [tok], H(b64_hmac(tok, rep_content, hashlib.sha1)),
             T(urllib.parse.urlencode(rep)), {**ok, "dedupe_key": sig_key("twilio", tok, rep_content, hashlib.sha1)},
             request=r)
    # GET callbacks and empty bodies: the URL alone.
    b.verify("valid_empty_body_url_only", [tok], H(b64_hmac(tok, TWILIO_URL.encode(), hashlib.sha1)), EMPTY,
             {**ok, "dedupe_key": sig_key("twilio", tok, TWILIO_URL.encode(), hashlib.sha1)}, request=r)
    # JSON bodies: the URL carries bodySHA256 (hex SHA-256 of the body), the signature covers the URL.
    h = hashlib.sha256(TWILIO_JSON.encode()).hexdigest()
    jurl = "https://example.com/hooks/twilio/status?bodySHA256=" + h
    assert b64_hmac(tok, jurl.encode(), hashlib.sha1) == TWILIO_SDK_JSON_SIG
    b.verify("valid_sdk_json_body_sha256", [tok], H(TWILIO_SDK_JSON_SIG), T(TWILIO_JSON),
             {**ok, "dedupe_key": sig_key("twilio", tok, jurl.encode(), hashlib.sha1)}, request=req(jurl),
             source=TWILIO_SDK + " (JSON body: validate(url_with_bodySHA256, body_text, signature))")
    mismatch = {"ok": False, "error": "signature_mismatch", "header": S.sig}
    b.verify("error_signature_mismatch_json_body_tampered", [tok], H(TWILIO_SDK_JSON_SIG), T(TWILIO_JSON + " "),
             mismatch, request=req(jurl))
    b.verify("error_signature_mismatch_form_param_changed", [tok], H(sig),
             T(form_body.text.replace("NumMedia=0", "NumMedia=1")), mismatch, request=r)
    b.verify("error_signature_mismatch_form_param_added", [tok], H(sig), T(form_body.text + "&Extra=1"), mismatch,
             request=r)
    b.verify("error_signature_mismatch_other_url", [tok], H(sig), form_body, mismatch,
             request=req(TWILIO_URL.replace("tenant=acme", "tenant=evil")))
    b.verify("error_signature_mismatch_http_instead_of_https", [tok], H(sig), form_body, mismatch,
             request=req(TWILIO_URL.replace("https:", "http:")))
    b.verify("error_signature_mismatch_wrong_token", [old], H(sig), form_body, mismatch, request=r)
    b.verify("error_signature_mismatch_more_than_1000_form_params", [tok],
             H(b64_hmac(tok, TWILIO_URL.encode() + b"a1", hashlib.sha1)), Body(repeat=("a=1&", 1000)), mismatch,
             request=r)
    b.verify("error_missing_signature", [tok], [], form_body,
             {"ok": False, "error": "missing_signature", "header": S.sig}, request=r)
    b.verify("error_malformed_signature_not_base64", [tok], H("not base64!"), form_body,
             {"ok": False, "error": "malformed_signature", "header": S.sig}, request=r)
    b.verify("error_invalid_argument_no_request_url", [tok], H(sig), form_body,
             {"ok": False, "error": "invalid_argument"})
    b.sign("sign_sdk_twilio_form", tok, form_body, request=r, expect_headers=[[S.sig, sig]], source=TWILIO_SDK)
    b.sign("sign_json_body_sha256", tok, T(TWILIO_JSON), request=req(jurl),
           expect_headers=[[S.sig, TWILIO_SDK_JSON_SIG]], source=TWILIO_SDK)
    b.sign("sign_url_with_port_as_given", tok, form_body, request=req(port_url),
           expect_headers=[[S.sig, TWILIO_SDK_PORT_SIG]], source=TWILIO_SDK)
    return b


SQUARE_KEY = "fd8Q1BiOwpj3nX2W7kHkZw"
SQUARE_URL = "https://example.com/hooks/square"
SQUARE_BODY = T('{"merchant_id":"6SSW7HV8K2ST5","type":"payment.created","event_id":"13b867cf-db3d-4b6c-a5b9-'
                '8a0a0a0a0a0a","created_at":"2026-01-01T00:00:00Z","data":{"type":"payment","id":"KkAkhdMsgzn59SM8A89'
                'WgKwekxLZY","object":{"payment":{"id":"KkAkhdMsgzn59SM8A89WgKwekxLZY","amount_money":{"amount":100,'
                '"currency":"USD"},"status":"COMPLETED"}}}}')
SQUARE_SDK = ("squareup 46.0.0.20260916 (PyPI): square.utils.webhooks_helper.verify_signature(request_body, "
              "signature_header, signature_key, notification_url) accepts this signature and rejects the tampered body")
SQUARE_SDK_SIG = "kBV6rt0snDTFBSgouUKybY0YoALryMF9MYujc9oW5IY="


def gen_square():
    S = SCHEMES["square"]
    b = Builder(S)
    key, old = SQUARE_KEY, "old0000000000000000000"
    body = SQUARE_BODY
    sig = b64_hmac(key, SQUARE_URL.encode() + body.raw())
    assert sig == SQUARE_SDK_SIG
    r = req(SQUARE_URL)
    H = lambda v: [[S.sig, v]]  # noqa: E731
    ok = {"ok": True, "key_index": 0, "timestamp": None, "id": "13b867cf-db3d-4b6c-a5b9-8a0a0a0a0a0a",
          "event_type": "payment.created", "dedupe_key": "square:id:13b867cf-db3d-4b6c-a5b9-8a0a0a0a0a0a"}
    b.verify("valid_sdk_square_python", [key], H(sig), body, ok, request=r, source=SQUARE_SDK)
    b.verify("valid_rotated_secrets_second_matches", [old, key], H(sig), body, {**ok, "key_index": 1}, request=r)
    b.verify("valid_header_name_mixed_case", [key], [["X-Square-HmacSha256-Signature", sig]], body, ok, request=r)
    b.verify("valid_method_is_not_signed", [key], H(sig), body, ok, request=req(SQUARE_URL, "PUT"))
    mismatch = {"ok": False, "error": "signature_mismatch", "header": S.sig}
    b.verify("error_signature_mismatch_tampered_body", [key], H(sig), T(body.text + " "), mismatch, request=r,
             source=SQUARE_SDK)
    b.verify("error_signature_mismatch_other_url", [key], H(sig), body, mismatch, request=req(SQUARE_URL + "/"))
    b.verify("error_signature_mismatch_url_with_port", [key], H(sig), body, mismatch,
             request=req(SQUARE_URL.replace("example.com", "example.com:443")))
    b.verify("error_missing_signature", [key], [], body, {"ok": False, "error": "missing_signature",
                                                          "header": S.sig}, request=r)
    b.verify("error_malformed_signature_hex_not_base64", [key], H(hashlib.sha256(b"x").hexdigest()), body,
             {"ok": False, "error": "malformed_signature", "header": S.sig}, request=r)
    b.verify("error_invalid_argument_no_request_url", [key], H(sig), body, {"ok": False, "error": "invalid_argument"})
    b.sign("sign_sdk_square", key, body, request=r, expect_headers=[[S.sig, sig]], source=SQUARE_SDK)
    return b


HUBSPOT_SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"
HUBSPOT_URI = "https://example.com/hooks/hubspot?portal=62515&note=a:b"
HUBSPOT_BODY = T('[{"eventId":1,"subscriptionId":12345,"portalId":62515,"appId":54321,"occurredAt":1767225590000,'
                 '"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,"changeSource":"CRM",'
                 '"changeFlag":"NEW"}]')
HUBSPOT_SDK = ("hubspot-api-client 12.0.0 (PyPI): hubspot.utils.signature.Signature.get_signature(client_secret, "
               "body, 'v3', uri, 'POST', timestamp) produced this signature; Signature.is_valid accepts the same "
               "request signed at its own clock and rejects the tampered body")
HUBSPOT_SDK_SIG = "vn16ATLGdkBlDimZ/Fp20KaRYXNlfk6GEjRiXZpgqdI="


def gen_hubspot():
    S = SCHEMES["hubspot"]
    b = Builder(S)
    sec, old = HUBSPOT_SECRET, "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
    body = HUBSPOT_BODY

    def content(ts_ms, uri=HUBSPOT_URI, method="POST", bd=body):
        return f"{method}{uri}".encode() + bd.raw() + str(ts_ms).encode()

    def H(sig, ts_ms=NOW * 1000):
        return [[S.sig, sig], [S.ts, str(ts_ms)]]

    ms = NOW * 1000
    sig = b64_hmac(sec, content(ms))
    assert sig == HUBSPOT_SDK_SIG
    r = req(HUBSPOT_URI)
    ok = {"ok": True, "key_index": 0, "timestamp": NOW, "id": None, "event_type": None,
          "dedupe_key": sig_key("hubspot", sec, content(ms))}
    b.verify("valid_sdk_hubspot_python", [sec], H(sig), body, ok, request=r, source=HUBSPOT_SDK)
    b.verify("valid_rotated_secrets_second_matches", [old, sec], H(sig), body,
             {**ok, "key_index": 1, "dedupe_key": sig_key("hubspot", old, content(ms))}, request=r)
    # HubSpot signs the URI with %3A, %2F, %3F, %40, %21, %24, %27, %28, %29, %2A, %2C, %3B decoded.
    b.verify("valid_uri_escapes_decoded_before_signing", [sec], H(sig), body, ok,
             request=req(HUBSPOT_URI.replace("a:b", "a%3Ab")), source=HUBSPOT_SDK)
    other_escape = HUBSPOT_URI + "&q=x%20y"
    b.verify("valid_other_escapes_kept", [sec], H(b64_hmac(sec, content(ms, other_escape))), body,
             {**ok, "dedupe_key": sig_key("hubspot", sec, content(ms, other_escape))}, request=req(other_escape))
    b.verify("valid_299_seconds_old", [sec], H(sig), body, ok, request=r, now=NOW + 299)
    b.verify("valid_millisecond_fraction_signed_as_sent", [sec], H(b64_hmac(sec, content(ms + 999)), ms + 999),
             body, {**ok, "dedupe_key": sig_key("hubspot", sec, content(ms + 999))}, request=r)
    b.verify("valid_put_method_signed", [sec], H(b64_hmac(sec, content(ms, method="PUT"))), body,
             {**ok, "dedupe_key": sig_key("hubspot", sec, content(ms, method="PUT"))}, request=req(HUBSPOT_URI, "PUT"))
    mismatch = {"ok": False, "error": "signature_mismatch", "header": S.sig}
    b.verify("error_signature_mismatch_tampered_body", [sec], H(sig), T(body.text + " "), mismatch, request=r,
             source=HUBSPOT_SDK)
    b.verify("error_signature_mismatch_other_method", [sec], H(sig), body, mismatch, request=req(HUBSPOT_URI, "PUT"))
    b.verify("error_signature_mismatch_other_url", [sec], H(sig), body, mismatch,
             request=req(HUBSPOT_URI.replace("62515", "1")))
    b.verify("error_signature_mismatch_timestamp_changed", [sec], H(sig, ms + 1000), body, mismatch, request=r)
    b.verify("error_timestamp_expired_301_seconds", [sec], H(sig), body,
             {"ok": False, "error": "timestamp_expired", "header": S.ts}, request=r, now=NOW + 301)
    b.verify("error_timestamp_in_future_301_seconds", [sec], H(sig), body,
             {"ok": False, "error": "timestamp_in_future", "header": S.ts}, request=r, now=NOW - 301)
    b.verify("error_missing_timestamp", [sec], [[S.sig, sig]], body,
             {"ok": False, "error": "missing_timestamp", "header": S.ts}, request=r)
    b.verify("error_malformed_timestamp_seconds_with_dot", [sec], [[S.sig, sig], [S.ts, "1767225600.5"]], body,
             {"ok": False, "error": "malformed_timestamp", "header": S.ts}, request=r)
    b.verify("error_missing_signature", [sec], [[S.ts, str(ms)]], body,
             {"ok": False, "error": "missing_signature", "header": S.sig}, request=r)
    b.verify("error_invalid_argument_no_request_url", [sec], H(sig), body, {"ok": False, "error": "invalid_argument"})
    b.sign("sign_sdk_hubspot", sec, body, ts=NOW, request=r, expect_headers=H(sig), source=HUBSPOT_SDK)
    b.sign("sign_decodes_uri_escapes", sec, body, ts=NOW, request=req(HUBSPOT_URI.replace("a:b", "a%3Ab")),
           expect_headers=H(sig))
    return b



GENERATORS = {
    "algoguard": gen_algoguard, "chaindoc": gen_chaindoc, "certifylize": gen_certifylize, "easycart": gen_easycart,
    "aghanim": gen_aghanim, "standard-webhooks": lambda: gen_sw("standard-webhooks"), "svix": lambda: gen_sw("svix"),
    "stripe": gen_stripe, "github": gen_github, "slack": gen_slack, "shopify": gen_shopify, "paddle": gen_paddle,
    "razorpay": gen_razorpay, "coinbase-commerce": gen_coinbase_commerce, "lemon-squeezy": gen_lemon_squeezy,
    "woocommerce": gen_woocommerce, "typeform": gen_typeform, "mux": gen_mux, "calendly": gen_calendly,
    "zoom": gen_zoom, "intercom": gen_intercom, "vercel": gen_vercel, "dropbox": gen_dropbox, "sentry": gen_sentry,
    "pagerduty": gen_pagerduty, "twitch": gen_twitch, "zendesk": gen_zendesk, "box": gen_box,
    "replicate": lambda: gen_alias("replicate"), "clerk": lambda: gen_alias("clerk"),
    "resend": lambda: gen_alias("resend"), "polar": gen_polar,
    "discord": gen_discord, "sendgrid": gen_sendgrid, "docusign": gen_docusign, "linear": gen_linear,
    "openai": gen_openai, "workos": gen_workos, "gocardless": gen_gocardless, "pusher": gen_pusher,
    "twilio": gen_twilio, "square": gen_square, "hubspot": gen_hubspot,
}

COMMENT = ("Generated by tests/vectors/generate.py (do not edit by hand). Signatures computed with Python's "
           "hmac/hashlib/base64, cryptography (ed25519), node (JSON.stringify(JSON.parse(body))) and openssl; "
           "rules from SCHEMES.md; format in tests/vectors/README.md. now = {now} unless a case says otherwise.")


def dump(obj) -> bytes:
    return (json.dumps(obj, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def build_all() -> dict:
    out = {}
    for sid, g in GENERATORS.items():
        b = g()
        out[f"{sid}.json"] = dump({"_comment": COMMENT.format(now=NOW), "scheme": sid, "cases": b.cases})
    out["custom.json"] = dump({"_comment": COMMENT.format(now=NOW) + " One block per custom scheme; case names "
                               "are '<custom id>/<case>'.", "blocks": gen_custom()})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=HERE, help="output directory (default: next to this script)")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    files = build_all()
    for name, data in files.items():
        (a.out / name).write_bytes(data)
    n = sum(len(json.loads(d)["cases"]) if "cases" in json.loads(d) else
            sum(len(x["cases"]) for x in json.loads(d)["blocks"]) for d in files.values())
    print(f"wrote {len(files)} files, {n} cases, to {a.out}")


if __name__ == "__main__":
    main()
