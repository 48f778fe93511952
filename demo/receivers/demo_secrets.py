"""The demo's secrets (set by demo/run.py), shared by the Python demo receivers."""

import os


def secret(scheme: str) -> str:
    """The secret of `scheme`: one for every scheme, the one demo/run.py signs with."""
    del scheme
    return os.environ["DEMO_SECRET"]
