"""What every shared-store replay guard has in common (``hooksig.redis``, ``hooksig.sql``): the
arguments, the core's store contract (``SharedStore`` or ``SqlStore``) as one sequence of
commands, and the synchronous and asyncio ways of running it. A guard class adds only its
store's I/O (``_run``: one command, one reply)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Generator, Iterator
from typing import Any, Literal

from hooksig._native import InvalidArgument, SharedStore, Verifier
from hooksig._replay import DeliveryInProgress, ReplayStoreError, ReplayStoreUnavailable

#: The core's commands for one guard operation: each reply is sent back in, the result returned.
Steps = Generator[Any, object, bool]


def shared_store(
    name: str, ttl: int | None, verifier: Verifier | None, prefix: str, processing_ttl: int
) -> SharedStore:
    """The core's store contract for ``ttl`` (default ``verifier.replay_ttl``); the core checks
    the TTLs and the prefix."""
    if ttl is None:
        if verifier is None:
            raise InvalidArgument(f"{name} needs ttl=SECONDS or verifier=...")
        if not isinstance(verifier, Verifier):
            raise InvalidArgument("verifier must be a hooksig.Verifier")
        ttl = verifier.replay_ttl
    return SharedStore(ttl, prefix=prefix, processing_ttl=processing_ttl)


def positive(name: str, value: Any, kind: Any = int) -> Any:
    """``value`` if it is a ``kind`` (never a bool) above 0, else ``InvalidArgument``."""
    if isinstance(value, bool) or not isinstance(value, kind) or not value > 0:
        raise InvalidArgument(f"{name} must be a positive number of seconds")
    return value


class StoreGuard:
    """The guard cycle over the core's commands; ``_run`` is the store's I/O."""

    __slots__ = ("retry_after", "store")

    #: What the store is called in ``ReplayStoreUnavailable``'s message.
    _store_name = "the store"
    store: Any

    def __init__(self, store: Any, retry_after: int) -> None:
        self.retry_after: int = positive("retry_after", retry_after)
        self.store = store

    @property
    def ttl(self) -> int:
        """Seconds a handled delivery is remembered."""
        return int(self.store.ttl)

    @property
    def processing_ttl(self) -> int:
        """Seconds a claimed delivery stays "processing" (at most ``ttl``)."""
        return int(self.store.processing_ttl)

    def _at(self) -> tuple[int, ...]:
        """The extra arguments of the core's commands (the SQL store's ``now``)."""
        return ()

    def _claimed(self, reply: object) -> bool:
        """Whether the claim's reply says that the key was set."""
        raise NotImplementedError

    def _check(self, key: str) -> Steps:
        at = self._at()
        if self._claimed((yield self.store.claim(key, *at))):
            return True
        if self.store.looked_up((yield self.store.lookup(key, *at))) == "in_progress":
            raise DeliveryInProgress(
                "this delivery is being processed; retry later", self.retry_after
            )
        return False

    def _settle(self, key: str, action: Literal["keep", "release"]) -> Steps:
        return self._one(self.store.settle(key, action, *self._at()))

    @staticmethod
    def _one(command: Any) -> Steps:
        yield command
        return True

    @contextlib.contextmanager
    def _answering(self, command: Any) -> Iterator[None]:
        """A store failure (connection error, timeout, ...) as ``ReplayStoreUnavailable``, with
        the original as ``__cause__`` (not copied: a client's message may name hosts)."""
        try:
            yield
        except (ReplayStoreError, InvalidArgument):
            raise
        except Exception as err:
            message = f"{self._store_name} did not answer the {command.name}"
            raise ReplayStoreUnavailable(message, self.retry_after) from err


class SyncGuard(StoreGuard):
    """A guard whose ``_run`` returns the reply."""

    __slots__ = ()

    def _run(self, command: Any) -> object:
        raise NotImplementedError

    def _drive(self, steps: Steps) -> bool:
        try:
            command = next(steps)
            while True:
                with self._answering(command):
                    reply = self._run(command)
                command = steps.send(reply)
        except StopIteration as done:
            return bool(done.value)

    def check_and_remember(self, key: str) -> bool:
        """``True`` if ``key`` is new (now "processing" for ``processing_ttl`` seconds: call
        ``confirm`` after the handler succeeded, ``forget`` after it failed), ``False`` for a
        confirmed duplicate. Raises ``DeliveryInProgress`` while it is being processed and
        ``ReplayStoreUnavailable`` when the store does not answer."""
        return self._drive(self._check(key))

    def confirm(self, key: str) -> None:
        """The handler succeeded: the key is "done" for the full ``ttl``."""
        self._drive(self._settle(key, "keep"))

    def forget(self, key: str) -> None:
        """The handler failed: the key is deleted, so that the sender's retry is processed."""
        self._drive(self._settle(key, "release"))


class AsyncGuard(StoreGuard):
    """A guard whose ``_run`` is a coroutine, each command bounded by ``command_timeout``."""

    __slots__ = ()
    command_timeout: float

    async def _run(self, command: Any) -> object:
        raise NotImplementedError

    async def _drive(self, steps: Steps) -> bool:
        try:
            command = next(steps)
            while True:
                with self._answering(command):
                    reply = await asyncio.wait_for(self._run(command), self.command_timeout)
                command = steps.send(reply)
        except StopIteration as done:
            return bool(done.value)

    async def check_and_remember(self, key: str) -> bool:
        """As the synchronous guard's ``check_and_remember``, awaited."""
        return await self._drive(self._check(key))

    async def confirm(self, key: str) -> None:
        """The handler succeeded: the key is "done" for the full ``ttl``."""
        await self._drive(self._settle(key, "keep"))

    async def forget(self, key: str) -> None:
        """The handler failed: the key is deleted, so that the sender's retry is processed."""
        await self._drive(self._settle(key, "release"))
