"""Flask integration: ``@verify_webhook(verifier)`` guards a view with a hooksig ``Verifier``.

The decorator verifies ``request.get_data()`` (the raw body, still cached for the view) against
``request.headers``. On success it calls the view with the ``Verified`` result as the keyword
argument ``webhook`` and also stores it in ``flask.g.webhook``. On failure the view does not
run and the response is JSON ``{"error": "<code>"}`` with the status the core assigns to the
code (``err.http_status``): 400 for a missing or malformed header, 401 for a signature mismatch
or a stale/future timestamp, 500 for an internal error. Sync and async views both work.

Replay protection: ``@verify_webhook(verifier, guard=hooksig.ReplayGuard(verifier=verifier))``
(one process) or ``guard=hooksig.RedisReplayGuard(redis_client, verifier=verifier)`` (several).
After a successful verification the guard records ``webhook.dedupe_key``; a delivery already
recorded is answered ``200 {"status": "duplicate"}`` without calling the view (a 2xx makes the
sender stop retrying). Only verified requests are recorded, so forged ones cannot use up ids.
If the view raises, or answers with a status of 400 or more, the key is forgotten so that the
sender's retry runs the view again.

Flask is not a dependency of hooksig: install ``hooksig[flask]``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from flask import current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from hooksig import ReplayGuardLike, VerificationError, Verifier

__all__ = ["verify_webhook"]

View = Callable[..., Any]


def verify_webhook(
    verifier: Verifier, guard: ReplayGuardLike | None = None
) -> Callable[[View], Callable[..., ResponseReturnValue]]:
    """Decorator: verify the request with ``verifier`` (and, with ``guard``, run the view at
    most once per delivery) before the view runs. Place it below ``@app.post(...)``."""

    def decorate(view: View) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            try:
                webhook = verifier.verify(request.headers, request.get_data(cache=True))
            except VerificationError as err:
                return jsonify(error=err.code), err.http_status
            g.webhook = webhook
            run = current_app.ensure_sync(view)
            if guard is None:
                result: ResponseReturnValue = run(*args, webhook=webhook, **kwargs)
                return result
            key = webhook.dedupe_key
            if not guard.check_and_remember(key):
                return jsonify(status="duplicate"), 200
            try:
                response = current_app.make_response(run(*args, webhook=webhook, **kwargs))
            except BaseException:
                guard.forget(key)
                raise
            if response.status_code >= 400:
                guard.forget(key)
            return response

        return guarded

    return decorate
