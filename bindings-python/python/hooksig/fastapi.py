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

With ``hooksig.RedisReplayGuard`` (a two-phase marker) the delivery is confirmed after a
successful response; a delivery another request is still processing is answered 409 and a
Redis that does not answer in time 503, both with a ``Retry-After`` header and
``{"detail": {"error": "delivery_in_progress" | "replay_store_unavailable", "message": ...}}``
(the sender retries) rather than a hang or a 500.

Limits: a body over ``limit`` bytes (default 10 MiB, as in the Node integrations) is answered
413 ``{"detail": {"error": "body_too_large", ...}}``: refused from Content-Length, or read
chunk by chunk and abandoned as soon as it passes the limit. A method other than POST is 405
``{"detail": {"error": "method_not_allowed", ...}}`` with ``Allow: POST`` when the route
accepts it (``@app.api_route(path, methods=hooksig.fastapi.METHODS)``); with ``@app.post``
FastAPI itself answers 405 ``{"detail": "Method Not Allowed"}`` with ``Allow: POST``.

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
    InvalidArgument,
    InvalidConfig,
    ReplayGuard,
    ReplayGuardLike,
    VerificationError,
    Verified,
    Verifier,
)
from hooksig._replay import confirm, guard_failure, release

__all__ = ["DEFAULT_LIMIT", "METHODS", "WebhookVerifier"]

#: The default body limit in bytes (10 MiB), the same in every hooksig integration.
DEFAULT_LIMIT = 10 * 1024 * 1024
#: Register a webhook route for these so that other methods get hooksig's JSON 405.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

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
        limit: int = DEFAULT_LIMIT,
    ) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidArgument("limit must be a positive int (bytes)")
        self.verifier = verifier
        self.guard = guard
        self.threadpool_threshold = threadpool_threshold
        self.limit = limit

    async def _drain(self, request: Request) -> None:
        """Reads and discards a body this request will not use (at most 4x the limit), so that a
        sender that writes its whole body before reading sees the answer."""
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > 4 * self.limit:
            return
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > 4 * self.limit:
                return

    async def _body(self, request: Request) -> bytes:
        """The raw body, counted while it is read; 413 as soon as it passes ``limit``."""
        limit = self.limit
        too_large = HTTPException(
            status_code=413,
            detail={
                "error": "body_too_large",
                "message": f"the body exceeds the limit of {limit} bytes",
            },
        )
        # A body over the limit is read on and discarded (never stored) up to 4x the limit,
        # so that a sender that writes its whole body before reading sees the 413 (uvicorn
        # closes the connection on an unread body); beyond that the connection is dropped.
        drain = 4 * limit
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            if int(declared) <= drain:
                async for _ in request.stream():
                    pass
            raise too_large
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                if size > drain:
                    raise too_large
                continue
            chunks.append(chunk)
        if size > limit:
            raise too_large
        body = b"".join(chunks)
        request._body = body
        return body

    async def __call__(self, request: Request) -> Verified:
        if (
            self.guard is not None
            and getattr(request.scope.get("endpoint"), _ONCE, None) is not self
        ):
            raise InvalidConfig(
                "WebhookVerifier(guard=...) needs its endpoint decorated with @webhooks.once "
                "(below @app.post(...)); without it duplicates would not be detected"
            )
        if request.method != "POST":
            await self._drain(request)
            raise HTTPException(
                status_code=405,
                detail={
                    "error": "method_not_allowed",
                    "message": "webhooks are delivered with POST",
                },
                headers={"Allow": "POST"},
            )
        body = await self._body(request)
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
                    release(guard, key)
                else:
                    await run_in_threadpool(release, guard, key)

            async def done(key: str) -> None:
                if not inline:
                    await run_in_threadpool(confirm, guard, key)

            @functools.wraps(endpoint)
            async def once_async(**kwargs: Any) -> Any:
                key = key_of(kwargs)
                try:
                    fresh = await remember(key)
                except InvalidArgument:
                    raise
                except Exception as err:
                    return store_failure(err)
                if not fresh:
                    return duplicate()
                try:
                    result = await endpoint(**kwargs)
                except BaseException:
                    await forget(key)
                    raise
                if failed(result):
                    await forget(key)
                else:
                    await done(key)
                return result

            wrapped: Any = once_async
        else:
            # FastAPI runs a sync endpoint (this wrapper) in its threadpool already.
            @functools.wraps(endpoint)
            def once_sync(**kwargs: Any) -> Any:
                key = key_of(kwargs)
                try:
                    fresh = guard.check_and_remember(key)
                except InvalidArgument:
                    raise
                except Exception as err:
                    return store_failure(err)
                if not fresh:
                    return duplicate()
                try:
                    result = endpoint(**kwargs)
                except BaseException:
                    release(guard, key)
                    raise
                if failed(result):
                    release(guard, key)
                else:
                    confirm(guard, key)
                return result

            wrapped = once_sync
        setattr(wrapped, _ONCE, self)
        result: Endpoint = wrapped
        return result


def duplicate() -> JSONResponse:
    """The answer to a delivery the guard has already seen: 200, so the sender stops retrying."""
    return JSONResponse({"status": "duplicate"}, status_code=200)


def store_failure(err: BaseException) -> JSONResponse:
    """503 replay_store_unavailable (409 delivery_in_progress) with Retry-After: the sender
    retries; the shape of FastAPI's other rejections, ``{"detail": {"error": ...}}``."""
    status, payload, retry_after = guard_failure(err)
    return JSONResponse(
        {"detail": payload}, status_code=status, headers={"Retry-After": str(retry_after)}
    )
