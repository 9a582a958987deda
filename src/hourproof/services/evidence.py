"""Evidence without surveillance: git commits, file-activity spans, suggested sessions.

Commits and spans become ledger leaves (DESIGN §7); suggested sessions are computed
from them on demand and become entries only when the user accepts one.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import os
import queue
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.services.app import App, retry_busy
from hourproof.services.errors import ServiceError
from hourproof.services.suggestions import (  # re-exported: suggestions moved there
    SuggestionView as SuggestionView,
)
from hourproof.services.suggestions import accept as accept
from hourproof.services.suggestions import accept_many as accept_many
from hourproof.services.suggestions import suggestions as suggestions
from hourproof.store.db import is_busy
from hourproof.store.sources import GitRepos, RepoRow, Watches

#: A git scan appends at most this many commits per (short) write transaction, and
#: signs a checkpoint at the end of each.
BULK_CHECKPOINT_EVERY = 1000
ACTIVITY_CHECKPOINT_INTERVAL = timedelta(minutes=30)


@dataclass(frozen=True)
class GitRepo:
    id: int
    path: Path
    project: str
    client: str | None
    authors: tuple[str, ...]
    subjects: bool


@dataclass(frozen=True)
class ScanResult:
    repo: Path
    new_commits: int
    warnings: tuple[str, ...]


def _repo_row(row: RepoRow) -> GitRepo:
    return GitRepo(row.id, Path(row.path), row.project, row.client, row.authors, row.subjects)


def _git_error(exc: Exception) -> ServiceError:
    return ServiceError(str(exc))


def add_repo(
    app: App, path: str, project: str, client: str | None = None,
    authors: tuple[str, ...] = (), subjects: bool = True,
) -> tuple[GitRepo, list[str]]:  # fmt: skip
    """Register a repository; returns it and warnings (e.g. a shallow clone)."""
    from hourproof.sources.git import GitError, inspect_repo

    try:
        info = inspect_repo(path, with_roots=False)
    except GitError as exc:
        raise _git_error(exc) from exc
    emails = tuple(a.strip().lower() for a in authors if a.strip())
    if not emails:
        if not info.user_email:
            raise ServiceError(f"{info.path} has no user.email: pass --author EMAIL")
        emails = (info.user_email.lower(),)
    warnings = []
    if info.shallow:
        warnings.append(
            "this is a shallow clone: commits before its cut-off are not seen, and the "
            "oldest commit's diff stats are unknown (git fetch --unshallow for all)"
        )
    if info.detached:
        warnings.append("HEAD is detached: its commits are scanned too")
    repo_id = hashlib.sha256(secrets.token_bytes(16) + str(info.path).encode()).hexdigest()[:32]
    with app.write() as txn:
        repos = GitRepos(txn.db)
        if repos.by_path(str(info.path)) is not None:
            raise ServiceError(f"{info.path} is registered already")
        repos.add(str(info.path), repo_id, project.strip(), client, emails, subjects)
    return next(r for r in list_repos(app) if r.path == info.path), warnings


def list_repos(app: App) -> list[GitRepo]:
    with app.read_db() as db:
        return [_repo_row(r) for r in GitRepos(db).all()]


def _find_repo(app: App, path: str) -> GitRepo:
    wanted = Path(path).expanduser().resolve()
    for repo in list_repos(app):
        if repo.path == wanted or repo.path.resolve() == wanted:
            return repo
    raise ServiceError(f"{path} is not a registered repository (see 'hourproof git list')")


def remove_repo(app: App, path: str) -> GitRepo:
    """Stop scanning a repository; its commit leaves stay in the ledger."""
    repo = _find_repo(app, path)
    with app.write() as txn:
        GitRepos(txn.db).remove(repo.id)
    return repo


def _commit_fields(repo: GitRepo, repo_id: str, rec: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "repo": repo_id, "project": repo.project, "client": repo.client,
        "commit": rec.commit, "object_format": rec.object_format,
        "object_sha256": rec.object_sha256, "tree": rec.tree,
        "author_date": rec.author_date, "committer_date": rec.committer_date,
        "files_changed": rec.files_changed, "insertions": rec.insertions,
        "deletions": rec.deletions,
    }  # fmt: skip
    if repo.subjects:
        fields["subject"] = rec.subject
    return fields


def scan_repo(app: App, repo: GitRepo) -> ScanResult:
    """Record the user's new commits of one repository (incremental, streamed).

    No transaction is open while git works: what was seen is read first, then git's
    output is taken a batch at a time and each batch appended in its own short write
    transaction (commits another scan recorded meanwhile are skipped there). The
    branch tips that make the next scan incremental are saved after the last batch.
    """
    from hourproof.sources.git import GitError, branch_tips, inspect_repo, scan_commits

    if not repo.path.exists():
        raise ServiceError(f"repository moved or deleted: {repo.path} (git remove it, or "
                           "git add it at its new place)")  # fmt: skip
    warnings: list[str] = []
    count = 0
    try:
        if inspect_repo(repo.path, with_roots=False).shallow:
            warnings.append("shallow clone: history before the cut-off is not evidence")
        with app.read_db() as db:
            row = GitRepos(db).get(repo.id)
            seen = GitRepos(db).seen(repo.id)
        if row is None:
            raise ServiceError(f"{repo.path} is no longer registered")
        tips = branch_tips(repo.path)
        records = scan_commits(repo.path, repo.authors, seen.__contains__,
                               tips=list(tips.values()),
                               exclude_tips=list(row.tips.values()))  # fmt: skip
        while batch := list(itertools.islice(records, BULK_CHECKPOINT_EVERY)):
            count += _record_commits(app, repo, row.repo_id, batch)
        with app.write() as txn:
            GitRepos(txn.db).set_tips(repo.id, tips)
    except GitError as exc:
        raise _git_error(exc) from exc
    return ScanResult(repo.path, count, tuple(warnings))


def _record_commits(app: App, repo: GitRepo, repo_id: str, batch: list[Any]) -> int:
    """Append one batch of scanned commits in one short transaction; returns how many."""
    with app.write() as txn:
        repos = GitRepos(txn.db)
        if repos.get(repo.id) is None:
            raise ServiceError(f"{repo.path} was removed during the scan")
        new = repos.unseen(repo.id, [rec.commit for rec in batch])
        written: list[str] = []
        for rec in batch:
            if rec.commit in new:
                new.discard(rec.commit)
                txn.append(lk.GIT_COMMIT, _commit_fields(repo, repo_id, rec))
                written.append(rec.commit)
        repos.mark_seen(repo.id, written)
        if written:
            from hourproof.services.unlock import checkpoint_unless_locked

            checkpoint_unless_locked(txn)  # the desktop app with a locked key: signed later
    return len(written)


def scan(app: App, path: str | None = None) -> list[ScanResult]:
    repos = [_find_repo(app, path)] if path else list_repos(app)
    if not repos:
        raise ServiceError("no repository registered: hourproof git add PATH --project P")
    return [scan_repo(app, repo) for repo in repos]


def ingest_spool(app: App) -> int:
    """Record commits the post-commit hook handed over; returns how many were new."""
    from hourproof.sources.githook import read_spool

    contents = read_spool(app.home.spool)
    if not contents.items:
        return 0
    repos = {r.path.resolve(): r for r in list_repos(app)}
    touched = {item.repo.resolve() for item in contents.items} & set(repos)
    new = 0
    scanned: set[Path] = set()
    for top in touched:
        try:
            new += scan_repo(app, repos[top]).new_commits
        except ServiceError:
            continue  # moved or broken: the items stay for the next try
        except Exception as exc:
            if not is_busy(exc):
                raise
            continue  # another process writes: the items stay queued for the next command
        scanned.add(top)
    for item in contents.items:
        if item.repo.resolve() in scanned or item.repo.resolve() not in repos:
            item.remove()
    return new


def install_hook(app: App, path: str) -> Path:
    from hourproof.sources.git import GitError
    from hourproof.sources.githook import install_hook as install

    repo = _find_repo(app, path)
    try:
        return install(repo.path, app.home.spool)
    except GitError as exc:
        raise _git_error(exc) from exc


def uninstall_hook(app: App, path: str) -> bool:
    from hourproof.sources.git import GitError
    from hourproof.sources.githook import uninstall_hook as uninstall

    try:
        return uninstall(Path(path).expanduser())
    except GitError as exc:
        raise _git_error(exc) from exc


# --- file activity ------------------------------------------------------------


@dataclass(frozen=True)
class Watch:
    id: int
    path: Path
    watch_id: str
    project: str
    client: str | None


def add_watch(app: App, path: str, project: str, client: str | None = None) -> Watch:
    folder = Path(path).expanduser().resolve()
    if not folder.is_dir():
        raise ServiceError(f"not a folder: {path}")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise ServiceError(f"folder is not readable: {path}")
    watch_id = hashlib.sha256(secrets.token_bytes(16) + str(folder).encode()).hexdigest()[:32]
    with app.write() as txn:
        watches = Watches(txn.db)
        if watches.exists(str(folder)):
            raise ServiceError(f"{folder} is watched already")
        watches.add(str(folder), watch_id, project.strip(), client)
    return next(w for w in list_watches(app) if w.path == folder)


def list_watches(app: App) -> list[Watch]:
    with app.read_db() as db:
        rows = Watches(db).all()
    return [Watch(r.id, Path(r.path), r.watch_id, r.project, r.client) for r in rows]


def remove_watch(app: App, path: str) -> Watch:
    folder = Path(path).expanduser().resolve()
    for watch in list_watches(app):
        if watch.path == folder:
            with app.write() as txn:
                Watches(txn.db).remove(watch.id)
            return watch
    raise ServiceError(f"{path} is not watched (see 'hourproof watch list')")


def record_span(app: App, watch: Watch, span: Any) -> int:
    """Append one closed activity span as a ``file.activity`` leaf."""
    fields: dict[str, Any] = {
        "watch": watch.watch_id, "project": watch.project, "client": watch.client,
        "start": to_rfc3339(span.start), "end": to_rfc3339(span.end),
        "files": list(span.files), "more_files": span.more_files, "events": span.events,
    }  # fmt: skip
    if span.content_sha256:
        fields["content_sha256"] = dict(span.content_sha256)
    with app.write() as txn:
        seq, _ = txn.append(lk.FILE_ACTIVITY, fields)
        last = txn.checkpoints.latest()
        if last is None or from_rfc3339(last.created_at) < txn.now - ACTIVITY_CHECKPOINT_INTERVAL:
            from hourproof.services.unlock import checkpoint_unless_locked

            checkpoint_unless_locked(txn)  # the desktop app with a locked key: signed later
    return seq


def run_watchers(
    app: App, seconds: float | None, on_message: Callable[[str], None],
    pulse: timedelta | None = None, hash_content: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
) -> int:  # fmt: skip
    """Watch every registered folder until ``seconds`` pass or ``should_stop``; spans are
    written from this thread (watchdog threads only hand them over). Returns spans written."""
    from hourproof.sources.watcher import DEFAULT_PULSE, FolderWatcher

    watches = list_watches(app)
    if not watches:
        raise ServiceError("no folder is watched: hourproof watch add PATH --project P")
    spans: queue.Queue[tuple[Watch, Any]] = queue.Queue()
    watchers = []

    def span_sink(w: Watch) -> Callable[[Any], None]:
        return lambda span: spans.put((w, span))

    def warning_sink(w: Watch) -> Callable[[str], None]:
        return lambda msg: on_message(f"warning: {w.path.name}: {msg}")

    for watch in watches:
        if not watch.path.is_dir():
            on_message(f"warning: {watch.path} is gone; not watching it")
            continue
        watcher = FolderWatcher(
            watch.path, span_sink(watch),
            pulse=pulse or DEFAULT_PULSE, hash_content=hash_content,
            on_warning=warning_sink(watch),
        )  # fmt: skip
        watcher.start()
        watchers.append(watcher)
        on_message(f"watching {watch.path} for {watch.project}")
    written = 0
    deadline = None if seconds is None else time.monotonic() + seconds
    try:
        while not should_stop() and (deadline is None or time.monotonic() < deadline):
            written += _drain_spans(app, spans, 0.5, on_message)
    except KeyboardInterrupt:
        on_message("stopping: writing open spans")
    finally:
        for watcher in watchers:
            watcher.stop()
        written += _drain_spans(app, spans, 0, on_message)
    return written


def _drain_spans(
    app: App, spans: queue.Queue[tuple[Watch, Any]], timeout: float,
    on_message: Callable[[str], None],
) -> int:  # fmt: skip
    """Write the spans handed over; a span in hand is kept, and retried, while another
    process holds the database (the watcher never exits for that)."""
    written = 0

    told: list[bool] = []

    def waiting(_exc: BaseException) -> None:
        if not told:  # say it once per drain, not at every retry
            told.append(True)
            on_message("the database is busy (another hourproof is writing); retrying")

    try:
        item = spans.get(timeout=timeout) if timeout else spans.get_nowait()
    except queue.Empty:
        return 0
    while True:
        retry_busy(functools.partial(record_span, app, *item), on_wait=waiting)
        written += 1
        try:
            item = spans.get_nowait()
        except queue.Empty:
            return written
