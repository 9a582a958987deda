"""Evidence through the service layer: commits, spool, activity spans, suggestions."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.core.activity import ActivitySpan
from hourproof.services import evidence, ledger_ops, suggestions, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    full = dict(os.environ, GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
                HOME=str(repo.parent), **(env or {}))  # fmt: skip
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True, env=full).stdout  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", "me@example.org")
    git(path, "config", "user.name", "Me")
    return path


def commit(repo: Path, name: str, email: str = "me@example.org") -> None:
    (repo / name).write_text(name)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", f"add {name}", env={"GIT_AUTHOR_EMAIL": email})


@pytest.fixture
def app(home):
    opened = App.open(home)
    yield opened
    opened.close()


def test_scan_records_only_my_commits_incrementally(app, repo):
    commit(repo, "a")
    commit(repo, "b", email="someone@else.org")
    evidence.add_repo(app, str(repo), "web", "acme")
    assert evidence.scan(app)[0].new_commits == 1
    commit(repo, "c")
    assert evidence.scan(app)[0].new_commits == 1
    assert evidence.scan(app)[0].new_commits == 0
    assert ledger_ops.verify_ledger(app).ok


def test_commit_leaf_carries_the_design_fields(app, repo):
    commit(repo, "a")
    evidence.add_repo(app, str(repo), "web", "acme", subjects=False)
    evidence.scan(app)
    with app.read() as conn:
        data = conn.exec_driver_sql("SELECT data FROM leaves WHERE kind='git.commit'").scalar()
    import json

    leaf = json.loads(data)
    for name in ("repo", "commit", "object_format", "object_sha256", "tree", "author_date",
                 "committer_date", "files_changed", "insertions", "deletions"):  # fmt: skip
        assert name in leaf
    assert "subject" not in leaf and str(repo) not in data.decode()


def test_not_a_repository_is_a_clear_error(app, tmp_path):
    with pytest.raises(ServiceError, match="not a git repository"):
        evidence.add_repo(app, str(tmp_path), "web")


def test_moved_repository_is_a_clear_error(app, repo, tmp_path):
    commit(repo, "a")
    evidence.add_repo(app, str(repo), "web")
    repo.rename(tmp_path / "moved")
    with pytest.raises(ServiceError, match="moved or deleted"):
        evidence.scan(app)


def test_hook_hands_commits_to_the_spool(app, repo):
    commit(repo, "a")
    evidence.add_repo(app, str(repo), "web")
    evidence.install_hook(app, str(repo))
    commit(repo, "b")
    assert app.home.spool_pending()
    assert evidence.ingest_spool(app) == 2
    assert not app.home.spool_pending()


def span(start: datetime, minutes: int) -> ActivitySpan:
    return ActivitySpan(start, start + timedelta(minutes=minutes), ("src/app.py",), 3)


def test_spans_become_leaves_and_suggest_sessions(app, tmp_path):
    folder = tmp_path / "work"
    folder.mkdir()
    watch = evidence.add_watch(app, str(folder), "web", "acme")
    base = datetime(2026, 11, 23, 9, tzinfo=UTC)
    evidence.record_span(app, watch, span(base, 20))
    evidence.record_span(app, watch, span(base + timedelta(minutes=25), 20))
    (view,) = evidence.suggestions(app)
    assert view.suggestion.seconds == 45 * 60 and len(view.suggestion.evidence) == 2
    entry = evidence.accept(app, view.suggestion.id)
    assert entry.source == "suggested" and entry.evidence == view.suggestion.evidence
    (view,) = evidence.suggestions(app)
    assert view.claimed_overlap == 45 * 60


def test_unknown_suggestion_is_refused(app):
    with pytest.raises(ServiceError, match="no suggestion"):
        evidence.accept(app, "s-nope")


def test_watch_run_records_real_writes(app, tmp_path):
    """Files written just before the stop are recorded: stopping first handles every
    file event that happened before it (no wait for inotify in between)."""
    folder = tmp_path / "work"
    folder.mkdir()
    evidence.add_watch(app, str(folder), "web")
    messages: list[str] = []

    def write_then_stop() -> bool:
        for n in range(3):
            (folder / f"f{n}.txt").write_text("x")
        return True

    written = evidence.run_watchers(app, None, messages.append, should_stop=write_then_stop)
    assert written == 1
    assert any("watching" in m for m in messages)
    assert len(suggestions.evidence_items(app, None, None)) == 1


def test_watching_a_missing_folder_is_refused(app, tmp_path):
    with pytest.raises(ServiceError, match="not a folder"):
        evidence.add_watch(app, str(tmp_path / "nope"), "web")


def test_evidence_does_not_change_claimed_entries(app, repo):
    commit(repo, "a")
    evidence.add_repo(app, str(repo), "web")
    evidence.scan(app)
    assert tracking.entries(app) == []


def test_two_scans_at_once_record_each_commit_once(app, repo):
    import threading

    for name in ("a", "b", "c"):
        commit(repo, name)
    evidence.add_repo(app, str(repo), "web")
    results: list[int] = []
    errors: list[Exception] = []

    def scan() -> None:
        try:
            results.append(evidence.scan(app)[0].new_commits)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=scan) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sorted(results) == [0, 3]


def test_a_scan_holds_no_transaction_while_git_streams_and_skips_what_others_recorded(
    app, repo, monkeypatch
):
    """While git's output is read, another writer (here: a second scan of the same repo,
    from the same thread) gets through; the first scan then skips what it recorded."""
    from hourproof.sources import git as git_source

    for name in "abcde":
        commit(repo, name)
    evidence.add_repo(app, str(repo), "web")
    (registered,) = evidence.list_repos(app)
    monkeypatch.setattr(evidence, "BULK_CHECKPOINT_EVERY", 2)
    real_scan = git_source.scan_commits
    inner: list[int] = []

    def scan_commits(*args, **kw):
        records = real_scan(*args, **kw)
        first = next(records)
        if not inner:  # mid-stream: a nested write would raise if a transaction were open
            with monkeypatch.context() as m:
                m.setattr(git_source, "scan_commits", real_scan)
                inner.append(evidence.scan_repo(app, registered).new_commits)
        yield first
        yield from records

    monkeypatch.setattr(git_source, "scan_commits", scan_commits)
    outer = evidence.scan_repo(app, registered).new_commits
    assert inner == [5] and outer == 0
    with app.read_db() as db:
        kinds = [r[0] for r in db.execute("SELECT kind FROM leaves ORDER BY seq")]
        checkpoints = db.execute("SELECT count(*) FROM checkpoints").fetchone()[0]
    assert kinds == ["git.commit"] * 5  # each commit once
    assert checkpoints == 3  # one per batch of at most 2
    assert ledger_ops.verify_ledger(app).ok


def test_the_watcher_keeps_a_span_while_the_database_is_busy(app, monkeypatch):
    """A busy database makes the writer wait and retry; the span is written, not lost."""
    import queue as queue_mod
    import sqlite3

    watch_dir = app.home.root / "w"
    watch_dir.mkdir()
    watch = evidence.add_watch(app, str(watch_dir), "web")
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    span = ActivitySpan(now, now + timedelta(minutes=5), ("a.txt",), 3)
    real = evidence.record_span
    refusals = iter([True, True, False])
    said: list[str] = []

    def busy_then_ok(*args):
        if next(refusals):
            raise sqlite3.OperationalError("database is locked")
        return real(*args)

    monkeypatch.setattr(evidence, "record_span", busy_then_ok)
    monkeypatch.setattr("time.sleep", lambda _s: None)
    spans: queue_mod.Queue = queue_mod.Queue()
    spans.put((watch, span))
    assert evidence._drain_spans(app, spans, 0, said.append) == 1
    assert said == ["the database is busy (another hourproof is writing); retrying"]
    with app.read_db() as db:
        assert db.execute("SELECT kind FROM leaves").fetchall() == [("file.activity",)]


def test_spooled_commits_stay_queued_while_the_database_is_busy(app, repo, monkeypatch):
    import sqlite3

    commit(repo, "a")
    evidence.add_repo(app, str(repo), "web")
    head = git(repo, "rev-parse", "HEAD").strip()
    top = git(repo, "rev-parse", "--show-toplevel").strip()
    (app.home.spool / f"{head}-1.commit").write_text(f"{head} {top}\n")
    real = evidence.scan_repo

    def busy(*_args):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(evidence, "scan_repo", busy)
    assert evidence.ingest_spool(app) == 0
    assert app.home.spool_pending()  # kept for the next command
    monkeypatch.setattr(evidence, "scan_repo", real)
    assert evidence.ingest_spool(app) == 1
    assert not app.home.spool_pending()
