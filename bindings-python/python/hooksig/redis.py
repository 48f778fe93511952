"""Replay protection shared by several receiver processes or machines, stored in Redis.

``RedisReplayGuard(client)`` keeps a two-phase marker per verified delivery (the same in the
Node and PHP guards) under ``hooksig:replay:<dedupe key>``: ``check_and_remember`` claims it
with ``SET key processing NX EX <processing_ttl>`` (atomic: exactly one process wins; a ``done``
key is a duplicate, ``False``; a ``processing`` one raises ``DeliveryInProgress``, answered 409 +
``Retry-After``), ``confirm`` sets ``done`` for ``ttl`` (default ``verifier.replay_ttl``),
``forget`` deletes it. A lost ``DEL`` only leaves a marker that expires after ``processing_ttl``
(default 60; more than the handler's longest run), so no event is lost. Expiry is Redis's clock.

Timeouts: before redis-py 8 a client has no socket timeout (a paused Redis blocks forever), and
redis-py 8 retries for about 20 s: create the client with ``socket_timeout=2,
socket_connect_timeout=2, retry=redis.retry.Retry(redis.backoff.NoBackoff(), 0)``, or use
``RedisReplayGuard.from_url(url)``, which does (a client without ``socket_timeout`` gets a
``RuntimeWarning``). Every Redis failure is ``ReplayStoreUnavailable``, which the integrations
answer with the core's 503 and ``Retry-After: 30``.

Pass the synchronous client your application uses (``redis.Redis``, ``redis.RedisCluster``, or
anything with ``set``/``get``/``delete``; ``pip install "hooksig[redis]"`` installs redis-py).
``AsyncRedisReplayGuard`` is the same over ``redis.asyncio`` (FastAPI), each command also bounded
by ``command_timeout`` seconds. The keys, values, TTLs and the reading of each reply are the
core's (``hooksig::shared_store``, ``SharedStore``): these classes run its commands.
"""

from __future__ import annotations

import importlib
import inspect
import warnings
from collections.abc import Awaitable
from typing import Any, Protocol, TypeVar

from hooksig._native import (
    PROCESSING_TTL,
    STORE_PREFIX,
    STORE_TIMEOUT_MS,
    InvalidArgument,
    SharedStore,
    StoreCommand,
    Verifier,
)
from hooksig._replay import DEFAULT_RETRY_AFTER, DeliveryInProgress, ReplayStoreUnavailable
from hooksig._store import AsyncGuard, StoreGuard, SyncGuard, positive, shared_store

__all__ = [
    "DEFAULT_PREFIX",
    "DEFAULT_PROCESSING_TTL",
    "AsyncRedisClientLike",
    "AsyncRedisReplayGuard",
    "DeliveryInProgress",
    "RedisClientLike",
    "RedisReplayGuard",
    "ReplayStoreUnavailable",
]

#: The prefix of every key (the core's, as in the Node and PHP guards).
DEFAULT_PREFIX: str = STORE_PREFIX
#: Seconds a delivery stays "processing" before a retry may run it again (the core's).
DEFAULT_PROCESSING_TTL: int = PROCESSING_TTL
#: Seconds ``from_url`` gives redis-py for connecting and for each command (the core's).
DEFAULT_TIMEOUT = STORE_TIMEOUT_MS / 1000


class RedisClientLike(Protocol):
    """The methods of a synchronous redis-py client that ``RedisReplayGuard`` calls."""

    def set(self, name: str, value: str, /, *, nx: bool = ..., ex: int) -> object: ...
    def get(self, name: str, /) -> object: ...
    def delete(self, name: str, /) -> object: ...


class AsyncRedisClientLike(Protocol):
    """The methods of a ``redis.asyncio`` client that ``AsyncRedisReplayGuard`` awaits."""

    def set(self, name: str, value: str, /, *, nx: bool = ..., ex: int) -> Awaitable[object]: ...
    def get(self, name: str, /) -> Awaitable[object]: ...
    def delete(self, name: str, /) -> Awaitable[object]: ...


def _socket_timeout(client: object) -> object:
    """The client's socket_timeout (redis-py), or a marker when it cannot be told."""
    pool = getattr(client, "connection_pool", None)
    kwargs = getattr(pool, "connection_kwargs", None)
    if isinstance(kwargs, dict):
        return kwargs.get("socket_timeout")
    return ...


Guard = TypeVar("Guard", bound="_RedisGuard")


class _RedisGuard(StoreGuard):
    """What the synchronous and the asyncio guard share: arguments and the core's commands."""

    __slots__ = ("client",)
    _store_name = "Redis"
    store: SharedStore
    client: Any

    def __init__(
        self,
        client: RedisClientLike,
        *,
        prefix: str = DEFAULT_PREFIX,
        ttl: int | None = None,
        verifier: Verifier | None = None,
        processing_ttl: int = DEFAULT_PROCESSING_TTL,
        retry_after: int = DEFAULT_RETRY_AFTER,
    ) -> None:
        if not all(callable(getattr(client, m, None)) for m in ("set", "get", "delete")):
            raise InvalidArgument(
                "client must be a redis client (with set, get and delete methods)"
            )
        name = type(self).__name__
        super().__init__(shared_store(name, ttl, verifier, prefix, processing_ttl), retry_after)
        self.client = client
        if isinstance(self, SyncGuard) and _socket_timeout(client) is None:
            warnings.warn(
                f"{name}: this redis client has no socket_timeout, so a paused Redis "
                "blocks the request forever; create it with socket_timeout=2, "
                "socket_connect_timeout=2 (or use RedisReplayGuard.from_url)",
                RuntimeWarning,
                stacklevel=2,
            )

    @classmethod
    def from_url(
        cls: type[Guard],
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        prefix: str = DEFAULT_PREFIX,
        ttl: int | None = None,
        verifier: Verifier | None = None,
        processing_ttl: int = DEFAULT_PROCESSING_TTL,
        retry_after: int = DEFAULT_RETRY_AFTER,
    ) -> Guard:
        """A guard over ``redis.Redis.from_url(url)`` (``redis.asyncio`` for the asyncio guard)
        with ``timeout`` seconds for connecting and for every command (the asyncio guard's
        ``command_timeout`` too), and no client-side retries (the sender retries after a 503)."""
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        module = importlib.import_module(
            "redis.asyncio" if issubclass(cls, AsyncGuard) else "redis"
        )
        client: Any = module.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # one attempt: the sender retries, not the receiver
        )
        guard = cls(
            client,
            prefix=prefix,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            retry_after=retry_after,
        )
        if isinstance(guard, AsyncGuard):
            guard.command_timeout = float(positive("timeout", timeout, (int, float)))
        return guard

    @property
    def prefix(self) -> str:
        """The key prefix."""
        return self.store.prefix

    def _claimed(self, reply: object) -> bool:
        # redis-py answers True when SET NX set the key, None when it was already there.
        return self.store.claimed(bool(reply)) is not None

    def _call(self, command: StoreCommand) -> Any:
        """The client's reply to one of the core's commands, through the typed redis-py
        methods (so that any redis-py-like client works)."""
        value, ex = command.value, command.ttl
        if value is not None and ex is not None:  # SET
            if command.only_if_absent:
                return self.client.set(command.key, value, nx=True, ex=ex)
            return self.client.set(command.key, value, ex=ex)
        if command.name == "GET":
            return self.client.get(command.key)
        return self.client.delete(command.key)

    def __repr__(self) -> str:
        # The client is left out: its repr may name hosts or credentials.
        return (
            f"{type(self).__name__}(prefix={self.prefix!r}, ttl={self.ttl}, "
            f"processing_ttl={self.processing_ttl})"
        )


class RedisReplayGuard(_RedisGuard, SyncGuard):
    """A replay guard in Redis, for receivers that run as several processes or machines.

    ``ttl`` (seconds a handled delivery is remembered) defaults to ``verifier.replay_ttl``
    when a verifier is given; one of the two is required. ``processing_ttl`` (default 60,
    at most ``ttl``) bounds how long an unconfirmed delivery blocks its retries. ``prefix``
    namespaces the keys (``hooksig:replay:github:sig:<...>``). ``retry_after`` is carried
    by the raised ``ReplayStoreError`` for callers driving the guard themselves; the Flask and
    FastAPI integrations answer the core's canonical ``Retry-After: 30``.
    """

    __slots__ = ()

    def _run(self, command: StoreCommand) -> object:
        reply = self._call(command)
        if inspect.isawaitable(reply):
            if inspect.iscoroutine(reply):
                reply.close()
            raise InvalidArgument(
                "RedisReplayGuard needs a synchronous client (redis.Redis); "
                "use AsyncRedisReplayGuard for redis.asyncio"
            )
        return reply


class AsyncRedisReplayGuard(_RedisGuard, AsyncGuard):
    """``RedisReplayGuard`` over a ``redis.asyncio`` client: the same keys, commands and
    answers, with coroutine methods that the FastAPI integration awaits. Every command is
    bounded by ``command_timeout`` seconds (default 2, the core's store timeout)."""

    __slots__ = ("command_timeout",)

    def __init__(
        self,
        client: AsyncRedisClientLike,
        *,
        prefix: str = DEFAULT_PREFIX,
        ttl: int | None = None,
        verifier: Verifier | None = None,
        processing_ttl: int = DEFAULT_PROCESSING_TTL,
        retry_after: int = DEFAULT_RETRY_AFTER,
        command_timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        super().__init__(
            client,
            prefix=prefix,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            retry_after=retry_after,
        )
        self.command_timeout = float(positive("command_timeout", command_timeout, (int, float)))

    async def _run(self, command: StoreCommand) -> object:
        reply = self._call(command)
        if not inspect.isawaitable(reply):
            raise InvalidArgument(
                "AsyncRedisReplayGuard needs a redis.asyncio client; "
                "use RedisReplayGuard for redis.Redis"
            )
        return await reply
