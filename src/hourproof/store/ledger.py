"""The append-only leaf table and the signed checkpoints over it.

All methods run on a connection inside the caller's transaction, so a command's
leaves, projection updates and checkpoint commit (or vanish) together.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from hourproof.ledger.canonical import canonical
from hourproof.ledger.merkle import CompactRange, leaf_hash
from hourproof.store import schema as t

#: Built once: values go in as parameters, so SQLAlchemy's compiled-statement cache is hit
#: instead of building and cache-keying a new statement per leaf (bulk appends ran ~2x slower).
_INSERT_LEAF = insert(t.leaves)


@dataclass(frozen=True)
class StoredCheckpoint:
    size: int
    root: bytes
    note: str
    created_at: str


class LeafTable:
    """Appends to and reads from the leaf table, keeping the tree frontier current."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._range: CompactRange | None = None

    def _frontier(self) -> CompactRange:
        if self._range is None:
            row = self.conn.execute(select(t.tree_state.c.size, t.tree_state.c.frontier)).first()
            self._range = (
                CompactRange() if row is None else CompactRange.from_bytes(row.size, row.frontier)
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
        self.conn.execute(_INSERT_LEAF, {
            "seq": leaf["seq"], "kind": leaf["kind"], "recorded_at": leaf["recorded_at"],
            "data": data, "hash": digest,
        })  # fmt: skip
        frontier.append(digest)
        return data

    def save_frontier(self) -> None:
        """Persist the frontier; call once at the end of a batch of appends."""
        frontier = self._frontier()
        values = {"size": frontier.size, "frontier": frontier.to_bytes()}
        done = self.conn.execute(update(t.tree_state).where(t.tree_state.c.id == 1).values(values))
        if done.rowcount == 0:
            self.conn.execute(insert(t.tree_state).values(id=1, **values))

    def iter_rows(self, start: int = 0) -> Iterator[tuple[int, bytes, bytes]]:
        """Stream (seq, data, stored hash) in index order.

        Uses the DB-API cursor directly: over a million rows, SQLAlchemy's row objects
        would cost more than hashing the leaves.
        """
        cursor = self.conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(
                "SELECT seq, data, hash FROM leaves WHERE seq >= ? ORDER BY seq", (start,)
            )
            while rows := cursor.fetchmany(5000):
                yield from rows
        finally:
            cursor.close()

    def all_hashes(self) -> list[bytes]:
        """Every stored leaf hash in order (for building proofs)."""
        raw = self.conn.exec_driver_sql("SELECT hash FROM leaves ORDER BY seq")
        return [row[0] for row in raw]


class CheckpointTable:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, size: int, root: bytes, note: str, created_at: str) -> None:
        exists = self.conn.execute(
            select(t.checkpoints.c.size).where(t.checkpoints.c.size == size)
        ).first()
        if exists is None:
            self.conn.execute(
                insert(t.checkpoints).values(size=size, root=root, note=note, created_at=created_at)
            )

    def latest(self) -> StoredCheckpoint | None:
        row = self.conn.execute(
            select(t.checkpoints).order_by(t.checkpoints.c.size.desc()).limit(1)
        ).first()
        return (
            None if row is None else StoredCheckpoint(row.size, row.root, row.note, row.created_at)
        )

    def get(self, size: int) -> StoredCheckpoint | None:
        row = self.conn.execute(select(t.checkpoints).where(t.checkpoints.c.size == size)).first()
        return (
            None if row is None else StoredCheckpoint(row.size, row.root, row.note, row.created_at)
        )

    def all(self) -> list[StoredCheckpoint]:
        rows = self.conn.execute(select(t.checkpoints).order_by(t.checkpoints.c.size)).all()
        return [StoredCheckpoint(r.size, r.root, r.note, r.created_at) for r in rows]
