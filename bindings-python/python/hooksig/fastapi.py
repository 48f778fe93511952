"""FastAPI integration: ``Depends(WebhookVerifier(verifier))`` yields the ``Verified`` webhook.

The dependency reads ``await request.body()`` (the raw bytes) and ``request.headers``. On
failure it raises ``HTTPException`` with the status the core assigns to the code
(``err.http_status``: 400 for a missing or malformed header, 401 for a signature mismatch or a
stale/future timestamp, 500 for an internal error) and ``detail={"error": "<code>"}``, so the
response body is ``{"detail": {"error": "<code>"}}``.

Bodies of ``threadpool_threshold`` bytes or more are verified in Starlette's threadpool (hooksig
releases the GIL while hashing them), so a large delivery does not stall the event loop.

Replay protection: a dependency cannot skip the endpoint or choose its response, so the guard
needs the endpoint wrapped as well::

    webhooks = WebhookVerifier(verifier, guard=hooksig.ReplayGuard(verifier=verifier))

    @app.post("/webhooks/algoguard")
    @webhooks.once
    async def algoguard(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> ...: ...

``once`` records ``webhook.dedupe_key`` in the guard after the dependency verified the request;
a delivery already recorded is answered ``200 {"status": "duplicate"}`` without running the
endpoint. Only verified requests are recorded. If the endpoint raises (``HTTPException``
included) or returns a ``Response`` with a status of 400 or more, the key is forgotten so that
the sender's retry runs it again. A ``WebhookVerifier`` with a guard refuses (``InvalidConfig``,
answered 500) to serve an endpoint that ``once`` did not wrap, so the guard cannot be silently
ignored. Guards other than the in-memory ``hooksig.ReplayGuard`` (Redis: a network round trip)
are called from Starlette's threadpool in async endpoints.

FastAPI is not a dependency of hooksig: install ``hooksig[fastapi]``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from hooksig import (
    InvalidConfig,
    ReplayGuard,
    ReplayGuardLike,
    VerificationError,
    Verified,
    Verifier,
)

__all__ = ["WebhookVerifier"]

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

# The attribute `once` sets on the endpoint it wraps: the WebhookVerifier whose guard it applies.
_ONCE = "__hooksig_once__"


class WebhookVerifier:
    """A FastAPI dependency: ``webhook: Annotated[Verified, Depends(WebhookVerifier(v))]``."""

    def __init__(
        self,
        verifier: Verifier,
        guard: ReplayGuardLike | None = None,
        *,
        threadpool_threshold: int = 256 * 1024,
    ) -> None:
        self.verifier = verifier
        self.guard = guard
        self.threadpool_threshold = threadpool_threshold

    async def __call__(self, request: Request) -> Verified:
        if (
            self.guard is not None
            and getattr(request.scope.get("endpoint"), _ONCE, None) is not self
        ):
            raise InvalidConfig(
                "WebhookVerifier(guard=...) needs its endpoint decorated with @webhooks.once "
                "(below @app.post(...)); without it duplicates would not be detected"
            )
        body = await request.body()
        try:
            if len(body) >= self.threadpool_threshold:
                return await run_in_threadpool(self.verifier.verify, request.headers, body)
            return self.verifier.verify(request.headers, body)
        except VerificationError as err:
            raise HTTPException(status_code=err.http_status, detail={"error": err.code}) from None

    def once(self, endpoint: Endpoint) -> Endpoint:
        """Decorator (below ``@app.post(...)``): run ``endpoint`` at most once per delivery,
        using this verifier's guard. The endpoint must take this ``WebhookVerifier`` as a
        dependency (exactly one ``Verified`` parameter)."""
        guard = self.guard
        if guard is None:
            raise InvalidConfig("WebhookVerifier.once needs WebhookVerifier(verifier, guard=...)")

        def key_of(kwargs: dict[str, Any]) -> str:
            found = [v for v in kwargs.values() if isinstance(v, Verified)]
            if len(found) != 1:
                raise InvalidConfig(
                    f"@once needs exactly one Verified parameter (Depends on this "
                    f"WebhookVerifier) in {endpoint.__qualname__}, found {len(found)}"
                )
            return found[0].dedupe_key

        def failed(result: object) -> bool:
            return isinstance(result, Response) and result.status_code >= 400

        if inspect.iscoroutinefunction(endpoint):
            # The in-memory guard is a short lock; anything else (Redis) leaves the event loop.
            inline = isinstance(guard, ReplayGuard)

            async def remember(key: str) -> bool:
                if inline:
                    return guard.check_and_remember(key)
                return await run_in_threadpool(guard.check_and_remember, key)

            async def forget(key: str) -> None:
                if inline:
                    guard.forget(key)
                else:
                    await run_in_threadpool(guard.forget, key)

            @functools.wraps(endpoint)
            async def once_async(**kwargs: Any) -> Any:
                key = key_of(kwargs)
                if not await remember(key):
                    return duplicate()
                try:
                    result = await endpoint(**kwargs)
                except BaseException:
                    await forget(key)
                    raise
                if failed(result):
                    await forget(key)
                return result

            wrapped: Any = once_async
        else:
            # FastAPI runs a sync endpoint (this wrapper) in its threadpool already.
            @functools.wraps(endpoint)
            def once_sync(**kwargs: Any) -> Any:
                key = key_of(kwargs)
                if not guard.check_and_remember(key):
                    return duplicate()
                try:
                    result = endpoint(**kwargs)
                except BaseException:
                    guard.forget(key)
                    raise
                if failed(result):
                    guard.forget(key)
                return result

            wrapped = once_sync
        setattr(wrapped, _ONCE, self)
        result: Endpoint = wrapped
        return result


def duplicate() -> JSONResponse:
    """The answer to a delivery the guard has already seen: 200, so the sender stops retrying."""
    return JSONResponse({"status": "duplicate"}, status_code=200)
