"""Projection tables (entries, projects, rates, evidence): derived from leaves, rebuildable.

Plain SQL on the DB-API connection of the caller's transaction (see ``store.sql``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from hourproof.core.entries import Entry
from hourproof.core.money import Rate
from hourproof.core.timeparse import from_rfc3339, to_rfc3339
from hourproof.store import sql

PROJECTION_TABLES = ("entries", "projects", "rates", "evidence")

_ENTRY_COLUMNS = (
    "id", "project", "client", "task", "tags", "note", "start", "end", "source",
    "rate_minor", "currency", "amended", "removed", "evidence", "leaves",
)  # fmt: skip
_QUOTED = ", ".join(f'"{c}"' for c in _ENTRY_COLUMNS)
_INSERT_ENTRY = f"INSERT INTO entries ({_QUOTED}) VALUES ({', '.join('?' * len(_ENTRY_COLUMNS))})"
_UPDATE_ENTRY = (
    "UPDATE entries SET "
    + ", ".join(f'"{c}" = ?' for c in _ENTRY_COLUMNS if c != "id")
    + " WHERE id = ?"
)
_encode = json.JSONEncoder().encode


def _utc_text(moment: datetime) -> str:
    """``to_rfc3339`` (the same text, also for years before 1000), at C speed for the
    UTC datetimes entries hold."""
    if moment.tzinfo is UTC and moment.year >= 1000:
        return moment.isoformat()[:19] + "Z"
    return to_rfc3339(moment)


def _ints(values: tuple[int, ...]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


def _entry_row(entry: Entry) -> tuple[Any, ...]:
    """The entry as a row of the entries table, in ``_ENTRY_COLUMNS`` order (this runs
    once per appended entry leaf, so it avoids the general-purpose encoders)."""
    rate = entry.rate
    return (
        entry.id, entry.project, entry.client, entry.task,
        _encode(list(entry.tags)) if entry.tags else "[]", entry.note,
        _utc_text(entry.start), _utc_text(entry.end) if entry.end else None, entry.source,
        rate.minor if rate else None, rate.currency if rate else None,
        int(entry.amended), int(entry.removed), _ints(entry.evidence), _ints(entry.leaves),
    )  # fmt: skip


def _int_list(text: str) -> tuple[int, ...]:
    """A stored list of leaf indexes (``_ints`` writes ``[1,2]``) as a tuple, without
    the JSON parser for the shape every row has; anything else goes to ``json.loads``."""
    if text == "[]":
        return ()
    if text[:1] == "[" and text[-1:] == "]" and text.isascii() and not ("_" in text or "+" in text):
        try:  # int() reads what JSON reads here (ASCII digits, a sign, blanks), else below
            return tuple(map(int, text[1:-1].split(",")))
        except ValueError:
            pass
    return tuple(json.loads(text))


def _entry_from_row(row: sqlite3.Row) -> Entry:
    rate = Rate(row["rate_minor"], row["currency"]) if row["rate_minor"] is not None else None
    return Entry(
        id=row["id"],
        project=row["project"],
        client=row["client"],
        task=row["task"],
        tags=tuple(json.loads(row["tags"])),
        note=row["note"],
        start=from_rfc3339(row["start"]),
        end=from_rfc3339(row["end"]) if row["end"] else None,
        source=row["source"],
        rate=rate,
        amended=bool(row["amended"]),
        removed=bool(row["removed"]),
        evidence=_int_list(row["evidence"]),
        leaves=_int_list(row["leaves"]),
    )


def _entry_filter(
    lo: datetime | None, hi: datetime | None, client: str | None, project: str | None,
    include_removed: bool,
) -> tuple[str, list[Any]]:  # fmt: skip
    conds: list[str] = []
    params: list[Any] = []
    if not include_removed:
        conds.append("removed = 0")
    if hi is not None:
        conds.append("start < ?")
        params.append(to_rfc3339(hi))
    if lo is not None:
        conds.append('("end" IS NULL OR "end" > ?)')
        params.append(to_rfc3339(lo))
    if client is not None:
        conds.append("client = ?")
        params.append(client)
    if project is not None:
        conds.append("project = ?")
        params.append(project)
    return " AND ".join(conds) or "1", params


class Projection:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def clear(self) -> None:
        for table in PROJECTION_TABLES:
            self.db.execute(f"DELETE FROM {table}")

    def put_entry(self, entry: Entry, new: bool = False) -> None:
        """Store an entry's state; ``new`` (its creating leaf) skips the update attempt."""
        row = _entry_row(entry)
        if new or sql.run(self.db, _UPDATE_ENTRY, (*row[1:], row[0])) == 0:
            self.db.execute(_INSERT_ENTRY, row)
        if not entry.removed:
            self.touch_project(entry.project, entry.client, row[6])

    def put_entries(self, entries: Iterable[Entry]) -> None:
        sql.run_many(self.db, _INSERT_ENTRY, [_entry_row(e) for e in entries])

    def entry(self, entry_id: int) -> Entry | None:
        row = sql.one(self.db, "SELECT * FROM entries WHERE id = ?", (entry_id,))
        return None if row is None else _entry_from_row(row)

    def running(self) -> Entry | None:
        row = sql.one(
            self.db,
            'SELECT * FROM entries WHERE "end" IS NULL AND removed = 0 ORDER BY start DESC LIMIT 1',
        )
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
        where, params = _entry_filter(lo, hi, client, project, include_removed)
        query = f"SELECT * FROM entries WHERE {where} ORDER BY start"
        return [_entry_from_row(r) for r in sql.rows(self.db, query, tuple(params))]

    def finished_refs(
        self, lo: datetime, hi: datetime, client: str, project: str | None
    ) -> list[tuple[int, tuple[int, ...], tuple[int, ...]]]:
        """(id, leaves, evidence) of the finished entries ``entries(lo, hi, client,
        project, include_removed=True)`` lists, oldest first: what an export discloses,
        without building 20,000 Entry objects."""
        where, params = _entry_filter(lo, hi, client, project, True)
        query = (
            f'SELECT id, leaves, evidence FROM entries WHERE {where} AND "end" IS NOT NULL '
            "ORDER BY start"
        )
        ints = _int_list
        return [
            (i, ints(leaves), ints(evidence))
            for i, leaves, evidence in self.db.execute(query, tuple(params))
        ]

    def touch_project(self, name: str, client: str | None, when: str) -> None:
        """Remember the project's client as of its most recent use."""
        self.db.execute(
            "INSERT INTO projects (name, client, last_used) VALUES (?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET client = excluded.client, "
            "last_used = excluded.last_used WHERE excluded.last_used >= projects.last_used",
            (name, client, when),
        )

    def project_client(self, name: str) -> str | None:
        value: str | None = sql.scalar(
            self.db, "SELECT client FROM projects WHERE name = ?", (name,)
        )
        return value

    def projects(self) -> list[tuple[str, str | None, str]]:
        rows = sql.rows(self.db, "SELECT name, client, last_used FROM projects ORDER BY name")
        return [(r["name"], r["client"], r["last_used"]) for r in rows]

    def set_rate(self, scope: str, name: str, rate: Rate | None) -> None:
        self.db.execute("DELETE FROM rates WHERE scope = ? AND name = ?", (scope, name))
        if rate is not None:
            self.db.execute(
                "INSERT INTO rates (scope, name, minor, currency) VALUES (?, ?, ?, ?)",
                (scope, name, rate.minor, rate.currency),
            )

    def rate_for(self, project: str, client: str | None) -> Rate | None:
        """The project's rate, else the client's, else none."""
        for scope, name in (("project", project), ("client", client)):
            if name is None:
                continue
            row = sql.one(
                self.db,
                "SELECT minor, currency FROM rates WHERE scope = ? AND name = ?",
                (scope, name),
            )
            if row is not None:
                return Rate(row["minor"], row["currency"])
        return None

    def rates(self) -> list[tuple[str, str, Rate]]:
        rows = sql.rows(self.db, "SELECT * FROM rates ORDER BY scope, name")
        return [(r["scope"], r["name"], Rate(r["minor"], r["currency"])) for r in rows]

    def put_evidence(
        self, seq: int, kind: str, project: str, client: str | None, start: str, end: str
    ) -> None:
        self.db.execute(
            'INSERT INTO evidence (seq, kind, project, client, start, "end") '
            "VALUES (?, ?, ?, ?, ?, ?)",
            (seq, kind, project, client, start, end),
        )

    def evidence(self, lo: datetime | None = None, hi: datetime | None = None) -> list[sqlite3.Row]:
        conds: list[str] = []
        params: list[Any] = []
        if lo is not None:
            conds.append('"end" >= ?')
            params.append(to_rfc3339(lo))
        if hi is not None:
            conds.append("start < ?")
            params.append(to_rfc3339(hi))
        where = " AND ".join(conds) or "1"
        return sql.rows(
            self.db, f"SELECT * FROM evidence WHERE {where} ORDER BY start", tuple(params)
        )
