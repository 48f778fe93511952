"""The replay-guard protocol the Flask and FastAPI integrations accept, and the guard errors."""

from __future__ import annotations

import contextlib
from typing import Protocol

__all__ = ["DeliveryInProgress", "ReplayGuardLike", "ReplayStoreError", "ReplayStoreUnavailable"]

#: Seconds a sender is asked to wait (``Retry-After``) when a guard's store is unavailable.
DEFAULT_RETRY_AFTER = 30


class ReplayGuardLike(Protocol):
    """What a replay guard does: ``hooksig.ReplayGuard`` (in memory, one process) and
    ``hooksig.RedisReplayGuard`` (shared by several processes or machines) both are one.

    A guard may also have ``confirm(key)``, called after the handler succeeded
    (``RedisReplayGuard``: the two-phase marker, "processing" becomes "done")."""

    def check_and_remember(self, key: str, /) -> bool:
        """``True`` if ``key`` is new (and now remembered), ``False`` if it is a duplicate.
        Must be atomic: of two concurrent calls with one key, exactly one gets ``True``."""
        ...

    def forget(self, key: str, /) -> None:
        """Forget ``key`` so that a retry is processed (the handler failed)."""
        ...


class ReplayStoreError(Exception):
    """A replay guard could not decide; the receiver answers ``http_status`` with a
    ``Retry-After: retry_after`` header and ``{"error": code, "message": ...}``."""

    code = "replay_store_unavailable"
    http_status = 503

    def __init__(self, message: str, retry_after: int = DEFAULT_RETRY_AFTER) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class ReplayStoreUnavailable(ReplayStoreError):
    """The store (Redis) did not answer within its timeout or refused the command: 503."""

    code = "replay_store_unavailable"
    http_status = 503


class DeliveryInProgress(ReplayStoreError):
    """Another request is processing this delivery (or its outcome was never recorded): 409.
    Not a duplicate yet, so the sender is asked to retry rather than told it is done."""

    code = "delivery_in_progress"
    http_status = 409


def guard_failure(err: BaseException) -> tuple[int, dict[str, str], int]:
    """(status, JSON body, Retry-After seconds) for a failure of ``check_and_remember``."""
    if isinstance(err, ReplayStoreError):
        return err.http_status, {"error": err.code, "message": err.message}, err.retry_after
    return (
        503,
        {"error": "replay_store_unavailable", "message": "the replay store is unavailable"},
        DEFAULT_RETRY_AFTER,
    )


def confirm(guard: object, key: str) -> None:
    """``guard.confirm(key)`` when the guard has one; a failure is not the request's failure
    (the handler succeeded; an unconfirmed marker only expires sooner)."""
    method = getattr(guard, "confirm", None)
    if callable(method):
        with contextlib.suppress(Exception):  # best effort, see above
            method(key)


def release(guard: ReplayGuardLike, key: str) -> None:
    """``guard.forget(key)``, never raising: a lost DEL leaves a "processing" marker that
    expires after the guard's processing ttl, so the retry still runs."""
    with contextlib.suppress(Exception):
        guard.forget(key)
