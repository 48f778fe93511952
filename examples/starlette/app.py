"""A Starlette receiver for AlgoGuard webhooks, verified by hooksig.

Run:  pip install "hooksig[starlette]" uvicorn
      (from a clone of the repository: pip install "./bindings-python[starlette]" uvicorn)
      python app.py [port]
Env:  ALGOGUARD_SECRET (default: a demo secret), PORT (default 8000)
"""

import json
import os
import sys

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import hooksig
from hooksig.asgi import verify_webhook

verifier = hooksig.Verifier("algoguard", secret=os.environ.get("ALGOGUARD_SECRET", "whsec_demo"))
handled: list[str] = []  # ids of the deliveries the handler accepted


# Replay protection: a retried delivery answers 200 {"status": "duplicate"} without running the
# endpoint again. In memory: one process. Several processes or machines, on the event loop:
#   guard=hooksig.AsyncRedisReplayGuard.from_url(REDIS_URL, verifier=verifier)  (hooksig[redis])
# Limits: bodies over `limit` (10 MiB, the default) get 413 {"error": "body_too_large"}; the
# Route has no methods=, so a GET gets hooksig's 405 JSON (Allow: POST), not Starlette's.
@verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier), limit=10 * 1024 * 1024)
async def algoguard(request: Request, webhook: hooksig.Verified) -> JSONResponse:
    event = json.loads(webhook.payload)  # the authenticated bytes (also `await request.body()`)
    handled.append(webhook.id or "")
    return JSONResponse({"received": webhook.event_type, "id": webhook.id, "fields": len(event)})


app = Starlette(routes=[Route("/webhooks/algoguard", algoguard)])

if __name__ == "__main__":
    import uvicorn

    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", "8000"))
    uvicorn.run(app, host="127.0.0.1", port=port)
