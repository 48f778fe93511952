"""FastAPI integration: ``Depends(webhooks)`` yields the ``Verified`` webhook, where
``webhooks = WebhookVerifier(verifier)`` and the endpoint is wrapped with ``@webhooks.endpoint``
(or ``@webhooks.once``, with a replay guard)::

    webhooks = WebhookVerifier(verifier, guard=hooksig.ReplayGuard(verifier=verifier))

    @app.api_route("/webhooks/algoguard", methods=hooksig.fastapi.METHODS)
    @webhooks.once
    async def algoguard(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> ...: ...

The dependency reads the raw body within the limit and asks the core (``hooksig.Receiver``); the
wrapper writes exactly the core's answer for a refused request (the shared
``{"error":"<code>","message":"<description>"}``, not FastAPI's ``{"detail": ...}``;
``respond=`` maps it), so the endpoint only sees a ``Verified``. A ``WebhookVerifier`` whose
endpoint is not wrapped refuses to serve (``InvalidConfig``, 500). Replay protection, the URL of
the schemes that sign it (``public_url=``) and the worker threads are as in ``hooksig.asgi``; an
endpoint that raises (``HTTPException`` included) or returns a ``Response`` outside 200-299 has
failed. FastAPI is not a dependency of hooksig: install ``hooksig[fastapi]``.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, TypeVar, cast

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from hooksig import Answer, InvalidConfig, Receiver, ReplayGuardLike, Verified, Verifier
from hooksig._adapter import DEFAULT_LIMIT, METHODS, check_public_url, declared_length
from hooksig._replay import AsyncReplayGuardLike
from hooksig.asgi import (
    DEFAULT_THREADPOOL_THRESHOLD,
    GuardDriver,
    read_body,
    request_url_of,
    respond,
    run_once,
    verify,
)

__all__ = ["DEFAULT_LIMIT", "METHODS", "WebhookVerifier", "respond"]

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])
_WRAPPED = "__hooksig_endpoint__"  # set on a wrapped endpoint: the WebhookVerifier it serves


class _Refused:
    """What the dependency hands the wrapper instead of a ``Verified``: the answer to write."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer


class WebhookVerifier:
    """A FastAPI dependency: ``webhook: Annotated[Verified, Depends(webhooks)]``. ``public_url``:
    the public base URL the sender is configured with, for the schemes that sign the URL, behind
    a proxy (default: the URL of the request as received)."""

    def __init__(
        self,
        verifier: Verifier,
        guard: ReplayGuardLike | AsyncReplayGuardLike | None = None,
        *,
        threadpool_threshold: int = DEFAULT_THREADPOOL_THRESHOLD,
        limit: int = DEFAULT_LIMIT,
        respond: Callable[[Answer], Response] = respond,
        public_url: str | None = None,
    ) -> None:
        self.receiver = Receiver(limit)
        self.public_url = check_public_url(public_url)
        # Only the schemes that sign the request line get a URL built.
        self.signs_request_line = verifier.signs_request_line
        self.verifier = verifier
        self.guard = guard
        self.threadpool_threshold = threadpool_threshold
        self.limit = self.receiver.limit
        self.respond = respond

    async def __call__(self, request: Request) -> Verified:
        if getattr(request.scope.get("endpoint"), _WRAPPED, None) is not self:
            raise InvalidConfig(
                "an endpoint that Depends on a WebhookVerifier needs @webhooks.endpoint (or "
                "@webhooks.once) below @app.post(...): only the wrapper can write the answers"
            )
        length = declared_length(request.headers.get("content-length"))
        body = await read_body(self.receiver, request.method, length, request.stream())
        if isinstance(body, Answer):
            return cast(Verified, _Refused(body))
        request._body = body  # `await request.body()` returns it to the endpoint
        line: dict[str, str] = {}
        if self.signs_request_line:
            line = {"url": request_url_of(request.scope, self.public_url), "method": request.method}
        result = await verify(
            self.receiver, self.verifier, request.headers, body, self.threadpool_threshold, **line
        )
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
        receiver, respond = self.receiver, self.respond
        guard = None if self.guard is None else GuardDriver(self.guard)

        async def guarded(kwargs: dict[str, Any], run: Callable[[], Any]) -> Any:
            found = [v for v in kwargs.values() if isinstance(v, (Verified, _Refused))]
            if len(found) != 1:
                raise InvalidConfig(
                    f"{endpoint.__qualname__} needs exactly one Verified parameter "
                    f"(Depends on this WebhookVerifier), found {len(found)}"
                )
            if isinstance(found[0], _Refused):
                return respond(found[0].answer)
            # A returned value (not a Response) is serialized with the route's 2xx status.
            result = await run_once(
                receiver,
                guard,
                found[0],
                run,
                lambda result: result.status_code if isinstance(result, Response) else 200,
            )
            return respond(result) if isinstance(result, Answer) else result

        awaited = inspect.iscoroutinefunction(endpoint)

        @functools.wraps(endpoint)
        async def wrapped(**kwargs: Any) -> Any:
            if awaited:
                return await guarded(kwargs, lambda: endpoint(**kwargs))
            return await guarded(kwargs, lambda: run_in_threadpool(endpoint, **kwargs))

        setattr(wrapped, _WRAPPED, self)
        return cast(Endpoint, wrapped)
