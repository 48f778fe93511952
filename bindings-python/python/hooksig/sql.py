"""Replay protection in the application's own database (PostgreSQL or SQLite).

``SqlReplayGuard(conn, verifier=v)`` keeps the same two-phase marker as ``RedisReplayGuard``
(the same keys, TTLs and answers) in one table (``ddl()``): ``check_and_remember`` inserts a
``processing`` row, taking over an expired one in the same atomic statement (no cron); if a live
row exists, ``done`` is a duplicate (``False``) and ``processing`` raises ``DeliveryInProgress``.
``confirm`` marks it ``done`` until ``now + ttl``, ``forget`` deletes it.

The statements, their parameters and the reading of each reply are the core's
(``hooksig::sql_store``, ``hooksig.SqlStore``). hooksig opens no connection: pass a DB-API
connection (``sqlite3.connect(path)``, ``psycopg.connect(dsn)``; used by one thread at a time)
or a pool with ``.connection()`` (``psycopg_pool.ConnectionPool``, which replaces broken
connections). Each statement is committed at once: use a connection dedicated to the guard.
``table`` (an identifier, optionally ``schema.table``) is created by ``create_table()`` or your
migration (``guard.ddl``); ``purge()`` deletes expired rows (optional). Expiry follows ``clock``
(default ``time.time``). Every database error is ``ReplayStoreUnavailable`` (503). Timeouts:
PostgreSQL ``connect_timeout=2`` and ``options="-c statement_timeout=2000"``, SQLite
``timeout=2``. ``AsyncSqlReplayGuard`` is the same over ``psycopg.AsyncConnection`` or
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
from hooksig._replay import DEFAULT_RETRY_AFTER
from hooksig._store import AsyncGuard, Steps, StoreGuard, SyncGuard, positive, shared_store

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


class _SqlGuard(StoreGuard):
    __slots__ = ("_alock", "_is_pool", "_lock", "clock", "conn", "placeholder")
    _store_name = "the database"
    store: SqlStore

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
        shared = shared_store(type(self).__name__, ttl, verifier, prefix, processing_ttl)
        if not callable(clock):
            raise InvalidArgument("clock must be a callable returning Unix seconds")
        self._is_pool = callable(getattr(conn, "connection", None))
        if not self._is_pool and not callable(getattr(conn, "cursor", None)):
            raise InvalidArgument(
                "conn must be a DB-API connection (with cursor) or a pool (with connection)"
            )
        dialect = dialect if dialect is not None else _detect(conn)
        super().__init__(SqlStore(shared, table=table, dialect=dialect), retry_after)
        self.placeholder = _PLACEHOLDER[self.store.dialect]
        self.clock = clock
        self.conn = conn
        self._lock = threading.Lock()
        self._alock: asyncio.Lock | None = None

    @property
    def table(self) -> str:
        """The table name."""
        return self.store.table

    @property
    def ddl(self) -> str:
        """The ``CREATE TABLE IF NOT EXISTS`` statement of this guard's table."""
        return self.store.create_table().sql(self.placeholder)

    def _at(self) -> tuple[int, ...]:
        return (int(self.clock()),)

    def _claimed(self, reply: object) -> bool:
        return self.store.claimed(reply if isinstance(reply, int) else 0) == "new"

    def _housekeeping(self, purge: bool) -> Steps:
        return self._one(self.store.purge(*self._at()) if purge else self.store.create_table())

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


class SqlReplayGuard(_SqlGuard, SyncGuard):
    """A replay guard in an SQL table (PostgreSQL or SQLite), for receivers that run as several
    processes or machines. Arguments as ``RedisReplayGuard``'s, plus ``table``, ``dialect``
    (detected for ``sqlite3`` and ``psycopg``) and ``clock``."""

    __slots__ = ()

    @contextlib.contextmanager
    def _connection(self) -> Iterator[Any]:
        if self._is_pool:
            with self.conn.connection() as conn:
                yield conn
        else:
            with self._lock:
                yield self.conn

    def _run(self, statement: SqlStatement) -> object:
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
        return result

    def create_table(self) -> None:
        """``CREATE TABLE IF NOT EXISTS`` (or run ``guard.ddl`` in a migration)."""
        self._drive(self._housekeeping(purge=False))

    def purge(self) -> None:
        """Deletes expired rows (optional: expired rows never answer anything)."""
        self._drive(self._housekeeping(purge=True))


class AsyncSqlReplayGuard(_SqlGuard, AsyncGuard):
    """``SqlReplayGuard`` over ``psycopg.AsyncConnection`` or
    ``psycopg_pool.AsyncConnectionPool``: coroutine methods that the FastAPI integration awaits,
    each statement bounded by ``command_timeout`` seconds (default 2)."""

    __slots__ = ("command_timeout",)

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
        self.command_timeout = float(positive("command_timeout", command_timeout, (int, float)))

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

    async def _run(self, statement: SqlStatement) -> object:
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

    async def create_table(self) -> None:
        """``CREATE TABLE IF NOT EXISTS``."""
        await self._drive(self._housekeeping(purge=False))

    async def purge(self) -> None:
        """Deletes expired rows."""
        await self._drive(self._housekeeping(purge=True))
