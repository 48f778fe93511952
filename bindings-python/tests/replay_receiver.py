"""A receiver process for tests/test_replay.py: one of several sharing one Redis.

    python replay_receiver.py flask|fastapi|django|starlette PORT REDIS_PORT PREFIX

Starlette uses ``AsyncRedisReplayGuard`` over ``redis.asyncio`` (awaited on the event loop); the
others ``RedisReplayGuard`` over ``redis.Redis``.

The handler counts its runs in Redis (``<prefix>handled:<id>``), so the test sees the total over
every process. A delivery whose JSON has ``"fail_first": true`` makes the handler raise on its
first attempt (counted in ``<prefix>attempts:<id>``), as a crashing handler would.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Annotated

import redis

import hooksig

framework, port, redis_port, prefix = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
client = redis.Redis(host="127.0.0.1", port=redis_port)
verifier = hooksig.Verifier("algoguard", secret=os.environ["ALGOGUARD_SECRET"])
guard = hooksig.RedisReplayGuard(client, prefix=prefix, verifier=verifier)


def handle(webhook: hooksig.Verified) -> dict[str, object]:
    event = json.loads(webhook.payload)
    attempts = client.incr(f"{prefix}attempts:{webhook.id}")
    if event.get("fail_first") and attempts == 1:
        raise RuntimeError("the handler failed (a test)")
    client.incr(f"{prefix}handled:{webhook.id}")
    return {"handled": webhook.id, "pid": os.getpid()}


if framework == "flask":
    from flask import Flask

    from hooksig.flask import verify_webhook

    flask_app = Flask(__name__)

    @flask_app.post("/webhooks/algoguard")
    @verify_webhook(verifier, guard=guard)
    def flask_view(webhook: hooksig.Verified) -> dict[str, object]:
        return handle(webhook)

    flask_app.run(host="127.0.0.1", port=port, threaded=True)
elif framework == "django":
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line
    from django.http import HttpRequest, JsonResponse
    from django.urls import path

    settings.configure(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["127.0.0.1"], SECRET_KEY="tests")
    django.setup()

    from hooksig.django import verify_webhook as django_verify

    @django_verify(verifier, guard=guard)
    def django_view(request: HttpRequest, webhook: hooksig.Verified) -> JsonResponse:
        return JsonResponse(handle(webhook))

    urlpatterns = [path("webhooks/algoguard", django_view)]
    execute_from_command_line(["django", "runserver", f"127.0.0.1:{port}", "--noreload"])
elif framework == "starlette":
    import redis.asyncio
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from hooksig.asgi import verify_webhook as asgi_verify

    async_guard = hooksig.AsyncRedisReplayGuard(
        redis.asyncio.Redis(host="127.0.0.1", port=redis_port), prefix=prefix, verifier=verifier
    )

    @asgi_verify(verifier, guard=async_guard)
    def starlette_view(request: Request, webhook: hooksig.Verified) -> JSONResponse:
        return JSONResponse(handle(webhook))  # a def endpoint: runs in a worker thread

    starlette_app = Starlette(routes=[Route("/webhooks/algoguard", starlette_view)])
    uvicorn.run(starlette_app, host="127.0.0.1", port=port, log_level="warning")
else:
    import uvicorn
    from fastapi import Depends, FastAPI

    from hooksig.fastapi import WebhookVerifier

    webhooks = WebhookVerifier(verifier, guard=guard)
    fastapi_app = FastAPI()

    @fastapi_app.post("/webhooks/algoguard")
    @webhooks.once
    async def fastapi_view(
        webhook: Annotated[hooksig.Verified, Depends(webhooks)],
    ) -> dict[str, object]:
        return handle(webhook)

    uvicorn.run(fastapi_app, host="127.0.0.1", port=port, log_level="warning")
