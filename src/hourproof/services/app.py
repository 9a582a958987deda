"""The service façade's core: one open home, its database, key and write transactions.

Every user action that records something is one ``App.write()`` transaction: leaves
are appended, projections updated and (when asked) a checkpoint signed, all in one
SQLite transaction, so a crash leaves either all of it or none of it.

The ledger and projection tables are reached through the transaction's DB-API
connection (``txn.db``, plain SQL in ``store/``). A full app also has a SQLAlchemy
engine (``txn.conn``, ``app.read()``) for the services built on SQLAlchemy Core. The
hot CLI commands (status, start, stop …) open a *lean* app without it, so they never
pay for importing SQLAlchemy; every service they call works on ``txn.db`` alone.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hourproof.core import leaves as lk
from hourproof.core.entries import Entry, apply_leaf, cited_entry
from hourproof.core.money import Rate
from hourproof.core.timeparse import from_rfc3339, to_rfc3339, utc_now
from hourproof.home import Home, HomeError, prepare_home, resolve_home
from hourproof.ledger.canonical import nfc
from hourproof.services.errors import ServiceError
from hourproof.store import sql
from hourproof.store.db import StoreError, connect, make_engine
from hourproof.store.ledger import CheckpointTable, LeafTable, StoredCheckpoint
from hourproof.store.projection import Projection

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy import Connection, Engine

#: A clock that moved back by more than this between two leaves is recorded.
CLOCK_JUMP_TOLERANCE = timedelta(seconds=2)


class Txn:
    """One write transaction: append leaves and keep projections in step."""

    def __init__(self, app: App, db: sqlite3.Connection, conn: Connection | None) -> None:
        self.app = app
        self.db = db
        self._conn = conn
        self.leaves = LeafTable(db)
        self.projection = Projection(db)
        self.checkpoints = CheckpointTable(db)
        self.now = app.clock()
        self._after_anchor: str | bool | None = False
        self.appended: list[int] = []

    @property
    def conn(self) -> Connection:
        """The same transaction as a SQLAlchemy connection (full apps only)."""
        if self._conn is None:
            raise RuntimeError("this service needs the full app (App.open(lean=False))")
        return self._conn

    def after_anchor(self) -> str | None:
        if self._after_anchor is False:
            self._after_anchor = sql.scalar(
                self.db, "SELECT token_sha256 FROM anchors ORDER BY id DESC LIMIT 1"
            )
        return self._after_anchor  # type: ignore[return-value]

    def _check_clock(self) -> None:
        if self.leaves.size() == 0 or self.appended:
            return
        last = self.leaves.last_recorded_at()
        if last is not None and from_rfc3339(last) - self.now > CLOCK_JUMP_TOLERANCE:
            self._append_raw(lk.CLOCK_JUMP, {"previous": last, "now": to_rfc3339(self.now)})

    def _append_raw(self, kind: str, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        from hourproof.services import chains  # bundle v2: chain fields (docs/bundle-format §6)

        seq = self.leaves.size()
        fields = nfc(fields)
        chain = chains.link(self, kind, fields)
        leaf = lk.make_leaf(
            kind, seq, to_rfc3339(self.now), secrets.token_bytes(16), self.after_anchor(),
            fields,
        )  # fmt: skip
        data = self.leaves.append(leaf)
        if chain is not None:
            chains.advance(self, chain, seq, data)
        self.appended.append(seq)
        self.project(seq, leaf)
        return seq, leaf

    def append(self, kind: str, fields: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Append a leaf of ``kind``; returns its index and the leaf object."""
        self._check_clock()
        return self._append_raw(kind, fields)

    def project(self, seq: int, leaf: dict[str, Any]) -> Entry | None:
        """Apply one leaf to the projection tables."""
        kind = leaf["kind"]
        if kind == lk.RATE_SET:
            rate = Rate.from_json(leaf.get("rate"))
            self.projection.set_rate(leaf["scope"], leaf["name"], rate)
            return None
        if kind in lk.EVIDENCE_KINDS:
            start = str(leaf.get("start") or leaf["author_date"])
            end = str(leaf.get("end") or start)
            self.projection.put_evidence(seq, kind, leaf["project"], leaf.get("client"), start, end)
            return None
        cited = cited_entry(leaf)
        current = self.projection.entry(cited) if cited is not None else None
        entry = apply_leaf(seq, leaf, current)
        if entry is not None:
            self.projection.put_entry(entry, new=cited is None)
        return entry

    def checkpoint(self) -> StoredCheckpoint:
        """Sign a checkpoint at the current size (if not already signed)."""
        from hourproof.ledger.checkpoint import Checkpoint, sign_checkpoint
        from hourproof.ledger.keys import log_origin

        self.leaves.save_frontier()
        size, root = self.leaves.size(), self.leaves.root()
        existing = self.checkpoints.get(size)
        if existing is not None:
            return existing
        key = self.app.key
        from hourproof.services.chains import extensions

        cp = Checkpoint(log_origin(key.public_key()), size, root, extensions(self))
        note = sign_checkpoint(cp, key)
        self.checkpoints.add(size, root, note, to_rfc3339(self.now))
        self.app.after_checkpoint(self, size)
        return StoredCheckpoint(size, root, note, to_rfc3339(self.now))


class App:
    """An open hourproof home. Both the CLI and the GUI work through one of these."""

    def __init__(
        self, home: Home, lean: bool = False, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.home = home
        self.lean = lean
        self.clock = clock
        self.checkpoint_hooks: list[Callable[[Txn, int], None]] = []
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls, home_dir: str | os.PathLike[str] | None = None, lean: bool = False) -> App:
        """Open (creating and migrating as needed) the home's store."""
        try:
            home = prepare_home(resolve_home(home_dir))
            app = cls(home, lean)
            # Open and migrate now, so a broken store is reported here. A full app works
            # through its SQLAlchemy engine, so its migrating connection is not kept.
            if lean:
                app._db()
            else:
                connect(home.database).close()
        except (HomeError, StoreError) as exc:
            raise ServiceError(str(exc)) from exc
        from hourproof.services import anchoring

        anchoring.install_defaults(app)
        return app

    def _db(self) -> sqlite3.Connection:
        """This thread's DB-API connection (lean apps; SQLite connections are per thread)."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.home.database)
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    @cached_property
    def engine(self) -> Engine:
        if self.lean:
            raise RuntimeError("this service needs the full app (App.open(lean=False))")
        return make_engine(self.home.database)

    @cached_property
    def key(self) -> Ed25519PrivateKey:
        from hourproof.services.keyfile import load_key

        return load_key(self.home.key_file)

    @property
    def key_path(self) -> Path:
        return self.home.key_file

    def after_checkpoint(self, txn: Txn, size: int) -> None:
        for hook in self.checkpoint_hooks:
            hook(txn, size)

    @contextmanager
    def write(self) -> Iterator[Txn]:
        """A write transaction (BEGIN IMMEDIATE); the tree frontier is saved at its end."""
        if self.lean:
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                txn = Txn(self, db, None)
                yield txn
                if txn.appended:
                    txn.leaves.save_frontier()
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
            return
        with self.engine.begin() as conn:
            raw: Any = conn.connection.dbapi_connection
            txn = Txn(self, raw, conn)
            yield txn
            if txn.appended:
                txn.leaves.save_frontier()

    @contextmanager
    def read_db(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on a DB-API connection (lean and full apps)."""
        if self.lean:
            db = self._db()
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("ROLLBACK")
            return
        with self.read() as conn:
            raw: Any = conn.connection.dbapi_connection
            yield raw

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction as a SQLAlchemy connection (full apps only)."""
        with self.engine.connect().execution_options(readonly=True) as conn:
            conn.exec_driver_sql("SELECT 1")  # begin now, so raw reads share the snapshot
            yield conn

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
