"""The same Flask receiver, verified with the standard library (hmac + compare_digest).

Served by gunicorn (bench/load/load.py): gunicorn -w 2 --threads 4 flask_stdlib:app
"""

import json

from algoguard_stdlib import check
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/webhooks/algoguard")
def algoguard():  # type: ignore[no-untyped-def]
    body = request.get_data(cache=True)
    failure = check(request.headers, body)
    if failure is not None:
        code, status = failure
        return jsonify(error=code), status
    event = json.loads(body)
    return {"received": event.get("event"), "id": event.get("id"), "fields": len(event)}
