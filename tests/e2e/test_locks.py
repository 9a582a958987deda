"""Locks: no command waits on another's git work (the scan holds no transaction while git runs)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import time
from pathlib import Path

from tests.e2e.conftest import hourproof_command
from tests.e2e.test_cli_evidence import git, ok

#: A ``git`` that, for the scan's ``git log``, says so and then waits to be released.
FAKE_GIT = """#!/bin/sh
for arg in "$@"; do
  if [ "$arg" = "log" ]; then
    touch "{started}"
    while [ ! -e "{release}" ]; do sleep 0.02; done
    break
  fi
done
exec "{real}" "$@"
"""


def _wait_for(path: Path, proc: subprocess.Popen[str]) -> None:
    """Until ``path`` exists (an event, not a duration); fails if ``proc`` ended first."""
    deadline = time.monotonic() + 120  # only a hang guard
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"the scan ended before git log ran: {proc.communicate()}")
        assert time.monotonic() < deadline, "git log never started"
        time.sleep(0.01)


def test_an_add_completes_while_a_git_scan_waits_on_git(run, home, tmp_path):
    repo = tmp_path / "shop"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "me@example.org")
    git(repo, "config", "user.name", "Me")
    for i in range(3):
        (repo / f"f{i}").write_text(str(i))
        git(repo, "add", f"f{i}")
        git(repo, "commit", "-q", "-m", f"c{i}", date=f"2026-11-20T10:0{i}:00Z")
    ok(run("git", "add", str(repo), "--project", "shop"))

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    started, release = tmp_path / "git-log-started", tmp_path / "release-git"
    real = shutil.which("git")
    assert real is not None
    fake = bin_dir / "git"
    fake.write_text(FAKE_GIT.format(started=started, release=release, real=real))
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    scan = subprocess.Popen(
        [*hourproof_command(), "--home", str(home), "git", "scan"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        _wait_for(started, scan)
        # git is running for the scan now; a manual entry goes in meanwhile.
        added = run("add", "design", "--from", "2026-11-21T09:00", "--to", "2026-11-21T10:00")
        assert scan.poll() is None, "the scan was expected to still wait on git"
        ok(added)
        release.touch()
        out, err = scan.communicate(timeout=120)
    finally:
        release.touch()
        if scan.poll() is None:
            scan.kill()
            scan.communicate()
    assert scan.returncode == 0, err
    assert "3 new commit(s)" in out
    (entry,) = json.loads(ok(run("log", "--json", "--from", "2026-11-21", "--to", "2026-11-21")))
    assert entry["project"] == "design"
    assert "ok:" in ok(run("ledger", "verify"))
    assert "0 new commit(s)" in ok(run("git", "scan"))
