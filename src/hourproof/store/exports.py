"""What was handed out and what was checked: exported bundles and remembered signers.

Every method runs on a DB-API connection inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from hourproof.store import sql


class SignerRow(NamedTuple):
    fingerprint: str
    public_key: str
    checkpoint: str
    size: int
    first_seen: str
    last_seen: str


class Exports:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(self, client: str, size: int, checkpoint: str, created_at: str, path: str) -> None:
        self.db.execute(
            "INSERT INTO exports (client, size, checkpoint, created_at, path) "
            "VALUES (?, ?, ?, ?, ?)",
            (client, size, checkpoint, created_at, path),
        )

    def last_for(self, client: str) -> tuple[int, str] | None:
        """(size, checkpoint note) of the newest bundle made for ``client``."""
        row = sql.one(
            self.db,
            "SELECT size, checkpoint FROM exports WHERE client = ? ORDER BY id DESC LIMIT 1",
            (client,),
        )
        return None if row is None else (row["size"], row["checkpoint"])


class KnownSigners:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def checkpoints(self) -> dict[str, str]:
        """The newest remembered export checkpoint of each signer, by fingerprint."""
        rows = self.db.execute("SELECT fingerprint, checkpoint FROM known_signers")
        return {r[0]: r[1] for r in rows}

    def get(self, fingerprint: str) -> SignerRow | None:
        row = sql.one(self.db, "SELECT * FROM known_signers WHERE fingerprint = ?", (fingerprint,))
        if row is None:
            return None
        return SignerRow(row["fingerprint"], row["public_key"], row["checkpoint"], row["size"],
                         row["first_seen"], row["last_seen"])  # fmt: skip

    def add(self, fingerprint: str, public_key: str, checkpoint: str, size: int, now: str) -> None:
        self.db.execute(
            "INSERT INTO known_signers "
            "(fingerprint, public_key, checkpoint, size, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (fingerprint, public_key, checkpoint, size, now, now),
        )

    def advance(self, fingerprint: str, checkpoint: str, size: int, now: str) -> None:
        self.db.execute(
            "UPDATE known_signers SET checkpoint = ?, size = ?, last_seen = ? "
            "WHERE fingerprint = ?",
            (checkpoint, size, now, fingerprint),
        )
