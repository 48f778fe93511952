"""The Flask, FastAPI, Django and Starlette examples as real servers on 127.0.0.1, sent real
HTTP POSTs.

In-process (Werkzeug's server / uvicorn in a thread) so the tests can see which deliveries the
handler accepted, and once more as `python app.py PORT` subprocesses, exactly as a user runs them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import pytest
import uvicorn
from werkzeug.serving import make_server

import hooksig
from conftest import EXAMPLES, REPO

SECRET = "whsec_receiver_test_secret"
PATH = "/webhooks/algoguard"
Post = Callable[[bytes, dict[str, str]], tuple[int, Any]]


def load_example(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("ALGOGUARD_SECRET", SECRET)
    path = EXAMPLES / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"hooksig_example_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def poster(port: int) -> Post:
    def post(body: bytes, headers: dict[str, str]) -> tuple[int, Any]:
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}{PATH}", data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())

    return post


def error_of(framework: str, payload: Any) -> Any:
    # Every integration answers the core's {"error": code, "message": description}.
    assert set(payload) == {"error", "message"}, (framework, payload)
    return payload["error"]


def body_for(n: int, pad: int = 0) -> bytes:
    doc = {"id": f"evt_{n}", "event": "license.created", "license": "L-1", "pad": "p" * pad}
    return json.dumps(doc).encode()


def exercise(framework: str, post: Post, handled: list[str] | None) -> None:
    json_type = {"Content-Type": "application/json"}

    def sign(body: bytes, **kw: Any) -> dict[str, str]:
        return {**hooksig.sign("algoguard", SECRET, body, **kw), **json_type}

    now = int(time.time())
    status, payload = post(body_for(1), sign(body_for(1)))
    assert status == 200, payload
    assert payload == {"received": "license.created", "id": "evt_1", "fields": 4}

    # The examples run with a replay guard: a retry of evt_1 is answered without the handler.
    status, payload = post(body_for(1), sign(body_for(1)))
    assert (status, payload) == (200, {"status": "duplicate"})

    status, payload = post(body_for(2) + b" ", sign(body_for(2)))
    assert (status, error_of(framework, payload)) == (401, "signature_mismatch")
    # The forged delivery did not use up evt_2's id: the genuine one is handled.
    status, payload = post(body_for(2), sign(body_for(2)))
    assert (status, payload["id"]) == (200, "evt_2")

    status, payload = post(body_for(3), json_type)
    assert (status, error_of(framework, payload)) == (400, "missing_signature")

    stale = sign(body_for(4), timestamp=now - 3600)
    status, payload = post(body_for(4), stale)
    assert (status, error_of(framework, payload)) == (401, "timestamp_expired")

    future = sign(body_for(5), timestamp=now + 3600)
    status, payload = post(body_for(5), future)
    assert (status, error_of(framework, payload)) == (401, "timestamp_in_future")

    bad_ts = {**sign(body_for(6)), "X-AlgoGuard-Timestamp": "soon"}
    status, payload = post(body_for(6), bad_ts)
    assert (status, error_of(framework, payload)) == (400, "malformed_timestamp")

    wrong_secret = {**hooksig.sign("algoguard", "whsec_other", body_for(7)), **json_type}
    status, payload = post(body_for(7), wrong_secret)
    assert (status, error_of(framework, payload)) == (401, "signature_mismatch")

    big = body_for(8, pad=1 << 20)  # 1 MiB: the GIL is released, FastAPI uses its threadpool
    status, payload = post(big, sign(big))
    assert (status, payload["id"]) == (200, "evt_8")

    # The handler ran once for each valid delivery, and only for those (None: another process).
    assert handled is None or handled == ["evt_1", "evt_2", "evt_8"]


def test_flask_example_under_werkzeug(monkeypatch: pytest.MonkeyPatch) -> None:
    app = load_example("flask", monkeypatch)
    server = make_server("127.0.0.1", 0, app.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        exercise("flask", poster(server.port), app.handled)
    finally:
        server.shutdown()
        thread.join()


@pytest.mark.parametrize("framework", ["fastapi", "starlette"])
def test_asgi_example_under_uvicorn(monkeypatch: pytest.MonkeyPatch, framework: str) -> None:
    app = load_example(framework, monkeypatch)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app.app, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        wait_until(lambda: server.started, "uvicorn did not start")
        exercise(framework, poster(port), app.handled)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def test_flask_view_gets_webhook_kwarg_and_g(monkeypatch: pytest.MonkeyPatch) -> None:
    import flask

    from hooksig.flask import verify_webhook

    verifier = hooksig.Verifier("github", secret=SECRET)
    app = flask.Flask("kwarg_test")
    seen: list[tuple[str, str, bool]] = []

    @app.post("/hook/<name>")
    @verify_webhook(verifier)
    def hook(name: str, webhook: hooksig.Verified) -> str:
        seen.append((name, webhook.event_type or "", flask.g.webhook is webhook))
        return "ok"

    @app.post("/async")
    @verify_webhook(verifier)
    async def async_hook(webhook: hooksig.Verified) -> str:
        seen.append(("async", webhook.id or "", True))
        return "ok"

    body = b'{"zen":"Keep it logically awesome."}'
    headers = hooksig.sign("github", SECRET, body, id="d-1", event_type="ping")
    client = app.test_client()
    assert client.post("/hook/x", data=body, headers=headers).status_code == 200
    assert client.post("/async", data=body, headers=headers).status_code == 200
    assert client.post("/hook/y", data=body + b"\n", headers=headers).status_code == 401
    assert seen == [("x", "ping", True), ("async", "d-1", True)]


# --- the examples exactly as a user runs them ---------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_until(ready: Callable[[], bool], message: str, deadline_s: float = 30.0) -> None:
    # A start-up deadline, not a timing assertion: it only bounds a hung start.
    end = time.monotonic() + deadline_s
    while not ready():
        if time.monotonic() > end:
            pytest.fail(message)
        time.sleep(0.05)


def accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def running(framework: str) -> Iterator[int]:
    """``python examples/<framework>/app.py PORT``, as a user runs it: its port."""
    port = free_port()
    script: Path = EXAMPLES / framework / "app.py"
    env = {**os.environ, "ALGOGUARD_SECRET": SECRET}
    proc = subprocess.Popen(
        [sys.executable, str(script), str(port)],
        cwd=script.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(lambda: accepts(port) or proc.poll() is not None, f"{framework} did not start")
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.fixture(params=["flask", "fastapi", "django", "starlette"])
def example_process(request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    with running(str(request.param)) as port:
        yield str(request.param), port


def test_example_runs_as_a_script(example_process: tuple[str, int]) -> None:
    framework, port = example_process
    post = poster(port)
    body = body_for(9)
    headers = hooksig.sign("algoguard", SECRET, body)
    assert post(body, headers) == (
        200,
        {"received": "license.created", "id": "evt_9", "fields": 4},
    )
    status, payload = post(body.replace(b"L-1", b"L-2"), headers)
    assert (status, error_of(framework, payload)) == (401, "signature_mismatch")


def test_django_example_under_runserver() -> None:
    """The whole exercise against the Django example's process (Django allows one settings
    per process, so the example, which configures its own, is not imported here)."""
    with running("django") as port:
        exercise("django", poster(port), None)


# --- the documented limits are the real ones (issue 12, items 3 and 7) --------------------

MIB = 1024 * 1024


def request(port: int, method: str, body: bytes | None, headers: dict[str, str]) -> Any:
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{PATH}", data=body, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return resp.status, resp.headers, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, err.headers, json.loads(err.read())


def sized(event_id: str, size: int) -> tuple[bytes, dict[str, str]]:
    head = json.dumps({"id": event_id, "event": "license.created", "pad": ""}).encode()
    body = head[:-2] + b"x" * (size - len(head)) + b'"}'
    assert len(body) == size
    headers = {"Content-Type": "application/json", **hooksig.sign("algoguard", SECRET, body)}
    return body, headers


def rejection(framework: str, payload: Any) -> Any:
    # Every integration alike: the core's {"error": code, "message": description}.
    assert isinstance(payload.get("message"), str), (framework, payload)
    return payload["error"]


def test_example_limits_and_methods(example_process: tuple[str, int]) -> None:
    """9 MiB signed: accepted; 11 MiB signed: hooksig's 413 JSON; other methods: 405 JSON."""
    framework, port = example_process
    body, headers = sized("evt_9mib", 9 * MIB)
    status, _, payload = request(port, "POST", body, headers)
    assert (status, payload["id"]) == (200, "evt_9mib")
    big, big_headers = sized("evt_11mib", 11 * MIB)
    status, answer_headers, payload = request(port, "POST", big, big_headers)
    assert status == 413
    assert answer_headers["Content-Type"].startswith("application/json")
    assert rejection(framework, payload) == "body_too_large"
    for method in ("GET", "PUT", "DELETE"):
        status, answer_headers, payload = request(
            port, method, None if method == "GET" else body, headers
        )
        assert (status, answer_headers["Allow"]) == (405, "POST"), method
        assert rejection(framework, payload) == "method_not_allowed"


def test_limit_is_an_option(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    import flask
    import httpx
    from fastapi import Depends, FastAPI

    from hooksig.fastapi import WebhookVerifier
    from hooksig.flask import verify_webhook

    verifier = hooksig.Verifier("github", secret=SECRET)
    body = b'{"zen":"Keep it logically awesome."}'
    headers = hooksig.sign("github", SECRET, body, id="d-1", event_type="ping")
    app = flask.Flask("limit_test")

    @app.post("/hook")
    @verify_webhook(verifier, limit=16)
    def hook(webhook: hooksig.Verified) -> str:
        return "ok"

    resp = app.test_client().post("/hook", data=body, headers=headers)
    assert (resp.status_code, resp.get_json()["error"]) == (413, "body_too_large")

    webhooks = WebhookVerifier(verifier, limit=16)
    api = FastAPI()

    @api.post("/hook")
    @webhooks.endpoint
    def fast_hook(webhook: hooksig.Verified = Depends(webhooks)) -> str:  # noqa: B008
        return "ok"

    async def send() -> httpx.Response:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.post("/hook", content=body, headers=headers)

    resp2 = asyncio.run(send())
    assert (resp2.status_code, resp2.json()["error"]) == (413, "body_too_large")
    for bad in (-1, 1.5, "10", True, None, 2**64):
        with pytest.raises(hooksig.InvalidArgument):
            verify_webhook(verifier, limit=bad)  # type: ignore[arg-type]
        with pytest.raises(hooksig.InvalidArgument):
            WebhookVerifier(verifier, limit=bad)  # type: ignore[arg-type]


def test_fastapi_detail_mapping_from_the_readme() -> None:
    """The README's one line for users who want FastAPI's {"detail": ...} shape."""
    import asyncio

    import httpx
    from fastapi import Depends, FastAPI
    from fastapi.responses import JSONResponse

    from hooksig.fastapi import WebhookVerifier

    verifier = hooksig.Verifier("algoguard", secret=SECRET)
    readme = (REPO / "bindings-python" / "README.md").read_text(encoding="utf-8")
    line = 'JSONResponse({"detail": json.loads(a.body)}, a.status, dict(a.headers))'
    assert f"webhooks = WebhookVerifier(verifier, respond=lambda a: {line})" in readme
    webhooks = WebhookVerifier(verifier, respond=lambda a: JSONResponse({"detail": json.loads(a.body)}, a.status, dict(a.headers)))  # fmt: skip  # noqa: E501
    api = FastAPI()

    @api.api_route("/hook", methods=["GET", "POST"])
    @webhooks.endpoint
    def hook(webhook: hooksig.Verified = Depends(webhooks)) -> str:  # noqa: B008
        return "ok"

    async def send(method: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=api)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            return await c.request(method, "/hook", content=b"{}")

    missing = asyncio.run(send("POST"))
    assert (missing.status_code, missing.json()) == (
        400,
        {"detail": {"error": "missing_signature", "message": hooksig.MissingSignature.description}},
    )
    get = asyncio.run(send("GET"))
    assert (get.status_code, get.headers["allow"], get.json()["detail"]["error"]) == (
        405,
        "POST",
        "method_not_allowed",
    )
