"""The glue every synchronous hooksig integration shares (Flask, Django): read the body within
the core's limit, ask the core, and drive a replay guard around the handler. The core decides
every answer (``Receiver``); this module only carries its decisions out. The asynchronous
counterpart (FastAPI, Starlette, any ASGI app) is ``hooksig.asgi``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from hooksig._native import Answer, InvalidArgument, Receiver, Verified, Verifier, public_url
from hooksig._replay import ReplayGuardLike, check, settle

if TYPE_CHECKING:
    from hooksig._native import _Headers

__all__ = [
    "DEFAULT_LIMIT",
    "METHODS",
    "check_public_url",
    "declared_length",
    "raw_uri",
    "read_and_verify",
    "request_url",
    "run_once",
    "url_text",
]

#: The default body limit in bytes (10 MiB), the core's, the same in every hooksig integration.
DEFAULT_LIMIT: int = Receiver().limit
#: Route a webhook view for these so that other methods get hooksig's JSON 405.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

Result = TypeVar("Result")


def declared_length(value: str | None) -> int | None:
    """A ``Content-Length`` header's value as an int, ``None`` if absent or not a number."""
    return int(value) if value and value.isdigit() else None


def check_public_url(value: str | None) -> str | None:
    """An integration's ``public_url`` option, checked: ``None``, or the public base URL
    (``https://hooks.example.com``, optionally with a path prefix) as a ``str``."""
    if value is None or (isinstance(value, str) and "://" in value):
        return value
    raise InvalidArgument(
        "public_url must be the public base URL as a str, e.g. 'https://hooks.example.com'"
    )


def request_url(base: str | None, path_and_query: str, origin: Callable[[], str]) -> str:
    """The URL the sender requested: ``base`` (the integration's ``public_url``) joined with the
    path and query like the core's ``RequestLine::public_url``; without a base, the request's
    own ``origin()`` (``scheme://host[:port]``, only read then) followed by them."""
    if base is not None:
        return public_url(base, path_and_query)
    return origin() + path_and_query


def url_text(raw: bytes) -> str:
    """Bytes of a request line or header as text: UTF-8 (a URL is ASCII; a sender that put raw
    UTF-8 in it signed those characters), an invalid sequence replaced (its signature fails)."""
    return raw.decode("utf-8", "replace")


def raw_uri(environ: Mapping[str, Any]) -> str | None:
    """The request target as received (path and query, not percent-decoded), when the WSGI
    server reports it in origin form (``REQUEST_URI``: Werkzeug, uWSGI; ``RAW_URI``: Gunicorn,
    Werkzeug). WSGI strings carry bytes as latin-1 (PEP 3333)."""
    for key in ("REQUEST_URI", "RAW_URI"):
        value = environ.get(key)
        if isinstance(value, str) and value.startswith("/"):
            try:
                return url_text(value.encode("latin-1"))
            except UnicodeEncodeError:  # not a PEP 3333 string: already text
                return value
    return None


def read_and_verify(
    receiver: Receiver,
    verifier: Verifier,
    method: str,
    length: int | None,
    read: Callable[[int], bytes],
    headers: _Headers,
    url: Callable[[], str] | None = None,
) -> Verified | Answer:
    """The core's answer for a request (405, 413, 400 or the verification's), or its
    ``Verified``. ``read(n)`` reads at most ``n`` bytes of the body (``limit + 1`` are asked
    for, so that an oversized body is seen without reading it all); any exception it raises
    (the client went away, broken chunking) is the core's 400. ``url()`` builds the URL the
    sender requested; pass it only for a verifier that ``signs_request_line`` (the request's
    method then goes with it)."""
    answer = receiver.start(method, length)
    if answer is not None:
        return answer
    try:
        body = read(receiver.limit + 1)
    except Exception:
        return receiver.body_read_failed()
    if len(body) > receiver.limit:
        return receiver.body_too_large()
    if url is None:
        return receiver.verify(verifier, headers, body)
    return receiver.verify(verifier, headers, body, url=url(), method=method)


def run_once(
    receiver: Receiver,
    guard: ReplayGuardLike | None,
    webhook: Verified,
    run: Callable[[], Result],
    status_of: Callable[[Result], int | None],
) -> Result | Answer:
    """``run()`` (the handler) for a verified request; with a guard, at most once per delivery:
    the core answers a duplicate, a delivery in progress elsewhere or an unavailable store
    (the handler does not run), and decides from the handler's status (``status_of``; an
    exception is a failure) whether the delivery is kept or released for the sender's retry."""
    if guard is None:
        return run()
    key = webhook.dedupe_key
    answer = receiver.guarded(check(guard, key))
    if answer is not None:
        return answer
    try:
        result = run()
    except BaseException:
        settle(guard, key, receiver.finished(None))
        raise
    settle(guard, key, receiver.finished(status_of(result)))
    return result
