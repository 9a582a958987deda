"""Listing backups and putting one back (``hourproof ledger backups|restore``).

A restore never destroys the current database: it is backed up first (or, when it
is too damaged for SQLite to read, moved aside byte for byte). The plan says what
the restore would lose — the leaves newer than the backup — before anything moves.
These work on the home's files directly, without opening the home as an App, so
they still work when opening it is refused.
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import sqlite3
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from hourproof.home import Home, HomeError, prepare_home, resolve_home
from hourproof.services import homecheck
from hourproof.services.errors import ServiceError
from hourproof.store import backup
from hourproof.store.backup import BackupInfo
from hourproof.store.db import enable_wal
from hourproof.store.ledger import CheckpointTable


def open_home(home_dir: str | None) -> Home:
    try:
        return prepare_home(resolve_home(home_dir))
    except HomeError as exc:
        raise ServiceError(str(exc)) from exc


def list_backups(home: Home) -> list[BackupInfo]:
    """Every backup in the home, oldest first."""
    return [backup.describe(path) for path in backup.list_backup_paths(home.backups)]


def create_backup(home: Home, reason: str = "manual") -> BackupInfo:
    """Back the database up now (``hourproof ledger backup``)."""
    if not home.database.exists():
        raise ServiceError(f"there is no database at {home.database} to back up")
    path = homecheck.take_backup(home, home.database, reason)
    return backup.describe(path)


def resolve_backup(home: Home, name: str) -> Path:
    """A backup by its name in the home's backups folder, or a path to a database file."""
    if not name or "\0" in name:
        raise ServiceError("the backup name is empty or contains a NUL character")
    candidate = home.backups / name
    path = candidate if "/" not in name and candidate.exists() else Path(name).expanduser()
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError) as exc:
        raise ServiceError(
            f"no backup {name!r} (see 'hourproof ledger backups' for the names)"
        ) from exc
    if not stat.S_ISREG(mode):
        raise ServiceError(f"the backup {path} is not a regular file")
    return path


@dataclass
class RestorePlan:
    """What putting ``source`` back would do."""

    source: Path
    backup_leaves: int
    backup_signed: int
    current_leaves: int | None  # None: no readable current database
    lost: list[tuple[int, str, str]] = field(default_factory=list)
    lost_signed: int = 0  # signed leaves (by the head file) the restored home gives up
    current_problem: str | None = None

    def describe(self) -> str:
        lines = [
            f"Backup {self.source.name}: {self.backup_leaves} leaves, signed up to "
            f"{self.backup_signed}."
        ]
        if self.current_leaves is None:
            lines.append(f"The current database cannot be read ({self.current_problem}).")
        else:
            lines.append(f"The current database has {self.current_leaves} leaves.")
        if self.lost:
            first, last = self.lost[0][0], self.lost[-1][0]
            kinds: dict[str, int] = {}
            for _, kind, _ in self.lost:
                kinds[kind] = kinds.get(kind, 0) + 1
            summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
            lines.append(
                f"Restoring loses {len(self.lost)} leaf(s), #{first}..#{last} ({summary}), "
                f"recorded {self.lost[0][2]} to {self.lost[-1][2]}."
            )
        if self.lost_signed:
            lines.append(
                f"{self.lost_signed} of the lost leaves were signed: anyone who holds that "
                "checkpoint (a client with a bundle) will see the history fork there."
            )
        if not self.lost and not self.lost_signed:
            lines.append("Restoring loses nothing the current database holds.")
        lines.append("The current database is backed up first either way.")
        return "\n".join(lines)


def _open_ro(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    db.isolation_level = None
    return db


def _validate_backup(path: Path) -> tuple[int, int, bytes | None]:
    """(leaves, signed size, root at the signed size) of a sound hourproof database."""
    try:
        with contextlib.closing(_open_ro(path)) as db:
            problems = backup.check_integrity(db)
            if problems:
                raise ServiceError(f"the backup {path} is damaged: {problems[0]}")
            leaves, signed = backup.read_sizes(db)
            root = backup.checkpoint_root(db, signed) if signed else None
    except sqlite3.Error as exc:
        raise ServiceError(
            f"the backup {path} is not a readable hourproof database: {exc}"
        ) from exc
    return leaves, signed, root


def plan_restore(home: Home, source: Path | None) -> RestorePlan:
    """What restoring ``source`` (None: keep the current database, accept its loss) does."""
    head = homecheck.read_head(home)
    if source is not None:
        b_leaves, b_signed, b_root = _validate_backup(source)
    plan = RestorePlan(source or home.database, 0, 0, None)
    try:
        if not home.database.exists():
            raise sqlite3.OperationalError("it is missing")
        with contextlib.closing(_open_ro(home.database)) as db:
            c_leaves, c_signed = backup.read_sizes(db)
            if source is None:
                b_leaves, b_signed = c_leaves, c_signed
            elif b_signed and c_signed >= b_signed:
                mine = backup.checkpoint_root(db, b_signed)
                if mine is not None and mine != b_root:
                    raise ServiceError(
                        f"the backup {source} is not an older state of this ledger (its "
                        f"checkpoint at size {b_signed} differs): it belongs to another home"
                    )
            plan.current_leaves = c_leaves
            plan.lost = backup.leaf_rows_beyond(db, b_leaves)
    except sqlite3.Error as exc:
        plan.current_problem = str(exc)
        if source is None:
            raise ServiceError(
                f"the current database cannot be read ({exc}): name a backup to restore"
            ) from exc
    plan.backup_leaves, plan.backup_signed = b_leaves, b_signed
    if head is not None and source is not None and b_signed:
        with contextlib.closing(_open_ro(source)) as db:
            root = backup.checkpoint_root(db, min(head.size, b_signed))
        if head.size <= b_signed and (
            root is None or base64.b64encode(root).decode() != head.root_b64
        ):
            raise ServiceError(
                f"the backup {source} does not hold the checkpoint this home signed at size "
                f"{head.size}: it belongs to another home"
            )
    if head is not None:
        plan.lost_signed = max(0, head.size - plan.backup_leaves)
    return plan


def _move_aside(home: Home, stamp: str) -> Path:
    """Keep an unreadable database's bytes (with its WAL) under backups/damaged-*."""
    folder = home.backups / f"damaged-{stamp}"
    folder.mkdir(parents=True, mode=0o700, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        path = home.database.with_name(home.database.name + suffix)
        if path.exists():
            os.replace(path, folder / path.name)
    backup.fsync_path(home.root)
    return folder


def restore(home: Home, plan: RestorePlan) -> Path | None:
    """Carry out ``plan``; returns where the previous database was kept."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
    kept: Path | None = None
    if plan.current_leaves is not None:
        kept = homecheck.take_backup(home, home.database, "pre-restore", keep=plan.source)
    elif home.database.exists():
        kept = _move_aside(home, stamp)
    if plan.source != home.database:
        # A head that goes down is lowered before the copy, one that goes up after it: a
        # crash in between leaves a database ahead of its head (caught up on the next
        # open), never one behind it.
        _reset_head(home, stamp, plan.source, only_lower=True)
        if home.database.exists():
            db = sqlite3.connect(home.database, timeout=30)
            try:
                db.isolation_level = None
                backup.copy_into(plan.source, db)
                enable_wal(db)
            except sqlite3.Error as exc:
                raise ServiceError(f"cannot write the restored database: {exc}") from exc
            finally:
                db.close()
        else:
            tmp = home.root / f".restore-{os.getpid()}.db"
            shutil.copyfile(plan.source, tmp)
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, home.database)
            backup.fsync_path(home.root)
    _reset_head(home, stamp, home.database)
    return kept


def _reset_head(home: Home, stamp: str, source: Path, only_lower: bool = False) -> None:
    """The head file follows the restored database; the superseded one is kept."""
    head = None
    with contextlib.suppress(ServiceError):
        head = homecheck.read_head(home)
    with contextlib.closing(_open_ro(source)) as db:
        latest = CheckpointTable(db).latest()
    new = homecheck.parse_head(str(latest.note)) if latest is not None else None
    if only_lower and (head is None or (new is not None and new.size >= head.size)):
        return
    if head is not None and (latest is None or (homecheck.parse_head(str(latest.note)) or head)
                             .size < head.size):  # fmt: skip
        home.backups.mkdir(mode=0o700, exist_ok=True)
        (home.backups / f"superseded-{stamp}-{head.size}.checkpoint").write_text(head.note)
    if latest is None:
        with contextlib.suppress(FileNotFoundError):
            home.signed_head.unlink()
    else:
        homecheck.record_signed(home, str(latest.note), allow_smaller=True)
