"""hooksig.asgi in process (httpx's ASGI transport): a bare ASGI app wrapped by
``VerifyWebhook``, Starlette endpoints (async and sync), the guard cycle, and an async guard
that waits on the event loop without blocking it. The shared table under uvicorn is in
test_receiver_cases.py; Starlette with AsyncRedisReplayGuard on a real Redis in test_replay.py."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import hooksig
from hooksig.asgi import Receive, Scope, Send, VerifyWebhook, verify_webhook

SECRET = "whsec_asgi_test_secret"
verifier = hooksig.Verifier("github", secret=SECRET)


def signed(body: bytes, **kw: Any) -> dict[str, str]:
    return {**hooksig.sign("github", SECRET, body, **kw), "Content-Type": "application/json"}


async def request(app: Any, method: str, path: str, body: bytes, headers: dict[str, str]) -> Any:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        return await client.request(method, path, content=body, headers=headers)


def call(app: Any, body: bytes, headers: dict[str, str], method: str = "POST") -> Any:
    return asyncio.run(request(app, method, "/hook", body, headers))


def test_a_bare_asgi_app_sees_only_verified_requests_with_the_body_replayed() -> None:
    seen: list[tuple[str | None, bytes]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        message = await receive()
        seen.append((scope["state"]["webhook"].event_type, message["body"]))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    wrapped = VerifyWebhook(app, verifier)
    body = b'{"zen":"Half measures are as bad as nothing at all."}'
    assert call(wrapped, body, signed(body, event_type="ping")).status_code == 204
    assert seen == [("ping", body)]
    refused = call(wrapped, body + b"\n", signed(body))
    assert (refused.status_code, refused.headers["content-type"]) == (401, "application/json")
    assert refused.content == hooksig.Receiver().rejected(hooksig.SignatureMismatch()).body
    get = call(wrapped, b"", {}, method="GET")
    assert (get.status_code, get.headers["allow"], get.json()["error"]) == (
        405,
        "POST",
        "method_not_allowed",
    )
    assert len(seen) == 1


def test_other_scopes_pass_through() -> None:
    scopes: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scopes.append(scope["type"])

    async def lifespan() -> None:
        async def receive() -> dict[str, Any]:
            return {"type": "lifespan.startup"}

        async def send(message: Any) -> None:
            pass

        await VerifyWebhook(app, verifier)({"type": "lifespan"}, receive, send)

    asyncio.run(lifespan())
    assert scopes == ["lifespan"]


def starlette_app(guard: Any = None) -> tuple[Starlette, list[str]]:
    ran: list[str] = []

    @verify_webhook(verifier, guard)
    async def hook(request: Request, webhook: hooksig.Verified) -> Response:
        ran.append(webhook.id or "")
        body = await request.body()
        assert request.state.webhook is webhook and body == webhook.payload
        if json.loads(body).get("fail"):
            raise RuntimeError("the handler failed (a test)")
        return JSONResponse({"id": webhook.id, "status": json.loads(body).get("status", 200)})

    @verify_webhook(verifier, guard)
    def sync_hook(request: Request, webhook: hooksig.Verified) -> Response:
        ran.append(f"sync:{webhook.id}")
        return Response(b"ok", json.loads(webhook.payload).get("status", 200))

    routes = [
        Route("/hook", hook),
        Route("/sync", sync_hook),
        Route("/only-post", hook, methods=["POST"]),
    ]
    return Starlette(routes=routes), ran


def test_starlette_endpoints_async_and_sync() -> None:
    app, ran = starlette_app()
    body = b'{"n":1}'
    resp = call(app, body, signed(body, id="d-1"))
    assert (resp.status_code, resp.json()) == (200, {"id": "d-1", "status": 200})
    resp = asyncio.run(request(app, "POST", "/sync", body, signed(body, id="d-2")))
    assert (resp.status_code, resp.content) == (200, b"ok")
    # A Route without methods= sends every method to hooksig; with methods=, Starlette answers.
    assert call(app, b"", {}, method="PUT").json()["error"] == "method_not_allowed"
    other = asyncio.run(request(app, "GET", "/only-post", b"", {}))
    assert other.status_code == 405 and other.headers["allow"] == "POST"
    assert ran == ["d-1", "sync:d-2"]
    assert verify_webhook(verifier)(lambda r, w: Response()).__name__ == "<lambda>"


def test_the_guard_cycle() -> None:
    app, ran = starlette_app(hooksig.ReplayGuard(verifier=verifier))
    body = b'{"n":1}'
    headers = signed(body, id="g-1")
    assert call(app, body, headers).status_code == 200
    assert (call(app, body, headers).status_code, call(app, body, headers).json()) == (
        200,
        {"status": "duplicate"},
    )
    # A handler that raises, then one that answers 503: each is released and runs again.
    failing = b'{"fail":true}'
    headers = signed(failing, id="g-2")
    assert [call(app, failing, headers).status_code for _ in range(2)] == [500, 500]
    unavailable = b'{"status":503}'
    headers = signed(unavailable, id="g-3")
    for _ in range(2):
        resp = asyncio.run(request(app, "POST", "/sync", unavailable, headers))
        assert resp.status_code == 503
    assert ran == ["g-1", "g-2", "g-2", "sync:g-3", "sync:g-3"]


class SlowAsyncGuard:
    """An async guard that waits on the event loop until `released` is set by another request:
    a guard that blocked the loop would deadlock this test."""

    def __init__(self) -> None:
        self.released = asyncio.Event()
        self.seen: set[str] = set()

    async def check_and_remember(self, key: str, /) -> bool:
        await self.released.wait()
        new = key not in self.seen
        self.seen.add(key)
        return new

    async def forget(self, key: str, /) -> None:
        self.seen.discard(key)


def test_an_async_guard_is_awaited_without_blocking_the_loop() -> None:
    async def scenario() -> tuple[int, int, int]:
        guard = SlowAsyncGuard()
        app, _ = starlette_app(guard)

        async def release(request: Request) -> Response:
            guard.released.set()
            return Response(b"released")

        app.router.routes.append(Route("/release", release))
        body = b'{"n":1}'
        headers = signed(body, id="a-1")
        waiting = asyncio.ensure_future(request(app, "POST", "/hook", body, headers))
        await asyncio.sleep(0)
        released = await request(app, "GET", "/release", b"", {})
        first = await asyncio.wait_for(waiting, timeout=30)
        again = await request(app, "POST", "/hook", body, headers)
        return released.status_code, first.status_code, len(again.json())

    assert asyncio.run(scenario()) == (200, 200, 1)  # then the retry is a duplicate


def test_limit_is_an_option() -> None:
    app, ran = starlette_app()
    tiny = VerifyWebhook(app, verifier, limit=4)
    body = b'{"n":1}'
    resp = call(tiny, body, signed(body))
    assert (resp.status_code, resp.json()["error"]) == (413, "body_too_large")
    assert ran == []
    for bad in (-1, 1.5, "10", None):
        with pytest.raises(hooksig.InvalidArgument):
            verify_webhook(verifier, limit=bad)  # type: ignore[arg-type]


def test_vendor_handshakes_are_answered_by_the_policy_without_the_handler() -> None:
    calls: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    mid = "e76c6bd4-55c9-4987-8304-da1588d8988b"
    twitch = VerifyWebhook(app, hooksig.Verifier("twitch", secret=SECRET))
    body = b'{"challenge":"pogchamp-kappa","subscription":{"type":"channel.follow"}}'
    headers = {
        **hooksig.sign("twitch", SECRET, body, id=mid),
        "Twitch-Eventsub-Message-Type": "webhook_callback_verification",
    }
    answer = call(twitch, body, headers)
    assert (answer.status_code, answer.text) == (200, "pogchamp-kappa")
    assert answer.headers["content-type"] == "text/plain; charset=utf-8"
    headers["Twitch-Eventsub-Message-Type"] = "notification"
    assert call(twitch, body, headers).status_code == 204  # a notification is the handler's
    slack = VerifyWebhook(app, hooksig.Verifier("slack", secret=SECRET))
    body = b'{"token":"t","challenge":"c-1","type":"url_verification"}'
    answer = call(slack, body, hooksig.sign("slack", SECRET, body))
    assert (answer.status_code, answer.json()) == (200, {"challenge": "c-1"})
    forged = call(slack, body, hooksig.sign("slack", "not-the-secret", body))
    assert forged.status_code == 401
    assert len(calls) == 1
