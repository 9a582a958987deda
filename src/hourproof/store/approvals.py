"""Client keys pinned per client (contractor side) and approvals a home signed (client side).

Plain SQL on the DB-API connection; the tables are defined in store/schema.py. Approval
leaves themselves live in the ledger.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from hourproof.store import sql


@dataclass(frozen=True)
class PinnedClient:
    client: str
    fingerprint: str
    vkey: str
    first_seen: str


class ApprovalTables:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def pinned(self, client: str) -> PinnedClient | None:
        row = sql.one(self.db, "SELECT * FROM client_keys WHERE client = ?", (client,))
        if row is None:
            return None
        return PinnedClient(row["client"], row["fingerprint"], row["vkey"], row["first_seen"])

    def pin(self, client: str, fingerprint: str, vkey: str, now: str) -> None:
        self.db.execute(
            "INSERT INTO client_keys (client, fingerprint, vkey, first_seen) VALUES (?, ?, ?, ?)",
            (client, fingerprint, vkey, now),
        )

    def approval_leaves(self, kind: str = "approval") -> list[tuple[int, bytes]]:
        if kind != "approval":
            raise ValueError(f"approval_leaves reads approval leaves, not {kind!r}")
        # The literal (not a parameter) lets SQLite use the partial index leaves_approvals.
        rows = self.db.execute(
            "SELECT seq, data FROM leaves WHERE kind = 'approval' ORDER BY seq"
        ).fetchall()
        return [(int(r[0]), bytes(r[1])) for r in rows]

    def record_given(self, origin: str, size: int, kind: str, data: bytes, now: str) -> None:
        self.db.execute(
            "INSERT INTO approvals_given (origin, size, kind, data, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (origin, size, kind, data, now),
        )

    def given(self) -> list[bytes]:
        rows = self.db.execute("SELECT data FROM approvals_given ORDER BY id").fetchall()
        return [bytes(r[0]) for r in rows]
