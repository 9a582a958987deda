"""Small helpers for running SQL on a DB-API (sqlite3) connection.

The ledger and projection tables are read and written through these, inside the
caller's transaction, so the hot commands need no SQLAlchemy import.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

Params = tuple[Any, ...] | dict[str, Any]


def rows(db: sqlite3.Connection, sql: str, params: Params = ()) -> list[sqlite3.Row]:
    cur = db.cursor()
    cur.row_factory = sqlite3.Row
    try:
        return cur.execute(sql, params).fetchall()
    finally:
        cur.close()


def one(db: sqlite3.Connection, sql: str, params: Params = ()) -> sqlite3.Row | None:
    cur = db.cursor()
    cur.row_factory = sqlite3.Row
    try:
        row: sqlite3.Row | None = cur.execute(sql, params).fetchone()
        return row
    finally:
        cur.close()


def scalar(db: sqlite3.Connection, sql: str, params: Params = ()) -> Any:
    row = db.execute(sql, params).fetchone()
    return None if row is None else row[0]


def run(db: sqlite3.Connection, sql: str, params: Params = ()) -> int:
    """Execute a write; returns the number of rows changed."""
    return db.execute(sql, params).rowcount


def run_many(db: sqlite3.Connection, sql: str, seq: Iterable[Params]) -> None:
    db.executemany(sql, seq)
