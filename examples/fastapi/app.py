"""A FastAPI receiver for AlgoGuard webhooks, verified by hooksig.

Run:  pip install "hooksig[fastapi]" uvicorn
      (from a clone of the repository: pip install "./bindings-python[fastapi]" uvicorn)
      python app.py [port]
Env:  ALGOGUARD_SECRET (default: a demo secret), PORT (default 8000)
"""

import json
import os
import sys
from typing import Annotated

from fastapi import Depends, FastAPI

import hooksig
from hooksig.fastapi import METHODS, WebhookVerifier

verifier = hooksig.Verifier("algoguard", secret=os.environ.get("ALGOGUARD_SECRET", "whsec_demo"))
# Replay protection: a retried delivery answers 200 {"status": "duplicate"} without running the
# handler again (with @webhooks.once below). In memory: one process. Several processes/machines:
#   guard=hooksig.RedisReplayGuard.from_url(REDIS_URL, verifier=verifier)  (hooksig[redis];
#   2 s timeouts: a Redis outage is answered 503 + Retry-After, not a hang)
# Limits: bodies over `limit` (10 MiB, the default) get 413; every method is routed so that a
# GET gets hooksig's 405 {"error":"method_not_allowed",...} with Allow: POST (the same bytes as
# every hooksig integration, not FastAPI's {"detail": ...}).
webhooks = WebhookVerifier(
    verifier, guard=hooksig.ReplayGuard(verifier=verifier), limit=10 * 1024 * 1024
)
app = FastAPI()
handled: list[str] = []  # ids of the deliveries the handler accepted


@app.api_route("/webhooks/algoguard", methods=METHODS)
@webhooks.once
async def algoguard(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> dict[str, object]:
    event = json.loads(webhook.payload)  # the authenticated bytes
    handled.append(webhook.id or "")
    return {"received": webhook.event_type, "id": webhook.id, "fields": len(event)}


if __name__ == "__main__":
    import uvicorn

    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", "8000"))
    uvicorn.run(app, host="127.0.0.1", port=port)
