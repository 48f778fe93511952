"""Demo receiver: every scheme on Django, at /webhooks/<scheme>, with replay protection."""

import sys

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import path

settings.configure(
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1"],
    SECRET_KEY="hooksig-demo-only",
    MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],  # the views are csrf_exempt
)
django.setup()

from demo_secrets import public_url, secret  # noqa: E402

import hooksig  # noqa: E402
from hooksig.django import respond, verify_webhook  # noqa: E402


def route(scheme: str) -> object:
    verifier = hooksig.Verifier(scheme, secret=secret(scheme))

    # Every answer is the core's; the handler answers the core's success body, the same in every
    # demo receiver. Django routes every method to the view: a GET gets the core's 405.
    @verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier), public_url=public_url())
    def handle(request: HttpRequest, webhook: hooksig.Verified) -> HttpResponse:
        return respond(hooksig.Receiver.received(webhook))

    return path(f"webhooks/{scheme}", handle)


urlpatterns = [route(scheme_id) for scheme_id in hooksig.schemes()]

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line([sys.argv[0], "runserver", f"127.0.0.1:{sys.argv[1]}", "--noreload"])
