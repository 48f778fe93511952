"""Replay protection shared by several receiver processes or machines, stored in Redis.

``RedisReplayGuard(client)`` remembers each verified delivery with one atomic command,
``SET <prefix><key> 1 NX EX <ttl>``: the first process to see a delivery wins, every other one
(and every retry within ``ttl``) is told it is a duplicate; Redis expires the key by itself.
``forget`` is ``DEL``.

hooksig does not depend on the ``redis`` package and opens no connection of its own: pass the
synchronous client your application already uses (``redis.Redis``, ``redis.Redis.from_url``,
``redis.RedisCluster``, or anything with the same ``set``/``delete``). ``pip install
"hooksig[redis]"`` installs redis-py. If Redis is unreachable, the client's exception
propagates: the framework answers 500 and the sender retries later.
"""

from __future__ import annotations

import inspect
from typing import Protocol

from hooksig._native import InvalidArgument, Verifier

__all__ = ["RedisClientLike", "RedisReplayGuard"]


class RedisClientLike(Protocol):
    """The two methods of a synchronous redis-py client that ``RedisReplayGuard`` calls."""

    def set(self, name: str, value: int, /, *, nx: bool, ex: int) -> object: ...
    def delete(self, name: str, /) -> object: ...


class RedisReplayGuard:
    """A replay guard in Redis, for receivers that run as several processes or machines.

    ``ttl`` (seconds) defaults to ``verifier.replay_ttl`` when a verifier is given; one of the
    two is required. ``prefix`` namespaces the keys (``hooksig:github:id:<delivery id>``).
    """

    __slots__ = ("client", "prefix", "ttl")

    def __init__(
        self,
        client: RedisClientLike,
        *,
        prefix: str = "hooksig:",
        ttl: int | None = None,
        verifier: Verifier | None = None,
    ) -> None:
        if not (
            callable(getattr(client, "set", None)) and callable(getattr(client, "delete", None))
        ):
            raise InvalidArgument("client must be a redis client (with set and delete methods)")
        if not isinstance(prefix, str):
            raise InvalidArgument(f"prefix must be a str, not {type(prefix).__name__}")
        if ttl is None:
            if verifier is None:
                raise InvalidArgument("RedisReplayGuard needs ttl=SECONDS or verifier=...")
            if not isinstance(verifier, Verifier):
                raise InvalidArgument("verifier must be a hooksig.Verifier")
            ttl = verifier.replay_ttl
        if isinstance(ttl, bool) or not isinstance(ttl, int):
            raise InvalidArgument(f"ttl must be an int, not {type(ttl).__name__}")
        if not 1 <= ttl < 2**63 // 1000:  # Redis refuses expiries whose milliseconds overflow
            raise InvalidArgument("ttl must be at least 1 second (and fit Redis's range)")
        self.client = client
        self.prefix = prefix
        self.ttl = ttl

    def check_and_remember(self, key: str) -> bool:
        """``True`` if ``key`` is new (now stored for ``ttl`` seconds), ``False`` if a
        duplicate: one atomic ``SET prefix+key 1 NX EX ttl``."""
        reply = self.client.set(self._name(key), 1, nx=True, ex=self.ttl)
        if inspect.isawaitable(reply):
            if inspect.iscoroutine(reply):
                reply.close()
            raise InvalidArgument(
                "RedisReplayGuard needs a synchronous client (redis.Redis), not redis.asyncio"
            )
        # redis-py answers True when the key was set and None when NX found it already there.
        return bool(reply)

    def forget(self, key: str) -> None:
        """``DEL prefix+key``, so that the sender's retry is processed."""
        self.client.delete(self._name(key))

    def _name(self, key: str) -> str:
        if not isinstance(key, str):
            raise InvalidArgument(f"key must be a str, not {type(key).__name__}")
        return self.prefix + key

    def __repr__(self) -> str:
        # The client is left out: its repr may name hosts or credentials.
        return f"RedisReplayGuard(prefix={self.prefix!r}, ttl={self.ttl})"
