"""The service façade's core: one open home, its database, key and write transactions.

Every user action that records something is one ``App.write()`` transaction: leaves
are appended, projections updated and (when asked) a checkpoint signed, all in one
SQLite transaction, so a crash leaves either all of it or none of it.

Services hold no SQL: they hand the transaction's DB-API connection (``txn.db``, or
``app.read_db()`` for reads) to the table-group classes of ``store/``. SQLAlchemy runs
over that same connection and transaction when something asks for it (``txn.conn``,
``app.read()``), and is imported only then.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from hourproof.core import leaves as lk
from hourproof.core.entries import Entry, fold_leaf
from hourproof.core.money import Rate
from hourproof.core.timeparse import from_rfc3339, to_rfc3339, utc_now
from hourproof.home import Home, HomeError, prepare_home, resolve_home
from hourproof.ledger.canonical import nfc
from hourproof.services.errors import ServiceError
from hourproof.store import db as store_db
from hourproof.store.anchors import AnchorTables
from hourproof.store.db import StoreError, connect, is_busy, make_engine
from hourproof.store.ledger import CheckpointTable, LeafTable, StoredCheckpoint
from hourproof.store.projection import Projection

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy import Connection, Engine

_T = TypeVar("_T")

#: A clock that moved back by more than this between two leaves is recorded.
CLOCK_JUMP_TOLERANCE = timedelta(seconds=2)


class Txn:
    """One write transaction: append leaves and keep projections in step."""

    def __init__(self, app: App, db: sqlite3.Connection) -> None:
        self.app = app
        self.db = db
        self._conn: Connection | None = None
        self.leaves = LeafTable(db)
        self.projection = Projection(db)
        self.checkpoints = CheckpointTable(db)
        self.now = app.clock()
        self._after_anchor: str | bool | None = False
        #: Client chains read or advanced in this transaction (services/chains.py).
        self.chain_cache: dict[str, Any] = {}
        self.appended: list[int] = []
        self.signed_note: str | None = None  # written beside the db after COMMIT

    @property
    def conn(self) -> Connection:
        """The same transaction as a SQLAlchemy connection (made on first use)."""
        if self._conn is None:
            self._conn = self.app.engine.connect()
        return self._conn

    def close(self) -> None:
        """Hand the SQLAlchemy connection back (the DB-API transaction stays the App's)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def after_anchor(self) -> str | None:
        if self._after_anchor is False:
            self._after_anchor = AnchorTables(self.db).newest_token_sha256()
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

    def project(self, seq: int, leaf: Mapping[str, Any]) -> Entry | None:
        """Apply one leaf to the projection tables."""
        kind = leaf["kind"]
        if kind == lk.RATE_SET:
            rate = Rate.from_json(leaf.get("rate"))
            self.projection.set_rate(leaf["scope"], leaf["name"], rate)
            return None
        if kind in lk.EVIDENCE_KINDS or kind == lk.IDLE:  # idle: drawn on the timeline
            start = str(leaf.get("start") or leaf["author_date"])
            end = str(leaf.get("end") or start)
            project = leaf.get("project") or ""
            self.projection.put_evidence(seq, kind, project, leaf.get("client"), start, end)
            return None
        entry = fold_leaf(seq, leaf, self.projection.entry)
        if entry is not None:
            self.projection.put_entry(entry, new=entry.id == seq)
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
        self.signed_note = note
        self.app.after_checkpoint(self, size)
        return StoredCheckpoint(size, root, note, to_rfc3339(self.now))


class App:
    """An open hourproof home. Both the CLI and the GUI work through one of these.

    Each ``write()`` or ``read_db()`` takes a DB-API connection from a small pool for
    its duration (a nested read on the same thread shares it), so any thread may
    work on the store, worker threads that come and go leave no connections behind,
    and at most ``IDLE_CONNECTIONS`` stay open between uses. A service built on
    SQLAlchemy gets a connection over the same DB-API connection and the same
    transaction (``txn.conn``, ``app.read()``); the engine is made on first use, so
    commands that never ask for it never import SQLAlchemy.
    """

    IDLE_CONNECTIONS = 4

    def __init__(
        self, home: Home, lean: bool = False, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.home = home
        self.clock = clock
        self.checkpoint_hooks: list[Callable[[Txn, int], None]] = []
        #: The desktop app sets this while its key may be locked: background evidence
        #: (file spans, git commits) is recorded and signed by the next checkpoint instead
        #: of failing (services.unlock.checkpoint_unless_locked). The CLI leaves it False.
        self.sign_later = False
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    @classmethod
    def open(cls, home_dir: str | os.PathLike[str] | None = None, lean: bool = False) -> App:
        """Open (creating and migrating as needed) the home's store.

        ``lean`` is accepted and ignored (there is one kind of app now). The anchoring
        hook and default TSAs are installed by the CLI and GUI start-up
        (``services.startup.prepare``), not here.
        """
        from hourproof.services import homecheck

        try:
            home = prepare_home(resolve_home(home_dir))
            homecheck.before_open(home)
            app = cls(home)
            # Open and migrate now, so a broken store is reported here.
            with app._using() as db:
                homecheck.after_open(app, db)
        except (HomeError, StoreError) as exc:
            raise ServiceError(str(exc)) from exc
        return app

    def _checkout(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        try:
            db = connect(self.home.database)
        except StoreError as exc:
            raise ServiceError(str(exc)) from exc
        with self._lock:
            self._connections.append(db)
        return db

    def _checkin(self, db: sqlite3.Connection) -> None:
        store_db.rollback(db)  # nothing is left open between uses
        with self._lock:
            if len(self._idle) < self.IDLE_CONNECTIONS and db in self._connections:
                self._idle.append(db)
                return
            if db in self._connections:
                self._connections.remove(db)
        db.close()

    @contextmanager
    def _using(self) -> Iterator[sqlite3.Connection]:
        """The calling thread's connection for the duration: the outermost use on a
        thread takes one from the pool and gives it back; inner uses share it."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None:
            yield db
            return
        db = self._checkout()
        self._local.db = db
        try:
            yield db
        finally:
            self._local.db = None
            self._checkin(db)

    def _db(self) -> sqlite3.Connection:
        """The connection the calling thread is using (SQLAlchemy asks for it). Outside
        ``write``/``read_db`` a thread gets one of its own until the app closes."""
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._checkout()
            self._local.db = db
        return db

    @cached_property
    def engine(self) -> Engine:
        """SQLAlchemy over the calling thread's connection (made on first use)."""
        return make_engine(self._db)

    @cached_property
    def key(self) -> Ed25519PrivateKey:
        from hourproof.services.homecheck import signing_key

        return signing_key(self)

    @property
    def key_path(self) -> Path:
        return self.home.key_file

    def after_checkpoint(self, txn: Txn, size: int) -> None:
        for hook in self.checkpoint_hooks:
            hook(txn, size)

    @contextmanager
    def write(self) -> Iterator[Txn]:
        """A write transaction (BEGIN IMMEDIATE); the tree frontier is saved at its end."""
        with self._using() as db:
            if db.in_transaction:
                raise RuntimeError("a write transaction cannot be nested in another one")
            store_db.begin_write(db)
            txn = Txn(self, db)
            try:
                yield txn
                if txn.appended:
                    txn.leaves.save_frontier()
                txn.close()
                store_db.commit(db)
            except BaseException:
                txn.close()
                store_db.rollback(db)
                raise
        self._committed(txn)

    def _committed(self, txn: Txn) -> None:
        """After COMMIT: keep the newest signed checkpoint beside the database too."""
        if txn.signed_note is not None:
            from hourproof.services.homecheck import record_signed

            record_signed(self.home, txn.signed_note)

    @contextmanager
    def read_db(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on this thread's DB-API connection (inside an open
        transaction of the same thread, that one is shared)."""
        with self._using() as db:
            if db.in_transaction:
                yield db
                return
            store_db.begin_read(db)
            try:
                yield db
            finally:
                store_db.rollback(db)

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction as a SQLAlchemy connection (same snapshot as ``read_db``)."""
        with self.read_db(), self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
            self._idle.clear()
        self._local = threading.local()


def retry_busy(
    action: Callable[[], _T],
    on_wait: Callable[[BaseException], None] | None = None,
    first_wait: float = 0.05,
    max_wait: float = 2.0,
) -> _T:
    """Run ``action`` until it is not refused for a busy database (each try already
    waits SQLite's busy timeout); any other error is raised. For the long-running
    writers (the file watcher, the anchoring worker), which must never give up on
    what they hold because another process writes."""
    import time

    wait = first_wait
    while True:
        try:
            return action()
        except Exception as exc:
            if not is_busy(exc):
                raise
            if on_wait is not None:
                on_wait(exc)
            time.sleep(wait)
            wait = min(wait * 2, max_wait)
