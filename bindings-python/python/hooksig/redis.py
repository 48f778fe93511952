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
connection, ...) is raised as ``ReplayStoreUnavailable``; the Flask and FastAPI integrations
answer it with the core's 503, ``Retry-After: 30`` and ``{"error":"replay_store_unavailable",
"message":...}``, so the sender retries.

hooksig does not depend on the ``redis`` package: pass the synchronous client your application
already uses (``redis.Redis``, ``redis.RedisCluster``, or anything with ``set``/``get``/
``delete``). ``pip install "hooksig[redis]"`` installs redis-py.
"""

from __future__ import annotations

import inspect
import warnings
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


class RedisReplayGuard:
    """A replay guard in Redis, for receivers that run as several processes or machines.

    ``ttl`` (seconds a handled delivery is remembered) defaults to ``verifier.replay_ttl``
    when a verifier is given; one of the two is required. ``processing_ttl`` (default 60,
    at most ``ttl``) bounds how long an unconfirmed delivery blocks its retries. ``prefix``
    namespaces the keys (``hooksig:replay:github:sig:<...>``). ``retry_after`` is carried
    by the raised ``ReplayStoreError`` for callers driving the guard themselves; the Flask and
    FastAPI integrations answer the core's canonical ``Retry-After: 30``.
    """

    __slots__ = ("client", "retry_after", "store")

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
        if not isinstance(prefix, str):
            raise InvalidArgument(f"prefix must be a str, not {type(prefix).__name__}")
        if ttl is None:
            if verifier is None:
                raise InvalidArgument("RedisReplayGuard needs ttl=SECONDS or verifier=...")
            if not isinstance(verifier, Verifier):
                raise InvalidArgument("verifier must be a hooksig.Verifier")
            ttl = verifier.replay_ttl
        # The core checks the TTLs (Redis's range) and caps processing_ttl at ttl.
        self.store = SharedStore(ttl, prefix=prefix, processing_ttl=processing_ttl)
        self.retry_after = _positive("retry_after", retry_after)
        self.client = client
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
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        client: Any = redis.Redis.from_url(
            url,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
            retry=Retry(NoBackoff(), 0),  # one attempt: the sender retries, not the receiver
        )
        return cls(
            client,
            prefix=prefix,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            retry_after=retry_after,
        )

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

    def _run(self, command: StoreCommand) -> object:
        """Executes one of the core's commands with the client (its typed methods, so that
        any redis-py-like client works)."""
        try:
            value, ex = command.value, command.ttl
            if value is not None and ex is not None:  # SET
                if command.only_if_absent:
                    reply = self.client.set(command.key, value, nx=True, ex=ex)
                else:
                    reply = self.client.set(command.key, value, ex=ex)
            elif command.name == "GET":
                reply = self.client.get(command.key)
            else:
                reply = self.client.delete(command.key)
        except (ReplayStoreError, InvalidArgument):
            raise
        except Exception as err:  # redis.ConnectionError, redis.TimeoutError, ...
            # The client's message may name hosts: kept as __cause__, not copied.
            raise ReplayStoreUnavailable(
                f"Redis did not answer {command.name}", self.retry_after
            ) from err
        if inspect.isawaitable(reply):
            if inspect.iscoroutine(reply):
                reply.close()
            raise InvalidArgument(
                "RedisReplayGuard needs a synchronous client (redis.Redis), not redis.asyncio"
            )
        return reply

    def check_and_remember(self, key: str) -> bool:
        """``True`` if ``key`` is new (now "processing" for ``processing_ttl`` seconds: call
        ``confirm`` after the handler succeeded, ``forget`` after it failed), ``False`` for a
        confirmed duplicate. Raises ``DeliveryInProgress`` while it is being processed and
        ``ReplayStoreUnavailable`` when Redis does not answer."""
        # redis-py answers True when SET NX set the key and None when it was already there.
        answer: str | None = self.store.claimed(bool(self._run(self.store.claim(key))))
        if answer is None:
            value = self._run(self.store.lookup(key))
            answer = self.store.looked_up(value if isinstance(value, (bytes, str)) else None)
        if answer == "in_progress":
            raise DeliveryInProgress(
                "this delivery is being processed; retry later", self.retry_after
            )
        return answer == "new"

    def confirm(self, key: str) -> None:
        """The handler succeeded: ``SET key done EX ttl`` (remembered for the full ttl)."""
        self._run(self.store.settle(key, "keep"))

    def forget(self, key: str) -> None:
        """``DEL prefix+key``, so that the sender's retry is processed."""
        self._run(self.store.settle(key, "release"))

    def __repr__(self) -> str:
        # The client is left out: its repr may name hosts or credentials.
        return (
            f"RedisReplayGuard(prefix={self.prefix!r}, ttl={self.ttl}, "
            f"processing_ttl={self.processing_ttl})"
        )
