"""Evidence from the command line: a git repository, the hook, suggestions, accept."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               HOME=str(repo.parent))  # fmt: skip
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "shop"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "me@example.org")
    git(path, "config", "user.name", "Me")
    for minute, name in ((0, "a"), (5, "b")):
        (path / name).write_text(name)
        git(path, "add", name)
        git(path, "commit", "-q", "-m", f"add {name}", date=f"2026-11-20T10:{minute:02d}:00Z")
    return path


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_commits_suggest_a_session_that_can_be_accepted(run, repo):
    ok(run("git", "add", str(repo), "--project", "shop", "--client", "acme"))
    assert "2 new commit(s)" in ok(run("git", "scan"))
    assert "0 new commit(s)" in ok(run("git", "scan"))
    (suggestion,) = json.loads(ok(run("suggest", "--json", "--allowance", "15")))
    assert suggestion["seconds"] == 20 * 60  # 15 min before the first commit + 5 min
    assert suggestion["client"] == "acme" and len(suggestion["evidence"]) == 2
    ok(run("accept", suggestion["id"], "--allowance", "15"))
    (entry,) = json.loads(ok(run("log", "--json")))
    assert entry["source"] == "suggested" and entry["evidence"] == suggestion["evidence"]
    assert "ok:" in ok(run("ledger", "verify"))


def test_the_hook_records_a_commit_for_the_next_command(run, repo):
    ok(run("git", "add", str(repo), "--project", "shop"))
    ok(run("git", "scan"))
    ok(run("git", "hook", "install", str(repo)))
    (repo / "c").write_text("c")
    git(repo, "add", "c")
    git(repo, "commit", "-q", "-m", "add c", date="2026-11-20T10:10:00Z")
    ok(run("status"))  # any command ingests the spool
    (suggestion,) = json.loads(ok(run("suggest", "--json")))
    assert len(suggestion["evidence"]) == 3


def test_not_a_repository_is_one_line_and_exit_2(run, tmp_path):
    result = run("git", "add", str(tmp_path), "--project", "x")
    assert result.returncode == 2 and "not a git repository" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
