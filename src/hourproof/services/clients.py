"""Clients and projects: what the app lists, adds, hides, renames and rates.

Clients and projects come into being with the entries that name them (the ``projects``
projection). A client or project added here before any entry lives in the local
``catalog`` table (store/catalog.py): unsigned, never exported, never in a bundle, so
nothing about one client reaches another client's proof. It feeds completion (and the
client of a new entry that names the project without one) until entries take over.
Hiding a name ("archive") is a local preference in the same table; it only drops the
name from completion and from the tray's recent projects, never from the ledger.

Rates are ``rate.set`` leaves (``tracking.set_rate``). Renaming:

- a client or project that no entry names yet is a local rename of the catalog row;
- a project that entries name is renamed by amending each of its entries (one
  ``entry.amend`` per entry, all with the reason given, in one transaction with one
  checkpoint); the old name is then hidden and its rate carried over;
- a client that entries name is not renamed: in the signed ledger each client has its
  own chain (bundle format §6), so "renaming" would move every entry to a new client,
  and the old client would see removals. The dialog says so.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime

from hourproof.core import leaves as lk
from hourproof.core.money import Rate
from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger.canonical import nfc
from hourproof.services.app import App, Txn
from hourproof.services.errors import ServiceError
from hourproof.store.catalog import CatalogRow, CatalogTable
from hourproof.store.gui_queries import NO_CLIENT, EntryQuery, clients, totals_by
from hourproof.store.projection import Projection

SCOPES = ("client", "project")


@dataclass(frozen=True)
class ProjectInfo:
    name: str
    client: str | None
    seconds: int = 0
    amounts: dict[str, int] = field(default_factory=dict)
    rate: Rate | None = None  # the project's own rate (else its client's applies)
    hidden: bool = False
    #: True when entries name it (False: added in the app, no entry yet).
    used: bool = True


@dataclass(frozen=True)
class ClientInfo:
    name: str | None  # None: projects without a client
    seconds: int = 0
    amounts: dict[str, int] = field(default_factory=dict)
    rate: Rate | None = None
    hidden: bool = False
    used: bool = True
    projects: tuple[ProjectInfo, ...] = ()


def clean_name(text: str, what: str) -> str:
    name = nfc(text).strip() if isinstance(text, str) else ""
    if not name:
        raise ServiceError(f"a {what} name is required")
    if "\n" in name or "\r" in name:
        raise ServiceError(f"a {what} name must be one line")
    if what == "client" and name == NO_CLIENT:
        raise ServiceError(f"“{NO_CLIENT}” is not a client name")
    return name


def _scope(scope: str) -> str:
    if scope not in SCOPES:
        raise ServiceError("choose a client or a project")
    return scope


def project_client(txn: Txn, project: str) -> str | None:
    """The client of ``project``: from its entries, else as added in the app."""
    return txn.projection.project_client(project) or CatalogTable(txn.db).project_client(project)


def overview(app: App, lo: datetime | None = None, hi: datetime | None = None) -> list[ClientInfo]:
    """Every client (entries' and added ones) with its projects, hours and amounts in
    ``[lo, hi)``, rates and hidden flags; projects without a client come last (name None)."""
    now = app.clock()
    with app.read_db() as db:
        proj = Projection(db)
        catalog = {(r.scope, r.name): r for r in CatalogTable(db).rows()}
        used_projects = {name: client for name, client, _ in proj.projects()}
        used_clients = set(clients(db))
        rates = {(scope, name): rate for scope, name, rate in proj.rates()}
        query = EntryQuery(lo, hi)
        client_totals = {row.key: row for row in totals_by(db, query, "client", now)}
        project_totals: dict[tuple[str, str], tuple[int, dict[str, int]]] = {}
        for client_key in client_totals:
            q = EntryQuery(lo, hi, client=client_key)
            for row in totals_by(db, q, "project", now):
                project_totals[(client_key, row.key)] = (row.seconds, dict(row.amounts))
    names: dict[str | None, dict[str, ProjectInfo]] = {}
    for cname in used_clients | {n for (sc, n) in catalog if sc == "client"}:
        names.setdefault(cname, {})

    def hidden(scope: str, name: str) -> bool:
        row = catalog.get((scope, name))
        return row is not None and row.hidden

    # hours of a project under each client it had in the period, else its latest client
    placed: set[str] = set()
    for (client_key, pname), (seconds, amounts) in project_totals.items():
        owner = None if client_key == NO_CLIENT else client_key
        names.setdefault(owner, {})[pname] = ProjectInfo(
            pname, owner, seconds, amounts, rates.get(("project", pname)),
            hidden("project", pname), True,
        )  # fmt: skip
        placed.add(pname)
    for pname, owner in used_projects.items():
        if pname not in placed:
            names.setdefault(owner, {})[pname] = ProjectInfo(
                pname, owner, 0, {}, rates.get(("project", pname)), hidden("project", pname)
            )
    for (scope, pname), crow in catalog.items():
        if scope == "project" and pname not in used_projects:
            names.setdefault(crow.client, {})[pname] = ProjectInfo(
                pname, crow.client, 0, {}, rates.get(("project", pname)), crow.hidden, False
            )
    out: list[ClientInfo] = []
    for client in sorted(names, key=lambda c: (c is None, (c or "").casefold())):
        total = client_totals.get(client or NO_CLIENT)
        projects = sorted(names[client].values(), key=lambda p: p.name.casefold())
        if client is None and not projects:
            continue
        out.append(
            ClientInfo(
                client, total.seconds if total else 0, dict(total.amounts) if total else {},
                rates.get(("client", client)) if client else None,
                hidden("client", client) if client else False,
                client is None or client in used_clients, tuple(projects),
            )
        )  # fmt: skip
    return out


def add(app: App, scope: str, name: str, client: str | None = None) -> str:
    """Add a client or a project (of ``client``) before any entry names it; a hidden
    one is shown again."""
    scope = _scope(scope)
    name = clean_name(name, scope)
    owner = (
        clean_name(client, "client") if scope == "project" and client and client.strip() else None
    )
    with app.write() as txn:
        catalog = CatalogTable(txn.db)
        now = to_rfc3339(txn.now)
        existing = catalog.get(scope, name)
        used = _project_used(txn, name) if scope == "project" else name in clients(txn.db)
        if existing is not None and existing.hidden:
            catalog.set_hidden(scope, name, False, now)
            return name
        if used or existing is not None:
            raise ServiceError(f"the {scope} “{name}” exists already")
        if owner is not None and _new_client(txn, owner):
            catalog.add("client", owner, None, now)
        catalog.add(scope, name, owner, now)
    return name


def _project_used(txn: Txn, name: str) -> bool:
    return any(p == name for p, _, _ in txn.projection.projects())


def _new_client(txn: Txn, name: str) -> bool:
    return name not in clients(txn.db) and CatalogTable(txn.db).get("client", name) is None


def set_hidden(app: App, scope: str, name: str, hidden: bool) -> None:
    """Hide a client or project from completion (a local preference), or show it again."""
    scope = _scope(scope)
    with app.write() as txn:
        catalog = CatalogTable(txn.db)
        known = catalog.get(scope, name) is not None or (
            _project_used(txn, name) if scope == "project" else name in clients(txn.db)
        )
        if not known:
            raise ServiceError(f"no {scope} “{name}”")
        catalog.set_hidden(scope, name, hidden, to_rfc3339(txn.now))


def rename(app: App, scope: str, old: str, new: str, reason: str | None = None) -> int:
    """Rename; returns how many entries were amended (see the module's docstring)."""
    scope = _scope(scope)
    new = clean_name(new, scope)
    if new == old:
        raise ServiceError("the new name is the same as the old one")
    with app.write() as txn:
        catalog = CatalogTable(txn.db)
        if scope == "client":
            if old in clients(txn.db) or txn.projection.entries(client=old):
                raise ServiceError(
                    f"entries of “{old}” are signed under that client name; renaming it would "
                    "move each of them to a new client (its proofs would show removals), so "
                    "hourproof does not rename a client that has entries"
                )
            if new in clients(txn.db) or catalog.get("client", new) is not None:
                raise ServiceError(f"the client “{new}” exists already")
            if catalog.get("client", old) is None:
                raise ServiceError(f"no client “{old}”")
            catalog.rename("client", old, new)
            return 0
        if _project_used(txn, new) or catalog.get("project", new) is not None:
            raise ServiceError(f"the project “{new}” exists already")
        entries = [e for e in txn.projection.entries(project=old) if not e.removed]
        if not entries:
            if catalog.get("project", old) is None:
                raise ServiceError(f"no project “{old}”")
            catalog.rename("project", old, new)
            return 0
        why = (reason or "").strip()
        if not why or "\n" in why:
            raise ServiceError("a reason (one line) is required: each entry is amended")
        for entry in entries:
            txn.append(
                lk.ENTRY_AMEND, {"entry": entry.id, "reason": why, "changes": {"project": new}}
            )
        own = {(s, n): r for s, n, r in txn.projection.rates()}.get(("project", old))
        if own is not None:
            txn.append(lk.RATE_SET, {"scope": "project", "name": new, "rate": own.to_json()})
        if catalog.get("project", old) is not None:
            catalog.rename("project", old, new)
        catalog.set_hidden("project", old, True, to_rfc3339(txn.now))  # out of completion
        txn.checkpoint()
    return len(entries)


def completions(app: App) -> tuple[list[tuple[str, str | None, str]], list[str]]:
    """What completion offers: (project, client, last used) as ``tracking.projects``
    with the added projects (last used = when added) and without hidden names; and the
    client names (of those projects and added ones, without hidden ones)."""
    with app.read_db() as db:
        return _completions(db)


def _completions(db: sqlite3.Connection) -> tuple[list[tuple[str, str | None, str]], list[str]]:
    rows = CatalogTable(db).rows()
    hidden = {(r.scope, r.name) for r in rows if r.hidden}
    every = Projection(db).projects()
    projects = [
        (name, client, used) for name, client, used in every if ("project", name) not in hidden
    ]
    known = {name for name, _, _ in projects} | {n for s, n in hidden if s == "project"}
    projects += [
        (r.name, r.client, r.added_at)
        for r in rows
        if r.scope == "project" and not r.hidden and r.name not in known
    ]
    # clients of the projects table (not a scan of every entry: this runs on each refresh)
    names = {r.name for r in rows if r.scope == "client"}
    names |= {client for _, client, _ in every if client}
    names |= {r.client for r in rows if r.scope == "project" and r.client}
    visible = sorted((n for n in names if ("client", n) not in hidden), key=str.casefold)
    projects = [p for p in projects if not p[1] or ("client", p[1]) not in hidden]
    projects.sort(key=lambda p: p[0])
    return projects, visible


def catalog_rows(app: App) -> list[CatalogRow]:
    with app.read_db() as db:
        return CatalogTable(db).rows()
