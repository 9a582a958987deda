"""Rolling backups of the one SQLite file, with SQLite's online backup API.

A backup is a complete, consistent copy of ``hourproof.db`` taken while other
processes keep working (the backup API copies a snapshot). It is written under a
temporary name, fsynced and renamed, so a backup under its final name is always
whole. Each backup also carries the home's latest signed checkpoint (in its
``meta`` table, key ``backup.signed_checkpoint``), so a backup says what had been
signed when it was taken even when its own database was behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from hourproof.store.durable import fsync_path as fsync_path  # services.backups uses it
from hourproof.store.durable import replace_durably

#: Backups kept in the home; the oldest beyond this are deleted after a new one.
KEEP = 7
SIGNED_META_KEY = "backup.signed_checkpoint"
_NAME = re.compile(r"hourproof-(\d{8}T\d{6}(?:\.\d{6})?Z)-([\w-]+)\.db")


class BackupError(Exception):
    """A backup cannot be written or read; the message is for the user."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what it holds."""

    path: Path
    taken_at: datetime
    reason: str
    bytes: int
    leaves: int | None  # None: the file is not a readable hourproof database
    signed_size: int | None
    problem: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


def backup_name(now: datetime, reason: str) -> str:
    return f"hourproof-{now.strftime('%Y%m%dT%H%M%S.%fZ')}-{reason}.db"


def _read_only(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    db.isolation_level = None
    return db


def write_backup(
    source: sqlite3.Connection | Path,
    folder: Path,
    reason: str,
    signed_note: str | None,
    now: datetime | None = None,
) -> Path:
    """Copy the database into ``folder`` as a new backup; return its final path."""
    now = now or datetime.now(UTC)
    folder.mkdir(mode=0o700, exist_ok=True)
    final = folder / backup_name(now, reason)
    tmp = folder / f".tmp-{os.getpid()}-{final.name}"
    own = not isinstance(source, sqlite3.Connection)
    try:
        src = _read_only(source) if isinstance(source, Path) else source
    except sqlite3.Error as exc:
        raise BackupError(f"cannot read the database to back it up: {exc}") from exc
    try:
        dst = sqlite3.connect(tmp)
        try:
            src.backup(dst)
            dst.isolation_level = None
            dst.execute("PRAGMA journal_mode = DELETE")
            if signed_note is not None:
                with contextlib.suppress(sqlite3.Error):  # a database without a meta table
                    dst.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) "
                        "DO UPDATE SET value = excluded.value",
                        (SIGNED_META_KEY, signed_note),
                    )
        finally:
            dst.close()
        replace_durably(tmp, final)
    except (sqlite3.Error, OSError) as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise BackupError(f"cannot write a backup in {folder}: {exc}") from exc
    finally:
        if own:
            src.close()
    return final


def prune(folder: Path, keep: int = KEEP, spare: Path | None = None) -> list[Path]:
    """Delete the oldest backups beyond ``keep`` (and stale temporary files); ``spare``
    (the backup being restored) is never deleted."""
    removed: list[Path] = []
    for stale in folder.glob(".tmp-*"):
        pid = stale.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                stale.unlink()
    paths = [p for p in list_backup_paths(folder) if spare is None or p != spare]
    for path in paths[: -(keep - (spare is not None))] if keep > 1 else paths:
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def list_backup_paths(folder: Path) -> list[Path]:
    """Backup files under their final names, oldest first."""
    try:
        names = [p for p in folder.iterdir() if _NAME.fullmatch(p.name)]
    except OSError:
        return []
    return sorted(names, key=lambda p: p.name)


def _taken_at(path: Path) -> tuple[datetime, str]:
    match = _NAME.fullmatch(path.name)
    assert match is not None
    stamp, reason = match.groups()
    fmt = "%Y%m%dT%H%M%S.%fZ" if "." in stamp else "%Y%m%dT%H%M%SZ"
    return datetime.strptime(stamp, fmt).replace(tzinfo=UTC), reason


def newest_taken_at(folder: Path) -> datetime | None:
    paths = list_backup_paths(folder)
    return _taken_at(paths[-1])[0] if paths else None


def describe(path: Path) -> BackupInfo:
    """What a backup holds: leaves and the newest signed size (its own or carried)."""
    taken_at, reason = _taken_at(path) if _NAME.fullmatch(path.name) else (
        datetime.fromtimestamp(path.stat().st_mtime, UTC), "file"
    )  # fmt: skip
    size = path.stat().st_size
    try:
        db = _read_only(path)
        try:
            leaves, signed = read_sizes(db)
        finally:
            db.close()
    except sqlite3.Error as exc:
        return BackupInfo(path, taken_at, reason, size, None, None, f"unreadable: {exc}")
    return BackupInfo(path, taken_at, reason, size, leaves, signed)


def read_sizes(db: sqlite3.Connection) -> tuple[int, int]:
    """(leaves, newest signed checkpoint size) of an hourproof database."""
    leaves = db.execute("SELECT COALESCE(MAX(seq) + 1, 0) FROM leaves").fetchone()[0]
    signed = db.execute("SELECT COALESCE(MAX(size), 0) FROM checkpoints").fetchone()[0]
    return int(leaves), int(signed)


def carried_note(path: Path) -> str | None:
    """The signed checkpoint note a backup carries, if any."""
    try:
        db = _read_only(path)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (SIGNED_META_KEY,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def check_integrity(db: sqlite3.Connection, quick: bool = False) -> list[str]:
    """SQLite's own structural check plus foreign keys; the problems found, if any."""
    pragma = "quick_check" if quick else "integrity_check"
    problems = [str(row[0]) for row in db.execute(f"PRAGMA {pragma}(100)")]
    if problems == ["ok"]:
        problems = []
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check"):
        problems.append(f"row {rowid} of {table} refers to a missing row of {parent}")
        if len(problems) >= 100:
            break
    return problems


def leaf_rows_beyond(db: sqlite3.Connection, start: int) -> list[tuple[int, str, str]]:
    """(seq, kind, recorded_at) of the leaves from ``start`` on (what a restore loses)."""
    return [
        (int(seq), str(kind), str(at))
        for seq, kind, at in db.execute(
            "SELECT seq, kind, recorded_at FROM leaves WHERE seq >= ? ORDER BY seq", (start,)
        )
    ]


def checkpoint_root(db: sqlite3.Connection, size: int) -> bytes | None:
    row = db.execute("SELECT root FROM checkpoints WHERE size = ?", (size,)).fetchone()
    return None if row is None else bytes(row[0])


def copy_into(backup: Path, target: sqlite3.Connection) -> None:
    """Replace the live database's content with the backup's (one SQLite transaction)."""
    src = _read_only(backup)
    try:
        src.backup(target)
    finally:
        src.close()


def before_migration(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """Back an existing home's database up before its schema changes (inside the
    migrating transaction, so the copy is exactly what is migrated)."""
    head = path.with_name("signed.checkpoint")
    try:
        note: str | None = head.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        note = None
    final = write_backup(db, path.parent / "backups", f"before-migration-v{version}", note)
    prune(path.parent / "backups")
    return final
