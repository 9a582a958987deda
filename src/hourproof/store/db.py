"""Opening the one SQLite file: WAL, foreign keys, busy timeout, migrations.

Two ways in, on the same file and the same pragmas: a plain DB-API connection
(``connect``), which the hot CLI commands use so they never import SQLAlchemy, and a
SQLAlchemy engine (``make_engine``) for everything else. Migrations are plain DDL run
on a DB-API connection, so both ways share them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hourproof.store.migrations import MIGRATIONS, SCHEMA_VERSION

if TYPE_CHECKING:
    from sqlalchemy import Engine

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be opened or used; the message is for the user."""


def configure(dbapi_conn: sqlite3.Connection) -> None:
    """The pragmas every connection gets; transactions are begun explicitly."""
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema up to date (one write transaction); return the version found."""
    current = int(db.execute("PRAGMA user_version").fetchone()[0])
    if current == SCHEMA_VERSION:
        return current
    db.execute("BEGIN IMMEDIATE")
    try:
        found = int(db.execute("PRAGMA user_version").fetchone()[0])
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"this database has schema version {found}, newer than this hourproof "
                f"({SCHEMA_VERSION}); upgrade hourproof"
            )
        for version in range(found, SCHEMA_VERSION):
            for statement in MIGRATIONS[version][1]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found


def connect(path: Path) -> sqlite3.Connection:
    """A migrated DB-API connection (StoreError with a clear message on failure)."""
    try:
        db = sqlite3.connect(path, check_same_thread=False)
        configure(db)
        migrate(db)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    return db


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    configure(dbapi_conn)


def _on_begin(conn: Any) -> None:
    # Writers take the lock up front so two of them queue instead of deadlocking;
    # readers (execution option ``readonly``) use a deferred transaction.
    readonly = conn.get_execution_options().get("readonly", False)
    conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def make_engine(path: Path) -> Engine:
    """A SQLAlchemy engine on the (already migrated) file at ``path``."""
    from sqlalchemy import create_engine, event

    engine = create_engine(f"sqlite:///{path}")
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine
