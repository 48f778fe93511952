"""The shared receiver table (tests/receivers/cases.json) over real HTTP: Flask under
Werkzeug's server, FastAPI and Starlette (hooksig.asgi) under uvicorn and Django under its
runserver's threaded WSGI server, each in a thread on 127.0.0.1.

Every case gets its own route (``/case/<n>``) with a fresh verifier, guard and limit, i.e. one
fresh receiver per case. The harness handler obeys ``X-Test-Handler``: ``ok`` answers
``Receiver.received``'s body, ``raise`` raises, ``<status>`` answers
``{"status":"handler_status"}`` with that status. Requests are written on a raw socket so that
header names keep their case, headers can repeat, and a large body whose answer comes early
does not hide the answer.
"""

# No `from __future__ import annotations`: FastAPI must see the endpoints' annotations, which
# name a local variable (``Depends(webhooks)``), as objects.
import contextlib
import http.client
import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Callable, TypeVar

import pytest
import uvicorn
from starlette.responses import Response as StarletteResponse
from werkzeug.serving import make_server

import hooksig
from conftest import REPO

CASES_FILE = Path(os.environ.get("HOOKSIG_RECEIVER_CASES", REPO / "tests/receivers/cases.json"))
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]
Calls = dict[int, int]
Handler = Callable[[str, hooksig.Verified], Any]


def body_of(spec: dict[str, Any]) -> bytes:
    if "text" in spec:
        return str(spec["text"]).encode("utf-8")
    if "hex" in spec:
        return bytes.fromhex(spec["hex"])
    return str(spec["repeat"]).encode("utf-8") * int(spec["count"])


def handler_header(handler: Any) -> str:
    if isinstance(handler, dict):
        return str(handler["status"])
    return str(handler or "ok")


def recase(name: str, how: str | None) -> str:
    """``header_case``: upper, lower, or mixed (even positions lower, odd positions upper)."""
    if how == "upper":
        return name.upper()
    if how == "lower":
        return name.lower()
    if how == "mixed":
        return "".join(c.upper() if i % 2 else c.lower() for i, c in enumerate(name))
    assert how is None, how
    return name


def signed_url(case: dict[str, Any], req: dict[str, Any], host: str, path: str) -> str:
    """The URL a request is signed for: ``sign.url``; else the case's ``public_url`` followed by
    the path and query requested; else ``http://<Host><path and query>``."""
    sign = req["sign"] or {}
    if "url" in sign:
        return str(sign["url"])
    if "public_url" in case:
        return hooksig.public_url(str(case["public_url"]), path)
    return f"http://{host}{path}"


def request_headers(
    case: dict[str, Any], req: dict[str, Any], body: bytes, url: str
) -> list[tuple[str, str]]:
    """The signed headers (``sign`` false: none; the schemes that sign the request line are
    signed for ``url`` and the request's method), Content-Type JSON, the overrides (matched in
    any case; None removes), the extra header lines, ``header_case``; then X-Test-Handler."""
    headers: list[tuple[str, str]] = []
    sign = req["sign"]
    if sign is not False:
        signed = hooksig.sign(
            case["scheme"],
            sign.get("secret", case["secret"]),
            body_of(sign["body"]) if "body" in sign else body,
            timestamp=int(time.time()) + int(sign.get("ts_offset", 0)),
            id=sign.get("id"),
            event_type=sign.get("event_type"),
            url=url,
            method=str(req.get("method", "POST")),
        )
        headers += list(signed.items())
    headers.append(("Content-Type", "application/json"))
    for name, value in (req.get("overrides") or {}).items():
        headers = [(n, v) for n, v in headers if n.lower() != name.lower()]
        if value is not None:
            headers.append((name, str(value)))
    extra = [(str(n), str(v)) for n, v in req.get("extra_headers") or []]
    headers = extra + headers if req.get("extra_first") else headers + extra
    how = req.get("header_case")
    headers = [(recase(n, how), v) for n, v in headers]
    return [*headers, ("X-Test-Handler", handler_header(req.get("handler", "ok")))]


def send(port: int, method: str, path: str, headers: list[tuple[str, str]], body: bytes) -> Any:
    """One request on its own connection: (status, lower-case header dict, body bytes). The
    body is written from a thread while the answer is read, so an early answer (413) is seen
    even if the server stops reading; a reset while writing is expected then."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines.append(f"Content-Length: {len(body)}")
    lines += [f"{name}: {value}" for name, value in headers]
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def write() -> None:
        # An OSError: the server answered and closed before reading everything.
        with contextlib.suppress(OSError):
            sock.sendall(head + body)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        resp = http.client.HTTPResponse(sock, method=method)
        resp.begin()
        data = resp.read()
        answer_headers: dict[str, str] = {}
        for name, value in resp.getheaders():
            answer_headers.setdefault(name.lower(), value)
        return resp.status, answer_headers, data
    finally:
        writer.join(timeout=60)
        sock.close()


# --- the harness apps ------------------------------------------------------------------------


HANDLER_STATUS = b'{"status":"handler_status"}'
Out = TypeVar("Out")


#: Makes case ``n``'s guard from its verifier (tests/test_sql.py: the SQL stores); default: the
#: in-memory ``ReplayGuard``.
GuardFactory = Callable[[int, hooksig.Verifier], Any]


def memory_guard(n: int, verifier: hooksig.Verifier) -> Any:
    return hooksig.ReplayGuard(verifier=verifier)


def fresh(
    case: dict[str, Any], n: int = 0, make_guard: GuardFactory = memory_guard
) -> tuple[hooksig.Verifier, Any, int]:
    """A case's receiver: a fresh verifier, guard (``"guard": "memory"``) and limit."""
    verifier = hooksig.Verifier(case["scheme"], secret=case["secret"])
    guard = make_guard(n, verifier) if case.get("guard") == "memory" else None
    return verifier, guard, case.get("limit", hooksig.DEFAULT_BODY_LIMIT)


def outcome(
    how: str,
    webhook: hooksig.Verified,
    respond: Callable[[hooksig.Answer], Out],
    status: Callable[[int], Out],
) -> Out:
    """What the harness handler does for ``X-Test-Handler: how`` (see the module's docstring)."""
    if how == "raise":
        raise RuntimeError("the handler failed (a test)")
    if how == "ok":
        return respond(hooksig.Receiver.received(webhook))
    return status(int(how))


def flask_app(calls: Calls, make_guard: GuardFactory = memory_guard) -> Any:
    import flask

    from hooksig.flask import METHODS, respond, verify_webhook

    app = flask.Flask("receiver_cases")

    def status(code: int) -> flask.Response:
        return flask.Response(HANDLER_STATUS, code, mimetype="application/json")

    def route(n: int, case: dict[str, Any]) -> None:
        verifier, guard, limit = fresh(case, n, make_guard)

        @verify_webhook(verifier, guard, limit=limit, public_url=case.get("public_url"))
        def handle(webhook: hooksig.Verified) -> Any:
            calls[n] += 1
            how = flask.request.headers.get("X-Test-Handler", "ok")
            return outcome(how, webhook, respond, status)

        app.add_url_rule(f"/case/{n}", f"case_{n}", handle, methods=METHODS)

    for n, case in enumerate(CASES):
        route(n, case)
    return app


def starlette_status(code: int) -> StarletteResponse:
    return StarletteResponse(HANDLER_STATUS, code, media_type="application/json")


def fastapi_app(calls: Calls) -> Any:
    from fastapi import Depends, FastAPI, Request
    from fastapi.responses import Response

    from hooksig.fastapi import METHODS, WebhookVerifier, respond

    app = FastAPI()

    def route(n: int, case: dict[str, Any]) -> None:
        verifier, guard, limit = fresh(case)
        webhooks = WebhookVerifier(verifier, guard, limit=limit, public_url=case.get("public_url"))

        async def handle(
            request: Request, webhook: Annotated[hooksig.Verified, Depends(webhooks)]
        ) -> Response:
            calls[n] += 1
            how = request.headers.get("x-test-handler", "ok")
            return outcome(how, webhook, respond, starlette_status)

        app.api_route(f"/case/{n}", methods=METHODS)(webhooks.endpoint(handle))

    for n, case in enumerate(CASES):
        route(n, case)
    return app


def starlette_app(calls: Calls) -> Any:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from hooksig.asgi import respond, verify_webhook

    def route(n: int, case: dict[str, Any]) -> Route:
        verifier, guard, limit = fresh(case)

        @verify_webhook(verifier, guard, limit=limit, public_url=case.get("public_url"))
        async def handle(request: Request, webhook: hooksig.Verified) -> Response:
            calls[n] += 1
            how = request.headers.get("x-test-handler", "ok")
            return outcome(how, webhook, respond, starlette_status)

        return Route(f"/case/{n}", handle)  # no methods=: every method reaches hooksig

    return Starlette(routes=[route(n, case) for n, case in enumerate(CASES)])


def django_routes(calls: Calls) -> list[Any]:
    from django.http import HttpRequest, HttpResponse, HttpResponseBase
    from django.urls import path

    from hooksig.django import respond, verify_webhook

    def status(code: int) -> HttpResponse:
        return HttpResponse(HANDLER_STATUS, status=code, content_type="application/json")

    def route(n: int, case: dict[str, Any]) -> Any:
        verifier, guard, limit = fresh(case)

        @verify_webhook(verifier, guard, limit=limit, public_url=case.get("public_url"))
        def handle(request: HttpRequest, webhook: hooksig.Verified) -> HttpResponseBase:
            calls[n] += 1
            how = request.headers.get("X-Test-Handler", "ok")
            return outcome(how, webhook, respond, status)

        return path(f"case/{n}", handle)

    return [route(n, case) for n, case in enumerate(CASES)]


@pytest.fixture(scope="module")
def flask_server() -> Iterator[tuple[int, Calls]]:
    calls: Calls = dict.fromkeys(range(len(CASES)), 0)
    server = make_server("127.0.0.1", 0, flask_app(calls), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port, calls
    finally:
        server.shutdown()
        thread.join()


def under_uvicorn(make_app: Callable[[Calls], Any]) -> Iterator[tuple[int, Calls]]:
    calls: Calls = dict.fromkeys(range(len(CASES)), 0)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port: int = sock.getsockname()[1]
    config = uvicorn.Config(make_app(calls), log_level="critical")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    end = time.monotonic() + 30  # a start-up deadline, not a timing assertion
    while not server.started:
        assert time.monotonic() < end, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield port, calls
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


@pytest.fixture(scope="module")
def fastapi_server() -> Iterator[tuple[int, Calls]]:
    yield from under_uvicorn(fastapi_app)


@pytest.fixture(scope="module")
def starlette_server() -> Iterator[tuple[int, Calls]]:
    yield from under_uvicorn(starlette_app)


@pytest.fixture(scope="module")
def django_server() -> Iterator[tuple[int, Calls]]:
    import django_site
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.urls import clear_url_caches

    django_site.configure()
    calls: Calls = dict.fromkeys(range(len(CASES)), 0)
    django_site.urlpatterns += django_routes(calls)
    clear_url_caches()
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], calls
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_case(port: int, calls: Calls, n: int) -> None:
    case = CASES[n]
    for step, req in enumerate(case["requests"]):
        method = str(req.get("method", "POST"))
        body = body_of(req.get("body", {"text": ""}))
        path = f"/case/{n}"
        url = signed_url(case, req, f"127.0.0.1:{port}", path)
        headers = request_headers(case, req, body, url)
        status, got_headers, got_body = send(port, method, path, headers, body)
        expect = req["expect"]
        where = f"{case['name']} request {step + 1} ({method}): {got_body[:300]!r}"
        assert status == expect["status"], where
        if "body" in expect:
            want = b"" if method == "HEAD" else str(expect["body"]).encode("utf-8")
            assert got_body == want, where
            # An expected Content-Type (Twitch's text/plain) is compared with the headers below.
            typed = any(k.lower() == "content-type" for k in expect.get("headers") or {})
            if expect["body"] and not typed:
                assert got_headers.get("content-type") == "application/json", where
        for name, value in (expect.get("headers") or {}).items():
            assert got_headers.get(name.lower()) == str(value), f"{where}: header {name}"
        if "handler_calls" in expect:
            assert calls[n] == expect["handler_calls"], f"{where}: handler calls"


IDS = [str(case["name"]) for case in CASES]


# Each framework's server fixture: started on first use, kept for the module.
SERVERS = ["flask_server", "fastapi_server", "starlette_server", "django_server"]


@pytest.mark.parametrize("n", range(len(CASES)), ids=IDS)
@pytest.mark.parametrize("server", SERVERS)
def test_the_table_over_http(request: pytest.FixtureRequest, server: str, n: int) -> None:
    port, calls = request.getfixturevalue(server)
    run_case(port, calls, n)


def test_the_table_covers_the_issue() -> None:
    """The cases are the shared file's (HOOKSIG_RECEIVER_CASES is for trying an edited copy)
    and there are many (a runner must not pass vacuously)."""
    assert CASES_FILE == REPO / "tests/receivers/cases.json" and len(CASES) >= 60
