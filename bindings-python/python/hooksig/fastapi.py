"""FastAPI integration: ``Depends(WebhookVerifier(verifier))`` yields the ``Verified`` webhook.

The dependency reads ``await request.body()`` (the raw bytes) and ``request.headers``. On
failure it raises ``HTTPException`` with the status the core assigns to the code
(``err.http_status``: 400 for a missing or malformed header, 401 for a signature mismatch or a
stale/future timestamp, 500 for an internal error) and ``detail={"error": "<code>"}``, so the
response body is ``{"detail": {"error": "<code>"}}``.

Bodies of ``threadpool_threshold`` bytes or more are verified in Starlette's threadpool (hooksig
releases the GIL while hashing them), so a large delivery does not stall the event loop.

FastAPI is not a dependency of hooksig: install ``hooksig[fastapi]``.
"""

from __future__ import annotations

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from hooksig import VerificationError, Verified, Verifier

__all__ = ["WebhookVerifier"]


class WebhookVerifier:
    """A FastAPI dependency: ``webhook: Annotated[Verified, Depends(WebhookVerifier(v))]``."""

    def __init__(self, verifier: Verifier, *, threadpool_threshold: int = 256 * 1024) -> None:
        self.verifier = verifier
        self.threadpool_threshold = threadpool_threshold

    async def __call__(self, request: Request) -> Verified:
        body = await request.body()
        try:
            if len(body) >= self.threadpool_threshold:
                return await run_in_threadpool(self.verifier.verify, request.headers, body)
            return self.verifier.verify(request.headers, body)
        except VerificationError as err:
            raise HTTPException(status_code=err.http_status, detail={"error": err.code}) from None
