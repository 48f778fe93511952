"""The demo's secrets and public URL (set by demo/run.py), shared by the Python demo receivers."""

from __future__ import annotations

import os


def secret(scheme: str) -> str:
    """The secret of `scheme`: one for every scheme, the one demo/run.py signs with, except where
    DEMO_SECRET_<SCHEME> is set (the public key of discord and sendgrid, whose private half
    demo/run.py signs with)."""
    own = os.environ.get("DEMO_SECRET_" + scheme.upper().replace("-", "_"))
    return own or os.environ["DEMO_SECRET"]


def public_url() -> str | None:
    """The public base URL the demo signs the URL-signing schemes (twilio, square, hubspot) for,
    as behind a proxy: DEMO_PUBLIC_URL when set (each receiver's `public_url` option); otherwise
    None, and the receivers read the URL from the request."""
    return os.environ.get("DEMO_PUBLIC_URL") or None
