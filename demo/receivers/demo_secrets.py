"""The demo's secrets (set by demo/run.py), shared by the Python demo receivers."""

import os


def secret(scheme: str) -> str:
    key = "DEMO_WHSEC_SECRET" if scheme in ("standard-webhooks", "svix") else "DEMO_TEXT_SECRET"
    return os.environ[key]
