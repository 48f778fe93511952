"""A Flask receiver for AlgoGuard webhooks, verified by hooksig.

Run:  pip install "hooksig[flask]"
      (from a clone of the repository: pip install "./bindings-python[flask]")
      python app.py [port]
Env:  ALGOGUARD_SECRET (default: a demo secret), PORT (default 8000)
"""

import json
import os
import sys

from flask import Flask

import hooksig
from hooksig.flask import METHODS, verify_webhook

verifier = hooksig.Verifier("algoguard", secret=os.environ.get("ALGOGUARD_SECRET", "whsec_demo"))
app = Flask(__name__)
handled: list[str] = []  # ids of the deliveries the handler accepted


# One line turns on replay protection: a retried delivery answers 200 {"status": "duplicate"}
# without running the handler again. In memory: one process. Several processes or machines:
#   guard=hooksig.RedisReplayGuard.from_url(REDIS_URL, verifier=verifier)  (hooksig[redis];
#   2 s timeouts: a Redis outage is answered 503 + Retry-After, not a hang)
# Limits: bodies over `limit` (10 MiB, the default) get 413 {"error": "body_too_large"}; the
# route takes every method so that a GET gets hooksig's 405 JSON (Allow: POST), not Flask's HTML.
@app.route("/webhooks/algoguard", methods=METHODS)
@verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier), limit=10 * 1024 * 1024)
def algoguard(webhook: hooksig.Verified) -> dict[str, object]:
    event = json.loads(webhook.payload)  # the authenticated bytes
    handled.append(webhook.id or "")
    return {"received": webhook.event_type, "id": webhook.id, "fields": len(event)}


if __name__ == "__main__":
    port = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", "8000"))
    app.run(host="127.0.0.1", port=port)
