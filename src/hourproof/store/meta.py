"""Settings: small text values by key in the ``meta`` table (in the caller's transaction)."""

from __future__ import annotations

import sqlite3

from hourproof.store import sql


class Meta:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def get(self, key: str) -> str | None:
        value: str | None = sql.scalar(self.db, "SELECT value FROM meta WHERE key = ?", (key,))
        return value

    def set(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def delete(self, key: str) -> None:
        self.db.execute("DELETE FROM meta WHERE key = ?", (key,))
