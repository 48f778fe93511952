"""A Django receiver for AlgoGuard webhooks, verified by hooksig (a whole project in one file).

Run:  pip install "hooksig[django]"
      (from a clone of the repository: pip install "./bindings-python[django]")
      python app.py [port]
Env:  ALGOGUARD_SECRET (default: a demo secret), PORT (default 8000)
"""

import json
import os
import sys

import django
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.urls import path

settings.configure(
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "an-example-only"),
    # A default project's middleware: CSRF included (hooksig's views are exempt from it).
    MIDDLEWARE=[
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ],
)
django.setup()

import hooksig  # noqa: E402
from hooksig.django import verify_webhook  # noqa: E402

verifier = hooksig.Verifier("algoguard", secret=os.environ.get("ALGOGUARD_SECRET", "whsec_demo"))
handled: list[str] = []  # ids of the deliveries the handler accepted


# One line turns on replay protection: a retried delivery answers 200 {"status": "duplicate"}
# without running the view again. In memory: one process. Several processes or machines:
#   guard=hooksig.RedisReplayGuard.from_url(REDIS_URL, verifier=verifier)  (hooksig[redis])
# Limits: bodies over `limit` (10 MiB, the default; Django's DATA_UPLOAD_MAX_MEMORY_SIZE does
# not apply) get 413 {"error": "body_too_large"}; other methods get hooksig's 405 JSON.
# The view is csrf_exempt: a webhook sender has no CSRF token; the signature authenticates it.
@verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier), limit=10 * 1024 * 1024)
def algoguard(request: HttpRequest, webhook: hooksig.Verified) -> JsonResponse:
    event = json.loads(webhook.payload)  # the authenticated bytes (also request.body)
    handled.append(webhook.id or "")
    return JsonResponse({"received": webhook.event_type, "id": webhook.id, "fields": len(event)})


urlpatterns = [path("webhooks/algoguard", algoguard)]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    port = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORT", "8000")
    execute_from_command_line([sys.argv[0], "runserver", f"127.0.0.1:{port}", "--noreload"])
