"""The same FastAPI receiver, verified with the standard library (hmac + compare_digest).

Served by uvicorn (bench/load/load.py): uvicorn fastapi_stdlib:app
"""

import json
from typing import Annotated

from algoguard_stdlib import check
from fastapi import Depends, FastAPI, HTTPException, Request


async def verified_body(request: Request) -> bytes:
    body = await request.body()
    failure = check(request.headers, body)
    if failure is not None:
        code, status = failure
        raise HTTPException(status_code=status, detail={"error": code})
    return body


app = FastAPI()


@app.post("/webhooks/algoguard")
async def algoguard(body: Annotated[bytes, Depends(verified_body)]) -> dict[str, object]:
    event = json.loads(body)
    return {"received": event.get("event"), "id": event.get("id"), "fields": len(event)}
