"""Demo receiver: every scheme on FastAPI, at /webhooks/<scheme>, with replay protection."""

import os
import sys
from typing import Annotated

import uvicorn
from fastapi import Depends, FastAPI

import hooksig
from hooksig.fastapi import METHODS, WebhookVerifier

app = FastAPI()


def secret(scheme: str) -> str:
    key = "DEMO_WHSEC_SECRET" if scheme in ("standard-webhooks", "svix") else "DEMO_TEXT_SECRET"
    return os.environ[key]


def route(scheme: str) -> None:
    verifier = hooksig.Verifier(scheme, secret=secret(scheme))
    webhooks = WebhookVerifier(verifier, guard=hooksig.ReplayGuard(verifier=verifier))

    # Every method reaches the route, so that a GET gets hooksig's JSON 405 with Allow: POST.
    @app.api_route(f"/webhooks/{scheme}", methods=METHODS)
    @webhooks.once
    async def handle(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> dict[str, object]:
        return {"status": "received", "id": webhook.id, "event_type": webhook.event_type}


for scheme_id in hooksig.schemes():
    route(scheme_id)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
