"""The Redis replay guard's fault cases against a real redis-server that this file starts on a
free port, then pauses (SIGSTOP), stops and restarts, through both integrations (Flask,
FastAPI sync and async endpoints, and FastAPI with ``AsyncRedisReplayGuard`` over
``redis.asyncio``):

* a successful delivery runs the handler once, is confirmed (``done``, the verifier's full
  replay window) and its retry is a duplicate;
* the link drops between a failed handler and its ``DEL``: the retry is not answered
  ``duplicate`` (the old guard lost the event that way); it is 409 ``delivery_in_progress``
  until the processing marker expires, then the handler runs;
* a paused Redis: 503 ``replay_store_unavailable`` with ``Retry-After`` within the client's
  socket timeout, not a hang;
* a stopped Redis: 503 + ``Retry-After``; after a restart the delivery is handled once.
"""

import asyncio
import json
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Annotated, Any, Callable

import flask
import httpx
import pytest
import redis
import redis.asyncio
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from redis.backoff import NoBackoff
from redis.retry import Retry
from test_receivers import free_port, wait_until

import hooksig
from hooksig.fastapi import WebhookVerifier
from hooksig.flask import verify_webhook

SECRET = "whsec_redis_faults_py"
PATH = "/webhooks/algoguard"
SOCKET_TIMEOUT = 0.5  # seconds, the client's socket_timeout
PROCESSING_TTL = 1  # seconds
RETRY_AFTER = 7


class RedisProcess:
    """A private redis-server on one port: stop, pause (SIGSTOP), resume, restart."""

    def __init__(self, workdir: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed (scripts/install-deps.sh installs it)")
        self.binary = binary
        self.workdir = workdir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        probe = self.admin()

        def ready() -> bool:
            try:
                return bool(probe.ping())
            except redis.ConnectionError:
                return False

        wait_until(ready, "redis-server did not start")
        probe.close()

    def admin(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def pause(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.resume()
            self.proc.terminate()
            self.proc.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisProcess]:
    proc = RedisProcess(tmp_path)
    try:
        yield proc
    finally:
        proc.stop()


class Link:
    """The redis client as the guard sees it: while ``down``, its DEL never reaches Redis."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.connection_pool = client.connection_pool  # the socket_timeout check reads it
        self.down = False

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self.client.set(*args, **kwargs)

    def get(self, *args: Any) -> Any:
        return self.client.get(*args)

    def delete(self, *args: Any) -> Any:
        if self.down:
            raise redis.ConnectionError("Connection closed by server.")
        return self.client.delete(*args)


class AsyncLink:
    """``Link`` for a ``redis.asyncio`` client."""

    def __init__(self, client: redis.asyncio.Redis) -> None:
        self.client = client
        self.down = False

    def set(self, *args: Any, **kwargs: Any) -> Any:
        return self.client.set(*args, **kwargs)

    def get(self, *args: Any) -> Any:
        return self.client.get(*args)

    async def delete(self, *args: Any) -> Any:
        if self.down:
            raise redis.ConnectionError("Connection closed by server.")
        return await self.client.delete(*args)


class LoopThread:
    """One event loop for every request, as a server has: ``redis.asyncio`` connections belong
    to the loop that opened them."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=60)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


Post = Callable[[bytes, dict[str, str]], tuple[int, Any, "str | None", float]]


def flask_receiver(guard: hooksig.RedisReplayGuard, handler: Callable[[str], None]) -> Post:
    app = flask.Flask(__name__)

    @app.post(PATH)
    @verify_webhook(hooksig.Verifier("algoguard", secret=SECRET), guard=guard)
    def view(webhook: hooksig.Verified) -> Any:
        try:
            handler(webhook.id or "")
        except RuntimeError:
            return {"error": "handler_failed"}, 500
        return {"received": True}

    client = app.test_client()

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, Any, str | None, float]:
        started = time.monotonic()
        resp = client.post(PATH, data=body, headers=headers)
        return (
            resp.status_code,
            resp.get_json(silent=True),
            resp.headers.get("Retry-After"),
            time.monotonic() - started,
        )

    return post


def fastapi_receiver(
    guard: hooksig.RedisReplayGuard | hooksig.AsyncRedisReplayGuard,
    handler: Callable[[str], None],
    *,
    sync: bool,
    run: Callable[[Coroutine[Any, Any, httpx.Response]], httpx.Response] = asyncio.run,
) -> Post:
    webhooks = WebhookVerifier(hooksig.Verifier("algoguard", secret=SECRET), guard=guard)
    app = FastAPI()

    def outcome(webhook: hooksig.Verified) -> Any:
        try:
            handler(webhook.id or "")
        except RuntimeError:
            return JSONResponse({"error": "handler_failed"}, status_code=500)
        return {"received": True}

    if sync:

        @app.post(PATH)
        @webhooks.once
        def sync_view(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> Any:
            return outcome(webhook)

    else:

        @app.post(PATH)
        @webhooks.once
        async def async_view(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> Any:
            return outcome(webhook)

    async def send(body: bytes, headers: dict[str, str]) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.post(PATH, content=body, headers=headers)

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, Any, str | None, float]:
        started = time.monotonic()
        resp = run(send(body, headers))
        try:
            payload = resp.json()
        except ValueError:
            payload = resp.text
        return (
            resp.status_code,
            payload,
            resp.headers.get("retry-after"),
            time.monotonic() - started,
        )

    return post


def delivery(event_id: str) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"id": event_id, "event": "license.created"}).encode()
    return body, hooksig.sign("algoguard", SECRET, body)


def retry_until_handled(post: Post, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    """The sender's retries, every 0.25 s for at most 10 s, until a 2xx."""
    seen = []
    for _ in range(40):
        status, payload, _, _ = post(body, headers)
        seen.append(status)
        if status == 200:
            return status, payload
        assert status in (409, 503), (status, payload)
        time.sleep(0.25)
    pytest.fail(f"never handled: {seen}")


@pytest.mark.parametrize(
    "integration", ["flask", "fastapi-async", "fastapi-sync", "fastapi-redis-asyncio"]
)
def test_redis_fault_cases(server: RedisProcess, integration: str) -> None:
    options: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": server.port,
        "socket_timeout": SOCKET_TIMEOUT,
        "socket_connect_timeout": SOCKET_TIMEOUT,
        "retry": Retry(NoBackoff(), 0),  # what the guard's docs recommend: one attempt
    }
    verifier = hooksig.Verifier("algoguard", secret=SECRET)
    # retry_after: the guard's own hint; the receivers answer the core's 30.
    settings: dict[str, Any] = {
        "verifier": verifier,
        "processing_ttl": PROCESSING_TTL,
        "retry_after": RETRY_AFTER,
    }
    loop = LoopThread() if integration == "fastapi-redis-asyncio" else None
    link: Link | AsyncLink
    guard: hooksig.RedisReplayGuard | hooksig.AsyncRedisReplayGuard
    if loop is None:
        client: Any = redis.Redis(**options)
        link = Link(client)
        guard = hooksig.RedisReplayGuard(link, **settings)
    else:
        client = redis.asyncio.Redis(**options)
        link = AsyncLink(client)
        # No socket timeout needed: the guard bounds every command itself.
        guard = hooksig.AsyncRedisReplayGuard(link, command_timeout=SOCKET_TIMEOUT, **settings)
    assert guard.prefix == "hooksig:replay:"
    assert guard.ttl == verifier.replay_ttl  # the core's replay window
    attempts: dict[str, int] = {}
    handled: dict[str, int] = {}
    mode = {"fail_and_drop_link": False}

    def handler(event_id: str) -> None:
        attempts[event_id] = attempts.get(event_id, 0) + 1
        if mode["fail_and_drop_link"] and attempts[event_id] == 1:
            link.down = True  # the link drops before the DEL
            raise RuntimeError("the handler failed")
        handled[event_id] = handled.get(event_id, 0) + 1

    if integration == "flask":
        assert isinstance(guard, hooksig.RedisReplayGuard)
        post = flask_receiver(guard, handler)
    elif loop is not None:
        post = fastapi_receiver(guard, handler, sync=False, run=loop.run)
    else:
        post = fastapi_receiver(guard, handler, sync=integration == "fastapi-sync")
    admin = server.admin()

    # 1. A delivery: handled once, confirmed for the full window; its retry is a duplicate.
    body, headers = delivery("evt_ok")
    assert post(body, headers)[:2] == (200, {"received": True})
    assert admin.get("hooksig:replay:algoguard:id:evt_ok") == b"done"
    ttl = admin.ttl("hooksig:replay:algoguard:id:evt_ok")
    assert isinstance(ttl, int) and PROCESSING_TTL < ttl <= verifier.replay_ttl
    assert post(body, headers)[:2] == (200, {"status": "duplicate"})
    assert handled == {"evt_ok": 1}

    # 2. The link drops between the failed handler and its DEL.
    mode["fail_and_drop_link"] = True
    body, headers = delivery("evt_lost_del")
    assert post(body, headers)[0] == 500
    link.down = False
    mode["fail_and_drop_link"] = False
    status, payload, retry_after, _ = post(body, headers)
    # Not `duplicate` (that 200 lost the event): in progress, the sender retries.
    assert (status, payload["error"], retry_after) == (409, "delivery_in_progress", "30")
    time.sleep(PROCESSING_TTL + 1.1)
    assert post(body, headers)[:2] == (200, {"received": True})
    assert (attempts["evt_lost_del"], handled["evt_lost_del"]) == (2, 1)

    # 3. A paused Redis: 503 + Retry-After within the socket timeout, not a hang.
    server.pause()
    try:
        body, headers = delivery("evt_paused")
        status, payload, retry_after, took = post(body, headers)
    finally:
        server.resume()
    assert (status, payload["error"], retry_after) == (503, "replay_store_unavailable", "30")
    assert took < SOCKET_TIMEOUT + 2, f"answered after {took:.2f} s"
    assert "evt_paused" not in attempts
    # The resumed Redis may still apply the abandoned SET NX: the retry is "in progress"
    # (409) until that marker expires, never a duplicate; the handler runs exactly once.
    assert retry_until_handled(post, body, headers)[0] == 200
    assert handled["evt_paused"] == 1

    # 4. A stopped Redis: 503 + Retry-After; after a restart the delivery is handled once.
    server.stop()
    body, headers = delivery("evt_stopped")
    status, payload, retry_after, took = post(body, headers)
    assert (status, payload["error"], retry_after) == (503, "replay_store_unavailable", "30")
    assert took < SOCKET_TIMEOUT + 2, f"answered after {took:.2f} s"
    server.start()
    admin = server.admin()
    assert retry_until_handled(post, body, headers)[0] == 200
    assert handled["evt_stopped"] == 1
    assert admin.get("hooksig:replay:algoguard:id:evt_stopped") == b"done"
    admin.close()
    if loop is not None:
        loop.run(client.aclose())
        loop.close()
    else:
        client.close()


def test_a_client_without_socket_timeout_is_warned_about() -> None:
    with pytest.warns(RuntimeWarning, match="socket_timeout"):
        hooksig.RedisReplayGuard(redis.Redis(socket_timeout=None), ttl=60)
    guard = hooksig.RedisReplayGuard.from_url("redis://127.0.0.1:1/0", ttl=60)
    kwargs = guard.client.connection_pool.connection_kwargs
    assert (kwargs["socket_timeout"], kwargs["socket_connect_timeout"]) == (2.0, 2.0)
    assert kwargs["retry"].get_retries() == 0
    # Nothing listens on port 1: a store outage, not a hang or a redis exception.
    with pytest.raises(hooksig.ReplayStoreUnavailable) as info:
        guard.check_and_remember("k")
    assert (info.value.code, info.value.http_status, info.value.retry_after) == (
        "replay_store_unavailable",
        503,
        30,
    )


def test_the_asyncio_guard_is_refused_by_flask_and_refuses_a_sync_client() -> None:
    guard = hooksig.AsyncRedisReplayGuard(redis.asyncio.Redis(), ttl=60)
    with pytest.raises(hooksig.InvalidConfig, match="synchronous guard"):
        verify_webhook(hooksig.Verifier("algoguard", secret=SECRET), guard)  # type: ignore[arg-type]

    class SyncClient:  # answers like redis.Redis, without awaiting
        def set(self, *args: Any, **kwargs: Any) -> bool:
            return True

        get = delete = set

    wrong = hooksig.AsyncRedisReplayGuard(SyncClient(), ttl=60)  # type: ignore[arg-type]
    with pytest.raises(hooksig.InvalidArgument, match=r"redis\.asyncio"):
        asyncio.run(wrong.check_and_remember("k"))
    with pytest.raises(hooksig.InvalidArgument):
        hooksig.AsyncRedisReplayGuard(redis.asyncio.Redis(), ttl=60, command_timeout=0)


def test_the_asyncio_guard_from_url_answers_an_outage_within_its_timeout() -> None:
    guard = hooksig.AsyncRedisReplayGuard.from_url("redis://127.0.0.1:1/0", ttl=60, timeout=0.5)
    assert guard.command_timeout == 0.5
    started = time.monotonic()
    with pytest.raises(hooksig.ReplayStoreUnavailable) as info:
        asyncio.run(guard.check_and_remember("k"))
    assert time.monotonic() - started < 2.5
    assert (info.value.code, info.value.retry_after) == ("replay_store_unavailable", 30)
