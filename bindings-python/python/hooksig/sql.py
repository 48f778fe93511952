"""Replay protection in the application's own database (PostgreSQL or SQLite).

``SqlReplayGuard(conn, verifier=v)`` keeps the same two-phase marker as ``RedisReplayGuard``
(the same keys ``hooksig:replay:<dedupe key>``, TTLs and answers), in one table::

    CREATE TABLE IF NOT EXISTS hooksig_replay (
      replay_key TEXT PRIMARY KEY NOT NULL,
      state TEXT NOT NULL,
      expires_at BIGINT NOT NULL   -- INTEGER in SQLite; Unix seconds
    )

* ``check_and_remember``: ``INSERT … 'processing' … ON CONFLICT (replay_key) DO UPDATE …
  WHERE expires_at <= now``: atomic, and an expired row is taken over by the claim itself (no
  cron). No row written: the live row's ``state`` is read; ``done`` is a duplicate (``False``),
  ``processing`` raises ``DeliveryInProgress`` (409 + ``Retry-After``).
* ``confirm`` (the handler succeeded): ``state = 'done'``, ``expires_at = now + ttl``.
* ``forget`` (the handler failed): ``DELETE`` (the retry runs the handler).

Every statement, its parameters and the reading of each reply are the core's
(``hooksig::sql_store``, ``hooksig.SqlStore``); this module only runs them with your
connection. hooksig opens no connection of its own: pass a DB-API connection
(``sqlite3.connect(path)``, ``psycopg.connect(dsn)``) or a pool with ``.connection()``
(``psycopg_pool.ConnectionPool``; a broken connection is replaced by the pool, so the guard
recovers after a database restart). Each statement is committed at once (claims must be seen by
the other processes): use a connection dedicated to the guard, or a pool. A single connection
is used by one thread at a time (a lock).

``table`` (default ``hooksig_replay``, an identifier, optionally ``schema.table``) is created by
``guard.create_table()`` or by your migration (``guard.ddl``). ``guard.purge()`` deletes expired
rows (optional housekeeping). Expiry follows the application's clock (``clock``, default
``time.time``). Every database error is ``ReplayStoreUnavailable`` (503 + ``Retry-After: 30``),
as a Redis failure. Timeouts: give PostgreSQL connections ``connect_timeout=2`` and
``options="-c statement_timeout=2000"`` (the core's 2 s), SQLite ``timeout=2``.

``AsyncSqlReplayGuard`` is the same over ``psycopg.AsyncConnection`` or
``psycopg_pool.AsyncConnectionPool`` (FastAPI), each statement bounded by ``command_timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Literal

from hooksig._native import (
    DEFAULT_SQL_TABLE,
    PROCESSING_TTL,
    STORE_PREFIX,
    STORE_TIMEOUT_MS,
    InvalidArgument,
    SharedStore,
    SqlStatement,
    SqlStore,
    Verifier,
)
from hooksig._replay import (
    DEFAULT_RETRY_AFTER,
    DeliveryInProgress,
    ReplayStoreError,
    ReplayStoreUnavailable,
)

__all__ = [
    "DEFAULT_TABLE",
    "AsyncSqlReplayGuard",
    "SqlReplayGuard",
    "ddl",
]

#: The default table name (the core's).
DEFAULT_TABLE: str = DEFAULT_SQL_TABLE

Dialect = Literal["postgres", "sqlite"]
_PLACEHOLDER: dict[str, Literal["?", "%s"]] = {"sqlite": "?", "postgres": "%s"}


def ddl(table: str = DEFAULT_TABLE, dialect: Dialect = "postgres") -> str:
    """The ``CREATE TABLE IF NOT EXISTS`` statement, for a migration."""
    return SqlStore(SharedStore(1), table=table, dialect=dialect).create_table().sql()


def _detect(conn: object) -> Dialect:
    module = type(conn).__module__.split(".")[0]
    if module == "sqlite3":
        return "sqlite"
    if module in ("psycopg", "psycopg_pool", "psycopg2"):
        return "postgres"
    raise InvalidArgument(
        f"cannot tell the SQL dialect of a {type(conn).__name__}: pass dialect='postgres' or "
        "dialect='sqlite'"
    )


class _SqlGuard:
    __slots__ = ("_is_pool", "clock", "conn", "placeholder", "retry_after", "store")

    def __init__(
        self,
        conn: Any,
        *,
        table: str,
        dialect: Dialect | None,
        ttl: int | None,
        verifier: Verifier | None,
        processing_ttl: int,
        prefix: str,
        retry_after: int,
        clock: Callable[[], float],
    ) -> None:
        name = type(self).__name__
        if ttl is None:
            if verifier is None:
                raise InvalidArgument(f"{name} needs ttl=SECONDS or verifier=...")
            if not isinstance(verifier, Verifier):
                raise InvalidArgument("verifier must be a hooksig.Verifier")
            ttl = verifier.replay_ttl
        if not callable(clock):
            raise InvalidArgument("clock must be a callable returning Unix seconds")
        if isinstance(retry_after, bool) or not isinstance(retry_after, int) or retry_after < 1:
            raise InvalidArgument("retry_after must be an int of at least 1 second")
        self._is_pool = callable(getattr(conn, "connection", None))
        if not self._is_pool and not callable(getattr(conn, "cursor", None)):
            raise InvalidArgument(
                "conn must be a DB-API connection (with cursor) or a pool (with connection)"
            )
        dialect = dialect if dialect is not None else _detect(conn)
        shared = SharedStore(ttl, prefix=prefix, processing_ttl=processing_ttl)
        self.store = SqlStore(shared, table=table, dialect=dialect)
        self.placeholder = _PLACEHOLDER[self.store.dialect]
        self.retry_after = retry_after
        self.clock = clock
        self.conn = conn

    @property
    def table(self) -> str:
        """The table name."""
        return self.store.table

    @property
    def ttl(self) -> int:
        """Seconds a handled delivery is remembered."""
        return self.store.ttl

    @property
    def processing_ttl(self) -> int:
        """Seconds a claimed delivery stays "processing"."""
        return self.store.processing_ttl

    @property
    def ddl(self) -> str:
        """The ``CREATE TABLE IF NOT EXISTS`` statement of this guard's table."""
        return self.store.create_table().sql(self.placeholder)

    def _now(self) -> int:
        return int(self.clock())

    def _unavailable(self, statement: SqlStatement) -> ReplayStoreUnavailable:
        # The driver's message may name hosts: the caller keeps it as __cause__.
        return ReplayStoreUnavailable(
            f"the database did not answer the {statement.name}", self.retry_after
        )

    def _answer(self, state: object) -> bool:
        if self.store.looked_up(state) == "in_progress":
            raise DeliveryInProgress(
                "this delivery is being processed; retry later", self.retry_after
            )
        return False

    @staticmethod
    def _read(cursor: Any, statement: SqlStatement) -> object:
        if statement.reply == "rowcount":
            return int(cursor.rowcount)
        if statement.reply == "value":
            row = cursor.fetchone()
            return None if row is None else row[0]
        return None

    def __repr__(self) -> str:
        # The connection is left out: its repr may name hosts or credentials.
        return (
            f"{type(self).__name__}(table={self.table!r}, dialect={self.store.dialect!r}, "
            f"ttl={self.ttl}, processing_ttl={self.processing_ttl})"
        )


class SqlReplayGuard(_SqlGuard):
    """A replay guard in an SQL table (PostgreSQL or SQLite), for receivers that run as several
    processes or machines. Arguments as ``RedisReplayGuard``'s, plus ``table``, ``dialect``
    (detected for ``sqlite3`` and ``psycopg``) and ``clock``."""

    __slots__ = ("_lock",)

    def __init__(
        self,
        conn: Any,
        *,
        table: str = DEFAULT_TABLE,
        dialect: Dialect | None = None,
        ttl: int | None = None,
        verifier: Verifier | None = None,
        processing_ttl: int = PROCESSING_TTL,
        prefix: str = STORE_PREFIX,
        retry_after: int = DEFAULT_RETRY_AFTER,
        clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            conn,
            table=table,
            dialect=dialect,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            prefix=prefix,
            retry_after=retry_after,
            clock=clock,
        )
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        if self._is_pool:
            with self.conn.connection() as conn:
                yield conn
        else:
            with self._lock:
                yield self.conn

    def _run(self, statement: SqlStatement) -> object:
        try:
            with self._connection() as conn:
                cursor = conn.cursor()
                try:
                    cursor.execute(statement.sql(self.placeholder), statement.params)
                    result = self._read(cursor, statement)
                    conn.commit()
                except BaseException:
                    with contextlib.suppress(Exception):
                        conn.rollback()
                    raise
                finally:
                    with contextlib.suppress(Exception):
                        cursor.close()
        except (ReplayStoreError, InvalidArgument):
            raise
        except Exception as err:  # sqlite3.Error, psycopg.Error, pool timeouts, ...
            raise self._unavailable(statement) from err
        return result

    def create_table(self) -> None:
        """``CREATE TABLE IF NOT EXISTS`` (or run ``guard.ddl`` in a migration)."""
        self._run(self.store.create_table())

    def purge(self) -> None:
        """Deletes expired rows (optional: expired rows never answer anything)."""
        self._run(self.store.purge(self._now()))

    def check_and_remember(self, key: str) -> bool:
        """``True`` if ``key`` is new (now "processing"), ``False`` for a confirmed duplicate.
        Raises ``DeliveryInProgress`` while it is being processed and
        ``ReplayStoreUnavailable`` when the database does not answer."""
        now = self._now()
        rows = self._run(self.store.claim(key, now))
        if self.store.claimed(rows if isinstance(rows, int) else 0) == "new":
            return True
        return self._answer(self._run(self.store.lookup(key, now)))

    def confirm(self, key: str) -> None:
        """The handler succeeded: ``done`` until ``now + ttl``."""
        self._run(self.store.settle(key, "keep", self._now()))

    def forget(self, key: str) -> None:
        """Deletes the row, so that the sender's retry is processed."""
        self._run(self.store.settle(key, "release", self._now()))


class AsyncSqlReplayGuard(_SqlGuard):
    """``SqlReplayGuard`` over ``psycopg.AsyncConnection`` or
    ``psycopg_pool.AsyncConnectionPool``: coroutine methods that the FastAPI integration awaits,
    each statement bounded by ``command_timeout`` seconds (default 2)."""

    __slots__ = ("_alock", "command_timeout")

    def __init__(
        self,
        conn: Any,
        *,
        table: str = DEFAULT_TABLE,
        dialect: Dialect | None = None,
        ttl: int | None = None,
        verifier: Verifier | None = None,
        processing_ttl: int = PROCESSING_TTL,
        prefix: str = STORE_PREFIX,
        retry_after: int = DEFAULT_RETRY_AFTER,
        clock: Callable[[], float] = time.time,
        command_timeout: float = STORE_TIMEOUT_MS / 1000,
    ) -> None:
        super().__init__(
            conn,
            table=table,
            dialect=dialect,
            ttl=ttl,
            verifier=verifier,
            processing_ttl=processing_ttl,
            prefix=prefix,
            retry_after=retry_after,
            clock=clock,
        )
        if isinstance(command_timeout, bool) or not isinstance(command_timeout, (int, float)):
            raise InvalidArgument("command_timeout must be a number")
        if not command_timeout > 0:
            raise InvalidArgument("command_timeout must be more than 0 seconds")
        self.command_timeout = float(command_timeout)
        self._alock: asyncio.Lock | None = None

    @contextlib.asynccontextmanager
    async def _connection(self) -> AsyncIterator[Any]:
        if self._is_pool:
            async with self.conn.connection() as conn:
                yield conn
        else:
            if self._alock is None:
                self._alock = asyncio.Lock()
            async with self._alock:
                yield self.conn

    async def _execute(self, statement: SqlStatement) -> object:
        async with self._connection() as conn:
            cursor = conn.cursor()
            try:
                await cursor.execute(statement.sql(self.placeholder), statement.params)
                result = (
                    (await cursor.fetchone() or [None])[0]
                    if statement.reply == "value"
                    else self._read(cursor, statement)
                )
                await conn.commit()
            except BaseException:
                with contextlib.suppress(Exception):
                    await conn.rollback()
                raise
            finally:
                with contextlib.suppress(Exception):
                    await cursor.close()
        return result

    async def _run(self, statement: SqlStatement) -> object:
        try:
            return await asyncio.wait_for(self._execute(statement), self.command_timeout)
        except (ReplayStoreError, InvalidArgument):
            raise
        except Exception as err:  # psycopg.Error, asyncio.TimeoutError, ...
            raise self._unavailable(statement) from err

    async def create_table(self) -> None:
        """``CREATE TABLE IF NOT EXISTS``."""
        await self._run(self.store.create_table())

    async def purge(self) -> None:
        """Deletes expired rows."""
        await self._run(self.store.purge(self._now()))

    async def check_and_remember(self, key: str) -> bool:
        """As ``SqlReplayGuard.check_and_remember``, awaited."""
        now = self._now()
        rows = await self._run(self.store.claim(key, now))
        if self.store.claimed(rows if isinstance(rows, int) else 0) == "new":
            return True
        return self._answer(await self._run(self.store.lookup(key, now)))

    async def confirm(self, key: str) -> None:
        """The handler succeeded: ``done`` until ``now + ttl``."""
        await self._run(self.store.settle(key, "keep", self._now()))

    async def forget(self, key: str) -> None:
        """Deletes the row, so that the sender's retry is processed."""
        await self._run(self.store.settle(key, "release", self._now()))
