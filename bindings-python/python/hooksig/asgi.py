"""Starlette and any ASGI app: ``VerifyWebhook(app, verifier)`` wraps an ASGI app so that it only
sees verified deliveries; ``@verify_webhook(verifier)`` turns
``async def hook(request, webhook) -> Response`` into a Starlette endpoint::

    @verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier))
    async def algoguard(request: Request, webhook: hooksig.Verified) -> Response: ...

    app = Starlette(routes=[Route("/webhooks/algoguard", algoguard)])

An adapter over the core's receiver policy (``hooksig.Receiver``): it reads the raw body within
the limit, asks the core, and writes exactly the core's answer for a refused request (a GET to a
``Route`` without ``methods=`` gets the core's 405). A verified request reaches the app with the
body replayed and the ``Verified`` webhook in ``scope["state"]["webhook"]``.

With a guard, a handled delivery is answered 200 ``{"status":"duplicate"}`` without the app, one
in progress elsewhere 409, an unavailable store 503 (``Retry-After: 30``). An app that raises or
starts a response outside 200-299 (or none) releases the key for the sender's retry; the last
body message is held until the guard has recorded the outcome. ``ReplayGuard`` is called inline,
``AsyncRedisReplayGuard`` awaited, any other guard runs in a worker thread (anyio's: asyncio and
trio), as do bodies of ``threadpool_threshold`` bytes or more and ``def`` endpoints. Schemes that
sign the URL get ``scheme://host/path?query`` as received, or ``public_url`` followed by the path
and query behind a proxy. ``hooksig.fastapi`` is built on ``read_body``, ``verify``,
``GuardDriver`` and ``run_once``. Install ``hooksig[starlette]``.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import AsyncIterator, Awaitable, MutableMapping
from typing import TYPE_CHECKING, Any, Callable, Literal, TypeVar, Union
from urllib.parse import quote

import anyio.to_thread

from hooksig._adapter import (
    DEFAULT_LIMIT,
    METHODS,
    check_public_url,
    declared_length,
    request_url,
    url_text,
)
from hooksig._native import Answer, Receiver, ReplayGuard, Verified, Verifier
from hooksig._replay import (
    AsyncReplayGuardLike,
    GuardAnswer,
    ReplayGuardLike,
    failed,
    is_async,
    settle_method,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from hooksig._native import _Headers

__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_THREADPOOL_THRESHOLD",
    "METHODS",
    "GuardDriver",
    "VerifyWebhook",
    "read_body",
    "request_url_of",
    "respond",
    "run_once",
    "send_answer",
    "verify",
    "verify_webhook",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
Handler = Callable[["Request", Verified], Union[Awaitable["Response"], "Response"]]
Result = TypeVar("Result")

#: Bodies this large (256 KiB) or larger are verified in a worker thread.
DEFAULT_THREADPOOL_THRESHOLD = 256 * 1024


async def _offload(call: Callable[[], Result]) -> Result:
    return await anyio.to_thread.run_sync(call)


async def _drain(receiver: Receiver, chunks: AsyncIterator[bytes], keep: bool) -> bytes | Answer:
    """The raw body, or the core's 413 / 400 answer. A body over the limit (or one not kept) is
    read on and discarded up to 4x the limit, so that a sender writing its whole body before
    reading sees the answer (uvicorn closes the connection on an unread body); beyond that the
    connection is dropped."""
    kept: list[bytes] = []
    size = 0
    try:
        async for chunk in chunks:
            size += len(chunk)
            if size > 4 * receiver.limit:
                break
            if keep and size <= receiver.limit:
                kept.append(chunk)
    except Exception:  # the client went away, a broken chunked encoding
        return receiver.body_read_failed()
    if size > receiver.limit:
        return receiver.body_too_large()
    return b"".join(kept)


async def read_body(
    receiver: Receiver, method: str, length: int | None, chunks: AsyncIterator[bytes]
) -> bytes | Answer:
    """The body of a request the core lets through (``Receiver.start``), or the core's answer
    (405, 413, 400). A refused request's body is drained, not kept, if not too large."""
    answer = receiver.start(method, length)
    if answer is None:
        return await _drain(receiver, chunks, keep=True)
    if length is None or length <= 4 * receiver.limit:
        await _drain(receiver, chunks, keep=False)
    return answer


async def verify(
    receiver: Receiver,
    verifier: Verifier,
    headers: _Headers,
    body: bytes,
    threadpool_threshold: int = DEFAULT_THREADPOOL_THRESHOLD,
    *,
    url: str | None = None,
    method: str | None = None,
) -> Verified | Answer:
    """``Receiver.verify``, in a worker thread for a body of ``threadpool_threshold`` or more.
    ``url`` and ``method``: the request line, for a verifier that ``signs_request_line``."""
    call = functools.partial(receiver.verify, verifier, headers, body, url=url, method=method)
    return await _offload(call) if len(body) >= threadpool_threshold else call()


def request_url_of(scope: Scope, public_url: str | None = None) -> str:
    """The URL the sender requested, from an HTTP scope: ``public_url`` followed by the path
    and query as received (``raw_path``, else ``root_path`` + ``path`` re-quoted), or, without
    it, ``scheme://<Host header>`` followed by them."""
    raw: bytes | None = scope.get("raw_path")
    if raw:
        path = url_text(raw)
    else:
        path = quote(scope.get("root_path", "") + scope["path"], safe="/!$&'()*+,;=:@%")
    query = url_text(bytes(scope.get("query_string") or b""))
    if query:
        path = f"{path}?{query}"
    return request_url(public_url, path, lambda: _origin(scope))


def _origin(scope: Scope) -> str:
    """``scheme://host[:port]``: the Host header as received, else the server's address."""
    host = next((v for n, v in scope["headers"] if n.lower() == b"host"), None)
    if host is not None:
        authority = url_text(host)
    else:
        server = scope.get("server") or ("localhost", None)
        authority = server[0] if server[1] is None else f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{authority}"


class GuardDriver:
    """A replay guard of any kind, driven from async code: the in-memory ``ReplayGuard`` (a
    short lock) inline, an async guard (``AsyncRedisReplayGuard``) awaited, any other (a
    synchronous Redis client) in a worker thread."""

    def __init__(self, guard: ReplayGuardLike | AsyncReplayGuardLike) -> None:
        self.guard = guard
        self.awaited = is_async(guard)
        self.inline = isinstance(guard, ReplayGuard)

    async def _call(self, method: Callable[[str], Any], key: str) -> Any:
        if self.awaited:
            return await method(key)
        return method(key) if self.inline else await _offload(functools.partial(method, key))

    async def check(self, key: str) -> GuardAnswer:
        """As ``hooksig._replay.check``: new, duplicate, in progress or unavailable."""
        try:
            return "new" if await self._call(self.guard.check_and_remember, key) else "duplicate"
        except Exception as err:
            return failed(err)

    async def settle(self, key: str, action: Literal["keep", "release"]) -> None:
        """As ``hooksig._replay.settle``: confirm or forget, never raising."""
        method = settle_method(self.guard, action)
        if callable(method):
            with contextlib.suppress(Exception):
                await self._call(method, key)


async def run_once(
    receiver: Receiver,
    guard: GuardDriver | None,
    webhook: Verified,
    run: Callable[[], Awaitable[Result]],
    status_of: Callable[[Result], int | None],
) -> Result | Answer:
    """``await run()`` (the handler) for a verified request; with a guard, at most once per
    delivery, as ``hooksig._adapter.run_once`` (the synchronous integrations') does."""
    if guard is None:
        return await run()
    key = webhook.dedupe_key
    answer = receiver.guarded(await guard.check(key))
    if answer is not None:
        return answer
    try:
        result = await run()
    except BaseException:
        await guard.settle(key, receiver.finished(None))
        raise
    await guard.settle(key, receiver.finished(status_of(result)))
    return result


def respond(answer: Answer) -> Response:
    """The core's answer as a Starlette response: its status, headers and exact body bytes."""
    from starlette.responses import Response

    return Response(answer.body, answer.status, dict(answer.headers), answer.content_type)


async def send_answer(send: Send, answer: Answer) -> None:
    """Writes the core's answer as ASGI messages: its status, headers and exact body bytes."""
    headers = [
        (b"content-length", str(len(answer.body)).encode("latin-1")),
        (b"content-type", answer.content_type.encode("latin-1")),
    ]
    headers += [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in answer.headers]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})


async def _chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ConnectionError("the client disconnected before the body was read")
        yield bytes(message.get("body", b""))
        if not message.get("more_body", False):
            return


class VerifyWebhook:
    """An ASGI app: verifies each HTTP request with ``verifier`` (and, with ``guard``, lets
    each delivery through at most once) before ``app`` sees it; other scopes (lifespan,
    websocket) go to ``app`` untouched. ``limit``: the largest body accepted, in bytes."""

    def __init__(
        self,
        app: ASGIApp,
        verifier: Verifier,
        guard: ReplayGuardLike | AsyncReplayGuardLike | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        threadpool_threshold: int = DEFAULT_THREADPOOL_THRESHOLD,
        public_url: str | None = None,
    ) -> None:
        self.app = app
        self.__name__: str = getattr(app, "__name__", type(self).__name__)  # for Starlette
        self.receiver = Receiver(limit)
        self.verifier = verifier
        self.guard = None if guard is None else GuardDriver(guard)
        self.limit = self.receiver.limit
        self.threadpool_threshold = threadpool_threshold
        self.public_url = check_public_url(public_url)
        # Only the schemes that sign the request line get a URL built.
        self.signs_request_line = verifier.signs_request_line

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw_headers: list[tuple[bytes, bytes]] = list(scope["headers"])
        declared = next((v for n, v in raw_headers if n.lower() == b"content-length"), None)
        length = declared_length(None if declared is None else declared.decode("latin-1"))
        body = await read_body(self.receiver, scope["method"], length, _chunks(receive))
        if isinstance(body, Answer):
            await send_answer(send, body)
            return
        line: dict[str, str] = {}
        if self.signs_request_line:
            line = {"url": request_url_of(scope, self.public_url), "method": scope["method"]}
        webhook = await verify(
            self.receiver, self.verifier, raw_headers, body, self.threadpool_threshold, **line
        )
        if isinstance(webhook, Answer):
            await send_answer(send, webhook)
            return
        scope = {**scope, "state": {**scope.get("state", {}), "webhook": webhook}}
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        statuses: list[int] = []
        held: list[Message] = []  # the response's last message, sent once the guard is settled

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                statuses.append(int(message["status"]))
            last = message["type"] == "http.response.body" and not message.get("more_body")
            if last and self.guard is not None:
                held.append(message)  # so that a retry seen after the answer is a duplicate
            else:
                await send(message)

        async def run() -> int | None:
            await self.app(scope, replay, watch)
            return statuses[0] if statuses else None

        answer = await run_once(self.receiver, self.guard, webhook, run, lambda status: status)
        if isinstance(answer, Answer):
            await send_answer(send, answer)
        for message in held:
            await send(message)


def verify_webhook(
    verifier: Verifier,
    guard: ReplayGuardLike | AsyncReplayGuardLike | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    threadpool_threshold: int = DEFAULT_THREADPOOL_THRESHOLD,
    public_url: str | None = None,
) -> Callable[[Handler], VerifyWebhook]:
    """Decorator of a Starlette endpoint ``async def hook(request, webhook) -> Response`` (or a
    ``def``, run in a worker thread): the result is an ASGI app for ``Route(path, hook)`` that
    calls the endpoint only for a verified delivery (see ``VerifyWebhook``). ``public_url``: the
    public base URL the sender is configured with, for the schemes that sign the URL, behind a
    proxy (default: the URL of the request as received)."""
    receiver = Receiver(limit)  # checks `limit` now, as every integration does
    check_public_url(public_url)

    def decorate(handler: Handler) -> VerifyWebhook:
        from starlette.requests import Request

        awaited = inspect.iscoroutinefunction(handler)

        async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
            request = Request(scope, receive)
            webhook: Verified = scope["state"]["webhook"]
            if awaited:
                response = await handler(request, webhook)  # type: ignore[misc]
            else:
                response = await _offload(functools.partial(handler, request, webhook))
            await response(scope, receive, send)

        wrapped = VerifyWebhook(
            endpoint,
            verifier,
            guard,
            limit=receiver.limit,
            threadpool_threshold=threadpool_threshold,
            public_url=public_url,
        )
        wrapped.__name__ = getattr(handler, "__name__", wrapped.__name__)  # the route's name
        return wrapped

    return decorate
