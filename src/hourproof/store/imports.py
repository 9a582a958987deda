"""The ``import_keys`` table: which source rows were imported already, and as which leaf.

One row per imported record: its fingerprint (``key``, also in the ``import`` leaf)
and the index of that leaf. It is what makes a second import of the same file add
nothing. ``ledger rebuild`` leaves it alone; every key is also in its leaf, so it
could be recomputed from the ledger if it were ever lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from hourproof.store import sql


def known_keys(db: sqlite3.Connection) -> set[str]:
    """Every fingerprint imported so far."""
    return {row[0] for row in db.execute("SELECT key FROM import_keys")}


def add_keys(db: sqlite3.Connection, pairs: Iterable[tuple[str, int]]) -> None:
    """Remember ``(key, leaf index)`` pairs (a key seen before is kept as it was)."""
    sql.run_many(db, "INSERT OR IGNORE INTO import_keys (key, seq) VALUES (?, ?)", pairs)


def count(db: sqlite3.Connection) -> int:
    return int(sql.scalar(db, "SELECT COUNT(*) FROM import_keys") or 0)


def clear(db: sqlite3.Connection) -> None:
    db.execute("DELETE FROM import_keys")


def keys_among(db: sqlite3.Connection, keys: list[str]) -> set[str]:
    """Which of ``keys`` (at most a few hundred) are imported already."""
    if not keys:
        return set()
    marks = ",".join("?" * len(keys))
    return {r[0] for r in db.execute(f"SELECT key FROM import_keys WHERE key IN ({marks})", keys)}


def leaf_hashes(db: sqlite3.Connection, seqs: list[int]) -> dict[int, bytes]:
    """Leaf hashes by index (exporters derive stable entry ids from them)."""
    out: dict[int, bytes] = {}
    for i in range(0, len(seqs), 500):
        chunk = seqs[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for seq, digest in db.execute(
            f"SELECT seq, hash FROM leaves WHERE seq IN ({marks})", chunk
        ):
            out[int(seq)] = bytes(digest)
    return out
