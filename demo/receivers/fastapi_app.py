"""Demo receiver: every scheme on FastAPI, at /webhooks/<scheme>, with replay protection."""

import sys
from typing import Annotated

import uvicorn
from demo_secrets import public_url, secret
from fastapi import Depends, FastAPI, Response

import hooksig
from hooksig.fastapi import METHODS, WebhookVerifier, respond

app = FastAPI()


def route(scheme: str) -> None:
    verifier = hooksig.Verifier(scheme, secret=secret(scheme))
    webhooks = WebhookVerifier(
        verifier, guard=hooksig.ReplayGuard(verifier=verifier), public_url=public_url()
    )

    # Every method reaches the route, so that a GET gets the core's 405 with Allow: POST. Every
    # answer is the core's; the handler answers the core's success body, as every demo receiver.
    @app.api_route(f"/webhooks/{scheme}", methods=METHODS)
    @webhooks.once
    async def handle(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> Response:
        return respond(hooksig.Receiver.received(webhook))


for scheme_id in hooksig.schemes():
    route(scheme_id)

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
