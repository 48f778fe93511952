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

With ``hooksig.RedisReplayGuard`` (a two-phase marker), the delivery is confirmed after a
successful response; a delivery another request is still processing is answered 409
``{"error": "delivery_in_progress"}`` and a Redis that does not answer in time 503
``{"error": "replay_store_unavailable"}``, both with a ``Retry-After`` header (the sender
retries) rather than a hang or a 500.

Limits: a body over ``limit`` bytes (default 10 MiB, as in the Node integrations) is answered
413 ``{"error": "body_too_large"}`` without being read; a method other than POST is answered 405
``{"error": "method_not_allowed"}`` with ``Allow: POST`` (register the view for every method,
``@app.route(path, methods=hooksig.flask.METHODS)``, to get this JSON answer instead of
Flask's HTML one). Every rejection is JSON ``{"error": code, "message"?: ...}``.

Flask is not a dependency of hooksig: install ``hooksig[flask]``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from flask import Response, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue

from hooksig import InvalidArgument, ReplayGuardLike, VerificationError, Verifier
from hooksig._replay import confirm, guard_failure, release

__all__ = ["DEFAULT_LIMIT", "METHODS", "verify_webhook"]

View = Callable[..., Any]

#: The default body limit in bytes (10 MiB), the same in every hooksig integration.
DEFAULT_LIMIT = 10 * 1024 * 1024
#: Register a webhook view for these so that other methods get hooksig's JSON 405.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def _reject(status: int, code: str, message: str | None = None, **headers: str) -> Response:
    response = jsonify(error=code) if message is None else jsonify(error=code, message=message)
    response.status_code = status
    for name, value in headers.items():
        response.headers[name.replace("_", "-")] = value
    return response


def _read_body(limit: int) -> bytes | None:
    """The raw body, or None when it is over ``limit`` (not read further)."""
    length = request.content_length
    if length is not None:
        if length > limit:
            return None
        return request.get_data(cache=True)
    # No Content-Length (chunked): read at most limit + 1 bytes.
    data = request.stream.read(limit + 1)
    if len(data) > limit:
        return None
    request._cached_data = data
    return data


def verify_webhook(
    verifier: Verifier, guard: ReplayGuardLike | None = None, *, limit: int = DEFAULT_LIMIT
) -> Callable[[View], Callable[..., ResponseReturnValue]]:
    """Decorator: verify the request with ``verifier`` (and, with ``guard``, run the view at
    most once per delivery) before the view runs. Place it below ``@app.post(...)``.
    ``limit``: the largest body accepted, in bytes (default 10 MiB); more is 413."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise InvalidArgument("limit must be a positive int (bytes)")

    def decorate(view: View) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            if request.method != "POST":
                return _reject(
                    405, "method_not_allowed", "webhooks are delivered with POST", Allow="POST"
                )
            body = _read_body(limit)
            if body is None:
                return _reject(
                    413,
                    "body_too_large",
                    f"the body exceeds the limit of {limit} bytes",
                    Connection="close",
                )
            try:
                webhook = verifier.verify(request.headers, body)
            except VerificationError as err:
                return jsonify(error=err.code), err.http_status
            g.webhook = webhook
            run = current_app.ensure_sync(view)
            if guard is None:
                result: ResponseReturnValue = run(*args, webhook=webhook, **kwargs)
                return result
            key = webhook.dedupe_key
            try:
                fresh = guard.check_and_remember(key)
            except InvalidArgument:
                raise
            except Exception as err:
                status, payload, retry_after = guard_failure(err)
                return _reject(
                    status, payload["error"], payload["message"], Retry_After=str(retry_after)
                )
            if not fresh:
                return jsonify(status="duplicate"), 200
            try:
                response = current_app.make_response(run(*args, webhook=webhook, **kwargs))
            except BaseException:
                release(guard, key)
                raise
            if response.status_code >= 400:
                release(guard, key)
            else:
                confirm(guard, key)
            return response

        return guarded

    return decorate
