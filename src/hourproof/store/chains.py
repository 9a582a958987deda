"""Per-client hash chains (bundle format v2) and the verifier's memory of bundles.

Contractor side: ``client_chains`` holds each client's secret, blinded id, count and
head; ``chain_links`` one row per chained leaf (its client, chain number and hash),
so the map at any past size can be rebuilt. ``meta['chains_from']`` is the index
from which this home writes chain fields.

Client (verifier) side: ``seen_chains`` remembers per signer and blinded client the
newest chain state a verified bundle proved; ``seen_leaves`` the leaves each bundle
disclosed; ``seen_names`` which key signed for a contractor identity and recipient.

Plain SQL on a DB-API connection, inside the caller's transaction.
"""

from __future__ import annotations

import secrets
import sqlite3
from dataclasses import dataclass

from hourproof.ledger.clientmap import MapEntry, blinded_id
from hourproof.store import sql

DDL = [
    """CREATE TABLE IF NOT EXISTS client_chains (
        client TEXT PRIMARY KEY,
        secret BLOB NOT NULL,
        blinded BLOB NOT NULL UNIQUE,
        count INTEGER NOT NULL,
        head BLOB
    )""",
    """CREATE TABLE IF NOT EXISTS chain_links (
        seq INTEGER PRIMARY KEY,
        blinded BLOB NOT NULL,
        n INTEGER NOT NULL,
        hash BLOB NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS chain_links_client ON chain_links (blinded, seq)",
    """CREATE TABLE IF NOT EXISTS seen_chains (
        fingerprint TEXT NOT NULL,
        blinded BLOB NOT NULL,
        size INTEGER NOT NULL,
        count INTEGER NOT NULL,
        head BLOB,
        PRIMARY KEY (fingerprint, blinded)
    )""",
    """CREATE TABLE IF NOT EXISTS seen_leaves (
        fingerprint TEXT NOT NULL,
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL,
        entry INTEGER,
        PRIMARY KEY (fingerprint, seq)
    )""",
    """CREATE TABLE IF NOT EXISTS seen_names (
        identity TEXT NOT NULL,
        recipient TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        PRIMARY KEY (identity, recipient)
    )""",
    # Leaves appended from now on carry chain fields: completeness holds from here.
    "INSERT OR IGNORE INTO meta (key, value) VALUES ('chains_from', "
    "(SELECT CAST(COALESCE(MAX(size), 0) AS TEXT) FROM tree_state))",
]


def ensure(db: sqlite3.Connection) -> None:
    """Create the tables in a database made without them (the benchmarks' stores)."""
    if sql.scalar(db, "SELECT 1 FROM sqlite_master WHERE name = 'seen_names'") is None:
        for statement in DDL:
            db.execute(statement)


@dataclass(frozen=True)
class ClientChain:
    client: str
    secret: bytes
    blinded: bytes
    count: int
    head: bytes | None


def _chain(row: sqlite3.Row | None) -> ClientChain | None:
    if row is None:
        return None
    head = bytes(row["head"]) if row["head"] is not None else None
    return ClientChain(row["client"], bytes(row["secret"]), bytes(row["blinded"]),
                       row["count"], head)  # fmt: skip


class Chains:
    """The contractor's per-client chains."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def chains_from(self) -> int:
        value = sql.scalar(self.db, "SELECT value FROM meta WHERE key = 'chains_from'")
        return int(value) if value is not None else 0

    def get(self, client: str) -> ClientChain | None:
        return _chain(sql.one(self.db, "SELECT * FROM client_chains WHERE client = ?", (client,)))

    def get_or_create(self, client: str) -> ClientChain:
        found = self.get(client)
        if found is not None:
            return found
        secret = secrets.token_bytes(32)
        blinded = blinded_id(secret)
        self.db.execute(
            "INSERT INTO client_chains (client, secret, blinded, count, head) "
            "VALUES (?, ?, ?, 0, NULL)",
            (client, secret, blinded),
        )
        return ClientChain(client, secret, blinded, 0, None)

    def advance(self, chain: ClientChain, seq: int, n: int, digest: bytes) -> None:
        self.db.execute(
            "UPDATE client_chains SET count = ?, head = ? WHERE blinded = ?",
            (n, digest, chain.blinded),
        )
        self.db.execute(
            "INSERT INTO chain_links (seq, blinded, n, hash) VALUES (?, ?, ?, ?)",
            (seq, chain.blinded, n, digest),
        )

    def current_map(self) -> dict[bytes, MapEntry]:
        return {
            bytes(r["blinded"]): MapEntry(r["count"], bytes(r["head"]))
            for r in sql.rows(
                self.db, "SELECT blinded, count, head FROM client_chains WHERE count > 0"
            )
        }

    def map_at(self, size: int) -> dict[bytes, MapEntry]:
        """Every client's (count, head) in the tree of ``size`` leaves."""
        out: dict[bytes, MapEntry] = {}
        for (blinded,) in self.db.execute("SELECT blinded FROM client_chains"):
            row = self.db.execute(
                "SELECT n, hash FROM chain_links WHERE blinded = ? AND seq < ? "
                "ORDER BY seq DESC LIMIT 1",
                (blinded, size),
            ).fetchone()
            if row is not None:
                out[bytes(blinded)] = MapEntry(row[0], bytes(row[1]))
        return out

    def links(self, blinded: bytes, after_n: int, size: int) -> list[tuple[int, int]]:
        """(seq, n) of the client's chained leaves with n > after_n and seq < size."""
        return [
            (r[0], r[1])
            for r in self.db.execute(
                "SELECT seq, n FROM chain_links WHERE blinded = ? AND n > ? AND seq < ? "
                "ORDER BY seq",
                (blinded, after_n, size),
            )
        ]


@dataclass(frozen=True)
class SeenChain:
    size: int
    count: int
    head: bytes | None


class Memory:
    """What this verifier remembers from the bundles it verified (trust on first use)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.ready = (
            sql.scalar(db, "SELECT 1 FROM sqlite_master WHERE name = 'seen_names'") is not None
        )

    def chain(self, fingerprint: str, blinded: bytes) -> SeenChain | None:
        if not self.ready:
            return None
        row = sql.one(self.db, "SELECT size, count, head FROM seen_chains WHERE fingerprint = ? "
                      "AND blinded = ?", (fingerprint, blinded))  # fmt: skip
        if row is None:
            return None
        return SeenChain(row["size"], row["count"],
                         bytes(row["head"]) if row["head"] is not None else None)  # fmt: skip

    def keys(
        self,
    ) -> tuple[list[str], list[tuple[str, bytes]], list[tuple[str, str]]]:
        """Every remembered signer, (signer, client) chain and (identity, recipient)."""
        signers = [r[0] for r in self.db.execute("SELECT fingerprint FROM known_signers")]
        if not self.ready:
            return signers, [], []
        chains = [(r[0], bytes(r[1])) for r in self.db.execute(
            "SELECT fingerprint, blinded FROM seen_chains")]  # fmt: skip
        names = [(r[0], r[1]) for r in self.db.execute(
            "SELECT identity, recipient FROM seen_names")]  # fmt: skip
        return signers, chains, names

    def leaves(self, fingerprint: str) -> dict[int, tuple[bytes, int | None]]:
        if not self.ready:
            return {}
        return {
            r[0]: (bytes(r[1]), r[2])
            for r in self.db.execute(
                "SELECT seq, hash, entry FROM seen_leaves WHERE fingerprint = ?", (fingerprint,)
            )
        }

    def name(self, identity: str, recipient: str) -> str | None:
        if not self.ready:
            return None
        value: str | None = sql.scalar(
            self.db, "SELECT fingerprint FROM seen_names WHERE identity = ? AND recipient = ?",
            (identity, recipient),
        )  # fmt: skip
        return value

    def checkpoints(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute(
            "SELECT fingerprint, checkpoint FROM known_signers")}  # fmt: skip

    def remember(
        self, fingerprint: str, blinded: bytes | None, chain: SeenChain | None,
        leaves: dict[int, tuple[bytes, int | None]], identity: str, recipient: str,
    ) -> None:  # fmt: skip
        if blinded is not None and chain is not None:
            self.db.execute(
                "INSERT INTO seen_chains (fingerprint, blinded, size, count, head) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint, blinded) DO UPDATE SET "
                "size = excluded.size, count = excluded.count, head = excluded.head "
                "WHERE excluded.size >= seen_chains.size",
                (fingerprint, blinded, chain.size, chain.count, chain.head),
            )
        self.db.executemany(
            "INSERT OR IGNORE INTO seen_leaves (fingerprint, seq, hash, entry) VALUES (?, ?, ?, ?)",
            [(fingerprint, seq, h, e) for seq, (h, e) in leaves.items()],
        )
        self.db.execute(
            "INSERT INTO seen_names (identity, recipient, fingerprint) VALUES (?, ?, ?) "
            "ON CONFLICT (identity, recipient) DO UPDATE SET fingerprint = excluded.fingerprint",
            (identity, recipient, fingerprint),
        )

    def remember_checkpoint(
        self, fingerprint: str, public_key: str, note: str, size: int, now: str
    ) -> None:
        row = sql.one(self.db, "SELECT size FROM known_signers WHERE fingerprint = ?",
                      (fingerprint,))  # fmt: skip
        if row is None:
            self.db.execute(
                "INSERT INTO known_signers (fingerprint, public_key, checkpoint, size, "
                "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (fingerprint, public_key, note, size, now, now),
            )
        elif size >= row["size"]:
            self.db.execute(
                "UPDATE known_signers SET checkpoint = ?, size = ?, last_seen = ? "
                "WHERE fingerprint = ?",
                (note, size, now, fingerprint),
            )
