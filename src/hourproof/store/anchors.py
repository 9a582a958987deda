"""Trusted-time tables: configured TSAs, the anchoring queue and the tokens received.

Every method runs on a DB-API connection inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from hourproof.store import sql
from hourproof.store.meta import Meta

_TSAS_CONFIGURED = "tsas"
_TSA_BACKOFF = "tsa_backoff."  # meta key prefix, + the TSA's name


class TsaRow(NamedTuple):
    name: str
    url: str
    root_pem: bytes | None


class QueueRow(NamedTuple):
    size: int
    attempts: int
    next_try: str
    last_error: str | None


class AnchorRow(NamedTuple):
    size: int
    note: str  # the checkpoint's signed note
    token: bytes
    tsa: str
    gen_time: str


class AnchorTables:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    # --- TSAs ---------------------------------------------------------------------
    def tsas_configured(self) -> bool:
        return Meta(self.db).get(_TSAS_CONFIGURED) is not None

    def mark_tsas_configured(self) -> None:
        Meta(self.db).set(_TSAS_CONFIGURED, "configured")

    def tsas(self) -> list[TsaRow]:
        rows = sql.rows(self.db, "SELECT name, url, root_pem FROM tsas ORDER BY position")
        return [TsaRow(r["name"], r["url"], r["root_pem"]) for r in rows]

    def has_tsa(self, name: str) -> bool:
        return sql.scalar(self.db, "SELECT 1 FROM tsas WHERE name = ?", (name,)) is not None

    def add_tsa(self, name: str, url: str, root_pem: bytes | None) -> None:
        """Append a TSA after the others (callers check the name is free)."""
        last = sql.scalar(self.db, "SELECT max(position) FROM tsas")
        self.db.execute(
            "INSERT INTO tsas (name, url, root_pem, position) VALUES (?, ?, ?, ?)",
            (name, url, root_pem, -1 if last is None else last + 1),
        )

    def remove_tsa(self, name: str) -> bool:
        self.clear_tsa_backoff(name)
        return sql.run(self.db, "DELETE FROM tsas WHERE name = ?", (name,)) > 0

    # --- per-TSA backoff (one failing TSA never holds up the others) ---------------
    def tsa_backoff(self, name: str) -> tuple[int, str] | None:
        """(failures in a row, RFC 3339 time before which not to ask it), or None."""
        value = Meta(self.db).get(_TSA_BACKOFF + name)
        if value is None:
            return None
        attempts, _, next_try = value.partition(" ")
        return (int(attempts), next_try) if attempts.isdigit() and next_try else None

    def set_tsa_backoff(self, name: str, attempts: int, next_try: str) -> None:
        Meta(self.db).set(_TSA_BACKOFF + name, f"{attempts} {next_try}")

    def clear_tsa_backoff(self, name: str) -> None:
        Meta(self.db).delete(_TSA_BACKOFF + name)

    # --- the queue ----------------------------------------------------------------
    def enqueue(self, size: int, now: str) -> None:
        """Ask for ``size`` to be anchored, coalescing with a pending ask."""
        pending = sql.scalar(self.db, "SELECT id FROM anchor_queue LIMIT 1")
        if pending is not None:
            self.db.execute("UPDATE anchor_queue SET size = ? WHERE id = ?", (size, pending))
        else:
            self.db.execute(
                "INSERT INTO anchor_queue (size, tsa, attempts, next_try) VALUES (?, NULL, 0, ?)",
                (size, now),
            )

    def queue(self) -> list[QueueRow]:
        rows = sql.rows(self.db, "SELECT * FROM anchor_queue ORDER BY id")
        return [QueueRow(r["size"], r["attempts"], r["next_try"], r["last_error"]) for r in rows]

    def queued(self) -> int:
        return int(sql.scalar(self.db, "SELECT count(*) FROM anchor_queue"))

    def back_off(self, size: int, attempts: int, next_try: str, error: str) -> None:
        self.db.execute(
            "UPDATE anchor_queue SET attempts = ?, next_try = ?, last_error = ? WHERE size = ?",
            (attempts, next_try, error, size),
        )

    def make_due(self, now: str) -> None:
        self.db.execute("UPDATE anchor_queue SET next_try = ?", (now,))

    # --- tokens -------------------------------------------------------------------
    def add_token(self, size: int, tsa: str, gen_time: str, token: bytes, sha256: str) -> None:
        """Store a verified token; it answers every queued ask for ``size`` or less."""
        self.db.execute(
            "INSERT INTO anchors (size, tsa, gen_time, token, token_sha256) VALUES (?, ?, ?, ?, ?)",
            (size, tsa, gen_time, token, sha256),
        )
        self.db.execute("DELETE FROM anchor_queue WHERE size <= ?", (size,))

    def newest_token_sha256(self) -> str | None:
        value: str | None = sql.scalar(
            self.db, "SELECT token_sha256 FROM anchors ORDER BY id DESC LIMIT 1"
        )
        return value

    def last_anchor(self) -> tuple[str, str, int] | None:
        """(gen_time, tsa, size) of the token with the newest time."""
        row = sql.one(
            self.db, "SELECT gen_time, tsa, size FROM anchors ORDER BY gen_time DESC LIMIT 1"
        )
        return None if row is None else (row["gen_time"], row["tsa"], row["size"])

    def last_gen_time(self) -> str | None:
        value: str | None = sql.scalar(self.db, "SELECT max(gen_time) FROM anchors")
        return value

    def anchors_up_to(self, size: int) -> list[AnchorRow]:
        """Every token over a checkpoint of at most ``size``, by size then time."""
        rows = self.db.execute(
            "SELECT a.size, c.note, a.token, a.tsa, a.gen_time FROM anchors a "
            "JOIN checkpoints c ON c.size = a.size WHERE a.size <= ? "
            "ORDER BY a.size, a.gen_time",
            (size,),
        ).fetchall()
        return [AnchorRow(r[0], r[1], bytes(r[2]), r[3], r[4]) for r in rows]
