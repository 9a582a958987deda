"""``ledger verify`` beyond the leaves: SQLite's own check, the signed head, the key files.

``ledger_ops.verify_ledger`` proves the leaves, the tree and the checkpoints. This adds
what it cannot see: damage to any other table or index (``PRAGMA integrity_check`` and
``foreign_key_check``), a database behind the signed head kept beside it (a lost WAL
tail or a rolled-back copy, with the number of leaves missing), a head file whose
signature does not verify, and key files that are not the ledger's. SQLite's check
runs on its own connection in a second thread, while the leaves are hashed.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from dataclasses import dataclass, field

from hourproof.services import homecheck
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.ledger_ops import LedgerVerdict, verify_ledger
from hourproof.store import backup
from hourproof.store.ledger import CheckpointTable, LeafTable


@dataclass
class HealthVerdict:
    """The whole home's verdict: the ledger's, plus every other problem found."""

    ledger: LedgerVerdict
    problems: list[str] = field(default_factory=list)
    missing_signed: int = 0  # leaves signed (by the head file) that the database lacks

    @property
    def ok(self) -> bool:
        return self.ledger.ok and not self.problems


class _IntegrityCheck(threading.Thread):
    def __init__(self, app: App) -> None:
        super().__init__(name="hourproof-integrity-check", daemon=True)
        self.app = app
        self.problems: list[str] = []

    def run(self) -> None:
        try:
            db = sqlite3.connect(f"file:{self.app.home.database}?mode=ro", uri=True)
            with contextlib.closing(db):
                self.problems = [
                    f"the database is damaged: {p}" for p in backup.check_integrity(db)
                ]
        except sqlite3.Error as exc:
            self.problems = [f"the database is damaged: {exc}"]


def verify_home(app: App) -> HealthVerdict:
    """Everything ``hourproof ledger verify`` checks."""
    check = _IntegrityCheck(app)
    check.start()
    try:
        verdict = HealthVerdict(verify_ledger(app))
    except sqlite3.DatabaseError as exc:
        verdict = HealthVerdict(LedgerVerdict().fail(None, f"the leaves cannot be read: {exc}"))
    except ServiceError as exc:  # e.g. a damaged signing_key.pub: a failed check, exit 1
        verdict = HealthVerdict(LedgerVerdict().fail(None, str(exc)))
    check.join()
    verdict.problems.extend(check.problems)
    _check_head_and_keys(app, verdict)
    return verdict


def _check_head_and_keys(app: App, verdict: HealthVerdict) -> None:
    from hourproof.ledger.keys import fingerprint

    home = app.home
    try:
        head = homecheck.read_head(home)
        with app.read_db() as db:
            problem = homecheck.compare_with_head(home, db)
            row = CheckpointTable(db).latest()
            leaves = LeafTable(db).count()
        pub = homecheck.public_key(app) if (head or row) else None
    except (ServiceError, sqlite3.Error) as exc:
        verdict.problems.append(str(exc))
        return
    if problem is not None:
        verdict.problems.append(problem)
        if head is not None and leaves < head.size:
            verdict.missing_signed = head.size - leaves
    if pub is None:
        return
    if not home.key_file.exists():
        verdict.problems.append(
            f"the signing key {home.key_file} is missing: nothing new can be signed until "
            "you restore it from your backup of the home folder (the ledger itself checks out "
            f"against {home.public_key_file})"
        )
    if head is not None:
        why = homecheck.check_key_signed(pub, head.note)
        if why is not None:
            verdict.problems.append(
                f"{home.signed_head} is not a checkpoint signed by {home.public_key_file} "
                f"({fingerprint(pub)}): "
                + ("another key signed it" if why == "foreign" else "its signature is bad")
            )
    if row is not None and homecheck.check_key_signed(pub, str(row.note)) == "foreign":
        verdict.problems.append(
            f"the ledger's checkpoints are signed by another key than {home.public_key_file} "
            f"({fingerprint(pub)}): the key files belong to another home; restore this "
            "home's signing_key and signing_key.pub"
        )
