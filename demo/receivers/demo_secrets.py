"""The demo's secrets (set by demo/run.py), shared by the Python demo receivers."""

import os


def secret(scheme: str) -> str:
    """The secret of `scheme`: one for every scheme, the one demo/run.py signs with, except where
    DEMO_SECRET_<SCHEME> is set (the public key of discord and sendgrid, whose private half
    demo/run.py signs with)."""
    own = os.environ.get("DEMO_SECRET_" + scheme.upper().replace("-", "_"))
    return own or os.environ["DEMO_SECRET"]
