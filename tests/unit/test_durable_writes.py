"""Every temp-then-rename writer goes through store/durable: exact mode, exact bytes, and
a write that fails midway leaves no temporary file and the old file (if any) intact."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.proof.approval_check import loads
from hourproof.services import approvals, desktop, homecheck, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.export import ExportRequest, export_bundle
from hourproof.store import backup, durable
from hourproof.store.approvals import ApprovalTables

DAY = datetime(2026, 11, 2, tzinfo=UTC)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))


@pytest.fixture
def umask_027() -> Iterator[None]:
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture
def failing_replace(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(durable.os, "replace", boom)


# --- the helper itself


def test_atomic_write_sets_the_exact_mode_whatever_the_umask(tmp_path: Path, umask_027) -> None:
    for mode in (0o600, 0o644, 0o755):
        path = tmp_path / f"f{mode:o}"
        durable.atomic_write(path, b"x" * 100_000, mode)
        assert mode_of(path) == mode and path.read_bytes() == b"x" * 100_000
    assert leftovers(tmp_path) == []


def test_atomic_write_umask_mode_is_a_plain_new_files_mode(tmp_path: Path, umask_027) -> None:
    durable.atomic_write(tmp_path / "plain", b"abc", durable.UMASK)
    assert mode_of(tmp_path / "plain") == 0o640


def test_atomic_write_failing_midway_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f"
    durable.atomic_write(path, b"old")

    def short(fd: int, data: object) -> int:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(durable.os, "write", short)
    with pytest.raises(OSError, match="Input/output"):
        durable.atomic_write(path, b"new")
    assert path.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_atomic_write_over_an_existing_file_replaces_mode_and_bytes(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"a much longer old content")
    path.chmod(0o666)
    durable.atomic_write(path, b"new", 0o600)
    assert path.read_bytes() == b"new" and mode_of(path) == 0o600


# --- homecheck.write_private (signed head, signing key): 0600


def test_write_private_is_0600(tmp_path: Path) -> None:
    path = tmp_path / "signed.checkpoint"
    homecheck.write_private(path, b"note\n")
    assert path.read_bytes() == b"note\n" and mode_of(path) == 0o600
    assert leftovers(tmp_path) == []


def test_write_private_failing_rename_leaves_no_temp(tmp_path: Path, failing_replace) -> None:
    path = tmp_path / "signed.checkpoint"
    path.write_bytes(b"old")
    with pytest.raises(OSError, match="No space"):
        homecheck.write_private(path, b"new")
    assert path.read_bytes() == b"old" and leftovers(tmp_path) == []


# --- desktop.install: 0644


@pytest.fixture
def xdg(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "data", tmp_path / "config"


def test_desktop_files_are_0644_with_their_content(xdg: tuple[Path, Path], umask_027) -> None:
    data, config = xdg
    result = desktop.install(autostart=True, data=data, config=config)
    assert result.files
    entry = data / "applications" / f"{desktop.APP_ID}.desktop"
    assert entry in result.files and "MimeType=application/x-hourproof;" in entry.read_text()
    assert all(mode_of(p) == 0o644 for p in result.files)
    assert leftovers(data) == [] and leftovers(config) == []


def test_desktop_install_failing_rename_leaves_no_temp(
    xdg: tuple[Path, Path], failing_replace
) -> None:
    data, config = xdg
    with pytest.raises(OSError, match="No space"):
        desktop.install(data=data, config=config)
    assert [p for p in data.rglob("*") if p.is_file()] == []


# --- approvals: the approval JSON has a plain new file's mode (0666 less the umask)


class Clock:
    def __init__(self) -> None:
        self.now = DAY + timedelta(hours=9)

    def __call__(self) -> datetime:
        return self.now


def _bundle(tmp_path: Path, clock: Clock) -> Path:
    app = App.open(tmp_path / "contractor")
    app.clock = clock
    try:
        start = clock.now
        clock.now += timedelta(hours=1)
        tracking.add(app, "site", start, clock.now, tracking.Details(client="acme"))
        clock.now += timedelta(minutes=1)
        out = tmp_path / "b.hproof"
        export_bundle(app, ExportRequest(
            client="acme", lo=DAY, hi=DAY + timedelta(days=7), out=out, reports=False,
            anchor_first=False,
        ))  # fmt: skip
        return out
    finally:
        app.close()


@pytest.fixture
def signing(tmp_path: Path) -> Iterator[tuple[App, Path, Path]]:
    clock = Clock()
    bundle = _bundle(tmp_path, clock)
    client = App.open(tmp_path / "client")
    client.clock = clock
    assert client.key is not None  # made on first use: before a test breaks os.replace
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    yield client, bundle, out_dir
    client.close()


def test_approval_file_mode_and_content(signing, umask_027) -> None:
    client, bundle, out_dir = signing
    out = out_dir / "a.json"
    approvals.approve(client, bundle, out, note="thanks")
    assert mode_of(out) == 0o640
    assert loads(out.read_bytes())["statement"]["note"] == "thanks"
    assert leftovers(out_dir) == []


def test_approval_failing_rename_leaves_no_temp_and_records_nothing(
    signing, failing_replace
) -> None:
    client, bundle, out_dir = signing
    with pytest.raises(ServiceError, match="cannot write"):
        approvals.approve(client, bundle, out_dir / "a.json")
    assert list(out_dir.iterdir()) == []
    with client.read_db() as db:
        assert ApprovalTables(db).given() == []


# --- store/backup: SQLite writes the temp file, replace_durably puts it in place


def _db(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
    db.execute("CREATE TABLE t (x)")
    db.execute("INSERT INTO t VALUES (42)")
    db.commit()
    db.close()
    return path


def test_backup_is_the_whole_database_under_its_final_name(tmp_path: Path, umask_027) -> None:
    final = backup.write_backup(_db(tmp_path / "src.db"), tmp_path / "b", "test", "note")
    db = sqlite3.connect(final)
    assert db.execute("SELECT x FROM t").fetchall() == [(42,)]
    assert db.execute("SELECT value FROM meta").fetchall() == [("note",)]
    db.close()
    assert mode_of(final) == 0o640  # as SQLite creates it (0644 less the umask)
    assert [p.name for p in (tmp_path / "b").iterdir()] == [final.name]


def test_backup_failing_rename_leaves_no_temp(tmp_path: Path, failing_replace) -> None:
    with pytest.raises(backup.BackupError, match="No space"):
        backup.write_backup(_db(tmp_path / "src.db"), tmp_path / "b", "test", None)
    assert list((tmp_path / "b").iterdir()) == []
