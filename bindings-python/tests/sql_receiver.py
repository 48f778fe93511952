"""A receiver process for tests/test_sql.py: one of several sharing one database.

    python sql_receiver.py sqlite|postgres PORT TARGET TABLE

TARGET is the SQLite file or the PostgreSQL DSN. Flask with ``SqlReplayGuard``; the handler
records each run in the same database (``<table>_runs``), sleeping 0.3 s first so that the
concurrent deliveries overlap it.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
import time
from typing import Any

from flask import Flask

import hooksig
import hooksig.sql
from hooksig.flask import verify_webhook

backend, port, target, table = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
verifier = hooksig.Verifier("algoguard", secret=os.environ["ALGOGUARD_SECRET"])
conn: Any
if backend == "sqlite":
    conn = sqlite3.connect(target, timeout=5, check_same_thread=False)
else:
    import psycopg_pool

    conn = psycopg_pool.ConnectionPool(target, min_size=1, max_size=4, open=True)
guard = hooksig.sql.SqlReplayGuard(conn, verifier=verifier, table=table)
lock = threading.Lock()
app = Flask(__name__)


def record(webhook_id: str) -> None:
    with lock:
        if isinstance(conn, sqlite3.Connection):
            conn.execute(
                f"INSERT INTO {table}_runs (id, pid) VALUES (?, ?)", (webhook_id, os.getpid())
            )
            conn.commit()
        else:
            with conn.connection() as c:
                c.execute(
                    f"INSERT INTO {table}_runs (id, pid) VALUES (%s, %s)", (webhook_id, os.getpid())
                )


@app.post("/webhooks/algoguard")
@verify_webhook(verifier, guard=guard)
def handle(webhook: hooksig.Verified) -> dict[str, object]:
    time.sleep(0.3)
    record(str(webhook.id))
    return {"handled": webhook.id, "pid": os.getpid()}


app.run(host="127.0.0.1", port=port, threaded=True)
