"""Demo receiver: every scheme on Starlette (hooksig.asgi), at /webhooks/<scheme>, with replay
protection."""

import sys

import uvicorn
from demo_secrets import public_url, secret
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import hooksig
from hooksig.asgi import respond, verify_webhook


def route(scheme: str) -> Route:
    verifier = hooksig.Verifier(scheme, secret=secret(scheme))

    # Every answer is the core's; the handler answers the core's success body, as every demo
    # receiver. The Route has no methods=, so a GET gets the core's 405 with Allow: POST.
    @verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier), public_url=public_url())
    async def handle(request: Request, webhook: hooksig.Verified) -> Response:
        return respond(hooksig.Receiver.received(webhook))

    return Route(f"/webhooks/{scheme}", handle)


app = Starlette(routes=[route(scheme_id) for scheme_id in hooksig.schemes()])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
