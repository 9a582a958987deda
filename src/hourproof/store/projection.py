"""Projection tables (entries, projects, rates, evidence): derived from leaves, rebuildable."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from hourproof.core.entries import Entry
from hourproof.core.money import Rate
from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.store import schema as t

PROJECTION_TABLES = (t.entries, t.projects, t.rates, t.evidence)

# Statements run once per appended leaf are built once and given their values as
# parameters: building them per call (``.values(...)``) cost more than the SQL itself.
_UPDATE_ENTRY = update(t.entries).where(t.entries.c.id == bindparam("entry_id"))
_INSERT_ENTRY = insert(t.entries)
_PROJECT_LAST_USED = select(t.projects.c.last_used).where(t.projects.c.name == bindparam("pname"))
_INSERT_PROJECT = insert(t.projects)
_UPDATE_PROJECT = update(t.projects).where(t.projects.c.name == bindparam("pname"))
_INSERT_EVIDENCE = insert(t.evidence)


def _entry_values(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "project": entry.project,
        "client": entry.client,
        "task": entry.task,
        "tags": json.dumps(list(entry.tags)),
        "note": entry.note,
        "start": to_rfc3339(entry.start),
        "end": to_rfc3339(entry.end) if entry.end else None,
        "source": entry.source,
        "rate_minor": entry.rate.minor if entry.rate else None,
        "currency": entry.rate.currency if entry.rate else None,
        "amended": int(entry.amended),
        "removed": int(entry.removed),
        "evidence": json.dumps(list(entry.evidence)),
        "leaves": json.dumps(list(entry.leaves)),
    }


def _entry_from_row(row: Any) -> Entry:
    rate = Rate(row.rate_minor, row.currency) if row.rate_minor is not None else None
    return Entry(
        id=row.id,
        project=row.project,
        client=row.client,
        task=row.task,
        tags=tuple(json.loads(row.tags)),
        note=row.note,
        start=from_rfc3339(row.start),
        end=from_rfc3339(row.end) if row.end else None,
        source=row.source,
        rate=rate,
        amended=bool(row.amended),
        removed=bool(row.removed),
        evidence=tuple(json.loads(row.evidence)),
        leaves=tuple(json.loads(row.leaves)),
    )


class Projection:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def clear(self) -> None:
        for table in PROJECTION_TABLES:
            self.conn.execute(delete(table))

    def put_entry(self, entry: Entry, new: bool = False) -> None:
        """Store an entry's state; ``new`` (its creating leaf) skips the update attempt."""
        values = _entry_values(entry)
        if new:
            self.conn.execute(_INSERT_ENTRY, values)
        else:
            changes = {k: v for k, v in values.items() if k != "id"}
            done = self.conn.execute(_UPDATE_ENTRY, {"entry_id": entry.id, **changes})
            if done.rowcount == 0:
                self.conn.execute(_INSERT_ENTRY, values)
        if not entry.removed:
            self.touch_project(entry.project, entry.client, to_rfc3339(entry.start))

    def put_entries(self, entries: Iterable[Entry]) -> None:
        rows = [_entry_values(e) for e in entries]
        if rows:
            self.conn.execute(insert(t.entries), rows)

    def entry(self, entry_id: int) -> Entry | None:
        row = self.conn.execute(select(t.entries).where(t.entries.c.id == entry_id)).first()
        return None if row is None else _entry_from_row(row)

    def running(self) -> Entry | None:
        row = self.conn.execute(
            select(t.entries)
            .where(and_(t.entries.c.end.is_(None), t.entries.c.removed == 0))
            .order_by(t.entries.c.start.desc())
            .limit(1)
        ).first()
        return None if row is None else _entry_from_row(row)

    def entries(
        self,
        lo: datetime | None = None,
        hi: datetime | None = None,
        client: str | None = None,
        project: str | None = None,
        include_removed: bool = False,
    ) -> list[Entry]:
        """Entries overlapping ``[lo, hi)``, oldest first."""
        conds: list[ColumnElement[bool]] = []
        if not include_removed:
            conds.append(t.entries.c.removed == 0)
        if hi is not None:
            conds.append(t.entries.c.start < to_rfc3339(hi))
        if lo is not None:
            conds.append(or_(t.entries.c.end.is_(None), t.entries.c.end > to_rfc3339(lo)))
        if client is not None:
            conds.append(t.entries.c.client == client)
        if project is not None:
            conds.append(t.entries.c.project == project)
        query = select(t.entries).where(and_(True, *conds)).order_by(t.entries.c.start)
        return [_entry_from_row(r) for r in self.conn.execute(query)]

    def touch_project(self, name: str, client: str | None, when: str) -> None:
        last_used = self.conn.execute(_PROJECT_LAST_USED, {"pname": name}).scalar()
        if last_used is None:
            self.conn.execute(_INSERT_PROJECT, {"name": name, "client": client, "last_used": when})
        elif when >= last_used:
            self.conn.execute(_UPDATE_PROJECT, {"pname": name, "client": client, "last_used": when})

    def project_client(self, name: str) -> str | None:
        return self.conn.execute(
            select(t.projects.c.client).where(t.projects.c.name == name)
        ).scalar()

    def projects(self) -> list[tuple[str, str | None, str]]:
        rows = self.conn.execute(select(t.projects).order_by(t.projects.c.name)).all()
        return [(r.name, r.client, r.last_used) for r in rows]

    def set_rate(self, scope: str, name: str, rate: Rate | None) -> None:
        where = and_(t.rates.c.scope == scope, t.rates.c.name == name)
        self.conn.execute(delete(t.rates).where(where))
        if rate is not None:
            self.conn.execute(
                insert(t.rates).values(
                    scope=scope, name=name, minor=rate.minor, currency=rate.currency
                )
            )

    def rate_for(self, project: str, client: str | None) -> Rate | None:
        """The project's rate, else the client's, else none."""
        for scope, name in (("project", project), ("client", client)):
            if name is None:
                continue
            row = self.conn.execute(
                select(t.rates).where(and_(t.rates.c.scope == scope, t.rates.c.name == name))
            ).first()
            if row is not None:
                return Rate(row.minor, row.currency)
        return None

    def rates(self) -> list[tuple[str, str, Rate]]:
        rows = self.conn.execute(select(t.rates).order_by(t.rates.c.scope, t.rates.c.name)).all()
        return [(r.scope, r.name, Rate(r.minor, r.currency)) for r in rows]

    def put_evidence(
        self, seq: int, kind: str, project: str, client: str | None, start: str, end: str
    ) -> None:
        self.conn.execute(_INSERT_EVIDENCE, {
            "seq": seq, "kind": kind, "project": project, "client": client,
            "start": start, "end": end,
        })  # fmt: skip

    def evidence(self, lo: datetime | None = None, hi: datetime | None = None) -> list[Any]:
        conds: list[ColumnElement[bool]] = []
        if lo is not None:
            conds.append(t.evidence.c.end >= to_rfc3339(lo))
        if hi is not None:
            conds.append(t.evidence.c.start < to_rfc3339(hi))
        query = select(t.evidence).where(and_(True, *conds)).order_by(t.evidence.c.start)
        return list(self.conn.execute(query))
