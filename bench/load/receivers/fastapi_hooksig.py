"""FastAPI receiver verified by hooksig: examples/fastapi/app.py without the replay guard.

Served by uvicorn (bench/load/load.py): uvicorn fastapi_hooksig:app
"""

import json
import os
from typing import Annotated

from fastapi import Depends, FastAPI

import hooksig
from hooksig.fastapi import WebhookVerifier

verifier = hooksig.Verifier("algoguard", secret=os.environ["ALGOGUARD_SECRET"])
webhooks = WebhookVerifier(verifier)
app = FastAPI()


@app.post("/webhooks/algoguard")
@webhooks.endpoint
async def algoguard(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> dict[str, object]:
    event = json.loads(webhook.payload)  # the authenticated bytes
    return {"received": webhook.event_type, "id": webhook.id, "fields": len(event)}
