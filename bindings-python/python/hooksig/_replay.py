"""The replay-guard protocol the Flask and FastAPI integrations accept."""

from __future__ import annotations

from typing import Protocol

__all__ = ["ReplayGuardLike"]


class ReplayGuardLike(Protocol):
    """What a replay guard does: ``hooksig.ReplayGuard`` (in memory, one process) and
    ``hooksig.RedisReplayGuard`` (shared by several processes or machines) both are one."""

    def check_and_remember(self, key: str, /) -> bool:
        """``True`` if ``key`` is new (and now remembered), ``False`` if it is a duplicate.
        Must be atomic: of two concurrent calls with one key, exactly one gets ``True``."""
        ...

    def forget(self, key: str, /) -> None:
        """Forget ``key`` so that a retry is processed (the handler failed)."""
        ...
