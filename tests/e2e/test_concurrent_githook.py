"""The git post-commit hook as one writer among others (issue 9's concurrent writers).

Commits are made with ``git commit`` in a repository whose hook was installed by
``hourproof git hook install`` (the real hook: it spools each commit, and every
command that opens the home ingests the spool) while ``hourproof add`` and
``start``/``stop`` run on the same home. The phases overlap by events, not by
timing: the commands start once the hook has spooled a commit, and the second half
of the commits is made only after a command has already written. Then: every commit
is recorded exactly once, every entry a command reported is there, no command failed
(no "database is locked"), the spool is empty and the ledger verifies.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import Run

HANG_GUARD = 300.0  # seconds; only stops a hung run
COMMITS = 24
ADDS = 12
TIMERS = 6

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Me", GIT_AUTHOR_EMAIL="me@example.com",
               GIT_COMMITTER_NAME="Me", GIT_COMMITTER_EMAIL="me@example.com")  # fmt: skip
    done = subprocess.run(["git", "-C", str(repo), *args], env=env, capture_output=True,
                          text=True, timeout=HANG_GUARD)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_hook_commits_among_cli_writers_are_each_recorded_once(
    run: Run, home: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for args in (("git", "add", str(repo), "--project", "backend", "--author", "me@example.com"),
                 ("git", "hook", "install", str(repo))):  # fmt: skip
        done = run(*args)
        assert done.returncode == 0, done.stderr
    spool = home / "spool"
    assert spool.is_dir(), "the hook's spool folder is where this test looks for it"

    first_spooled = threading.Event()  # the commands start once the hook has spooled
    first_written = threading.Event()  # the second half of the commits waits for this
    made: list[str] = []
    commit_seconds: list[float] = []
    results: list[tuple[str, subprocess.CompletedProcess[str], float]] = []
    entries: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def guarded(body: Callable[[], None]) -> threading.Thread:
        def target() -> None:
            try:
                body()
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)
                first_spooled.set()
                first_written.set()

        return threading.Thread(target=target, daemon=True)

    def commits() -> None:
        for i in range(COMMITS):
            if i == COMMITS // 2:
                assert first_written.wait(HANG_GUARD), "no command wrote"
            (repo / f"file{i % 5}.txt").write_text(f"change {i}\n")
            git(repo, "add", "-A")
            t0 = time.perf_counter()
            git(repo, "commit", "-q", "-m", f"change {i}")  # runs the installed hook
            commit_seconds.append(time.perf_counter() - t0)
            made.append(git(repo, "rev-parse", "HEAD"))
            if i == 0:
                assert any(spool.glob("*.commit")), "the hook spooled nothing"
                first_spooled.set()

    def command(*args: str) -> subprocess.CompletedProcess[str]:
        t0 = time.perf_counter()
        done = run(*args, "--json")
        with lock:
            results.append((args[0], done, time.perf_counter() - t0))
            if done.returncode == 0:
                entries.append(json.loads(done.stdout)["entry"]["id"])
        first_written.set()
        return done

    def adds() -> None:
        assert first_spooled.wait(HANG_GUARD)
        for i in range(ADDS):
            day = f"2026-03-{i + 1:02d}"
            command("add", "bulk", "--from", f"{day}T08:00:00Z", "--to", f"{day}T09:00:00Z")

    def timers() -> None:
        assert first_spooled.wait(HANG_GUARD)
        for i in range(TIMERS):
            day = f"2026-04-{i + 1:02d}"
            command("start", "timer", "--at", f"{day}T10:00:00Z")
            command("stop", "--at", f"{day}T11:00:00Z")

    t0 = time.perf_counter()
    threads = [guarded(commits), guarded(adds), guarded(timers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_GUARD)
    assert not any(t.is_alive() for t in threads), "a writer hung"
    elapsed = time.perf_counter() - t0
    if errors:
        raise errors[0]
    failed = [(what, r.returncode, r.stderr) for what, r, _ in results if r.returncode != 0]
    assert failed == []
    assert not [r.stderr for _, r, _ in results if "locked" in r.stderr]
    assert len(results) == ADDS + 2 * TIMERS
    ingested_meanwhile = len(made) - len(list(spool.glob("*.commit")))

    settled = run("status")  # the next command ingests what the last commits spooled
    assert settled.returncode == 0, settled.stderr
    assert list(spool.iterdir()) == []
    with sqlite3.connect(f"file:{home / 'hourproof.db'}?mode=ro", uri=True) as db:
        rows = [(seq, kind, json.loads(data)) for seq, kind, data in
                db.execute("SELECT seq, kind, data FROM leaves")]  # fmt: skip
    commit_ids = [leaf["commit"] for _, kind, leaf in rows if kind == "git.commit"]
    assert sorted(commit_ids) == sorted(made)  # each commit exactly once
    seqs = {seq for seq, _, _ in rows}
    starts = {seq for seq, kind, _ in rows if kind in ("entry.add", "entry.start")}
    assert set(entries) <= seqs and len(set(entries)) == ADDS + TIMERS
    assert set(entries) <= starts
    verified = run("ledger", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    print(json.dumps({
        "commits": len(made), "commands": len(results), "seconds": round(elapsed, 1),
        "commits_ingested_while_running": ingested_meanwhile,
        "longest_command_s": round(max(d for _, _, d in results), 3),
        "longest_commit_s": round(max(commit_seconds), 3),
        "load": os.getloadavg()[0],
    }))  # fmt: skip
