"""FastAPI integration: ``Depends(webhooks)`` yields the ``Verified`` webhook, where
``webhooks = WebhookVerifier(verifier)`` and the endpoint is wrapped with ``@webhooks.endpoint``
(or ``@webhooks.once``, with a replay guard)::

    webhooks = WebhookVerifier(verifier, guard=hooksig.ReplayGuard(verifier=verifier))

    @app.api_route("/webhooks/algoguard", methods=hooksig.fastapi.METHODS)
    @webhooks.once
    async def algoguard(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> ...: ...

An adapter over the core's receiver policy (``hooksig.Receiver``): the dependency reads the raw
body within the limit and verifies it; the wrapper writes exactly the core's answer (status,
headers, JSON bytes) for a refused request, so the endpoint only ever sees a ``Verified``.
The body is the shared ``{"error":"<code>","message":"<description>"}`` of every hooksig
integration, not FastAPI's ``{"detail": ...}``; ``respond=`` maps it if you want ``detail``.
A ``WebhookVerifier`` whose endpoint is not wrapped refuses to serve (``InvalidConfig``, 500).

With a guard, a delivery already handled is answered 200 ``{"status":"duplicate"}`` without the
endpoint; one in progress elsewhere 409 and an unavailable store 503 (``Retry-After: 30``). An
endpoint that raises (``HTTPException`` included) or returns a ``Response`` with a status
outside 200-299 has failed: the key is released so that the sender's retry runs it again.
Guards other than the in-memory ``ReplayGuard`` (Redis) are called from the threadpool, and so
are verifications of bodies of ``threadpool_threshold`` bytes or more.

FastAPI is not a dependency of hooksig: install ``hooksig[fastapi]``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Literal, TypeVar, cast

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from hooksig import (
    Answer,
    InvalidConfig,
    Receiver,
    ReplayGuard,
    ReplayGuardLike,
    Verified,
    Verifier,
)
from hooksig._replay import (
    AsyncReplayGuardLike,
    GuardAnswer,
    acheck,
    asettle,
    check,
    is_async,
    settle,
)

__all__ = ["DEFAULT_LIMIT", "METHODS", "WebhookVerifier", "respond"]

#: The default body limit in bytes (10 MiB), the core's, the same in every hooksig integration.
DEFAULT_LIMIT: int = Receiver().limit
#: Register a webhook route for these so that other methods get hooksig's JSON 405.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
_WRAPPED = "__hooksig_endpoint__"  # set on a wrapped endpoint: the WebhookVerifier it serves


def respond(answer: Answer) -> Response:
    """The core's answer as a Starlette response: its status, headers and exact body bytes."""
    return Response(answer.body, answer.status, dict(answer.headers), answer.content_type)


class _Refused:
    """What the dependency hands the wrapper instead of a ``Verified``: the answer to write."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer


class WebhookVerifier:
    """A FastAPI dependency: ``webhook: Annotated[Verified, Depends(webhooks)]``."""

    def __init__(
        self,
        verifier: Verifier,
        guard: ReplayGuardLike | AsyncReplayGuardLike | None = None,
        *,
        threadpool_threshold: int = 256 * 1024,
        limit: int = DEFAULT_LIMIT,
        respond: Callable[[Answer], Response] = respond,
    ) -> None:
        self.receiver = Receiver(limit)
        self.verifier = verifier
        self.guard = guard
        self.threadpool_threshold = threadpool_threshold
        self.limit = self.receiver.limit
        self.respond = respond

    async def _body(self, request: Request, keep: bool = True) -> bytes | Answer:
        """The raw body, or the core's 413 / 400 answer. A body over the limit (or one not
        kept) is read on and discarded up to 4x the limit, so that a sender writing its whole
        body before reading sees the answer (uvicorn closes the connection on an unread body);
        beyond that the connection is dropped."""
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in request.stream():
                size += len(chunk)
                if size > 4 * self.limit:
                    break
                if keep and size <= self.limit:
                    chunks.append(chunk)
        except Exception:  # ClientDisconnect, a broken chunked encoding
            return self.receiver.body_read_failed()
        if size > self.limit:
            return self.receiver.body_too_large()
        body = b"".join(chunks)
        request._body = body  # `await request.body()` returns it to the endpoint
        return body

    async def __call__(self, request: Request) -> Verified:
        if getattr(request.scope.get("endpoint"), _WRAPPED, None) is not self:
            raise InvalidConfig(
                "an endpoint that Depends on a WebhookVerifier needs @webhooks.endpoint (or "
                "@webhooks.once) below @app.post(...): only the wrapper can write the answers"
            )
        declared = request.headers.get("content-length", "")
        length = int(declared) if declared.isdigit() else None
        answer = self.receiver.start(request.method, length)
        if answer is not None:
            if length is None or length <= 4 * self.limit:
                await self._body(request, keep=False)  # drained, not kept
            return cast(Verified, _Refused(answer))
        body = await self._body(request)
        if isinstance(body, Answer):
            return cast(Verified, _Refused(body))
        verify = functools.partial(self.receiver.verify, self.verifier, request.headers, body)
        big = len(body) >= self.threadpool_threshold
        result = await run_in_threadpool(verify) if big else verify()
        return result if isinstance(result, Verified) else cast(Verified, _Refused(result))

    def once(self, endpoint: Endpoint) -> Endpoint:
        """``endpoint``, for a ``WebhookVerifier`` with a guard: run at most once per delivery."""
        if self.guard is None:
            raise InvalidConfig("WebhookVerifier.once needs WebhookVerifier(verifier, guard=...)")
        return self.endpoint(endpoint)

    def endpoint(self, endpoint: Endpoint) -> Endpoint:
        """Decorator (below ``@app.post(...)``): writes the core's answer for a refused request
        and drives the guard around the endpoint, which takes this ``WebhookVerifier`` as a
        dependency (exactly one ``Verified`` parameter)."""
        guard, receiver, respond = self.guard, self.receiver, self.respond
        # The in-memory guard is a short lock; an async guard (redis.asyncio) is awaited here;
        # any other (a synchronous Redis client) leaves the event loop.
        inline = guard is None or isinstance(guard, ReplayGuard)
        awaited = is_async(guard)
        # Used only when there is a guard, each in its own branch below.
        async_guard, sync_guard = cast(AsyncReplayGuardLike, guard), cast(ReplayGuardLike, guard)

        async def ask(key: str) -> GuardAnswer:
            if awaited:
                return await acheck(async_guard, key)
            if inline:
                return check(sync_guard, key)
            return await run_in_threadpool(check, sync_guard, key)

        async def finish(key: str, action: Literal["keep", "release"]) -> None:
            if awaited:
                await asettle(async_guard, key, action)
            elif inline:
                settle(sync_guard, key, action)
            else:
                await run_in_threadpool(settle, sync_guard, key, action)

        async def guarded(kwargs: dict[str, Any], run: Callable[[], Any]) -> Any:
            found = [v for v in kwargs.values() if isinstance(v, (Verified, _Refused))]
            if len(found) != 1:
                raise InvalidConfig(
                    f"{endpoint.__qualname__} needs exactly one Verified parameter "
                    f"(Depends on this WebhookVerifier), found {len(found)}"
                )
            if isinstance(found[0], _Refused):
                return respond(found[0].answer)
            if guard is None:
                return await run()
            key = found[0].dedupe_key
            state = await ask(key)
            answer = receiver.guarded(state)
            if answer is not None:
                return respond(answer)
            try:
                result = await run()
            except BaseException:
                await finish(key, receiver.finished(None))
                raise
            # A returned value (not a Response) is serialized with the route's 2xx status.
            status = result.status_code if isinstance(result, Response) else 200
            await finish(key, receiver.finished(status))
            return result

        if inspect.iscoroutinefunction(endpoint):

            @functools.wraps(endpoint)
            async def wrapped(**kwargs: Any) -> Any:
                return await guarded(kwargs, lambda: endpoint(**kwargs))

        else:

            @functools.wraps(endpoint)
            async def wrapped(**kwargs: Any) -> Any:
                return await guarded(kwargs, lambda: run_in_threadpool(endpoint, **kwargs))

        setattr(wrapped, _WRAPPED, self)
        return cast(Endpoint, wrapped)
