"""Opening the one SQLite file: WAL, foreign keys, busy timeout, migrations.

One way in: a plain DB-API connection per thread (``connect``). SQLAlchemy, where a
store module uses it, runs over that same connection (``make_engine``: the engine's
pool hands out the calling thread's connection and never commits, rolls back or
closes it), so a transaction is the same whichever layer speaks, and the hot CLI
commands never import SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
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


def enable_wal(db: sqlite3.Connection) -> None:
    db.execute("PRAGMA journal_mode = WAL")


def user_version(db: sqlite3.Connection) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _has_tables(db: sqlite3.Connection) -> bool:
    found = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' LIMIT 1").fetchone()
    return found is not None


def migrate(db: sqlite3.Connection, path: Path | None = None) -> int:
    """Bring the schema up to date (one write transaction); return the version found.

    A new, empty database is created from ``store/schema.py`` at the newest version;
    an older one runs the migration steps after its version.
    """
    if user_version(db) == SCHEMA_VERSION:
        return SCHEMA_VERSION
    old = user_version(db)
    if path is not None and 0 < old < SCHEMA_VERSION:  # keep a copy as it was (safety)
        from hourproof.store.backup import before_migration

        before_migration(db, path, old)  # outside the write lock: backup needs to read
    db.execute("BEGIN IMMEDIATE")
    try:
        found = user_version(db)
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"this database has schema version {found}, newer than this hourproof "
                f"({SCHEMA_VERSION}); upgrade hourproof"
            )
        if found == 0 and not _has_tables(db):
            from hourproof.store.schema import create_statements

            statements = create_statements()
        else:
            statements = [s for step in MIGRATIONS[found:] for s in step.sql()]
        for statement in statements:
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return found


def connect(path: Path) -> sqlite3.Connection:
    """A migrated DB-API connection (StoreError with a clear message on failure)."""
    try:
        db = sqlite3.connect(path, check_same_thread=False)
        configure(db)
        migrate(db, path)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open database {path}: {exc}") from exc
    return db


def begin_write(db: sqlite3.Connection) -> None:
    """Take the write lock up front, so two writers queue instead of deadlocking."""
    db.execute("BEGIN IMMEDIATE")


def begin_read(db: sqlite3.Connection) -> None:
    db.execute("BEGIN")


def commit(db: sqlite3.Connection) -> None:
    db.execute("COMMIT")


def rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        db.execute("ROLLBACK")


class _Lent:
    """The connection SQLAlchemy sees: every use goes to the calling thread's current
    DB-API connection, whose transaction and life belong to the ``App``, so commit,
    rollback and close do nothing here."""

    def __init__(self, current: Callable[[], sqlite3.Connection]) -> None:
        object.__setattr__(self, "_current", current)

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass

    def close(self) -> None:
        pass

    def __getattr__(self, name: str) -> Any:
        return getattr(self._current(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._current(), name, value)


def make_engine(current: Callable[[], sqlite3.Connection]) -> Engine:
    """A SQLAlchemy engine over ``current()``, the calling thread's open connection."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    lent = _Lent(current)
    return create_engine("sqlite://", creator=lambda: lent, poolclass=StaticPool)


def is_busy(exc: BaseException) -> bool:
    """True when ``exc`` (or what caused it) is SQLite saying another writer holds the lock."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, sqlite3.OperationalError):
            text = str(seen).lower()
            if "locked" in text or "busy" in text:
                return True
        seen = seen.__cause__ or getattr(seen, "orig", None)
    return False
