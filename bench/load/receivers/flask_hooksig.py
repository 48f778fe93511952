"""Flask receiver verified by hooksig: examples/flask/app.py without the replay guard.

Served by gunicorn (bench/load/load.py): gunicorn -w 2 --threads 4 flask_hooksig:app
"""

import json
import os

from flask import Flask

import hooksig
from hooksig.flask import verify_webhook

verifier = hooksig.Verifier("algoguard", secret=os.environ["ALGOGUARD_SECRET"])
app = Flask(__name__)


@app.post("/webhooks/algoguard")
@verify_webhook(verifier)
def algoguard(webhook: hooksig.Verified) -> dict[str, object]:
    event = json.loads(webhook.payload)  # the authenticated bytes
    return {"received": webhook.event_type, "id": webhook.id, "fields": len(event)}
