"""Local clients and projects: names added in the app before any entry uses them, and
names hidden from completion. Not a projection and not in the ledger: nothing here is
signed, exported or rebuilt (services/clients.py; docs/clients.md)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from hourproof.store import sql


@dataclass(frozen=True)
class CatalogRow:
    scope: str  # "client" or "project"
    name: str
    client: str | None  # a project's client
    hidden: bool
    added_at: str


class CatalogTable:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def rows(self) -> list[CatalogRow]:
        found = sql.rows(
            self.db,
            "SELECT scope, name, client, hidden, added_at FROM catalog ORDER BY scope, name",
        )
        return [
            CatalogRow(r["scope"], r["name"], r["client"], bool(r["hidden"]), r["added_at"])
            for r in found
        ]

    def get(self, scope: str, name: str) -> CatalogRow | None:
        for row in self.rows_named(scope, name):
            return row
        return None

    def rows_named(self, scope: str, name: str) -> list[CatalogRow]:
        found = sql.rows(
            self.db,
            "SELECT scope, name, client, hidden, added_at FROM catalog "
            "WHERE scope = ? AND name = ?",
            (scope, name),
        )
        return [
            CatalogRow(r["scope"], r["name"], r["client"], bool(r["hidden"]), r["added_at"])
            for r in found
        ]

    def add(self, scope: str, name: str, client: str | None, when: str) -> None:
        """Add a name (shown again if it was hidden; a project keeps the client given)."""
        self.db.execute(
            "INSERT INTO catalog (scope, name, client, hidden, added_at) VALUES (?, ?, ?, 0, ?) "
            "ON CONFLICT (scope, name) DO UPDATE SET hidden = 0, client = excluded.client",
            (scope, name, client, when),
        )

    def set_hidden(self, scope: str, name: str, hidden: bool, when: str) -> None:
        """Hide a name from completion (a row is made for a name known only from entries)."""
        self.db.execute(
            "INSERT INTO catalog (scope, name, client, hidden, added_at) VALUES (?, ?, NULL, ?, ?) "
            "ON CONFLICT (scope, name) DO UPDATE SET hidden = excluded.hidden",
            (scope, name, int(hidden), when),
        )

    def rename(self, scope: str, old: str, new: str) -> None:
        self.db.execute(
            "UPDATE catalog SET name = ? WHERE scope = ? AND name = ?", (new, scope, old)
        )
        if scope == "client":
            self.db.execute(
                "UPDATE catalog SET client = ? WHERE scope = 'project' AND client = ?", (new, old)
            )

    def project_client(self, name: str) -> str | None:
        """The client a project added here belongs to (None: none, or not added here)."""
        client: str | None = sql.scalar(
            self.db, "SELECT client FROM catalog WHERE scope = 'project' AND name = ?", (name,)
        )
        return client
