"""Flask integration: ``@verify_webhook(verifier)`` guards a view with a hooksig ``Verifier``.

The decorator verifies ``request.get_data()`` (the raw body, still cached for the view) against
``request.headers``. On success it calls the view with the ``Verified`` result as the keyword
argument ``webhook`` and also stores it in ``flask.g.webhook``. On failure the view does not
run and the response is JSON ``{"error": "<code>"}`` with the status the core assigns to the
code (``err.http_status``): 400 for a missing or malformed header, 401 for a signature mismatch
or a stale/future timestamp, 500 for an internal error. Sync and async views both work.

Flask is not a dependency of hooksig: install ``hooksig[flask]``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from hooksig import VerificationError, Verifier

__all__ = ["verify_webhook"]

View = Callable[..., Any]


def verify_webhook(verifier: Verifier) -> Callable[[View], Callable[..., ResponseReturnValue]]:
    """Decorator: verify the request with ``verifier`` before the view runs.

    Place it below ``@app.post(...)`` / ``@app.route(...)``.
    """

    def decorate(view: View) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            try:
                webhook = verifier.verify(request.headers, request.get_data(cache=True))
            except VerificationError as err:
                return jsonify(error=err.code), err.http_status
            g.webhook = webhook
            result: ResponseReturnValue = current_app.ensure_sync(view)(
                *args, webhook=webhook, **kwargs
            )
            return result

        return guarded

    return decorate
