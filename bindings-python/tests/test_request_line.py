"""The request line (``url=``, ``method=``) in the Python API and the integrations.

The schemes' behaviour (Twilio, Square, HubSpot) is the shared vectors' and the receiver
table's; here: the keyword arguments' conversions, ``signs_request_line``, ``public_url``, the
README example, and
each integration (Flask, FastAPI, Starlette and a bare ASGI app, Django) verifying a Twilio form
POST behind a proxy with its ``public_url`` option, refusing it (401) without the option, and
verifying one sent to the URL it sees itself."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import re
import time
from typing import Annotated, Any, Callable

import django_site
import flask
import httpx
import pytest
from fastapi import Depends, FastAPI
from fastapi.responses import Response as FastAPIResponse
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import hooksig
from conftest import BINDING
from hooksig import asgi as hooksig_asgi
from hooksig import fastapi as hooksig_fastapi
from hooksig import flask as hooksig_flask

django_site.configure()

from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.views import View  # noqa: E402

from hooksig import django as hooksig_django  # noqa: E402

TOKEN = "12345678901234567890123456789012"  # a Twilio auth token
PUBLIC = "https://hooks.example.com"
PATH = "/twilio/sms?tenant=acme"
FORM = (
    b"AccountSid=AC0123456789abcdef0123456789abcdef&Body=Hello+%2B+bye+%26+100%25"
    b"&From=%2B14155550100&To=%2B14155550199"
)
RECEIVED = b'{"status":"received","scheme":"twilio","id":null,"event_type":null}'
MISMATCH = b'{"error":"signature_mismatch","message":"no signature matched any secret"}'
verifier = hooksig.Verifier("twilio", secret=TOKEN)
untyped: Any = hooksig


def twilio_headers(url: str) -> dict[str, str]:
    """What Twilio sends for ``FORM`` posted to ``url``."""
    signed = hooksig.sign("twilio", TOKEN, FORM, url=url)
    return {**signed, "Content-Type": "application/x-www-form-urlencoded"}


# --- the API -----------------------------------------------------------------------------------


def test_url_and_method_are_keyword_only_and_none_is_omitted() -> None:
    headers = twilio_headers(PUBLIC + PATH)
    assert verifier.verify(headers, FORM, url=PUBLIC + PATH, method=None).scheme == "twilio"
    assert verifier.verify(headers, FORM, None, url=PUBLIC + PATH, method="POST").id is None
    with pytest.raises(TypeError):
        untyped.Verifier("twilio", secret=TOKEN).verify(headers, FORM, None, PUBLIC + PATH)
    with pytest.raises(TypeError):
        untyped.sign("twilio", TOKEN, FORM, None, None, None, PUBLIC + PATH)
    # Without a URL the schemes that sign it cannot verify: the caller's mistake.
    for url in (None, ""):
        with pytest.raises(hooksig.InvalidArgument) as info:
            verifier.verify(headers, FORM, url=url)
        assert info.value.code == "invalid_argument" and "url" in str(info.value)
    with pytest.raises(hooksig.InvalidArgument):
        hooksig.sign("square", "key", b"{}")


def test_the_url_and_the_method_are_what_is_verified() -> None:
    body = b'[{"eventId":1,"subscriptionType":"contact.creation"}]'
    url = "https://hooks.example.com/hubspot"
    hubspot = hooksig.Verifier("hubspot", secret="client-secret")
    now = int(time.time())
    headers = hubspot.sign(body, now, url=url, method="PUT")
    assert headers == hooksig.sign("hubspot", "client-secret", body, now, url=url, method="PUT")
    assert hubspot.verify(headers, body, url=url, method="PUT").scheme == "hubspot"
    for other_url, other_method in ((url, "POST"), (url + "?x=1", "PUT")):
        with pytest.raises(hooksig.SignatureMismatch):
            hubspot.verify(headers, body, url=other_url, method=other_method)
    # Other schemes ignore the request line.
    github = hooksig.Verifier("github", secret="s")
    signed = hooksig.sign("github", "s", body, url="https://ignored.example.com")
    assert signed == hooksig.sign("github", "s", body)
    assert github.verify(signed, body, url="https://ignored.example.com", method="GET")


def test_receiver_verify_passes_the_request_line() -> None:
    receiver = hooksig.Receiver()
    headers = twilio_headers(PUBLIC + PATH)
    assert isinstance(receiver.verify(verifier, headers, FORM, url=PUBLIC + PATH), hooksig.Verified)
    refused = receiver.verify(verifier, headers, FORM, url="http://127.0.0.1:8000" + PATH)
    assert isinstance(refused, hooksig.Answer) and (refused.status, refused.body) == (401, MISMATCH)
    missing = receiver.verify(verifier, headers, FORM)
    assert isinstance(missing, hooksig.Answer)
    assert json.loads(missing.body)["error"] == "invalid_argument"


def test_readme_example_runs_and_prints_what_it_says() -> None:
    readme = (BINDING / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- request_line [^>]*-->\n```python\n(.*?)```\n", readme, re.DOTALL)
    assert match is not None
    code = match.group(1)
    promised = [line.split("# ")[-1] for line in code.splitlines() if "print(" in line]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README request_line", "exec"), {})
    assert out.getvalue().splitlines() == promised


def test_signs_request_line() -> None:
    for scheme in ("twilio", "square", "hubspot"):
        assert hooksig.Verifier(scheme, secret="k").signs_request_line, scheme
    stripe = hooksig.Verifier("stripe", secret="whsec_x")
    assert not stripe.signs_request_line
    assert hooksig.Verifier.any_of([stripe, verifier]).signs_request_line
    assert not hooksig.Verifier.any_of([stripe]).signs_request_line
    custom = hooksig.custom_scheme("mine", "X-Sig", template="{method} {url}.{body}")
    assert hooksig.Verifier(custom, secret="k").signs_request_line


def test_public_url_joins_with_exactly_one_slash() -> None:
    assert hooksig.public_url(PUBLIC, PATH) == PUBLIC + PATH
    assert hooksig.public_url(PUBLIC + "/", PATH) == PUBLIC + PATH
    assert hooksig.public_url(PUBLIC + "/prefix/", "twilio/sms") == PUBLIC + "/prefix/twilio/sms"


def test_a_public_url_option_that_is_not_a_url_is_invalid_argument() -> None:
    bads: list[Any] = [42, b"https://hooks.example.com", "hooks.example.com"]
    for bad in bads:
        with pytest.raises(hooksig.InvalidArgument):
            hooksig_flask.verify_webhook(verifier, public_url=bad)
        with pytest.raises(hooksig.InvalidArgument):
            hooksig_fastapi.WebhookVerifier(verifier, public_url=bad)
        with pytest.raises(hooksig.InvalidArgument):
            hooksig_asgi.verify_webhook(verifier, public_url=bad)
        with pytest.raises(hooksig.InvalidArgument):
            hooksig_django.verify_webhook(verifier, public_url=bad)


# --- the integrations: (status, body) of a POST to PATH with these headers ----------------------

Post = Callable[[dict[str, str]], tuple[int, bytes]]


def behind_a_proxy(
    proxied: Post, direct: Post, own_base: str, proxied_path: str = PATH, direct_path: str = PATH
) -> None:
    """``proxied``: the integration with ``public_url=PUBLIC``, requested at ``proxied_path``;
    ``direct``: without the option, at ``direct_path``; both see the requests at ``own_base``."""
    assert proxied(twilio_headers(PUBLIC + proxied_path)) == (200, RECEIVED)
    assert proxied(twilio_headers(own_base + proxied_path)) == (401, MISMATCH)
    # Without public_url it verifies against the URL it sees.
    assert direct(twilio_headers(PUBLIC + direct_path)) == (401, MISMATCH)
    assert direct(twilio_headers(own_base + direct_path)) == (200, RECEIVED)


def test_flask() -> None:
    def client(public_url: str | None) -> Post:
        app = flask.Flask("request_line")

        @app.post("/twilio/sms")
        @hooksig_flask.verify_webhook(verifier, public_url=public_url)
        def sms(webhook: hooksig.Verified) -> flask.Response:
            return hooksig_flask.respond(hooksig.Receiver.received(webhook))

        def post(headers: dict[str, str]) -> tuple[int, bytes]:
            resp = app.test_client().post(PATH, data=FORM, headers=headers)
            return resp.status_code, resp.data

        return post

    behind_a_proxy(client(PUBLIC), client(None), "http://localhost")


def asgi_poster(app: Any) -> Post:
    async def send(headers: dict[str, str]) -> tuple[int, bytes]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            resp = await client.post(PATH, content=FORM, headers=headers)
            return resp.status_code, resp.content

    return lambda headers: asyncio.run(send(headers))


# Module-level (FastAPI resolves the annotations, strings here, in the module's namespace).
fastapi_proxied = hooksig_fastapi.WebhookVerifier(verifier, public_url=PUBLIC)
fastapi_direct = hooksig_fastapi.WebhookVerifier(verifier)


@fastapi_proxied.endpoint
async def fastapi_proxied_sms(
    webhook: Annotated[hooksig.Verified, Depends(fastapi_proxied)],
) -> FastAPIResponse:
    return hooksig_fastapi.respond(hooksig.Receiver.received(webhook))


@fastapi_direct.endpoint
async def fastapi_direct_sms(
    webhook: Annotated[hooksig.Verified, Depends(fastapi_direct)],
) -> FastAPIResponse:
    return hooksig_fastapi.respond(hooksig.Receiver.received(webhook))


def test_fastapi() -> None:
    def client(endpoint: Callable[..., Any]) -> Post:
        app = FastAPI()
        app.post("/twilio/sms")(endpoint)
        return asgi_poster(app)

    behind_a_proxy(client(fastapi_proxied_sms), client(fastapi_direct_sms), "http://test")


def test_starlette() -> None:
    def client(public_url: str | None) -> Post:
        @hooksig_asgi.verify_webhook(verifier, public_url=public_url)
        async def sms(request: Request, webhook: hooksig.Verified) -> Response:
            return hooksig_asgi.respond(hooksig.Receiver.received(webhook))

        return asgi_poster(Starlette(routes=[Route("/twilio/sms", sms)]))

    behind_a_proxy(client(PUBLIC), client(None), "http://test")


def test_a_bare_asgi_app() -> None:
    async def app(scope: hooksig_asgi.Scope, receive: Any, send: Any) -> None:
        answer = hooksig.Receiver.received(scope["state"]["webhook"])
        await hooksig_asgi.send_answer(send, answer)

    def client(public_url: str | None) -> Post:
        return asgi_poster(hooksig_asgi.VerifyWebhook(app, verifier, public_url=public_url))

    behind_a_proxy(client(PUBLIC), client(None), "http://test")


@hooksig_django.verify_webhook(verifier, public_url=PUBLIC)
def django_proxied(request: HttpRequest, webhook: hooksig.Verified) -> HttpResponse:
    return hooksig_django.respond(hooksig.Receiver.received(webhook))


@hooksig_django.verify_webhook(verifier)
def django_direct(request: HttpRequest, webhook: hooksig.Verified) -> HttpResponse:
    return hooksig_django.respond(hooksig.Receiver.received(webhook))


class DjangoProxiedView(hooksig_django.WebhookView, View):
    webhook_verifier = verifier
    webhook_public_url = PUBLIC

    def post(self, request: HttpRequest, webhook: hooksig.Verified) -> HttpResponse:
        return hooksig_django.respond(hooksig.Receiver.received(webhook))


django_site.urlpatterns += [
    path("proxied/twilio/sms", django_proxied),
    path("direct/twilio/sms", django_direct),
    path("cbv/twilio/sms", DjangoProxiedView.as_view()),
]
clear_url_caches()


def django_poster(prefix: str) -> Post:
    def post(headers: dict[str, str]) -> tuple[int, bytes]:
        resp = Client().post(
            f"/{prefix}{PATH}", FORM, content_type=headers["Content-Type"], headers=headers
        )
        return resp.status_code, resp.content

    return post


@pytest.mark.parametrize("proxied", ["proxied", "cbv"])
def test_django(proxied: str) -> None:
    own = "http://testserver"
    behind_a_proxy(
        django_poster(proxied), django_poster("direct"), own, f"/{proxied}{PATH}", f"/direct{PATH}"
    )
