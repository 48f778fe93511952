"""The replay-guard protocol the framework integrations accept, the guard errors, and
the guard cycle the integrations drive (``check``, then ``settle`` with the core's decision)."""

from __future__ import annotations

import contextlib
import inspect
from typing import Any, Literal, Protocol

from hooksig._native import RETRY_AFTER, HooksigError, InvalidArgument, _error_info

__all__ = [
    "AsyncReplayGuardLike",
    "DeliveryInProgress",
    "ReplayGuardLike",
    "ReplayStoreError",
    "ReplayStoreUnavailable",
]

#: Seconds a sender is asked to wait (``Retry-After``) when a guard's store is unavailable: the
#: core's ``RETRY_AFTER_SECS``, which is what the framework integrations answer.
DEFAULT_RETRY_AFTER = RETRY_AFTER

GuardAnswer = Literal["new", "duplicate", "in_progress", "unavailable"]


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


class AsyncReplayGuardLike(Protocol):
    """A replay guard whose methods are coroutines: ``hooksig.AsyncRedisReplayGuard`` (over
    ``redis.asyncio``). The FastAPI integration awaits it; Flask refuses it. It may also have
    ``async confirm(key)``."""

    async def check_and_remember(self, key: str, /) -> bool:
        """As ``ReplayGuardLike.check_and_remember``, awaited."""
        ...

    async def forget(self, key: str, /) -> None:
        """As ``ReplayGuardLike.forget``, awaited."""
        ...


class ReplayStoreError(HooksigError):
    """A replay guard could not decide; the integrations answer the core's canonical 503 (409
    for ``DeliveryInProgress``) with ``Retry-After: 30`` and ``{"error":code,"message":...}``.
    ``message`` and ``retry_after`` are for logs and for callers driving a guard themselves."""

    code = "replay_store_unavailable"
    http_status, description = _error_info(code)

    def __init__(self, message: str, retry_after: int = DEFAULT_RETRY_AFTER) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class ReplayStoreUnavailable(ReplayStoreError):
    """The store (Redis) did not answer within its timeout or refused the command: 503."""

    code = "replay_store_unavailable"
    http_status, description = _error_info(code)


class DeliveryInProgress(ReplayStoreError):
    """Another request is processing this delivery (or its outcome was never recorded): 409.
    Not a duplicate yet, so the sender is asked to retry rather than told it is done."""

    code = "delivery_in_progress"
    http_status, description = _error_info(code)


def check(guard: ReplayGuardLike, key: str) -> GuardAnswer:
    """The guard's answer for ``key``, for ``Receiver.guarded``: ``check_and_remember`` gives
    new/duplicate; ``DeliveryInProgress`` is in progress; any other failure of the store is
    unavailable. ``InvalidArgument`` (a programming mistake) propagates."""
    try:
        return "new" if guard.check_and_remember(key) else "duplicate"
    except Exception as err:
        return failed(err)


def failed(err: Exception) -> GuardAnswer:
    """The answer for a guard's exception (``InvalidArgument`` is raised again)."""
    if isinstance(err, InvalidArgument):
        raise err
    return "in_progress" if isinstance(err, DeliveryInProgress) else "unavailable"


def settle_method(guard: object, action: Literal["keep", "release"]) -> Any:
    """``guard.confirm`` (if it has one) or ``guard.forget``, for ``Receiver.finished``'s
    decision."""
    return getattr(guard, "confirm" if action == "keep" else "forget", None)


def settle(guard: ReplayGuardLike, key: str, action: Literal["keep", "release"]) -> None:
    """Carries out ``Receiver.finished``'s decision, never raising: keep (``guard.confirm``,
    when the guard has one: the handler succeeded, an unconfirmed marker only expires sooner)
    or release (``guard.forget``: a lost DEL leaves a "processing" marker that expires after
    the guard's processing ttl, so the retry still runs)."""
    method = settle_method(guard, action)
    if callable(method):
        with contextlib.suppress(Exception):
            method(key)


def is_async(guard: object) -> bool:
    """Whether ``guard``'s methods are coroutines (``AsyncRedisReplayGuard``)."""
    return inspect.iscoroutinefunction(getattr(guard, "check_and_remember", None))
