"""SQLAlchemy Core tables mirroring the migrated schema (tests check they agree).

Core rather than ORM mappings: the CLI's hot commands must start fast, and the
rows here are plain records that the service layer turns into domain objects.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, LargeBinary, MetaData, Table, Text

metadata = MetaData()

leaves = Table(
    "leaves", metadata,
    Column("seq", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("recorded_at", Text, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("hash", LargeBinary, nullable=False),
)  # fmt: skip

tree_state = Table(
    "tree_state", metadata,
    Column("id", Integer, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("frontier", LargeBinary, nullable=False),
)  # fmt: skip

checkpoints = Table(
    "checkpoints", metadata,
    Column("size", Integer, primary_key=True),
    Column("root", LargeBinary, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)  # fmt: skip

entries = Table(
    "entries", metadata,
    Column("id", Integer, primary_key=True),
    Column("project", Text, nullable=False),
    Column("client", Text),
    Column("task", Text),
    Column("tags", Text, nullable=False),
    Column("note", Text),
    Column("start", Text, nullable=False),
    Column("end", Text),
    Column("source", Text, nullable=False),
    Column("rate_minor", Integer),
    Column("currency", Text),
    Column("amended", Integer, nullable=False),
    Column("removed", Integer, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("leaves", Text, nullable=False),
)  # fmt: skip

rates = Table(
    "rates", metadata,
    Column("scope", Text, primary_key=True),
    Column("name", Text, primary_key=True),
    Column("minor", Integer, nullable=False),
    Column("currency", Text, nullable=False),
)  # fmt: skip

projects = Table(
    "projects", metadata,
    Column("name", Text, primary_key=True),
    Column("client", Text),
    Column("last_used", Text, nullable=False),
)  # fmt: skip

anchors = Table(
    "anchors", metadata,
    Column("id", Integer, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("tsa", Text, nullable=False),
    Column("gen_time", Text, nullable=False),
    Column("token", LargeBinary, nullable=False),
    Column("token_sha256", Text, nullable=False),
)  # fmt: skip

anchor_queue = Table(
    "anchor_queue", metadata,
    Column("id", Integer, primary_key=True),
    Column("size", Integer, nullable=False),
    Column("tsa", Text),
    Column("attempts", Integer, nullable=False),
    Column("next_try", Text, nullable=False),
    Column("last_error", Text),
)  # fmt: skip

tsas = Table(
    "tsas", metadata,
    Column("name", Text, primary_key=True),
    Column("url", Text, nullable=False),
    Column("root_pem", LargeBinary),
    Column("position", Integer, nullable=False),
)  # fmt: skip

git_repos = Table(
    "git_repos", metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),
    Column("repo_id", Text, nullable=False),
    Column("project", Text, nullable=False),
    Column("client", Text),
    Column("authors", Text, nullable=False),
    Column("subjects", Integer, nullable=False),
    Column("tips", Text, nullable=False),
)  # fmt: skip

git_seen = Table(
    "git_seen", metadata,
    Column("repo", Integer, primary_key=True),
    Column("commit_id", Text, primary_key=True),
)  # fmt: skip

watches = Table(
    "watches", metadata,
    Column("id", Integer, primary_key=True),
    Column("path", Text, nullable=False, unique=True),
    Column("watch_id", Text, nullable=False),
    Column("project", Text, nullable=False),
    Column("client", Text),
)  # fmt: skip

evidence = Table(
    "evidence", metadata,
    Column("seq", Integer, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("project", Text, nullable=False),
    Column("client", Text),
    Column("start", Text, nullable=False),
    Column("end", Text, nullable=False),
)  # fmt: skip

exports = Table(
    "exports", metadata,
    Column("id", Integer, primary_key=True),
    Column("client", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("checkpoint", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("path", Text, nullable=False),
)  # fmt: skip

known_signers = Table(
    "known_signers", metadata,
    Column("fingerprint", Text, primary_key=True),
    Column("public_key", Text, nullable=False),
    Column("checkpoint", Text, nullable=False),
    Column("size", Integer, nullable=False),
    Column("first_seen", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
)  # fmt: skip

meta = Table(
    "meta", metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)  # fmt: skip
