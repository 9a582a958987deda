"""`hourproof suggest` / `accept ID…` / `accept --all` on a repository with two work days."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

# Two mornings with commits 20-25 minutes apart (the rhythm), a day apart.
COMMITS = ["2026-11-23T09:00:00Z", "2026-11-23T09:20:00Z", "2026-11-23T09:45:00Z",
           "2026-11-23T10:10:00Z", "2026-11-24T09:00:00Z", "2026-11-24T09:25:00Z"]  # fmt: skip


def git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               HOME=str(repo.parent))  # fmt: skip
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


@pytest.fixture
def scanned(run, tmp_path: Path):
    repo = tmp_path / "shop"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "me@example.org")
    git(repo, "config", "user.name", "Me")
    for n, when in enumerate(COMMITS):
        (repo / f"f{n}").write_text(str(n))
        git(repo, "add", f"f{n}")
        git(repo, "commit", "-q", "-m", f"change {n}", date=when)
    ok(run("git", "add", str(repo), "--project", "shop", "--client", "acme"))
    ok(run("git", "scan"))
    return run


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def suggestions(run) -> list[dict]:
    return json.loads(ok(run("suggest", "--json")))


def test_commits_twenty_minutes_apart_are_one_suggestion_per_morning(scanned) -> None:
    first, second = suggestions(scanned)
    assert (first["start"], first["end"]) == ("2026-11-23T08:30:00Z", "2026-11-23T10:10:00Z")
    assert len(first["evidence"]) == 4 and len(second["evidence"]) == 2


def test_accept_takes_several_ids(scanned) -> None:
    ids = [s["id"] for s in suggestions(scanned)]
    out = ok(scanned("accept", *ids))
    assert out.count("Added #") == 2
    entries = json.loads(ok(scanned("log", "--json")))
    assert sorted(e["start"] for e in entries) == ["2026-11-23T08:30:00Z", "2026-11-24T08:30:00Z"]
    assert [s["claimed_overlap"] for s in suggestions(scanned)] == [6000, 3300]


def test_accept_all_takes_the_open_ones_of_the_days_given(scanned) -> None:
    ok(scanned("accept", "--all", "--from", "2026-11-24", "--to", "2026-11-24"))
    (entry,) = json.loads(ok(scanned("log", "--json")))
    assert entry["start"] == "2026-11-24T08:30:00Z" and entry["source"] == "suggested"
    assert ok(scanned("accept", "--all")).count("Added #") == 1
    assert "No open suggestion" in ok(scanned("accept", "--all"))


def test_an_unknown_id_records_nothing_and_says_so(scanned) -> None:
    good = suggestions(scanned)[0]["id"]
    result = scanned("accept", good, "s-0000000000")
    assert result.returncode != 0 and "no suggestion s-0000000000" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert json.loads(ok(scanned("log", "--json"))) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [((), "name suggestion ids or give --all"), (("--all", "s-1"), "not both"),
     (("s-1", "--from", "2026-11-24"), "--from/--to go with --all"),
     (("--all", "--commit-gap", "0"), "--commit-gap must be a positive")],
)  # fmt: skip
def test_bad_accept_arguments_are_one_sentence(scanned, args, message) -> None:
    result = scanned("accept", *args)
    assert result.returncode != 0 and message in result.stderr
    assert "Traceback" not in result.stderr


def test_commit_gap_splits_sessions_when_asked(scanned) -> None:
    args = ("suggest", "--json", "--commit-gap", "15", "--allowance", "5")
    found = json.loads(ok(scanned(*args)))
    assert len(found) == len(COMMITS)  # every commit its own 5-minute session
