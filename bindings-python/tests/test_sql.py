"""``hooksig.sql.SqlReplayGuard`` against a real PostgreSQL that this file starts
(scripts/postgres.sh: initdb in a temp dir, 127.0.0.1, a free port) and a real SQLite file:

* exactly once: two receiver processes (tests/sql_receiver.py) and 8 concurrent deliveries of
  one event: the handler runs once; the others are 409 (in progress) then duplicates;
* expiry follows the injected clock: a ``processing`` claim blocks its retries until
  ``processing_ttl``, a ``done`` row until ``ttl``; expired rows are reclaimed by the claim;
* a failed handler releases the claim, so the retry runs it;
* the database stopped (PostgreSQL) or locked (SQLite) mid-run: 503 + ``Retry-After``, the
  handler does not run; afterwards the delivery is handled once, and a claim whose release was
  lost blocks retries (409) only until its processing ttl: no event lost, none run twice;
* the shared receiver table's ``memory`` guard cases with each store (Flask, and FastAPI with
  ``AsyncSqlReplayGuard`` over psycopg's async pool).
"""

import asyncio
import concurrent.futures
import contextlib
import functools
import json
import os
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import flask
import psycopg
import psycopg_pool
import pytest
from test_receiver_cases import CASES, IDS, Calls, flask_app, run_case
from test_receivers import free_port, wait_until
from werkzeug.serving import make_server

import hooksig
import hooksig.sql
from conftest import REPO
from hooksig.flask import verify_webhook

SECRET = "whsec_sql_py"
PATH = "/webhooks/algoguard"
SCRIPT = REPO / "scripts/postgres.sh"
HERE = Path(__file__).parent


class Postgres:
    """A private PostgreSQL on one port: stop and start again (same data, same port)."""

    def __init__(self) -> None:
        self.dir = f"/tmp/hooksig-pg-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.dsn = self.start()

    def start(self) -> str:
        env = {**os.environ, "PG_PORT": str(self.port)}
        out = subprocess.run(
            ["bash", str(SCRIPT), "start", self.dir], env=env, check=True, capture_output=True
        )
        return out.stdout.decode().strip() + "?connect_timeout=2"

    def stop(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "stop", self.dir], check=True)

    def destroy(self) -> None:
        subprocess.run(["bash", str(SCRIPT), "destroy", self.dir], check=False)


@pytest.fixture(scope="module")
def postgres() -> Iterator[Postgres]:
    pg = Postgres()
    try:
        yield pg
    finally:
        pg.destroy()


class Db:
    """One backend: ``connect()`` a fresh connection, ``target`` for a receiver process."""

    def __init__(self, kind: str, target: str) -> None:
        self.kind, self.target = kind, target
        self.table = f"replay_{uuid.uuid4().hex[:8]}"

    def connect(self) -> Any:
        if self.kind == "sqlite":
            return sqlite3.connect(self.target, timeout=5, check_same_thread=False)
        return psycopg.connect(self.target, autocommit=True)

    def pool(self) -> Any:
        """What a receiver passes: a shared sqlite3 connection, or a psycopg pool."""
        if self.kind == "sqlite":
            return self.connect()
        return psycopg_pool.ConnectionPool(
            self.target, min_size=1, max_size=4, open=True, timeout=2
        )

    def query(self, sql: str) -> list[Any]:
        conn = self.connect()
        try:
            cursor = conn.execute(sql)
            rows = list(cursor.fetchall()) if cursor.description else []
            conn.commit()
            return rows
        finally:
            conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Db:
    if request.param == "sqlite":
        return Db("sqlite", str(tmp_path / "app.sqlite3"))
    pg: Postgres = request.getfixturevalue("postgres")
    return Db("postgres", pg.dsn)


def signed(event_id: str, extra: dict[str, Any] | None = None) -> tuple[bytes, dict[str, str]]:
    body = json.dumps({"id": event_id, "event": "license.created", **(extra or {})}).encode()
    return body, hooksig.sign("algoguard", SECRET, body)


def verifier() -> hooksig.Verifier:
    return hooksig.Verifier("algoguard", secret=SECRET)


# --- the contract, on both backends ---------------------------------------------------------


def test_ddl_and_arguments() -> None:
    assert hooksig.sql.ddl("app.seen", "postgres") == (
        "CREATE TABLE IF NOT EXISTS app.seen (replay_key TEXT PRIMARY KEY NOT NULL, "
        "state TEXT NOT NULL, expires_at BIGINT NOT NULL)"
    )
    assert "expires_at INTEGER" in hooksig.sql.ddl(dialect="sqlite")
    conn = sqlite3.connect(":memory:")
    for bad in ["x; DROP TABLE y", "", "a.b.c", "1x"]:
        with pytest.raises(hooksig.InvalidArgument):
            hooksig.sql.SqlReplayGuard(conn, ttl=5, table=bad)
    with pytest.raises(hooksig.InvalidArgument):
        hooksig.sql.SqlReplayGuard(conn)  # neither ttl nor verifier
    with pytest.raises(hooksig.InvalidArgument):
        hooksig.sql.SqlReplayGuard(object(), ttl=5)
    guard = hooksig.sql.SqlReplayGuard(conn, verifier=verifier())
    assert (guard.ttl, guard.processing_ttl, guard.store.dialect) == (660, 60, "sqlite")
    assert repr(guard).startswith("SqlReplayGuard(table='hooksig_replay'")


def test_expiry_follows_the_injected_clock(db: Db) -> None:
    now = [1_000_000.0]
    guard = hooksig.sql.SqlReplayGuard(
        db.connect(), ttl=600, processing_ttl=30, table=db.table, clock=lambda: now[0]
    )
    guard.create_table()
    guard.create_table()  # IF NOT EXISTS
    assert guard.check_and_remember("k") is True
    with pytest.raises(hooksig.DeliveryInProgress):
        guard.check_and_remember("k")
    now[0] += 30  # the processing claim expired (its handler died): the claim takes it over
    assert guard.check_and_remember("k") is True
    guard.confirm("k")
    now[0] += 599
    assert guard.check_and_remember("k") is False  # done: a duplicate for the full ttl
    now[0] += 1
    assert guard.check_and_remember("k") is True  # expired: reclaimed, no cron
    guard.forget("k")
    assert guard.check_and_remember("k") is True
    rows = db.query(f"SELECT replay_key, state, expires_at FROM {db.table}")
    assert rows == [("hooksig:replay:k", "processing", int(now[0]) + 30)]
    guard.check_and_remember("other")
    now[0] += 31
    guard.purge()
    assert db.query(f"SELECT count(*) FROM {db.table}") == [(0,)]


def test_a_failed_handler_releases_the_claim(db: Db) -> None:
    guard = hooksig.sql.SqlReplayGuard(db.pool(), verifier=verifier(), table=db.table)
    guard.create_table()
    runs: list[str] = []
    app = flask.Flask("sql_release")

    @app.post(PATH)
    @verify_webhook(verifier(), guard=guard)
    def handle(webhook: hooksig.Verified) -> dict[str, object]:
        runs.append("attempt")
        if len(runs) == 1:
            raise RuntimeError("the handler failed (a test)")
        return {"handled": webhook.id}

    body, headers = signed("evt_fail")
    client = app.test_client()
    assert client.post(PATH, data=body, headers=headers).status_code == 500
    assert db.query(f"SELECT count(*) FROM {db.table}") == [(0,)]
    second = client.post(PATH, data=body, headers=headers)
    assert (second.status_code, second.get_json()) == (200, {"handled": "evt_fail"})
    third = client.post(PATH, data=body, headers=headers)
    assert (third.status_code, third.get_json()) == (200, {"status": "duplicate"})
    assert runs == ["attempt", "attempt"]
    assert db.query(f"SELECT state FROM {db.table}") == [("done",)]


def test_exactly_once_with_two_processes(db: Db) -> None:
    setup = hooksig.sql.SqlReplayGuard(db.connect(), ttl=600, table=db.table)
    setup.create_table()
    db.query(f"CREATE TABLE {db.table}_runs (id TEXT NOT NULL, pid INTEGER NOT NULL)")
    ports = [free_port(), free_port()]
    env = {**os.environ, "ALGOGUARD_SECRET": SECRET}
    procs = [
        subprocess.Popen(
            [sys.executable, str(HERE / "sql_receiver.py"), db.kind, str(p), db.target, db.table],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports
    ]
    try:
        import httpx

        for p in ports:
            wait_until(functools.partial(_accepts, p), f"sql_receiver on {p} did not start")
        body, headers = signed("evt_once")

        def deliver(i: int) -> tuple[int, Any]:
            r = httpx.post(
                f"http://127.0.0.1:{ports[i % 2]}{PATH}", content=body, headers=headers, timeout=30
            )
            return r.status_code, r.json()

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(deliver, range(8)))
        handled = [a for a in answers if a[0] == 200 and "handled" in a[1]]
        assert len(handled) == 1, answers
        for status, answer in answers:
            if status == 409:
                assert answer["error"] == "delivery_in_progress", answers
            else:
                assert status == 200 and answer in (handled[0][1], {"status": "duplicate"}), answers
        # The senders' retries: every one is a duplicate now.
        assert [deliver(i) for i in range(4)] == [(200, {"status": "duplicate"})] * 4
        assert db.query(f"SELECT id FROM {db.table}_runs") == [("evt_once",)]
    finally:
        for proc in procs:
            proc.terminate()
            proc.wait(10)


def _accepts(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


# --- the database unavailable ---------------------------------------------------------------


@contextlib.contextmanager
def unavailable(db: Db, request: pytest.FixtureRequest) -> Iterator[None]:
    """PostgreSQL stopped (then started again on the same port); SQLite locked by another
    connection (then released)."""
    if db.kind == "postgres":
        pg: Postgres = request.getfixturevalue("postgres")
        pg.stop()
        try:
            yield
        finally:
            pg.start()
    else:
        holder = sqlite3.connect(db.target, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            holder.execute("ROLLBACK")
            holder.close()


def test_the_database_down_mid_run(db: Db, request: pytest.FixtureRequest) -> None:
    now = [2_000_000.0]
    if db.kind == "sqlite":
        conn: Any = sqlite3.connect(db.target, timeout=0.2, check_same_thread=False)
    else:
        conn = db.pool()
    guard = hooksig.sql.SqlReplayGuard(
        conn, verifier=verifier(), table=db.table, clock=lambda: now[0]
    )
    guard.create_table()
    runs: dict[str, int] = {}
    fail_once = {"evt_lost_release"}
    outage: list[Any] = []
    app = flask.Flask("sql_down")

    @app.post(PATH)
    @verify_webhook(verifier(), guard=guard)
    def handle(webhook: hooksig.Verified) -> dict[str, object]:
        key = str(webhook.id)
        if key in fail_once:
            fail_once.discard(key)
            outage.append(unavailable(db, request))
            outage[-1].__enter__()  # the database goes away before the release
            raise RuntimeError("the handler failed (a test)")
        runs[key] = runs.get(key, 0) + 1
        return {"handled": key}

    client = app.test_client()
    body, headers = signed("evt_down")
    with unavailable(db, request):
        for _ in range(2):
            r = client.post(PATH, data=body, headers=headers)
            assert r.status_code == 503, r.data
            assert r.headers["Retry-After"] == "30"
            assert r.get_json()["error"] == "replay_store_unavailable"
    assert runs == {}
    # After the outage (a pool replaces its broken connections).
    wait_until(
        lambda: client.post(PATH, data=body, headers=headers).status_code != 503, "no recovery"
    )
    assert runs == {"evt_down": 1}
    again = client.post(PATH, data=body, headers=headers)
    assert (again.status_code, again.get_json()) == (200, {"status": "duplicate"})

    # The handler fails and the database is gone before the release: the claim stays
    # "processing"; the retries are 409 until it expires, then the handler runs (not lost).
    body, headers = signed("evt_lost_release")
    assert client.post(PATH, data=body, headers=headers).status_code == 500
    outage.pop().__exit__(None, None, None)
    wait_until(lambda: client.post(PATH, data=body, headers=headers).status_code == 409, "no 409")
    now[0] += guard.processing_ttl
    r = client.post(PATH, data=body, headers=headers)
    assert (r.status_code, r.get_json()) == (200, {"handled": "evt_lost_release"})
    assert client.post(PATH, data=body, headers=headers).get_json() == {"status": "duplicate"}
    assert runs == {"evt_down": 1, "evt_lost_release": 1}


# --- the shared receiver table, with each store --------------------------------------------

MEMORY = [n for n, case in enumerate(CASES) if case.get("guard") == "memory"]


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def sql_flask_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, Calls]]:
    if request.param == "sqlite":
        db = Db("sqlite", str(tmp_path_factory.mktemp("cases") / "cases.sqlite3"))
    else:
        db = Db("postgres", request.getfixturevalue("postgres").dsn)
    conn = db.pool()
    hooksig.sql.SqlReplayGuard(conn, ttl=5, table=db.table).create_table()

    def make_guard(n: int, v: hooksig.Verifier) -> Any:
        return hooksig.sql.SqlReplayGuard(conn, verifier=v, table=db.table, prefix=f"case{n}:")

    calls: Calls = dict.fromkeys(range(len(CASES)), 0)
    server = make_server("127.0.0.1", 0, flask_app(calls, make_guard), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.port, calls
    finally:
        server.shutdown()
        thread.join()
        conn.close()


@pytest.mark.parametrize("n", MEMORY, ids=[IDS[n] for n in MEMORY])
def test_the_table_with_sql_stores(sql_flask_server: tuple[int, Calls], n: int) -> None:
    port, calls = sql_flask_server
    run_case(port, calls, n)


def test_async_guard_over_psycopg_pool(postgres: Postgres) -> None:
    """``AsyncSqlReplayGuard`` under FastAPI: new, duplicate, in progress, release."""
    import httpx
    from fastapi import Depends, FastAPI

    from hooksig.fastapi import WebhookVerifier

    async def main() -> None:
        pool = psycopg_pool.AsyncConnectionPool(postgres.dsn, min_size=1, max_size=2, open=False)
        await pool.open()
        guard = hooksig.sql.AsyncSqlReplayGuard(pool, ttl=60, table="async_replay")
        await guard.create_table()
        assert await guard.check_and_remember("a") is True
        with pytest.raises(hooksig.DeliveryInProgress):
            await guard.check_and_remember("a")
        await guard.forget("a")
        assert await guard.check_and_remember("a") is True
        await guard.confirm("a")
        assert await guard.check_and_remember("a") is False
        await guard.purge()
        await pool.close()

    asyncio.run(main())

    async def over_http() -> None:
        pool = psycopg_pool.AsyncConnectionPool(postgres.dsn, min_size=1, max_size=2, open=False)
        await pool.open()
        app = FastAPI()
        webhooks = WebhookVerifier(
            verifier(),
            hooksig.sql.AsyncSqlReplayGuard(pool, verifier=verifier(), table="async_replay"),
        )

        @app.post(PATH)
        @webhooks.endpoint
        async def handle(webhook: Annotated[hooksig.Verified, Depends(webhooks)]) -> Any:
            runs.append(str(webhook.id))
            return {"handled": webhook.id}

        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            body, headers = signed("evt_async")
            first = await client.post(PATH, content=body, headers=headers)
            assert first.json() == {"handled": "evt_async"}
            again = await client.post(PATH, content=body, headers=headers)
            assert again.json() == {"status": "duplicate"}
        await pool.close()

    runs: list[str] = []
    asyncio.run(over_http())
    assert runs == ["evt_async"]
