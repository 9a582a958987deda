"""Versioned schema migrations, applied in order on open (``PRAGMA user_version``).

A new home is created straight from ``store/schema.py`` (the one schema definition)
at the newest version; an existing home runs the steps after its version. Step 1 is
the released first schema, frozen as text. A step that adds a table says
``create("name")`` and takes its DDL from schema.py; a test migrates a version-1
database through every step and checks it ends with exactly a new home's schema.

Never edit a released step: append a new one. To change a table already created by
a step, append an ``ALTER TABLE`` step, change schema.py to match, and freeze the
earlier ``create`` of that table as its text (``python -m hourproof.store.migrations``
prints every step's DDL). A database newer than this program is refused. A new home
runs no step, so a step's data statements (an INSERT into meta, say) must not be
needed by a new home: read a missing value as its default instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import NamedTuple


class Create:
    """The DDL of new tables (and their indexes), as schema.py defines them; read when
    a migration runs, so opening an up-to-date home never loads schema.py."""

    def __init__(self, *tables: str) -> None:
        self.tables = tables

    def __iter__(self) -> Iterator[str]:
        from hourproof.store.schema import create_statements

        return iter(create_statements(self.tables))


create = Create


class Step(NamedTuple):
    """One migration: SQL text, ``create(...)``, or a list mixing both."""

    description: str
    statements: Iterable[str | Create]

    def sql(self) -> Iterator[str]:
        for item in [self.statements] if isinstance(self.statements, Create) else self.statements:
            if isinstance(item, str):
                yield item
            else:
                yield from item


MIGRATIONS: list[Step] = [
    Step(
        "ledger, checkpoints, projections, anchoring, evidence sources",
        [
            """CREATE TABLE leaves (
                seq INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                data BLOB NOT NULL,
                hash BLOB NOT NULL
            )""",
            """CREATE TABLE tree_state (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                size INTEGER NOT NULL,
                frontier BLOB NOT NULL
            )""",
            """CREATE TABLE checkpoints (
                size INTEGER PRIMARY KEY,
                root BLOB NOT NULL,
                note TEXT NOT NULL,
                created_at TEXT NOT NULL
            )""",
            """CREATE TABLE entries (
                id INTEGER PRIMARY KEY,
                project TEXT NOT NULL,
                client TEXT,
                task TEXT,
                tags TEXT NOT NULL,
                note TEXT,
                start TEXT NOT NULL,
                "end" TEXT,
                source TEXT NOT NULL,
                rate_minor INTEGER,
                currency TEXT,
                amended INTEGER NOT NULL,
                removed INTEGER NOT NULL,
                evidence TEXT NOT NULL,
                leaves TEXT NOT NULL
            )""",
            "CREATE INDEX entries_start ON entries (start)",
            'CREATE INDEX entries_running ON entries ("end") WHERE "end" IS NULL',
            """CREATE TABLE rates (
                scope TEXT NOT NULL,
                name TEXT NOT NULL,
                minor INTEGER NOT NULL,
                currency TEXT NOT NULL,
                PRIMARY KEY (scope, name)
            )""",
            """CREATE TABLE projects (
                name TEXT PRIMARY KEY,
                client TEXT,
                last_used TEXT NOT NULL
            )""",
            """CREATE TABLE anchors (
                id INTEGER PRIMARY KEY,
                size INTEGER NOT NULL REFERENCES checkpoints(size),
                tsa TEXT NOT NULL,
                gen_time TEXT NOT NULL,
                token BLOB NOT NULL,
                token_sha256 TEXT NOT NULL
            )""",
            "CREATE INDEX anchors_size ON anchors (size)",
            """CREATE TABLE anchor_queue (
                id INTEGER PRIMARY KEY,
                size INTEGER NOT NULL REFERENCES checkpoints(size),
                tsa TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                next_try TEXT NOT NULL,
                last_error TEXT
            )""",
            """CREATE TABLE tsas (
                name TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                root_pem BLOB,
                position INTEGER NOT NULL
            )""",
            """CREATE TABLE git_repos (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                repo_id TEXT NOT NULL,
                project TEXT NOT NULL,
                client TEXT,
                authors TEXT NOT NULL,
                subjects INTEGER NOT NULL,
                tips TEXT NOT NULL DEFAULT '{}'
            )""",
            """CREATE TABLE git_seen (
                repo INTEGER NOT NULL REFERENCES git_repos(id) ON DELETE CASCADE,
                commit_id TEXT NOT NULL,
                PRIMARY KEY (repo, commit_id)
            )""",
            """CREATE TABLE watches (
                id INTEGER PRIMARY KEY,
                path TEXT NOT NULL UNIQUE,
                watch_id TEXT NOT NULL,
                project TEXT NOT NULL,
                client TEXT
            )""",
            """CREATE TABLE evidence (
                seq INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                project TEXT NOT NULL,
                client TEXT,
                start TEXT NOT NULL,
                "end" TEXT NOT NULL
            )""",
            "CREATE INDEX evidence_start ON evidence (start)",
            """CREATE TABLE exports (
                id INTEGER PRIMARY KEY,
                client TEXT NOT NULL,
                size INTEGER NOT NULL,
                checkpoint TEXT NOT NULL,
                created_at TEXT NOT NULL,
                path TEXT NOT NULL
            )""",
            """CREATE TABLE known_signers (
                fingerprint TEXT PRIMARY KEY,
                public_key TEXT NOT NULL,
                checkpoint TEXT NOT NULL,
                size INTEGER NOT NULL,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL
            )""",
            """CREATE TABLE meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
        ],
    ),
    Step("dedupe keys of imported entries", create("import_keys")),
    Step(
        "bundle format 2: per-client chains and the verifier's memory of bundles",
        [
            create("client_chains", "chain_links", "seen_chains", "seen_leaves", "seen_names"),
            # Leaves appended from now on carry chain fields: completeness holds from here.
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('chains_from', "
            "(SELECT CAST(COALESCE(MAX(size), 0) AS TEXT) FROM tree_state))",
        ],
    ),
    Step(
        "witnesses, cosignatures, pinned client keys and approvals given",
        create("witnesses", "witness_state", "cosignatures", "client_keys", "approvals_given"),
    ),
    Step(
        "index of client approval leaves",
        ["CREATE INDEX leaves_approvals ON leaves (seq) WHERE kind = 'approval'"],
    ),
    Step("local clients and projects (added in the app, hidden ones)", create("catalog")),
    # Append new steps here, e.g.  Step("witnesses and cosignatures",
    #                                   create("witnesses", "cosignatures")),
]

SCHEMA_VERSION = len(MIGRATIONS)


if __name__ == "__main__":
    for number, step in enumerate(MIGRATIONS, 1):
        print(f"-- step {number}: {step.description}")
        for statement in step.sql():
            print(statement.strip() + ";")
