"""The crash harness: SIGKILL at random points of every kind of write, then check the home.

Each kill point starts a child (a pre-loaded forkserver keeps that cheap), lets it
loop over one kind of write (bulk appends, start/stop, checkpoint signing, a git
scan, export, backup, restore, migration), kills it with SIGKILL after a random
delay, and checks: ``ledger verify`` passes (leaves, tree, signatures, SQLite's
integrity check, the signed head), every leaf the child reported before it died is
there, and no bundle or backup under its final name is half-written. The delays come
from a fixed seed, so a failure can be replayed; the count per kind is bounded so the
whole harness takes well under a minute.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import sqlite3
import subprocess
import time
import zipfile
from pathlib import Path

import pytest

from tests.support import crashwork

KILLS = {
    "appends": 60, "start_stop": 40, "checkpoints": 40, "git_scan": 25, "export": 30,
    "backup": 30, "restore": 30, "migration": 25,
}  # fmt: skip
SEED = 9
STRIDE = 200  # step numbers per kill point (10 minutes of claimed time per step)
HANG_GUARD = 120  # seconds; only a guard against a child that never gets going
COMMITS = 400
PRELOAD = [
    "tests.support.crashwork",
    "hourproof.services.app",
    "hourproof.services.tracking",
    "hourproof.services.export",
    "hourproof.services.backups",
    "hourproof.services.evidence",
]


@pytest.fixture(scope="module")
def ctx():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _lines(report: Path) -> int:
    return len(report.read_text().splitlines()) if report.exists() else 0


def _kill_at_random(
    ctx, op: str, home: Path, report: Path, delay: float, first: int, progress: bool = True
) -> None:
    """Kill the child ``delay`` seconds after it got going.

    With ``progress`` (ops that loop over whole writes), the delay starts only once the
    child has reported one more finished step, so every kill point lands inside a write
    that follows a finished one, however slow the machine is.
    """
    before = _lines(report)
    ready = ctx.Event()
    child = ctx.Process(target=crashwork.run, args=(op, str(home), str(report), ready, first))
    child.start()
    assert ready.wait(HANG_GUARD), f"{op}: the child never got going"
    if progress:
        deadline = time.monotonic() + HANG_GUARD  # a guard only, never reached normally
        while _lines(report) <= before and child.is_alive() and time.monotonic() < deadline:
            time.sleep(0.002)
        assert _lines(report) > before, f"{op}: the child finished no step"
    time.sleep(delay)
    child.kill()
    child.join(HANG_GUARD)
    assert child.exitcode is not None, f"{op}: the child did not die"


def _verify(home: Path) -> None:
    from hourproof.services.app import App
    from hourproof.services.ledger_health import verify_home

    app = App.open(home)
    try:
        health = verify_home(app)
    finally:
        app.close()
    assert health.ok, (health.ledger.problem, health.problems)


def _reported(report: Path, kind: str = "leaf") -> list[int]:
    lines = report.read_text().splitlines() if report.exists() else []
    return [int(line.split()[1]) for line in lines if line.startswith(kind + " ")]


def _leaf_seqs(home: Path) -> set[int]:
    with sqlite3.connect(f"file:{home / 'hourproof.db'}?mode=ro", uri=True) as db:
        return {row[0] for row in db.execute("SELECT seq FROM leaves")}


def _delays(op: str) -> list[float]:
    rng = random.Random(f"{SEED}-{op}")
    return [rng.uniform(0.0, 0.12) for _ in range(KILLS[op])]


def _seed_home(home: Path) -> None:
    from hourproof.services import tracking
    from hourproof.services.app import App

    app = App.open(home)
    base = crashwork.BASE
    tracking.add(app, "seed", base - crashwork.timedelta(hours=2),
                 base - crashwork.timedelta(hours=1), tracking.Details(client="acme"))  # fmt: skip
    app.close()


@pytest.mark.parametrize("op", ["appends", "start_stop", "checkpoints"])
def test_leaves_reported_before_a_kill_survive_it(ctx, tmp_path, op):
    home, report = tmp_path / "home", tmp_path / "report"
    _seed_home(home)
    first = 0
    for delay in _delays(op):
        before = len(_reported(report))
        _kill_at_random(ctx, op, home, report, delay, first)
        assert len(_reported(report)) - before < STRIDE - 1, "a child outran its step numbers"
        # each child's work starts after every earlier child's (a child does one step,
        # then at most delay / (a step's time) more; 200 steps leave room for a fast one)
        first += STRIDE
        _verify(home)
        missing = set(_reported(report)) - _leaf_seqs(home)
        assert not missing, f"{op}: reported leaves lost: {sorted(missing)}"
    assert len(_reported(report)) > KILLS[op], "the kills came too early to test anything"
    print(json.dumps({"op": op, "kill_points": KILLS[op], "reported_leaves": len(_reported(report)),
                      "lost": 0}))  # fmt: skip


def _repo_with_commits(path: Path, count: int) -> None:
    path.mkdir()
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", "-b", "main", str(path)], check=True, env=env)
    lines: list[str] = []
    for i in range(count):
        when = 1772438400 + 600 * i
        body = f"change {i}\n"
        lines += [
            "commit refs/heads/main", f"mark :{i + 1}",
            f"author Me <me@example.com> {when} +0000",
            f"committer Me <me@example.com> {when} +0000",
            f"data {len(f'commit {i}')}", f"commit {i}",
            *([f"from :{i}"] if i else []),
            f"M 644 inline file{i % 7}.txt", f"data {len(body)}", body,
        ]  # fmt: skip
    subprocess.run(["git", "-C", str(path), "fast-import", "--quiet"], check=True, env=env,
                   input="\n".join(lines) + "\n", text=True)  # fmt: skip


def test_git_scan_killed_anywhere_records_each_commit_once(ctx, tmp_path):
    from hourproof.services import evidence
    from hourproof.services.app import App

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    _repo_with_commits(repo, COMMITS)
    template = tmp_path / "template"
    app = App.open(template)
    evidence.add_repo(app, str(repo), "backend", authors=("me@example.com",))
    app.close()
    for n, delay in enumerate(_delays("git_scan")):
        home = tmp_path / f"home-{n}"
        shutil.copytree(template, home)
        _kill_at_random(ctx, "git_scan", home, tmp_path / f"report-{n}", delay * 4, 0, False)
        _verify(home)
        app = App.open(home)
        evidence.scan(app)  # finishing the scan after the kill
        with app.read_db() as db:
            kinds = [row[0] for row in db.execute("SELECT kind FROM leaves")]
        app.close()
        assert kinds.count("git.commit") == COMMITS, f"kill point {n}"
        _verify(home)


def _bundle_complete(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return zf.testzip() is None and "manifest.json" in zf.namelist()
    except zipfile.BadZipFile:
        return False


def test_export_killed_anywhere_leaves_no_half_bundle(ctx, tmp_path):
    home, report = tmp_path / "home", tmp_path / "report"
    _seed_home(home)
    for delay in _delays("export"):
        _kill_at_random(ctx, "export", home, report, delay * 3, 0)
        _verify(home)
        for bundle in (tmp_path / "out").glob("*.hproof"):
            assert _bundle_complete(bundle), f"half-written bundle {bundle.name}"
    assert report.read_text().count("exported") > 0


def _backup_complete(path: Path) -> bool:
    from hourproof.store.backup import check_integrity, read_sizes

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        return not check_integrity(db) and read_sizes(db)[0] > 0


def test_backup_and_restore_killed_anywhere(ctx, tmp_path):
    home, report = tmp_path / "home", tmp_path / "report"
    _seed_home(home)
    for op in ("backup", "restore"):
        for i, delay in enumerate(_delays(op)):
            if op == "restore":  # something newer than the backups, for restore to drop
                from hourproof.services import tracking
                from hourproof.services.app import App

                app = App.open(home)
                start = crashwork.BASE + crashwork.timedelta(days=1, minutes=10 * i)
                tracking.add(app, "new", start, start + crashwork.timedelta(minutes=5))
                app.close()
            _kill_at_random(ctx, op, home, report, delay * 2, i)
            _verify(home)
            for path in (home / "backups").glob("hourproof-*.db"):
                assert _backup_complete(path), f"half-written backup {path.name}"
    assert "restored" in report.read_text() and "backup" in report.read_text()


def _one_version_behind(home: Path) -> None:
    from hourproof.store.migrations import MIGRATIONS, SCHEMA_VERSION

    home.mkdir(mode=0o700)
    db = sqlite3.connect(home / "hourproof.db")
    db.isolation_level = None
    db.execute("PRAGMA journal_mode = WAL")
    for step in MIGRATIONS[: SCHEMA_VERSION - 1]:
        for statement in step.sql():
            db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    db.close()


def test_migration_killed_anywhere_opens_afterwards(ctx, tmp_path):
    from hourproof.store.migrations import SCHEMA_VERSION

    if SCHEMA_VERSION < 2:
        pytest.skip("only one schema version so far")
    for n, delay in enumerate(_delays("migration")):
        home = tmp_path / f"home-{n}"
        _one_version_behind(home)
        _kill_at_random(ctx, "migration", home, tmp_path / f"report-{n}", delay / 4, 0, False)
        _verify(home)
        with sqlite3.connect(home / "hourproof.db") as db:
            assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        for path in (home / "backups").glob("hourproof-*.db"):
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_kill_points_add_up_to_a_few_hundred():
    total = sum(KILLS.values())
    assert 250 <= total <= 400
    print(json.dumps({"kill_points": total, **KILLS}))
