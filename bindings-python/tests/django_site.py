"""One Django configuration for the whole test run (Django allows one per process): the URL
patterns are this module's ``urlpatterns``, which each test module extends with its own
prefix; CsrfViewMiddleware is on, as in a default project, so the tests see the exemption."""

from __future__ import annotations

from typing import Any

import django
from django.conf import settings

urlpatterns: list[Any] = []


def configure() -> None:
    if settings.configured:
        return
    settings.configure(
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        SECRET_KEY="hooksig-tests-only",
        MIDDLEWARE=[
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
        ],
        LOGGING_CONFIG=None,
    )
    django.setup()
