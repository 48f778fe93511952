"""The glue every synchronous hooksig integration shares (Flask, Django): read the body within
the core's limit, ask the core, and drive a replay guard around the handler. The core decides
every answer (``Receiver``); this module only carries its decisions out. The asynchronous
counterpart (FastAPI, Starlette, any ASGI app) is ``hooksig.asgi``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, TypeVar

from hooksig._native import Answer, Receiver, Verified, Verifier
from hooksig._replay import ReplayGuardLike, check, settle

if TYPE_CHECKING:
    from hooksig._native import _Headers

__all__ = ["DEFAULT_LIMIT", "METHODS", "declared_length", "read_and_verify", "run_once"]

#: The default body limit in bytes (10 MiB), the core's, the same in every hooksig integration.
DEFAULT_LIMIT: int = Receiver().limit
#: Route a webhook view for these so that other methods get hooksig's JSON 405.
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

Result = TypeVar("Result")


def declared_length(value: str | None) -> int | None:
    """A ``Content-Length`` header's value as an int, ``None`` if absent or not a number."""
    return int(value) if value and value.isdigit() else None


def read_and_verify(
    receiver: Receiver,
    verifier: Verifier,
    method: str,
    length: int | None,
    read: Callable[[int], bytes],
    headers: _Headers,
) -> Verified | Answer:
    """The core's answer for a request (405, 413, 400 or the verification's), or its
    ``Verified``. ``read(n)`` reads at most ``n`` bytes of the body (``limit + 1`` are asked
    for, so that an oversized body is seen without reading it all); any exception it raises
    (the client went away, broken chunking) is the core's 400."""
    answer = receiver.start(method, length)
    if answer is not None:
        return answer
    try:
        body = read(receiver.limit + 1)
    except Exception:
        return receiver.body_read_failed()
    if len(body) > receiver.limit:
        return receiver.body_too_large()
    return receiver.verify(verifier, headers, body)


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
