"""hooksig.django with Django's test client (CSRF checks enforced, as a browser-facing project
has them): the function-view decorator, the class-based view mixin, the body limit and the
refused configurations. The shared table over real HTTP is in test_receiver_cases.py."""

from __future__ import annotations

import json
from typing import Any

import django_site
import pytest

import hooksig

django_site.configure()

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.views import View  # noqa: E402

from hooksig.django import WebhookView, respond, verify_webhook  # noqa: E402

SECRET = "whsec_django_test_secret"
verifier = hooksig.Verifier("github", secret=SECRET)
seen: list[dict[str, Any]] = []
MIB = 1024 * 1024


@verify_webhook(verifier)
def plain(request: HttpRequest, name: str, webhook: hooksig.Verified) -> HttpResponseBase:
    seen.append({"name": name, "event": webhook.event_type, "body": request.body})
    return JsonResponse({"ok": True, "size": len(request.body)})


@verify_webhook(verifier, hooksig.ReplayGuard(verifier=verifier))
def once(request: HttpRequest, webhook: hooksig.Verified) -> HttpResponseBase:
    seen.append({"id": webhook.id})
    if json.loads(webhook.payload).get("fail"):
        return HttpResponse(b"retry me", status=500)
    return respond(hooksig.Receiver.received(webhook))


@verify_webhook(verifier, limit=16)
def tiny(request: HttpRequest, webhook: hooksig.Verified) -> HttpResponseBase:
    return HttpResponse(b"ok")


def unprotected(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok")


class Hook(WebhookView, View):
    webhook_verifier = verifier
    webhook_guard = hooksig.ReplayGuard(verifier=verifier)

    def post(self, request: HttpRequest, kind: str, webhook: hooksig.Verified) -> HttpResponse:
        seen.append({"cbv": kind, "id": webhook.id, "body": request.body})
        return HttpResponse(b"handled", status=202)


django_site.urlpatterns += [
    path("t/plain/<str:name>", plain),
    path("t/once", once),
    path("t/tiny", tiny),
    path("t/unprotected", unprotected),
    path("t/cbv/<str:kind>", Hook.as_view()),
]
clear_url_caches()


def client() -> Client:
    return Client(enforce_csrf_checks=True)


def signed(body: bytes, **kw: Any) -> dict[str, str]:
    return {**hooksig.sign("github", SECRET, body, **kw), "Content-Type": "application/json"}


def post(url: str, body: bytes, headers: dict[str, str]) -> Any:
    return client().post(url, body, content_type="application/json", headers=headers)


@pytest.fixture(autouse=True)
def clear_seen() -> None:
    seen.clear()


def test_the_decorator_passes_webhook_and_the_raw_body_despite_csrf() -> None:
    body = b'{"zen":"Design for failure."}'
    resp = post("/t/plain/a", body, signed(body, event_type="ping"))
    assert resp.status_code == 200, resp.content
    assert resp.json() == {"ok": True, "size": len(body)}
    assert seen == [{"name": "a", "event": "ping", "body": body}]
    # The CSRF middleware is on: a view without the exemption refuses the same POST.
    assert post("/t/unprotected", body, signed(body)).status_code == 403


def test_a_refused_request_gets_the_cores_answer() -> None:
    body = b'{"zen":"Design for failure."}'
    resp = post("/t/plain/a", body + b" ", signed(body))
    assert resp.status_code == 401
    assert resp["Content-Type"] == "application/json"
    assert resp.content == hooksig.Receiver().rejected(hooksig.SignatureMismatch()).body
    resp = client().get("/t/plain/a")
    assert (resp.status_code, resp["Allow"], resp.json()["error"]) == (
        405,
        "POST",
        "method_not_allowed",
    )
    assert seen == []


def test_the_limit_is_hooksigs_not_data_upload_max_memory_size() -> None:
    """3 MiB is over Django's DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MiB) but within hooksig's 10 MiB:
    accepted, and request.body returns it; limit=16 answers 413 for a small body."""
    from django.conf import settings

    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2621440
    body = json.dumps({"pad": "x" * (3 * MIB)}).encode()
    resp = post("/t/plain/big", body, signed(body))
    assert (resp.status_code, resp.json()["size"]) == (200, len(body))
    assert seen[0]["body"] == body
    small = b'{"zen":"Design for failure."}'
    resp = post("/t/tiny", small, signed(small))
    assert (resp.status_code, resp.json()["error"]) == (413, "body_too_large")


def test_the_guard_runs_a_delivery_once_and_releases_a_failure() -> None:
    body = b'{"n":1}'
    headers = signed(body, id="d-1")
    first, again = post("/t/once", body, headers), post("/t/once", body, headers)
    assert (first.status_code, json.loads(first.content)["status"]) == (200, "received")
    assert (again.status_code, json.loads(again.content)) == (200, {"status": "duplicate"})
    failing = b'{"fail":true}'
    headers = signed(failing, id="d-2")
    assert post("/t/once", failing, headers).status_code == 500
    assert post("/t/once", failing, headers).status_code == 500  # released: it ran again
    assert seen == [{"id": "d-1"}, {"id": "d-2"}, {"id": "d-2"}]


def test_the_class_based_view_mixin() -> None:
    body = b'{"n":2}'
    headers = signed(body, id="c-1")
    resp = post("/t/cbv/x", body, headers)
    assert (resp.status_code, resp.content) == (202, b"handled")
    resp = post("/t/cbv/x", body, headers)
    assert (resp.status_code, json.loads(resp.content)) == (200, {"status": "duplicate"})
    resp = client().put("/t/cbv/x", body, content_type="application/json", headers=headers)
    assert (resp.status_code, resp["Allow"]) == (405, "POST")
    resp = post("/t/cbv/x", body, {})
    assert (resp.status_code, resp.json()["error"]) == (400, "missing_signature")
    assert seen == [{"cbv": "x", "id": "c-1", "body": body}]


def test_refused_configurations() -> None:
    with pytest.raises(hooksig.InvalidConfig, match="synchronous views"):

        @verify_webhook(verifier)  # type: ignore[arg-type]
        async def hook(request: HttpRequest, webhook: hooksig.Verified) -> HttpResponse:
            return HttpResponse()

    guard = hooksig.AsyncRedisReplayGuard.__new__(hooksig.AsyncRedisReplayGuard)
    with pytest.raises(hooksig.InvalidConfig, match="synchronous guard"):
        verify_webhook(verifier, guard)  # type: ignore[arg-type]

    class NoVerifier(WebhookView, View):
        pass

    with pytest.raises(hooksig.InvalidConfig, match="webhook_verifier"):
        NoVerifier.as_view()
    with pytest.raises(hooksig.InvalidArgument):
        verify_webhook(verifier, limit=-1)
