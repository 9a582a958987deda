"""The one schema definition: every table and index of the store, in plain Python.

This list is the source of truth. From it come the SQLite DDL (``create_statements``:
a new home is created from it), the migration steps that add a table
(``migrations.create``), and the SQLAlchemy ``Table`` objects (``store.tables``, built
on first use so the hot CLI commands never import SQLAlchemy). A test checks that an
old home migrated step by step ends with exactly the schema a new home gets.

To add a table: append a ``Table(...)`` to ``TABLES`` (and its indexes to ``INDEXES``),
then append ``Step("why", create("name", ...))`` to ``migrations.MIGRATIONS``.
"""

from __future__ import annotations

from dataclasses import dataclass

INTEGER = "INTEGER"
TEXT = "TEXT"
BLOB = "BLOB"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    primary_key: bool = False
    nullable: bool = True
    unique: bool = False
    default: str | None = None  # an SQL literal, e.g. "0" or "'{}'"
    references: str | None = None  # "table(column)"
    on_delete: str | None = None  # e.g. "CASCADE"
    check: str | None = None  # an SQL expression

    def ddl(self) -> str:
        parts = [_quote(self.name), self.type]
        if self.primary_key:
            parts.append("PRIMARY KEY")
        if self.check is not None:
            parts.append(f"CHECK ({self.check})")
        if not self.nullable:
            parts.append("NOT NULL")
        if self.unique:
            parts.append("UNIQUE")
        if self.references is not None:
            parts.append(f"REFERENCES {self.references}")
            if self.on_delete is not None:
                parts.append(f"ON DELETE {self.on_delete}")
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        return " ".join(parts)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()  # a composite key (else a column's primary_key)

    def ddl(self) -> str:
        parts = [c.ddl() for c in self.columns]
        if self.primary_key:
            parts.append(f"PRIMARY KEY ({', '.join(_quote(c) for c in self.primary_key)})")
        return f"CREATE TABLE {self.name} ({', '.join(parts)})"

    @property
    def key(self) -> tuple[str, ...]:
        return self.primary_key or tuple(c.name for c in self.columns if c.primary_key)


@dataclass(frozen=True)
class Index:
    name: str
    table: str
    columns: tuple[str, ...]
    where: str | None = None
    unique: bool = False

    def ddl(self) -> str:
        cols = ", ".join(_quote(c) for c in self.columns)
        head = "CREATE UNIQUE INDEX" if self.unique else "CREATE INDEX"
        tail = f" WHERE {self.where}" if self.where else ""
        return f"{head} {self.name} ON {self.table} ({cols}){tail}"


_RESERVED = frozenset({"end", "order", "group", "select", "from", "where", "index"})


def _quote(name: str) -> str:
    """Quote only SQL keywords, so the DDL reads like hand-written DDL."""
    return f'"{name}"' if name.lower() in _RESERVED else name


def _t(name: str, *columns: Column, primary_key: tuple[str, ...] = ()) -> Table:
    return Table(name, columns, primary_key)


C = Column  # a nullable column unless it says otherwise


def _nn(
    name: str, type_: str, *, unique: bool = False, default: str | None = None,
    references: str | None = None, on_delete: str | None = None,
) -> Column:  # fmt: skip
    """A NOT NULL column."""
    return Column(name, type_, nullable=False, unique=unique, default=default,
                  references=references, on_delete=on_delete)  # fmt: skip


TABLES: list[Table] = [
    # --- ledger (the source of truth) -----------------------------------------
    _t("leaves",
       C("seq", INTEGER, primary_key=True), _nn("kind", TEXT), _nn("recorded_at", TEXT),
       _nn("data", BLOB), _nn("hash", BLOB)),
    _t("tree_state",
       C("id", INTEGER, primary_key=True, check="id = 1"), _nn("size", INTEGER),
       _nn("frontier", BLOB)),
    _t("checkpoints",
       C("size", INTEGER, primary_key=True), _nn("root", BLOB), _nn("note", TEXT),
       _nn("created_at", TEXT)),
    # --- projections (rebuilt from the ledger) --------------------------------
    _t("entries",
       C("id", INTEGER, primary_key=True), _nn("project", TEXT), C("client", TEXT),
       C("task", TEXT), _nn("tags", TEXT), C("note", TEXT), _nn("start", TEXT),
       C("end", TEXT), _nn("source", TEXT), C("rate_minor", INTEGER), C("currency", TEXT),
       _nn("amended", INTEGER), _nn("removed", INTEGER), _nn("evidence", TEXT),
       _nn("leaves", TEXT)),
    _t("rates",
       _nn("scope", TEXT), _nn("name", TEXT), _nn("minor", INTEGER), _nn("currency", TEXT),
       primary_key=("scope", "name")),
    _t("projects", C("name", TEXT, primary_key=True), C("client", TEXT), _nn("last_used", TEXT)),
    # --- anchoring --------------------------------------------------------------
    _t("anchors",
       C("id", INTEGER, primary_key=True),
       _nn("size", INTEGER, references="checkpoints(size)"), _nn("tsa", TEXT),
       _nn("gen_time", TEXT), _nn("token", BLOB), _nn("token_sha256", TEXT)),
    _t("anchor_queue",
       C("id", INTEGER, primary_key=True),
       _nn("size", INTEGER, references="checkpoints(size)"), C("tsa", TEXT),
       _nn("attempts", INTEGER, default="0"), _nn("next_try", TEXT), C("last_error", TEXT)),
    _t("tsas",
       C("name", TEXT, primary_key=True), _nn("url", TEXT), C("root_pem", BLOB),
       _nn("position", INTEGER)),
    # --- evidence sources ---------------------------------------------------------
    _t("git_repos",
       C("id", INTEGER, primary_key=True), _nn("path", TEXT, unique=True),
       _nn("repo_id", TEXT), _nn("project", TEXT), C("client", TEXT), _nn("authors", TEXT),
       _nn("subjects", INTEGER), _nn("tips", TEXT, default="'{}'")),
    _t("git_seen",
       _nn("repo", INTEGER, references="git_repos(id)", on_delete="CASCADE"),
       _nn("commit_id", TEXT),
       primary_key=("repo", "commit_id")),
    _t("watches",
       C("id", INTEGER, primary_key=True), _nn("path", TEXT, unique=True),
       _nn("watch_id", TEXT), _nn("project", TEXT), C("client", TEXT)),
    _t("evidence",
       C("seq", INTEGER, primary_key=True), _nn("kind", TEXT), _nn("project", TEXT),
       C("client", TEXT), _nn("start", TEXT), _nn("end", TEXT)),
    # --- exports and verification ---------------------------------------------------
    _t("exports",
       C("id", INTEGER, primary_key=True), _nn("client", TEXT), _nn("size", INTEGER),
       _nn("checkpoint", TEXT), _nn("created_at", TEXT), _nn("path", TEXT)),
    _t("known_signers",
       C("fingerprint", TEXT, primary_key=True), _nn("public_key", TEXT),
       _nn("checkpoint", TEXT), _nn("size", INTEGER), _nn("first_seen", TEXT),
       _nn("last_seen", TEXT)),
    # --- settings -------------------------------------------------------------------
    _t("meta", C("key", TEXT, primary_key=True), _nn("value", TEXT)),
    # --- imports from other trackers (store/imports.py) ------------------------------
    _t("import_keys", C("key", TEXT, primary_key=True), _nn("seq", INTEGER)),
    # --- bundle format 2: per-client chains, and the verifier's memory (store/chains.py)
    _t("client_chains",
       C("client", TEXT, primary_key=True), _nn("secret", BLOB), _nn("blinded", BLOB, unique=True),
       _nn("count", INTEGER), C("head", BLOB)),
    _t("chain_links",
       C("seq", INTEGER, primary_key=True), _nn("blinded", BLOB), _nn("n", INTEGER),
       _nn("hash", BLOB)),
    _t("seen_chains",
       _nn("fingerprint", TEXT), _nn("blinded", BLOB), _nn("size", INTEGER),
       _nn("count", INTEGER), C("head", BLOB), primary_key=("fingerprint", "blinded")),
    _t("seen_leaves",
       _nn("fingerprint", TEXT), _nn("seq", INTEGER), _nn("hash", BLOB), C("entry", INTEGER),
       primary_key=("fingerprint", "seq")),
    _t("seen_names",
       _nn("identity", TEXT), _nn("recipient", TEXT), _nn("fingerprint", TEXT),
       primary_key=("identity", "recipient")),
    # --- witnesses, cosignatures and client approvals (store/witnesses.py, approvals.py)
    _t("witnesses",
       C("name", TEXT, primary_key=True), _nn("url", TEXT), _nn("vkey", TEXT),
       _nn("position", INTEGER)),
    _t("witness_state",
       C("name", TEXT, primary_key=True, references="witnesses(name)", on_delete="CASCADE"),
       _nn("size", INTEGER), _nn("attempts", INTEGER), _nn("next_try", TEXT),
       C("last_error", TEXT), C("last_ok", TEXT)),
    _t("cosignatures",
       _nn("size", INTEGER), _nn("cosigner", TEXT), _nn("line", TEXT), _nn("timestamp", INTEGER),
       primary_key=("size", "cosigner")),
    _t("client_keys",
       C("client", TEXT, primary_key=True), _nn("fingerprint", TEXT), _nn("vkey", TEXT),
       _nn("first_seen", TEXT)),
    _t("approvals_given",
       C("id", INTEGER, primary_key=True), _nn("origin", TEXT), _nn("size", INTEGER),
       _nn("kind", TEXT), _nn("data", BLOB), _nn("created_at", TEXT)),
    # --- local names and preferences, never exported or signed (store/catalog.py) -----
    # Clients and projects added in the app before any entry names them, and the ones
    # hidden from completion (scope 'client' or 'project'; client: a project's client).
    _t("catalog",
       _nn("scope", TEXT), _nn("name", TEXT), C("client", TEXT),
       _nn("hidden", INTEGER, default="0"), _nn("added_at", TEXT),
       primary_key=("scope", "name")),
    # New tables go here (and a migrations.create(...) step at the end of MIGRATIONS).
]  # fmt: skip

INDEXES: list[Index] = [
    Index("entries_start", "entries", ("start",)),
    Index("entries_running", "entries", ("end",), where='"end" IS NULL'),
    Index("anchors_size", "anchors", ("size",)),
    Index("evidence_start", "evidence", ("start",)),
    Index("chain_links_client", "chain_links", ("blinded", "seq")),
    # Client approval leaves, read by every bundle for a client and the app's Approval
    # column: without it each read scans the whole ledger (~0.7 s at 1,000,000 leaves).
    Index("leaves_approvals", "leaves", ("seq",), where="kind = 'approval'"),
    # New indexes go here.
]

BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def table(name: str) -> Table:
    return BY_NAME[name]


def create_statements(names: tuple[str, ...] | None = None) -> list[str]:
    """DDL creating the named tables (all when None) and their indexes, in list order."""
    wanted = set(BY_NAME) if names is None else set(names)
    unknown = wanted - set(BY_NAME)
    if unknown:
        raise KeyError(f"no table {sorted(unknown)} in store/schema.py")
    ddl = [t.ddl() for t in TABLES if t.name in wanted]
    ddl += [i.ddl() for i in INDEXES if i.table in wanted]
    return ddl
