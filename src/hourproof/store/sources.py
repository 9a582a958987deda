"""Evidence-source tables: registered git repositories, commits seen, watched folders.

Every method runs on a DB-API connection inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

from hourproof.store import sql


class RepoRow(NamedTuple):
    id: int
    path: str
    repo_id: str  # the salted id written into leaves
    project: str
    client: str | None
    authors: tuple[str, ...]
    subjects: bool
    tips: dict[str, str]


class WatchRow(NamedTuple):
    id: int
    path: str
    watch_id: str
    project: str
    client: str | None


def _repo(row: sqlite3.Row) -> RepoRow:
    return RepoRow(
        row["id"], row["path"], row["repo_id"], row["project"], row["client"],
        tuple(json.loads(row["authors"])), bool(row["subjects"]), json.loads(row["tips"]),
    )  # fmt: skip


class GitRepos:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(
        self, path: str, repo_id: str, project: str, client: str | None,
        authors: tuple[str, ...], subjects: bool,
    ) -> None:  # fmt: skip
        self.db.execute(
            "INSERT INTO git_repos (path, repo_id, project, client, authors, subjects, tips) "
            "VALUES (?, ?, ?, ?, ?, ?, '{}')",
            (path, repo_id, project, client, json.dumps(list(authors)), int(subjects)),
        )

    def by_path(self, path: str) -> RepoRow | None:
        row = sql.one(self.db, "SELECT * FROM git_repos WHERE path = ?", (path,))
        return None if row is None else _repo(row)

    def get(self, repo: int) -> RepoRow | None:
        row = sql.one(self.db, "SELECT * FROM git_repos WHERE id = ?", (repo,))
        return None if row is None else _repo(row)

    def all(self) -> list[RepoRow]:
        return [_repo(r) for r in sql.rows(self.db, "SELECT * FROM git_repos ORDER BY id")]

    def remove(self, repo: int) -> None:
        self.db.execute("DELETE FROM git_repos WHERE id = ?", (repo,))

    def set_tips(self, repo: int, tips: dict[str, str]) -> None:
        self.db.execute("UPDATE git_repos SET tips = ? WHERE id = ?", (json.dumps(tips), repo))

    # --- commits already recorded -------------------------------------------------
    def seen(self, repo: int) -> set[str]:
        cur = self.db.execute("SELECT commit_id FROM git_seen WHERE repo = ?", (repo,))
        return {r[0] for r in cur}

    def unseen(self, repo: int, commits: Iterable[str]) -> set[str]:
        """Those of ``commits`` not recorded yet (another scan may have recorded some)."""
        wanted = list(dict.fromkeys(commits))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            cur = self.db.execute(
                f"SELECT commit_id FROM git_seen WHERE repo = ? AND commit_id IN ({marks})",
                (repo, *chunk),
            )
            found.update(r[0] for r in cur)
        return set(wanted) - found

    def mark_seen(self, repo: int, commits: Iterable[str]) -> None:
        self.db.executemany(
            "INSERT INTO git_seen (repo, commit_id) VALUES (?, ?)", ((repo, c) for c in commits)
        )


class Watches:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def add(self, path: str, watch_id: str, project: str, client: str | None) -> None:
        self.db.execute(
            "INSERT INTO watches (path, watch_id, project, client) VALUES (?, ?, ?, ?)",
            (path, watch_id, project, client),
        )

    def exists(self, path: str) -> bool:
        return sql.scalar(self.db, "SELECT 1 FROM watches WHERE path = ?", (path,)) is not None

    def all(self) -> list[WatchRow]:
        rows = sql.rows(self.db, "SELECT * FROM watches ORDER BY id")
        return [
            WatchRow(r["id"], r["path"], r["watch_id"], r["project"], r["client"]) for r in rows
        ]

    def remove(self, watch: int) -> None:
        self.db.execute("DELETE FROM watches WHERE id = ?", (watch,))
