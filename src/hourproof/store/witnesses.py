"""Witness configuration, per-witness submission state and stored cosignatures.

Plain SQL on the DB-API connection; the tables are defined in store/schema.py.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from hourproof.store import sql


@dataclass(frozen=True)
class WitnessRow:
    name: str
    url: str
    vkey: str
    size: int  # the size this witness last cosigned, as far as we know
    attempts: int
    next_try: str | None
    last_error: str | None
    last_ok: str | None


@dataclass(frozen=True)
class CosignatureRow:
    size: int
    cosigner: str
    line: str
    timestamp: int


class WitnessTable:
    """The witness tables inside the caller's transaction."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(self, name: str, url: str, vkey: str, now: str) -> bool:
        if self.db.execute("SELECT 1 FROM witnesses WHERE name = ?", (name,)).fetchone():
            return False
        pos = sql.scalar(self.db, "SELECT max(position) FROM witnesses")
        self.db.execute(
            "INSERT INTO witnesses (name, url, vkey, position) VALUES (?, ?, ?, ?)",
            (name, url, vkey, (pos or 0) + 1),
        )
        self.db.execute(
            "INSERT INTO witness_state (name, size, attempts, next_try) VALUES (?, 0, 0, ?)",
            (name, now),
        )
        return True

    def remove(self, name: str) -> bool:
        self.db.execute("DELETE FROM witness_state WHERE name = ?", (name,))
        return sql.run(self.db, "DELETE FROM witnesses WHERE name = ?", (name,)) > 0

    def all(self) -> list[WitnessRow]:
        rows = sql.rows(
            self.db,
            "SELECT w.name, w.url, w.vkey, s.size, s.attempts, s.next_try, s.last_error, "
            "s.last_ok FROM witnesses w LEFT JOIN witness_state s ON s.name = w.name "
            "ORDER BY w.position",
        )
        return [
            WitnessRow(r["name"], r["url"], r["vkey"], r["size"] or 0, r["attempts"] or 0,
                       r["next_try"], r["last_error"], r["last_ok"])
            for r in rows
        ]  # fmt: skip

    def set_known_size(self, name: str, size: int) -> None:
        self.db.execute("UPDATE witness_state SET size = ? WHERE name = ?", (size, name))

    def succeeded(self, name: str, size: int, now: str) -> None:
        self.db.execute(
            "UPDATE witness_state SET size = ?, attempts = 0, next_try = ?, last_error = NULL, "
            "last_ok = ? WHERE name = ?",
            (size, now, now, name),
        )

    def failed(self, name: str, attempts: int, next_try: str, error: str) -> None:
        self.db.execute(
            "UPDATE witness_state SET attempts = ?, next_try = ?, last_error = ? WHERE name = ?",
            (attempts, next_try, error[:500], name),
        )

    def make_due(self, now: str) -> None:
        self.db.execute("UPDATE witness_state SET next_try = ?", (now,))

    def add_cosignature(self, size: int, cosigner: str, line: str, timestamp: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO cosignatures (size, cosigner, line, timestamp) "
            "VALUES (?, ?, ?, ?)",
            (size, cosigner, line, timestamp),
        )

    def cosignatures(self, max_size: int | None = None) -> list[CosignatureRow]:
        query = "SELECT size, cosigner, line, timestamp FROM cosignatures"
        params: tuple[int, ...] = ()
        if max_size is not None:
            query += " WHERE size <= ?"
            params = (max_size,)
        rows = sql.rows(self.db, query + " ORDER BY size, cosigner", params)
        return [CosignatureRow(r["size"], r["cosigner"], r["line"], r["timestamp"]) for r in rows]


def has_witnesses(db: sqlite3.Connection) -> bool:
    """Cheap check for the hot path: is any witness configured?"""
    return bool(sql.scalar(db, "SELECT 1 FROM witnesses LIMIT 1"))
