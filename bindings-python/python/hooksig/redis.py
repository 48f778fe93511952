"""Replay protection shared by several receiver processes or machines, stored in Redis.

``RedisReplayGuard(client)`` keeps a two-phase marker per verified delivery (the same in the
Node and PHP guards), under the key ``hooksig:replay:<dedupe key>``:

* ``check_and_remember``: ``SET key processing NX EX <processing_ttl>`` (atomic: of two
  processes seeing one delivery, exactly one wins). If the key exists and is ``done``, the
  delivery is a duplicate (``False``); if it is still ``processing``, ``DeliveryInProgress``
  is raised (the receivers answer 409 + ``Retry-After``: the sender retries, and is not told a
  delivery is done whose handler may yet fail).
* ``confirm`` (after the handler succeeded): ``SET key done EX <ttl>``.
* ``forget`` (after the handler failed): ``DEL key``.

If the link drops between a failed handler and its ``DEL``, the ``processing`` marker expires
after ``processing_ttl`` seconds (default 60) and the sender's retry runs the handler again: no
event is lost. ``processing_ttl`` must exceed the handler's longest run. ``ttl`` defaults to
``verifier.replay_ttl`` (the core's window: past + future tolerance + 60 s, or 24 h for schemes
without timestamps). Expiry follows Redis's clock (no ``now`` argument, as in Node and PHP).

Timeouts: before redis-py 8 a client has no socket timeout, so a paused Redis blocks the
request forever; redis-py 8 waits 5 s per attempt and retries 3 times with backoff (about 20 s).
Create the client with ``socket_timeout=2, socket_connect_timeout=2,
retry=redis.retry.Retry(redis.backoff.NoBackoff(), 0)`` (one attempt: a paused Redis is
answered within about 2 s), or use ``RedisReplayGuard.from_url(url)``, which does; a client
without ``socket_timeout`` gets a ``RuntimeWarning``. Every Redis failure (timeout, refused
connection, ...) is raised as ``ReplayStoreUnavailable``; the framework integrations
answer it with the core's 503, ``Retry-After: 30`` and ``{"error":"replay_store_unavailable",
"message":...}``, so the sender retries.

hooksig does not depend on the ``redis`` package: pass the synchronous client your application
already uses (``redis.Redis``, ``redis.RedisCluster``, or anything with ``set``/``get``/
``delete``). ``pip install "hooksig[redis]"`` installs redis-py.

``AsyncRedisReplayGuard`` is the same guard over ``redis.asyncio`` (for FastAPI, which awaits
it on its event loop): every command is also bounded by ``command_timeout`` seconds (default
2), so a paused Redis is a 503 even on a client without ``socket_timeout``.

The key format, the marker values, the TTL rule and how each reply is read are the core's
replay-store contract (``hooksig::shared_store``, ``SharedStore`` here): these classes only
execute its commands with your client.
"""

from __future__ import annotations

import asyncio
import inspect
import warnings
from collections.abc import Awaitable
from typing import Any, Protocol

from hooksig._native import (
    PROCESSING_TTL,
    STORE_PREFIX,
    STORE_TIMEOUT_MS,
    InvalidArgument,
    SharedStore,
    StoreCommand,
    Verifier,
)
from hooksig._replay import (
    DEFAULT_RETRY_AFTER,
    DeliveryInProgress,
    ReplayStoreError,
    ReplayStoreUnavailable,
)

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


def _positive(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} must be an int, not {type(value).__name__}")
    if value < 1:
        raise InvalidArgument(f"{name} must be at least 1 second")
    return value


def _socket_timeout(client: object) -> object:
    """The client's socket_timeout (redis-py), or a marker when it cannot be told."""
    pool = getattr(client, "connection_pool", None)
    kwargs = getattr(pool, "connection_kwargs", None)
    if isinstance(kwargs, dict):
        return kwargs.get("socket_timeout")
    return ...


def _invocation(command: StoreCommand) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    """The redis-py method, arguments and keywords of one of the core's commands (the typed
    methods, so that any redis-py-like client works)."""
    value, ex = command.value, command.ttl
    if value is not None and ex is not None:  # SET
        keywords: dict[str, Any] = {"nx": True, "ex": ex} if command.only_if_absent else {"ex": ex}
        return "set", (command.key, value), keywords
    return ("get" if command.name == "GET" else "delete"), (command.key,), {}


def _from_url_client(module: Any, url: str, timeout: float) -> Any:
    """``module.Redis.from_url(url)`` with ``timeout`` seconds for connecting and for every
    command, and no client-side retries (the sender retries after a 503)."""
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    return module.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        retry=Retry(NoBackoff(), 0),  # one attempt: the sender retries, not the receiver
    )


class _RedisGuard:
    """What the synchronous and the asyncio guard share: arguments, the core's store contract,
    and the reading of replies."""

    __slots__ = ("client", "retry_after", "store")

    def __init__(
        self,
        client: Any,
        *,
        prefix: str,
        ttl: int | None,
        verifier: Verifier | None,
        processing_ttl: int,
        retry_after: int,
    ) -> None:
        name = type(self).__name__
        if not all(callable(getattr(client, m, None)) for m in ("set", "get", "delete")):
            raise InvalidArgument(
                "client must be a redis client (with set, get and delete methods)"
            )
        if not isinstance(prefix, str):
            raise InvalidArgument(f"prefix must be a str, not {type(prefix).__name__}")
        if ttl is None:
            if verifier is None:
                raise InvalidArgument(f"{name} needs ttl=SECONDS or verifier=...")
            if not isinstance(verifier, Verifier):
                raise InvalidArgument("verifier must be a hooksig.Verifier")
            ttl = verifier.replay_ttl
        # The core checks the TTLs (Redis's range) and caps processing_ttl at ttl.
        self.store = SharedStore(ttl, prefix=prefix, processing_ttl=processing_ttl)
        self.retry_after = _positive("retry_after", retry_after)
        self.client = client

    @property
    def prefix(self) -> str:
        """The key prefix."""
        return self.store.prefix

    @property
    def ttl(self) -> int:
        """Seconds a handled delivery is remembered."""
        return self.store.ttl

    @property
    def processing_ttl(self) -> int:
        """Seconds a claimed delivery stays "processing" (at most ``ttl``)."""
        return self.store.processing_ttl

    def _unavailable(self, command: StoreCommand) -> ReplayStoreUnavailable:
        # The client's message may name hosts: the caller keeps it as __cause__, not copied.
        return ReplayStoreUnavailable(f"Redis did not answer {command.name}", self.retry_after)

    def _lookup_needed(self, key: str, set_reply: object) -> StoreCommand | None:
        """After the claim (redis-py answers True when SET NX set the key, None when it was
        already there): None when the key is new, else the GET to send."""
        return None if self.store.claimed(bool(set_reply)) else self.store.lookup(key)

    def _answer(self, claimed: bool, value: object) -> bool:
        """``True`` for a new delivery, ``False`` for a duplicate; raises ``DeliveryInProgress``
        while it is being processed (or its marker expired in between)."""
        if claimed:
            return True
        state = self.store.looked_up(value if isinstance(value, (bytes, str)) else None)
        if state == "in_progress":
            raise DeliveryInProgress(
                "this delivery is being processed; retry later", self.retry_after
            )
        return False

    def __repr__(self) -> str:
        # The client is left out: its repr may name hosts or credentials.
        return (
            f"{type(self).__name__}(prefix={self.prefix!r}, ttl={self.ttl}, "
            f"processing_ttl={self.processing_ttl})"
        )


class RedisReplayGuard(_RedisGuard):
    """A replay guard in Redis, for receivers that run as several processes or machines.

    ``ttl`` (seconds a handled delivery is remembered) defaults to ``verifier.replay_ttl``
    when a verifier is given; one of the two is required. ``processing_ttl`` (default 60,
    at most ``ttl``) bounds how long an unconfirmed delivery blocks its retries. ``prefix``
    namespaces the keys (``hooksig:replay:github:sig:<...>``). ``retry_after`` is carried
    by the raised ``ReplayStoreError`` for callers driving the guard themselves; the Flask and
    FastAPI integrations answer the core's canonical ``Retry-After: 30``.
    """

    __slots__ = ()

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
        super().__init__(
            client,
            prefix=prefix,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            retry_after=retry_after,
        )
        if _socket_timeout(client) is None:
            warnings.warn(
                "RedisReplayGuard: this redis client has no socket_timeout, so a paused Redis "
                "blocks the request forever; create it with socket_timeout=2, "
                "socket_connect_timeout=2 (or use RedisReplayGuard.from_url)",
                RuntimeWarning,
                stacklevel=2,
            )

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        prefix: str = DEFAULT_PREFIX,
        ttl: int | None = None,
        verifier: Verifier | None = None,
        processing_ttl: int = DEFAULT_PROCESSING_TTL,
        retry_after: int = DEFAULT_RETRY_AFTER,
    ) -> RedisReplayGuard:
        """A guard over ``redis.Redis.from_url(url)`` with ``timeout`` seconds for connecting
        and for every command, and no client-side retries (the sender retries after a 503)."""
        import redis

        return cls(
            _from_url_client(redis, url, timeout),
            prefix=prefix,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            retry_after=retry_after,
        )

    def _run(self, command: StoreCommand) -> object:
        method, args, keywords = _invocation(command)
        try:
            reply = getattr(self.client, method)(*args, **keywords)
        except (ReplayStoreError, InvalidArgument):
            raise
        except Exception as err:  # redis.ConnectionError, redis.TimeoutError, ...
            raise self._unavailable(command) from err
        if inspect.isawaitable(reply):
            if inspect.iscoroutine(reply):
                reply.close()
            raise InvalidArgument(
                "RedisReplayGuard needs a synchronous client (redis.Redis); "
                "use AsyncRedisReplayGuard for redis.asyncio"
            )
        return reply

    def check_and_remember(self, key: str) -> bool:
        """``True`` if ``key`` is new (now "processing" for ``processing_ttl`` seconds: call
        ``confirm`` after the handler succeeded, ``forget`` after it failed), ``False`` for a
        confirmed duplicate. Raises ``DeliveryInProgress`` while it is being processed and
        ``ReplayStoreUnavailable`` when Redis does not answer."""
        lookup = self._lookup_needed(key, self._run(self.store.claim(key)))
        return self._answer(lookup is None, None if lookup is None else self._run(lookup))

    def confirm(self, key: str) -> None:
        """The handler succeeded: ``SET key done EX ttl`` (remembered for the full ttl)."""
        self._run(self.store.settle(key, "keep"))

    def forget(self, key: str) -> None:
        """``DEL prefix+key``, so that the sender's retry is processed."""
        self._run(self.store.settle(key, "release"))


class AsyncRedisReplayGuard(_RedisGuard):
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
        if isinstance(command_timeout, bool) or not isinstance(command_timeout, (int, float)):
            raise InvalidArgument(
                f"command_timeout must be a number, not {type(command_timeout).__name__}"
            )
        if not command_timeout > 0:
            raise InvalidArgument("command_timeout must be more than 0 seconds")
        self.command_timeout = float(command_timeout)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        prefix: str = DEFAULT_PREFIX,
        ttl: int | None = None,
        verifier: Verifier | None = None,
        processing_ttl: int = DEFAULT_PROCESSING_TTL,
        retry_after: int = DEFAULT_RETRY_AFTER,
    ) -> AsyncRedisReplayGuard:
        """A guard over ``redis.asyncio.Redis.from_url(url)`` with ``timeout`` seconds for
        connecting and for every command, and no client-side retries."""
        import redis.asyncio

        return cls(
            _from_url_client(redis.asyncio, url, timeout),
            prefix=prefix,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            retry_after=retry_after,
            command_timeout=timeout,
        )

    async def _run(self, command: StoreCommand) -> object:
        method, args, keywords = _invocation(command)
        try:
            reply = getattr(self.client, method)(*args, **keywords)
            if not inspect.isawaitable(reply):
                raise InvalidArgument(
                    "AsyncRedisReplayGuard needs a redis.asyncio client; "
                    "use RedisReplayGuard for redis.Redis"
                )
            return await asyncio.wait_for(reply, self.command_timeout)
        except (ReplayStoreError, InvalidArgument):
            raise
        except Exception as err:  # redis errors, asyncio.TimeoutError, ...
            raise self._unavailable(command) from err

    async def check_and_remember(self, key: str) -> bool:
        """As ``RedisReplayGuard.check_and_remember``, awaited."""
        lookup = self._lookup_needed(key, await self._run(self.store.claim(key)))
        return self._answer(lookup is None, None if lookup is None else await self._run(lookup))

    async def confirm(self, key: str) -> None:
        """The handler succeeded: ``SET key done EX ttl``."""
        await self._run(self.store.settle(key, "keep"))

    async def forget(self, key: str) -> None:
        """``DEL prefix+key``, so that the sender's retry is processed."""
        await self._run(self.store.settle(key, "release"))
