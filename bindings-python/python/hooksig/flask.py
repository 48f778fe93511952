"""Flask integration: ``@verify_webhook(verifier)`` guards a view with a hooksig ``Verifier``.

An adapter over the core's receiver policy (``hooksig.Receiver``): it reads the raw body within
``limit``, asks the core, and writes exactly the core's answer (the status, headers and JSON
bytes of every hooksig integration, listed in the README: 405 + ``Allow: POST``, 413, 400, the
failed verification's). Register the view with ``methods=hooksig.flask.METHODS`` so that other
methods get the core's 405. On success the view (sync or async) runs with the ``Verified``
result as the keyword argument ``webhook`` (also ``flask.g.webhook``); ``request.get_data()``
still returns the raw body. Schemes that sign the URL (``twilio``, ``square``, ``hubspot``) get
the URL Flask sees, or ``public_url`` followed by the path and query behind a proxy.

Replay protection (``guard=``): a handled delivery is answered 200 ``{"status":"duplicate"}``
without the view, one in progress elsewhere 409, an unavailable store 503 (``Retry-After:
30``); a view that raises or answers outside 200-299 releases its key for the sender's retry.
Flask is not a dependency of hooksig: install ``hooksig[flask]``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable
from urllib.parse import quote

from flask import Response, current_app, g, request
from flask.typing import ResponseReturnValue

from hooksig import Answer, InvalidConfig, Receiver, ReplayGuardLike, Verifier
from hooksig._adapter import (
    DEFAULT_LIMIT,
    METHODS,
    check_public_url,
    raw_uri,
    read_and_verify,
    request_url,
    run_once,
    url_text,
)
from hooksig._replay import is_async

__all__ = ["DEFAULT_LIMIT", "METHODS", "respond", "verify_webhook"]

View = Callable[..., Any]


def respond(answer: Answer) -> Response:
    """The core's answer as a Flask response: its status, headers and exact body bytes."""
    return Response(answer.body, answer.status, answer.headers, content_type=answer.content_type)


def _read(size: int) -> bytes:
    """At most ``size`` bytes of the body; ``request.get_data()`` returns them to the view."""
    data = request.stream.read(size)
    request._cached_data = data
    return data


def _path_and_query() -> str:
    """The request's path and query as received (the server's raw request target), or as
    Werkzeug rebuilds it."""
    raw = raw_uri(request.environ)
    if raw is not None:
        return raw
    path = quote(request.script_root + request.path, safe="/!$&'()*+,;=:@%")
    query = url_text(request.query_string)
    return f"{path}?{query}" if query else path


def verify_webhook(
    verifier: Verifier,
    guard: ReplayGuardLike | None = None,
    *,
    limit: int = DEFAULT_LIMIT,
    public_url: str | None = None,
) -> Callable[[View], Callable[..., ResponseReturnValue]]:
    """Decorator (below ``@app.route(...)``): verify the request with ``verifier`` (and, with
    ``guard``, run the view at most once per delivery) before the view runs. ``limit``: the
    largest body accepted, in bytes (``InvalidArgument`` unless a non-negative int).
    ``public_url``: the public base URL the sender is configured with, for the schemes that
    sign the URL, when the app runs behind a proxy (default: the URL Flask sees)."""
    receiver = Receiver(limit)
    base = check_public_url(public_url)
    if is_async(guard):
        raise InvalidConfig(
            "verify_webhook needs a synchronous guard (RedisReplayGuard over redis.Redis); "
            "Flask views do not await AsyncRedisReplayGuard"
        )

    def url() -> str:
        return request_url(base, _path_and_query(), lambda: f"{request.scheme}://{request.host}")

    # Only the schemes that sign the request line get a URL built (the others' path unchanged).
    line = url if verifier.signs_request_line else None

    def decorate(view: View) -> Callable[..., ResponseReturnValue]:
        @functools.wraps(view)
        def endpoint(*args: Any, **kwargs: Any) -> ResponseReturnValue:
            webhook = read_and_verify(
                receiver,
                verifier,
                request.method,
                request.content_length,
                _read,
                request.headers,
                line,
            )
            if isinstance(webhook, Answer):
                return respond(webhook)
            g.webhook = webhook
            run = current_app.ensure_sync(view)
            result = run_once(
                receiver,
                guard,
                webhook,
                lambda: current_app.make_response(run(*args, webhook=webhook, **kwargs)),
                lambda response: response.status_code,
            )
            return respond(result) if isinstance(result, Answer) else result

        return endpoint

    return decorate
