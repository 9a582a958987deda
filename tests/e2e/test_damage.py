"""A user who loses a file, a WAL or a disk sector is told what was lost, never handed a
fresh ledger (issue 9). Each case damages a home the way it happens and runs the CLI."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import Run


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "unexpected" not in result.stderr
    return result.stderr + result.stdout


def _work(run: Run, entries: int = 3) -> None:
    for i in range(entries):
        ok(run("add", "a", "--from", f"2026-03-02T{9 + i:02d}:00:00Z",
               "--to", f"2026-03-02T{9 + i:02d}:30:00Z"))  # fmt: skip


def _leaves(home: Path) -> int:
    with sqlite3.connect(home / "hourproof.db") as db:
        return int(db.execute("SELECT COUNT(*) FROM leaves").fetchone()[0])


@pytest.fixture
def worked(run: Run, home: Path) -> Path:
    _work(run, 2)
    ok(run("ledger", "backup"))
    _work(run, 2)
    return home


def test_missing_key_over_signed_history_is_an_error_not_a_new_key(run, worked):
    (worked / "signing_key").rename(worked / "signing_key.saved")
    pub = (worked / "signing_key.pub").read_text()
    message = refused(run("add", "b", "--from", "-2h", "--to", "-1h"))
    assert "signing_key" in message and "missing" in message and "restore" in message
    assert not (worked / "signing_key").exists()
    assert (worked / "signing_key.pub").read_text() == pub
    assert "signing key" in refused(run("key", "show"))
    verify = run("ledger", "verify")
    assert verify.returncode == 1 and "missing" in verify.stdout
    (worked / "signing_key.saved").rename(worked / "signing_key")
    ok(run("add", "b", "--from", "-2h", "--to", "-1h"))
    assert "ok: 5 leaves" in ok(run("ledger", "verify"))


def test_foreign_key_is_refused_before_signing(run, worked, tmp_path):
    other = tmp_path / "other"
    ok(run("add", "x", "--from", "-2h", "--to", "-1h", home_dir=other))
    shutil.copy(other / "signing_key", worked / "signing_key")
    message = refused(run("add", "b", "--from", "-2h", "--to", "-1h"))
    assert "not the key that signed this ledger" in message
    assert _leaves(worked) == 4


def test_unreadable_key_names_the_file(run, worked):
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    (worked / "signing_key").chmod(0)
    assert "signing_key" in refused(run("add", "b", "--from", "-2h", "--to", "-1h"))


def test_damaged_key_file_names_the_file(run, worked):
    (worked / "signing_key").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\ngarbage\n")
    message = refused(run("add", "b", "--from", "-2h", "--to", "-1h"))
    assert "signing_key" in message and "damaged" in message


def test_corrupt_public_key_is_a_clear_error(run, worked):
    (worked / "signing_key.pub").write_text("ssh-ed25519 AAAA-not-base64\n")
    result = run("ledger", "verify")
    assert result.returncode == 1
    assert "signing_key.pub" in result.stdout and "damaged" in result.stdout
    (worked / "signing_key.pub").unlink()  # deleting it writes it again from the key
    assert "ok: 4 leaves" in ok(run("ledger", "verify"))
    assert (worked / "signing_key.pub").read_text().startswith("ssh-ed25519 ")


def test_foreign_public_key_is_reported_by_verify(run, worked, tmp_path):
    other = tmp_path / "other"
    ok(run("add", "x", "--from", "-2h", "--to", "-1h", home_dir=other))
    shutil.copy(other / "signing_key.pub", worked / "signing_key.pub")
    result = run("ledger", "verify")
    assert result.returncode == 1 and "another key" in result.stdout


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_missing_or_empty_database_names_the_newest_backup(run, worked, how):
    db = worked / "hourproof.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    if how == "empty":
        db.write_bytes(b"")
    message = refused(run("status"))
    assert how in message and "4 leaves were signed" in message
    assert "hourproof ledger restore hourproof-" in message
    assert not db.exists() or db.stat().st_size == 0  # nothing fresh was created
    assert run("ledger", "verify").returncode == 1
    name = message.split("hourproof ledger restore ")[1].split("'")[0]
    ok(run("ledger", "restore", name, "--yes"))
    assert "ok: 2 leaves" in ok(run("ledger", "verify"))


def test_truncated_database_is_reported_and_restorable(run, worked):
    db = worked / "hourproof.db"
    ok(run("status"))  # checkpoint the WAL into the file
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.truncate(size // 2)
    result = run("status")
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr
    assert "unexpected" not in result.stderr
    verify = run("ledger", "verify")
    assert verify.returncode in (1, 2) and "unexpected" not in verify.stderr
    backups = json.loads(ok(run("ledger", "backups", "--json")))
    ok(run("ledger", "restore", backups[-1]["name"], "--yes"))
    assert ok(run("ledger", "verify")).startswith("ok:")


def _page_of(db: Path, name: str) -> int:
    with sqlite3.connect(db) as con:
        return int(con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                               (name,)).fetchone()[0])  # fmt: skip


def test_zeroed_index_page_fails_verify(run, worked):
    db = worked / "hourproof.db"
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = con.execute("PRAGMA page_size").fetchone()[0]
        index = con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                            "tbl_name = 'entries' LIMIT 1").fetchone()[0]  # fmt: skip
    page = _page_of(db, index)
    with open(db, "r+b") as fh:
        fh.seek((page - 1) * page_size)
        fh.write(b"\0" * page_size)
    result = run("ledger", "verify")
    assert result.returncode == 1, result.stdout
    assert "damaged" in result.stdout


def test_foreign_database_is_refused(run, worked, tmp_path):
    other = tmp_path / "other"
    _work(run, 1)
    ok(run("add", "x", "--from", "-2h", "--to", "-1h", home_dir=other))
    ok(run("add", "y", "--from", "-1h", "--to", "-30m", home_dir=other))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{worked}/hourproof.db{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(other / "hourproof.db") as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(other / "hourproof.db", worked / "hourproof.db")
    message = refused(run("status"))
    assert "leaves" in message and "signed" in message


def test_rolled_back_database_is_reported_with_the_leaves_missing(run, worked):
    backups = json.loads(ok(run("ledger", "backups", "--json")))
    old = worked / "backups" / backups[-1]["name"]
    for suffix in ("-wal", "-shm"):
        Path(f"{worked}/hourproof.db{suffix}").unlink(missing_ok=True)
    shutil.copy(old, worked / "hourproof.db")  # put an older copy back by hand
    message = refused(run("status"))
    assert "2 signed leaf(s) are missing" in message
    verify = run("ledger", "verify", "--json")
    assert json.loads(verify.stdout)["missing_signed_leaves"] == 2


HOLDER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
con.execute("SELECT COUNT(*) FROM leaves").fetchall()
print("open", flush=True)
sys.stdin.read()
"""


def test_lost_wal_tail_with_another_process_open_is_reported(run, worked):
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(worked / "hourproof.db")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    ) as holder:  # fmt: skip
        try:
            assert holder.stdout is not None and holder.stdout.readline() == "open\n"
            _work(run, 2)  # these live in the WAL while the holder keeps it from a checkpoint
            (worked / "hourproof.db-wal").unlink()
        finally:
            holder.kill()  # dies without checkpointing: the WAL's leaves are gone
            holder.wait(timeout=120)
    message = refused(run("status"))
    assert "signed leaf(s) are missing" in message and "lost WAL" in message
    result = run("ledger", "verify")
    assert result.returncode == 1 and "missing" in result.stdout


def test_accepting_a_loss_is_explicit_and_keeps_the_old_database(run, worked):
    backups = json.loads(ok(run("ledger", "backups", "--json")))
    shutil.copy(worked / "backups" / backups[-1]["name"], worked / "hourproof.db")
    for suffix in ("-wal", "-shm"):
        Path(f"{worked}/hourproof.db{suffix}").unlink(missing_ok=True)
    refused(run("status"))
    out = ok(run("ledger", "restore", "--accept-loss", "--yes"))
    assert "2 of the lost leaves were signed" in out
    assert ok(run("ledger", "verify")).startswith("ok: 2 leaves")
    assert list((worked / "backups").glob("superseded-*.checkpoint"))
    ok(run("add", "c", "--from", "-2h", "--to", "-1h"))


def test_restore_shows_what_would_be_lost_and_needs_yes(run, worked):
    backups = json.loads(ok(run("ledger", "backups", "--json")))
    first = next(b for b in backups if b["reason"] == "manual")
    assert first["leaves"] == 2 and first["signed_size"] == 2 and first["bytes"] > 0
    result = run("ledger", "restore", first["name"])
    assert result.returncode == 2 and "--yes" in result.stderr
    assert "Restoring loses 2 leaf(s), #2..#3" in result.stdout
    assert _leaves(worked) == 4
    ok(run("ledger", "restore", first["name"], "--yes"))
    assert _leaves(worked) == 2
    names = [b["name"] for b in json.loads(ok(run("ledger", "backups", "--json")))]
    assert any("pre-restore" in n for n in names)  # the replaced database was kept


def test_backups_are_kept_seven_deep(run, worked):
    for _ in range(9):
        ok(run("ledger", "backup"))
    assert len(json.loads(ok(run("ledger", "backups", "--json")))) == 7
