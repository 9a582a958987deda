"""The `hourproof` command as a user runs it: a temp home, one subprocess per command."""

from __future__ import annotations

import json
import sqlite3
import subprocess

import pytest


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def refused(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_day_of_work_from_the_command_line(run):
    ok(run("start", "website", "--client", "acme", "--task", "hero", "--tag", "design",
           "--at", "2026-11-20T09:00:00Z"))  # fmt: skip
    assert "Tracking" in ok(run("status"))
    ok(run("stop", "--at", "2026-11-20T10:00:00Z", "--note", "hero section done"))
    ok(run("add", "api", "--client", "beta", "--from", "-50m", "--to", "-20m"))
    entries = json.loads(ok(run("log", "--json")))
    assert [e["project"] for e in entries] == ["website", "api"]
    first = entries[0]
    assert first["seconds"] == 3600 and first["source"] == "timer" and first["tags"] == ["design"]
    assert first["end"].endswith("Z") and first["amended"] is False
    for key in ("id", "project", "client", "task", "tags", "note", "start", "end", "seconds"):
        assert key in first
    report = json.loads(ok(run("report", "--by", "client", "--json")))
    assert {r["key"]: r["seconds"] for r in report["rows"]} == {"acme": 3600, "beta": 1800}
    assert "ok: 3 leaves" in ok(run("ledger", "verify"))


def test_status_as_json(run):
    ok(run("start", "a"))
    status = json.loads(ok(run("status", "--json")))
    assert status["running"]["project"] == "a" and status["leaves"] == 1


def test_no_arguments_prints_status_and_help_without_a_display(run):
    out = ok(run(env={"DISPLAY": "", "WAYLAND_DISPLAY": ""}))
    assert "No timer running" in out and "No display" in out


def test_a_zero_second_entry_can_be_amended_from_the_command_line(run):
    ok(run("start", "a", "--at", "2026-11-20T09:00:00Z"))
    ok(run("stop", "--at", "2026-11-20T09:00:00Z"))
    ok(run("amend", "0", "--reason", "for acme", "--client", "acme", "--note", "call"))
    [entry] = json.loads(ok(run("log", "--json")))
    assert (entry["client"], entry["note"], entry["seconds"]) == ("acme", "call", 0)
    again = str(entry["id"])  # a new client is a move: a new entry citing the old one
    ok(run("amend", again, "--reason", "typo", "--project", "b"))
    message = refused(run("amend", again, "--reason", "r", "--to", entry["start"]))
    assert "after the start" in message
    assert "ok:" in ok(run("ledger", "verify"))


def test_amend_and_show_history(run):
    ok(run("add", "a", "--from", "2026-11-20T09:00:00Z", "--to", "2026-11-20T10:00:00Z"))
    ok(run("amend", "0", "--reason", "was longer", "--to", "2026-11-20T11:00:00Z"))
    shown = json.loads(ok(run("show", "0", "--json")))
    assert shown["entry"]["seconds"] == 7200 and shown["entry"]["amended"] is True
    assert [v["kind"] for v in shown["versions"]] == ["entry.add", "entry.amend"]
    assert "reason: 'was longer'" in ok(run("show", "0"))


def test_rates_give_amounts(run):
    ok(run("rate", "--client", "acme", "80.50", "eur"))
    ok(run("add", "a", "--client", "acme", "--from", "2026-11-20T09:00:00Z",
           "--to", "2026-11-20T11:00:00Z"))  # fmt: skip
    report = json.loads(ok(run("report", "--by", "project", "--json")))
    assert report["total"]["amounts"] == {"EUR": 16100}
    assert "80.50 EUR" in ok(run("clients"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stop",), "no timer is running"),
        (("add", "a", "--from", "10:00", "--to", "09:00"), "end time must be after"),
        (("amend", "7", "--reason", "r", "--note", "n"), "no entry 7"),
        (("remove", "7", "--reason", "r"), "no entry 7"),
        (("start",), "required"),
        (("start", "a", "--bogus"), "unrecognized arguments"),
        (("frobnicate",), "invalid choice"),
        (("add", "a", "--from", "whenever", "--to", "10:00"), "cannot read time"),
        (("log", "--from", "2026-13-01"), "cannot read date"),
        (("rate", "--project", "a", "1.234", "EUR"), "decimal places"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(run, args, message):
    assert message in refused(run(*args))


def test_bad_input_loses_nothing(run):
    ok(run("start", "a"))
    refused(run("stop", "--at", "1999-01-01T00:00:00Z"))
    assert json.loads(ok(run("status", "--json")))["running"]["project"] == "a"


def test_unreadable_home_is_a_clear_error(run, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert "cannot create home folder" in refused(run("status", home_dir=blocker / "home"))


def test_wrong_passphrase_is_a_clear_error(run):
    ok(run("start", "a", env={"HOURPROOF_PASSPHRASE": "right"}))
    ok(run("stop", env={"HOURPROOF_PASSPHRASE": "right"}))
    message = refused(run("add", "a", "--from", "-3h", "--to", "-2h",
                          env={"HOURPROOF_PASSPHRASE": "wrong"}))  # fmt: skip
    assert "wrong passphrase" in message
    message = refused(run("add", "a", "--from", "-3h", "--to", "-2h",
                          env={"HOURPROOF_PASSPHRASE": ""}))  # fmt: skip
    assert "encrypted" in message or "passphrase" in message
    assert len(json.loads(ok(run("log", "--json")))) == 1


def test_ledger_verify_catches_a_sqlite_shell_edit(run, home):
    ok(run("add", "a", "--from", "-3h", "--to", "-2h"))
    ok(run("add", "b", "--from", "-2h", "--to", "-1h"))
    con = sqlite3.connect(home / "hourproof.db")
    con.execute("UPDATE leaves SET data = CAST(REPLACE(data, '\"b\"', '\"c\"') AS BLOB) "
                "WHERE seq = 1")  # fmt: skip
    con.commit()
    con.close()
    result = run("ledger", "verify")
    assert result.returncode == 1 and "leaf 1" in result.stdout
    verdict = json.loads(run("ledger", "verify", "--json").stdout)
    assert verdict["ok"] is False and verdict["bad_index"] == 1


def test_key_show_matches_ssh_keygen(run, home):
    import shutil

    if shutil.which("ssh-keygen") is None:
        pytest.skip("ssh-keygen (openssh-client) is not installed")
    out = ok(run("key", "show"))
    fingerprint = out.split("Fingerprint:")[1].split()[0]
    listed = subprocess.run(["ssh-keygen", "-lf", str(home / "signing_key.pub")],
                            capture_output=True, text=True, check=True)  # fmt: skip
    assert listed.stdout.split()[1] == fingerprint
    assert 'namespaces="hourproof-manifest-v1" ssh-ed25519 ' in out
    assert (home / "signing_key").stat().st_mode & 0o777 == 0o600


def test_rebuild_restores_entries(run, home):
    ok(run("add", "a", "--from", "-3h", "--to", "-2h"))
    con = sqlite3.connect(home / "hourproof.db")
    con.execute("DELETE FROM entries")
    con.commit()
    con.close()
    assert json.loads(ok(run("log", "--json"))) == []
    ok(run("ledger", "rebuild"))
    assert len(json.loads(ok(run("log", "--json")))) == 1


@pytest.mark.parametrize("args", [("status",), ("start", "a"), ("stop",), ("log",)])
def test_tracking_commands_do_not_import_sqlalchemy_or_qt(run, home, args):
    """The hot commands stay fast: no SQLAlchemy, Qt or requests on their path."""
    import os
    import sys

    if args == ("stop",):
        ok(run("start", "a"))
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    result = subprocess.run(
        [sys.executable, "-m", "hourproof", "--home", str(home), *args],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "hourproof.services.app" in imported  # the profile did record imports
    for heavy in ("sqlalchemy", "PySide6", "requests"):
        assert not [m for m in imported if m == heavy or m.startswith(heavy + ".")], heavy
