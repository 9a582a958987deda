"""Engine setup for the one SQLite file: WAL, foreign keys, busy timeout, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError

from hourproof.store.migrations import MIGRATIONS, SCHEMA_VERSION

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be opened or used; the message is for the user."""


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    # Let SQLAlchemy's "BEGIN" drive transactions instead of pysqlite's own.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()


def _on_begin(conn: Any) -> None:
    # Writers take the lock up front so two of them queue instead of deadlocking;
    # readers (execution option ``readonly``) use a deferred transaction.
    readonly = conn.get_execution_options().get("readonly", False)
    conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def make_engine(path: Path | None) -> Engine:
    """An engine on the file at ``path`` (or a private in-memory database)."""
    url = f"sqlite:///{path}" if path is not None else "sqlite://"
    engine = create_engine(url)
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def migrate(engine: Engine) -> int:
    """Bring the schema up to date; return the version found before."""
    with engine.connect().execution_options(readonly=True) as conn:
        current = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
    if current == SCHEMA_VERSION:
        return current
    with engine.begin() as conn:
        found = int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"this database has schema version {found}, newer than this hourproof "
                f"({SCHEMA_VERSION}); upgrade hourproof"
            )
        for version in range(found, SCHEMA_VERSION):
            for statement in MIGRATIONS[version][1]:
                conn.execute(text(statement))
        if found != SCHEMA_VERSION:
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return found


def open_database(path: Path | None) -> Engine:
    """Open (creating if needed) and migrate the database; StoreError on failure."""
    try:
        engine = make_engine(path)
        migrate(engine)
    except (DBAPIError, sqlite3.Error) as exc:
        orig = getattr(exc, "orig", exc)
        raise StoreError(f"cannot open database {path}: {orig}") from exc
    return engine
