"""Replay protection (issue 8): the in-memory ReplayGuard, RedisReplayGuard against a real
redis-server, and the Flask/FastAPI integrations — duplicates answered 200 without the handler,
only verified requests remembered, a failed handler releasing its key.

Expiry is driven by the injectable clock (``now=``), never by sleeping. The Redis server is the
Debian ``redis-server`` binary, started here on a free 127.0.0.1 port and stopped at the end.
"""

# No `from __future__ import annotations`: FastAPI must see the endpoints' annotations, which
# name local variables (``Depends(webhooks)``), as objects.
import asyncio
import inspect
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated, Any, Callable

import flask
import httpx
import pytest
import redis
import redis.asyncio
from fastapi import Depends, FastAPI, HTTPException
from fastapi.responses import JSONResponse
from test_receivers import accepts, free_port, load_example, wait_until
from werkzeug.exceptions import ServiceUnavailable
from werkzeug.serving import make_server

import hooksig
from hooksig import _native
from hooksig.fastapi import WebhookVerifier
from hooksig.flask import verify_webhook

NOW = 1_767_225_600
SECRET = "whsec_receiver_test_secret"  # the one test_receivers.load_example sets
PATH = "/webhooks/algoguard"
DUPLICATE = {"status": "duplicate"}


def delivery(event_id: str, **fields: Any) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"id": event_id, "event": "license.created", **fields}).encode()
    return body, hooksig.sign("algoguard", SECRET, body)


# --- the in-memory guard ------------------------------------------------------------------


# Expiry, eviction and key semantics are the core's (hooksig-core replay::tests); these check
# the conversions: the flag, the injected clock, forget, the accessors.
def test_check_and_remember_forget_with_an_injected_clock() -> None:
    guard = hooksig.ReplayGuard(ttl=300, capacity=10)
    assert (guard.ttl, guard.capacity, len(guard)) == (300, 10, 0)
    assert guard.check_and_remember("github:id:1", now=NOW) is True
    assert guard.check_and_remember("github:id:1", now=NOW + 299) is False
    assert guard.check_and_remember("github:id:1", now=NOW + 300) is True  # clock reaches core
    guard.forget("github:id:1")
    assert len(guard) == 0
    assert guard.check_and_remember("github:id:1", now=NOW + 301) is True
    assert repr(guard) == "ReplayGuard(ttl=300, capacity=10, len=1)"


def test_system_clock_is_the_default() -> None:
    guard = hooksig.ReplayGuard(ttl=60)
    assert guard.check_and_remember("k") is True
    assert guard.check_and_remember("k") is False


def test_ttl_comes_from_the_verifier() -> None:
    timed = hooksig.Verifier("algoguard", secret=SECRET, tolerance=120)
    untimed = hooksig.Verifier("github", secret=SECRET)
    assert timed.replay_ttl == 300  # past + future tolerance + 60 s (the core's default_ttl)
    assert untimed.replay_ttl == 24 * 3600  # no timestamp to bound replays by
    assert hooksig.ReplayGuard(verifier=timed).ttl == 300
    assert hooksig.ReplayGuard(ttl=5, verifier=timed).ttl == 5  # an explicit ttl wins
    default = hooksig.ReplayGuard(verifier=untimed)
    assert default.capacity == _native.DEFAULT_REPLAY_CAPACITY == 100_000
    param = inspect.signature(hooksig.ReplayGuard).parameters["capacity"]
    assert param.default == _native.DEFAULT_REPLAY_CAPACITY


def test_eight_threads_one_key_exactly_one_winner() -> None:
    guard = hooksig.ReplayGuard(ttl=300)
    barrier = threading.Barrier(8)
    wins: list[int] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        mine = sum(guard.check_and_remember(f"k{i}", now=NOW) for i in range(2_000))
        with lock:
            wins.append(mine)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(wins) == 2_000 and len(wins) == 8


def test_both_guards_satisfy_the_protocol() -> None:
    guards: list[hooksig.ReplayGuardLike] = [
        hooksig.ReplayGuard(ttl=1),
        hooksig.RedisReplayGuard(redis.Redis(), ttl=1),  # no connection is made until used
    ]
    assert len(guards) == 2


# --- dedupe keys --------------------------------------------------------------------------


def test_dedupe_key_is_the_id_or_the_signature() -> None:
    body = b'{"id":"evt_7","event":"license.created"}'
    v = hooksig.Verifier("algoguard", secret=SECRET)
    r = v.verify(hooksig.sign("algoguard", SECRET, body, timestamp=NOW), body, now=NOW)
    assert r.dedupe_key == "algoguard:id:evt_7"

    gh = hooksig.Verifier("github", secret=SECRET)
    h = hooksig.sign("github", SECRET, b"{}")  # GitHub's id is a header; none sent here
    key = gh.verify(h, b"{}").dedupe_key
    assert key.startswith("github:sig:") and len(key) == len("github:sig:") + 32
    assert gh.verify(dict(h), b"{}").dedupe_key == key  # a retry: the same key
    other = gh.verify(hooksig.sign("github", SECRET, b"[]"), b"[]").dedupe_key
    assert other != key
    # X-GitHub-Delivery is not signed: it must not change the key (a replay could edit it).
    with_id = hooksig.sign("github", SECRET, b"{}", id="d-1")
    assert gh.verify(with_id, b"{}").dedupe_key == key


# --- Flask integration --------------------------------------------------------------------


def flask_app(guard: hooksig.ReplayGuardLike, outcome: Callable[[str], Any]) -> flask.Flask:
    """A view that records each run, then answers what ``outcome(id)`` says (or raises it)."""
    app = flask.Flask("replay_test")
    verifier = hooksig.Verifier("algoguard", secret=SECRET)
    app.config["runs"] = runs = []

    @app.post(PATH)
    @verify_webhook(verifier, guard=guard)
    def view(webhook: hooksig.Verified) -> Any:
        runs.append(webhook.id)
        result = outcome(webhook.id or "")
        if isinstance(result, BaseException):
            raise result
        return result

    return app


def flask_outcome(event_id: str) -> Any:
    if event_id.startswith("raise"):
        return RuntimeError("the handler failed")
    if event_id.startswith("abort"):
        return ServiceUnavailable()  # what flask.abort(503) raises
    if event_id.startswith("status"):
        return {"ok": False}, int(event_id.split("_")[1])
    return {"ok": True}


def test_flask_duplicates_forgeries_and_failures() -> None:
    guard = hooksig.ReplayGuard(ttl=600)
    app = flask_app(guard, flask_outcome)
    app.testing = False  # let Flask turn a raised exception into a 500, as in production
    client = app.test_client()
    runs: list[str] = app.config["runs"]

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        resp = client.post(PATH, data=body, headers=headers)
        return resp.status_code, resp.get_json(silent=True)

    body, headers = delivery("evt_1")
    assert post(body, headers) == (200, {"ok": True})
    assert post(body, headers) == (200, DUPLICATE)  # the retry: handler not called
    assert runs == ["evt_1"]

    # Forged requests are never remembered: the genuine delivery with that id still runs.
    forged_body, _ = delivery("evt_2", amount=1_000_000)
    _, genuine_headers = delivery("evt_2")
    assert post(forged_body, genuine_headers)[0] == 401
    assert post(delivery("evt_2")[0], {})[0] == 400
    assert len(guard) == 1
    assert post(*delivery("evt_2")) == (200, {"ok": True})

    # A handler that raises (or aborts, or answers >= 400) releases the key: the retry runs.
    expected = {"raise_1": 500, "abort_1": 503, "status_500": 500, "status_422": 422}
    for failing, status in expected.items():
        body, headers = delivery(failing)
        assert post(body, headers)[0] == status
        assert post(body, headers)[0] == status  # run again, not answered as a duplicate
    assert runs == ["evt_1", "evt_2"] + [f for f in expected for _ in range(2)]
    assert len(guard) == 2


# --- FastAPI integration ------------------------------------------------------------------


def fastapi_app(guard: hooksig.ReplayGuardLike, *, sync: bool = False) -> tuple[FastAPI, list[str]]:
    webhooks = WebhookVerifier(hooksig.Verifier("algoguard", secret=SECRET), guard=guard)
    app = FastAPI()
    runs: list[str] = []

    def outcome(webhook: hooksig.Verified) -> Any:
        event_id = webhook.id or ""
        runs.append(event_id)
        if event_id.startswith("raise"):
            raise RuntimeError("the handler failed")
        if event_id.startswith("http"):
            raise HTTPException(status_code=503, detail="try later")
        if event_id.startswith("status"):
            return JSONResponse({"ok": False}, status_code=int(event_id.split("_")[1]))
        return {"ok": True}

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

    return app, runs


def asgi_post(app: FastAPI, *, raise_app_exceptions: bool = False) -> Callable[..., httpx.Response]:
    """POSTs to the app in-process (httpx's ASGI transport; a raised exception is a 500)."""

    async def send(body: bytes, headers: dict[str, str]) -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=raise_app_exceptions)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.post(PATH, content=body, headers=headers)

    return lambda body, headers: asyncio.run(send(body, headers))


@pytest.mark.parametrize("sync", [False, True], ids=["async", "sync"])
def test_fastapi_duplicates_forgeries_and_failures(sync: bool) -> None:
    guard = hooksig.ReplayGuard(ttl=600)
    app, runs = fastapi_app(guard, sync=sync)
    send = asgi_post(app)

    def post(body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        resp = send(body, headers)
        try:
            return resp.status_code, resp.json()
        except ValueError:
            return resp.status_code, resp.text

    body, headers = delivery("evt_1")
    assert post(body, headers) == (200, {"ok": True})
    assert post(body, headers) == (200, DUPLICATE)
    assert runs == ["evt_1"]

    forged_body, _ = delivery("evt_2", amount=1_000_000)
    _, genuine_headers = delivery("evt_2")
    assert post(forged_body, genuine_headers) == (
        401,
        {"error": "signature_mismatch", "message": "no signature matched any secret"},
    )
    assert len(guard) == 1
    assert post(*delivery("evt_2")) == (200, {"ok": True})

    expected = {"raise_1": 500, "http_1": 503, "status_500": 500, "status_409": 409}
    for failing, status in expected.items():
        body, headers = delivery(failing)
        assert post(body, headers)[0] == status
        assert post(body, headers)[0] == status  # released: the retry runs the handler
    assert runs == ["evt_1", "evt_2"] + [f for f in expected for _ in range(2)]
    assert len(guard) == 2


def test_fastapi_guard_misconfigurations_are_loud() -> None:
    verifier = hooksig.Verifier("algoguard", secret=SECRET)
    with pytest.raises(hooksig.InvalidConfig, match="guard="):
        WebhookVerifier(verifier).once(lambda: None)

    # A guard without @once would silently let duplicates through: refused with a 500.
    webhooks = WebhookVerifier(verifier, guard=hooksig.ReplayGuard(ttl=60))
    app = FastAPI()
    runs: list[str] = []

    @app.post(PATH)
    async def unwrapped(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> str:
        runs.append(webhook.id or "")
        return "ok"

    with pytest.raises(hooksig.InvalidConfig, match=r"@webhooks\.endpoint"):
        asgi_post(app, raise_app_exceptions=True)(*delivery("evt_1"))
    assert asgi_post(app)(*delivery("evt_1")).status_code == 500
    assert runs == []


# --- the examples, 8 threads at once on one in-memory guard -------------------------------


def post_json(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{PATH}", data=body, headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as err:
        status, raw = err.code, err.read()
    try:
        return status, json.loads(raw)
    except ValueError:
        return status, raw.decode(errors="replace")


def storm(ports: list[int], deliveries: int, senders_per_port: int) -> list[list[tuple[int, Any]]]:
    """Posts each delivery from ``senders_per_port`` threads per port, all released together;
    returns the responses per delivery."""
    results: list[list[tuple[int, Any]]] = []
    senders = len(ports) * senders_per_port
    with ThreadPoolExecutor(senders) as pool:
        for n in range(deliveries):
            body, headers = delivery(f"evt_storm_{n}")
            barrier = threading.Barrier(senders)

            def send(
                port: int,
                body: bytes = body,
                headers: dict[str, str] = headers,
                barrier: threading.Barrier = barrier,
            ) -> tuple[int, Any]:
                barrier.wait()
                return post_json(port, body, headers)

            futures = [pool.submit(send, p) for p in ports for _ in range(senders_per_port)]
            results.append([f.result() for f in futures])
    return results


def assert_exactly_once(responses: list[tuple[int, Any]]) -> None:
    handled = [r for r in responses if r[1] != DUPLICATE]
    assert all(status == 200 for status, _ in responses), responses
    assert len(handled) == 1, responses


def test_flask_example_eight_threads_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    app = load_example("flask", monkeypatch)
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        results = storm([server.port], deliveries=10, senders_per_port=8)
    finally:
        server.shutdown()
        thread.join()
    for responses in results:
        assert_exactly_once(responses)
    assert sorted(app.handled) == sorted(f"evt_storm_{n}" for n in range(10))


def test_fastapi_example_eight_threads_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    import uvicorn

    app = load_example("fastapi", monkeypatch)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app.app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, "uvicorn did not start")
        results = storm([port], deliveries=10, senders_per_port=8)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
    for responses in results:
        assert_exactly_once(responses)
    assert sorted(app.handled) == sorted(f"evt_storm_{n}" for n in range(10))


# --- Redis: a real redis-server on a free port --------------------------------------------


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail(
            "redis-server is not installed; `make deps` (scripts/install-deps.sh) installs it"
        )
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host="127.0.0.1", port=port)

    def ready() -> bool:
        if proc.poll() is not None:
            pytest.fail(f"redis-server exited with {proc.returncode}")
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        wait_until(ready, "redis-server did not start")
        yield port
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture
def client(redis_port: int) -> Iterator[redis.Redis]:
    c = redis.Redis(host="127.0.0.1", port=redis_port)
    c.flushdb()
    yield c
    c.close()


def test_redis_guard_is_a_two_phase_marker(client: redis.Redis) -> None:
    guard = hooksig.RedisReplayGuard(client, prefix="t1:", ttl=3600, processing_ttl=30)
    assert guard.check_and_remember("github:id:1") is True
    assert client.get("t1:github:id:1") == b"processing"
    remaining = client.ttl("t1:github:id:1")  # the short processing ttl went to Redis as EX
    assert isinstance(remaining, int) and 0 < remaining <= 30
    with pytest.raises(hooksig.DeliveryInProgress):  # not confirmed yet: not a duplicate
        guard.check_and_remember("github:id:1")
    guard.confirm("github:id:1")
    assert client.get("t1:github:id:1") == b"done"
    remaining = client.ttl("t1:github:id:1")  # the full ttl once the handler succeeded
    assert isinstance(remaining, int) and 3500 < remaining <= 3600
    assert guard.check_and_remember("github:id:1") is False
    guard.forget("github:id:1")
    assert client.exists("t1:github:id:1") == 0
    assert guard.check_and_remember("github:id:1") is True
    assert repr(guard) == "RedisReplayGuard(prefix='t1:', ttl=3600, processing_ttl=30)"


def test_redis_guard_ttl_from_the_verifier(client: redis.Redis) -> None:
    verifier = hooksig.Verifier("algoguard", secret=SECRET)
    guard = hooksig.RedisReplayGuard(client, verifier=verifier)
    assert (guard.prefix, guard.ttl) == ("hooksig:replay:", verifier.replay_ttl)
    assert guard.check_and_remember("k")
    guard.confirm("k")
    remaining = client.ttl("hooksig:replay:k")
    assert isinstance(remaining, int) and 0 < remaining <= verifier.replay_ttl


def test_redis_guard_concurrent_threads_one_winner(client: redis.Redis) -> None:
    guard = hooksig.RedisReplayGuard(client, prefix="t2:", ttl=60)
    barrier = threading.Barrier(8)
    wins: list[bool] = []

    def run() -> None:
        barrier.wait()
        try:
            wins.append(guard.check_and_remember("one-key"))
        except hooksig.DeliveryInProgress:  # the others: being processed, retry later
            wins.append(False)

    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(wins) == [False] * 7 + [True]


untyped: Any = hooksig  # the wrong types below are mypy errors too
REDIS_BAD: dict[str, Callable[[], object]] = {
    "no ttl, no verifier": lambda: hooksig.RedisReplayGuard(redis.Redis()),
    "ttl 0": lambda: hooksig.RedisReplayGuard(redis.Redis(), ttl=0),
    "ttl str": lambda: untyped.RedisReplayGuard(redis.Redis(), ttl="60"),
    "ttl bool": lambda: hooksig.RedisReplayGuard(redis.Redis(), ttl=True),
    "prefix bytes": lambda: untyped.RedisReplayGuard(redis.Redis(), prefix=b"x", ttl=1),
    "not a client": lambda: untyped.RedisReplayGuard(object(), ttl=1),
    "verifier str": lambda: untyped.RedisReplayGuard(redis.Redis(), verifier="algoguard"),
    "key bytes": lambda: untyped.RedisReplayGuard(redis.Redis(), ttl=1).check_and_remember(b"k"),
    "asyncio client": lambda: hooksig.RedisReplayGuard(
        redis.asyncio.Redis(), ttl=1
    ).check_and_remember("k"),
}


@pytest.mark.parametrize("call", REDIS_BAD.values(), ids=REDIS_BAD.keys())
def test_redis_guard_argument_errors(call: Callable[[], object]) -> None:
    with pytest.raises(hooksig.InvalidArgument):
        call()


@pytest.fixture(params=["flask", "fastapi", "django", "starlette"])
def two_receivers(
    request: pytest.FixtureRequest, redis_port: int, client: redis.Redis, tmp_path: Path
) -> Iterator[tuple[list[int], str]]:
    """Two receiver processes with a RedisReplayGuard each, on the same Redis and prefix."""
    framework = str(request.param)
    prefix = f"two-{framework}:"
    script = Path(__file__).with_name("replay_receiver.py")
    env = {**os.environ, "ALGOGUARD_SECRET": SECRET}
    procs: list[subprocess.Popen[bytes]] = []
    ports: list[int] = []
    try:
        for i in range(2):
            port = free_port()
            log = (tmp_path / f"{framework}-{i}.log").open("wb")
            procs.append(
                subprocess.Popen(
                    [sys.executable, str(script), framework, str(port), str(redis_port), prefix],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            ports.append(port)
        for i, (proc, port) in enumerate(zip(procs, ports)):
            wait_until(
                lambda: accepts(port) or proc.poll() is not None,  # noqa: B023 (waited on now)
                f"{framework} receiver did not start",
            )
            assert proc.poll() is None, (tmp_path / f"{framework}-{i}.log").read_text()
        yield ports, prefix
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(timeout=30)


def in_progress(payload: Any) -> bool:
    """The core's {"error": "delivery_in_progress", ...} (every integration alike)."""
    return isinstance(payload, dict) and payload.get("error") == "delivery_in_progress"


def test_two_processes_one_redis_the_handler_runs_once(
    two_receivers: tuple[list[int], str], client: redis.Redis
) -> None:
    ports, prefix = two_receivers
    assert ports[0] != ports[1]

    # The same delivery to both processes at once (4 senders each): exactly one handler run.
    results = storm(ports, deliveries=12, senders_per_port=4)
    for n, responses in enumerate(results):
        # One run; the other copies are duplicates (200) or, while it runs, 409 in progress.
        handled = [r for r in responses if r[0] == 200 and r[1] != DUPLICATE]
        assert len(handled) == 1, responses
        assert all(r[0] == 200 or in_progress(r[1]) for r in responses), responses
        assert client.get(f"{prefix}handled:evt_storm_{n}") == b"1"

    # Delivered to A, retried to B: B answers duplicate without running the handler.
    body, headers = delivery("evt_retry")
    assert post_json(ports[0], body, headers)[1]["handled"] == "evt_retry"
    assert post_json(ports[1], body, headers) == (200, DUPLICATE)
    assert client.get(f"{prefix}handled:evt_retry") == b"1"
    remaining = client.ttl(f"{prefix}algoguard:id:evt_retry")
    replay_ttl = hooksig.Verifier("algoguard", secret=SECRET).replay_ttl
    assert isinstance(remaining, int) and 0 < remaining <= replay_ttl

    # A forged request is never remembered: the genuine one, sent to the other process, runs.
    genuine, headers = delivery("evt_forged")
    forged = genuine.replace(b"license.created", b"license.revoked")
    assert post_json(ports[0], forged, headers)[0] == 401
    assert client.exists(f"{prefix}algoguard:id:evt_forged") == 0
    assert post_json(ports[1], genuine, headers)[1]["handled"] == "evt_forged"

    # The handler fails in A: the key is released, and the sender's retry to B succeeds.
    body, headers = delivery("evt_fails", fail_first=True)
    assert post_json(ports[0], body, headers)[0] == 500
    assert client.exists(f"{prefix}algoguard:id:evt_fails") == 0
    assert post_json(ports[1], body, headers)[1]["handled"] == "evt_fails"
    assert post_json(ports[0], body, headers) == (200, DUPLICATE)
    assert client.get(f"{prefix}attempts:evt_fails") == b"2"
    assert client.get(f"{prefix}handled:evt_fails") == b"1"
