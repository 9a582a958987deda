"""The append-only leaf table and the signed checkpoints over it.

All methods run on a DB-API connection inside the caller's transaction, so a
command's leaves, projection updates and checkpoint commit (or vanish) together.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hourproof.ledger.canonical import canonical
from hourproof.ledger.merkle import CompactRange, leaf_hash
from hourproof.store import sql


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str
    created_at: str


class LeafTable:
    """Appends to and reads from the leaf table, keeping the tree frontier current."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._range: CompactRange | None = None

    def _frontier(self) -> CompactRange:
        if self._range is None:
            row = sql.one(self.db, "SELECT size, frontier FROM tree_state WHERE id = 1")
            self._range = (
                CompactRange()
                if row is None
                else CompactRange.from_bytes(row["size"], row["frontier"])
            )
        return self._range

    def size(self) -> int:
        return self._frontier().size

    def root(self) -> bytes:
        return self._frontier().root()

    def append(self, leaf: dict[str, Any]) -> bytes:
        """Append one leaf object (its ``seq`` must be the next index); return its bytes."""
        frontier = self._frontier()
        if leaf["seq"] != frontier.size:
            raise ValueError(f"leaf seq {leaf['seq']} is not the next index {frontier.size}")
        data = canonical(leaf)
        digest = leaf_hash(data)
        self.db.execute(
            "INSERT INTO leaves (seq, kind, recorded_at, data, hash) VALUES (?, ?, ?, ?, ?)",
            (leaf["seq"], leaf["kind"], leaf["recorded_at"], data, digest),
        )
        frontier.append(digest)
        return data

    def save_frontier(self) -> None:
        """Persist the frontier; call once at the end of a batch of appends."""
        frontier = self._frontier()
        self.db.execute(
            "INSERT INTO tree_state (id, size, frontier) VALUES (1, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET size = excluded.size, frontier = excluded.frontier",
            (frontier.size, frontier.to_bytes()),
        )

    def recorded_size(self) -> int:
        """The size saved with the frontier (without loading the frontier)."""
        value = sql.scalar(self.db, "SELECT size FROM tree_state WHERE id = 1")
        return int(value or 0)

    def count(self) -> int:
        """The number of rows in the leaf table (not what tree_state says)."""
        return int(sql.scalar(self.db, "SELECT COUNT(*) FROM leaves"))

    def last_recorded_at(self) -> str | None:
        value: str | None = sql.scalar(
            self.db, "SELECT recorded_at FROM leaves ORDER BY seq DESC LIMIT 1"
        )
        return value

    def leaves(self, indexes: list[int]) -> dict[int, bytes]:
        """The bytes of the given leaves (those that exist)."""
        found: dict[int, bytes] = {}
        for start in range(0, len(indexes), 500):
            chunk = indexes[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for seq, data in self.db.execute(
                f"SELECT seq, data FROM leaves WHERE seq IN ({marks})", chunk
            ):
                found[seq] = bytes(data)
        return found

    def iter_rows(self, start: int = 0) -> Iterator[tuple[int, bytes, bytes]]:
        """Stream (seq, data, stored hash) in index order (plain tuples: over a million
        rows, row objects would cost more than hashing the leaves)."""
        cursor = self.db.cursor()
        try:
            cursor.execute(
                "SELECT seq, data, hash FROM leaves WHERE seq >= ? ORDER BY seq", (start,)
            )
            while batch := cursor.fetchmany(5000):
                yield from batch
        finally:
            cursor.close()

    def iter_batches(
        self, start: int = 0, size: int = 4096
    ) -> Iterator[list[tuple[int, bytes, bytes]]]:
        """Like :meth:`iter_rows`, but a list of up to ``size`` rows at a time (so a
        verifier can hash and compare a batch without Python work per row)."""
        cursor = self.db.cursor()
        cursor.arraysize = size
        try:
            cursor.execute(
                "SELECT seq, data, hash FROM leaves WHERE seq >= ? ORDER BY seq", (start,)
            )
            while batch := cursor.fetchmany():
                yield batch
        finally:
            cursor.close()

    def all_hashes(self) -> list[bytes]:
        """Every stored leaf hash in order (for building proofs)."""
        return [row[0] for row in self.db.execute("SELECT hash FROM leaves ORDER BY seq")]

    def hash_blob(self, size: int) -> bytes:
        """The stored hashes of leaves ``0 .. size-1`` concatenated in index order, read
        as one value (no Python object per row: half the time of :meth:`all_hashes` on a
        million leaves). Falls back to :meth:`all_hashes` when a stored hash is not 32
        bytes, so the caller's checks see the same values either way."""
        row = self.db.execute(
            "SELECT CAST(group_concat(hash, x'') AS BLOB), COUNT(*), "
            "SUM(length(hash) = 32) FROM (SELECT hash FROM leaves WHERE seq < ? ORDER BY seq)",
            (size,),
        ).fetchone()
        data, count, whole = row if row is not None else (None, 0, 0)
        if count == 0:
            return b""
        if whole == count and data is not None and len(data) == 32 * count:
            return bytes(data)
        return b"".join(self.all_hashes()[:size])


def read_hash_blob(path: Path, size: int) -> bytes:
    """:meth:`LeafTable.hash_blob` over a read-only connection of its own to the
    database at ``path`` (for a helper process); raises ValueError unless the
    database holds at least ``size`` leaves."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        blob = LeafTable(db).hash_blob(size)
    finally:
        db.close()
    if len(blob) != size * 32:
        raise ValueError(f"the database holds {len(blob) // 32} leaf hashes, not {size}")
    return blob


def _checkpoint(row: sqlite3.Row | None) -> StoredCheckpoint | None:
    if row is None:
        return None
    return StoredCheckpoint(row["size"], row["root"], row["note"], row["created_at"])


class CheckpointTable:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(self, size: int, root: bytes, note: str, created_at: str) -> None:
        self.db.execute(
            "INSERT INTO checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (size) DO NOTHING",
            (size, root, note, created_at),
        )

    def max_size(self) -> int:
        """The largest signed size (0 when nothing is signed)."""
        return int(sql.scalar(self.db, "SELECT COALESCE(MAX(size), 0) FROM checkpoints"))

    def first(self) -> StoredCheckpoint | None:
        return _checkpoint(sql.one(self.db, "SELECT * FROM checkpoints ORDER BY size LIMIT 1"))

    def latest(self) -> StoredCheckpoint | None:
        return _checkpoint(sql.one(self.db, "SELECT * FROM checkpoints ORDER BY size DESC LIMIT 1"))

    def get(self, size: int) -> StoredCheckpoint | None:
        return _checkpoint(sql.one(self.db, "SELECT * FROM checkpoints WHERE size = ?", (size,)))

    def all(self) -> list[StoredCheckpoint]:
        return [
            StoredCheckpoint(r["size"], r["root"], r["note"], r["created_at"])
            for r in sql.rows(self.db, "SELECT * FROM checkpoints ORDER BY size")
        ]
