"""Reads the desktop app makes on large periods: paged, sorted and filtered entries,
and totals as SQL aggregates, so a year of 50,000 entries never loads into Python.

Times are RFC 3339 ``...Z`` strings in the table; SQLite's ``strftime('%s', …)``
turns them into epoch seconds, so clipping to the period and summing happen in SQL.
Local days use SQLite's ``'localtime'`` modifier (the C library's zone, as Python's
``astimezone()``); the few entries that cross local midnight are split in Python
with the same rule as ``core.totals``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from hourproof.core.entries import Entry
from hourproof.core.money import Rate, amount_for
from hourproof.core.totals import TotalRow, split_by_day
from hourproof.store import sql
from hourproof.store.projection import _entry_from_row

#: Columns the entry table may be sorted by, and the SQL that sorts them.
SORT_KEYS: dict[str, str] = {
    "start": "start",
    "end": "coalesce(\"end\", '9999')",
    "duration": "",  # set below, once the epoch conversion is known
    "project": "project COLLATE NOCASE",
    "client": "coalesce(client, '') COLLATE NOCASE",
    "task": "coalesce(task, '') COLLATE NOCASE",
    "tags": "tags COLLATE NOCASE",
    "note": "coalesce(note, '') COLLATE NOCASE",
    "source": "source",
    "amended": "amended",
}
GROUPINGS = ("day", "week", "project", "client")
NO_CLIENT = "(no client)"
_FAR_PAST = -(2**62)
_FAR_FUTURE = 2**62
_EPOCH = (
    "unixepoch({})"
    if sqlite3.sqlite_version_info >= (3, 38)
    else "CAST(strftime('%s', {}) AS INTEGER)"
)
_END = "coalesce(" + _EPOCH.format('"end"') + ", :now)"
SORT_KEYS["duration"] = f"({_END} - {_EPOCH.format('start')})"


@dataclass(frozen=True)
class EntryQuery:
    """Which entries the table shows, and in what order."""

    lo: datetime | None = None
    hi: datetime | None = None
    client: str | None = None
    project: str | None = None
    text: str | None = None
    sort: str = "start"
    descending: bool = True


def _epoch(moment: datetime | None, default: int) -> int:
    return default if moment is None else int(moment.timestamp())


def _where(q: EntryQuery, now: datetime) -> tuple[str, dict[str, Any]]:
    conds = ["removed = 0"]
    params: dict[str, Any] = {
        "now": int(now.timestamp()),
        "lo": _epoch(q.lo, _FAR_PAST),
        "hi": _epoch(q.hi, _FAR_FUTURE),
    }
    if q.hi is not None:
        conds.append("start < :hi_text")
        params["hi_text"] = q.hi.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if q.lo is not None:
        conds.append('("end" IS NULL OR "end" > :lo_text)')
        params["lo_text"] = q.lo.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if q.client is not None:
        if q.client == NO_CLIENT:
            conds.append("client IS NULL")
        else:
            conds.append("client = :client")
            params["client"] = q.client
    if q.project is not None:
        conds.append("project = :project")
        params["project"] = q.project
    if q.text:
        escaped = q.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["text"] = f"%{escaped}%"
        conds.append(
            "(" + " OR ".join(
                f"coalesce({c}, '') LIKE :text ESCAPE '\\'"
                for c in ("project", "client", "task", "note", "tags")
            ) + ")"
        )  # fmt: skip
    return " AND ".join(conds), params


def count_entries(db: sqlite3.Connection, q: EntryQuery, now: datetime) -> int:
    where, params = _where(q, now)
    return int(sql.scalar(db, f"SELECT count(*) FROM entries WHERE {where}", params) or 0)


def entries_page(
    db: sqlite3.Connection, q: EntryQuery, now: datetime, offset: int, limit: int
) -> list[Entry]:
    """``limit`` entries from ``offset`` in the query's order (ties broken by id)."""
    if q.sort not in SORT_KEYS:
        raise ValueError(f"cannot sort by {q.sort!r}")
    where, params = _where(q, now)
    direction = "DESC" if q.descending else "ASC"
    params.update(limit=limit, offset=offset)
    query = (
        f"SELECT * FROM entries WHERE {where} "
        f"ORDER BY {SORT_KEYS[q.sort]} {direction}, id {direction} LIMIT :limit OFFSET :offset"
    )
    return [_entry_from_row(r) for r in sql.rows(db, query, params)]


def _add(rows: dict[str, TotalRow], key: str, entries: int, seconds: int) -> TotalRow:
    row = rows.setdefault(key, TotalRow(key))
    row.entries += entries
    row.seconds += seconds
    return row


def _add_amount(row: TotalRow, currency: str | None, minor: int | None) -> None:
    if currency is not None and minor is not None:
        row.amounts[currency] = row.amounts.get(currency, 0) + int(minor)


_END_TEXT = 'min(coalesce("end", :now_text), :hi_clip)'


def _clipped(where: str) -> str:
    """Each matching entry once, clipped to the period as epoch seconds ``s``..``t``.

    Clipping compares the RFC 3339 text (same fixed format, so text order is time
    order) and converts only the two clipped ends; MATERIALIZED keeps SQLite from
    re-evaluating the conversions at every use of ``s`` and ``t``."""
    return (
        f"WITH c AS MATERIALIZED (SELECT project, client, rate_minor, currency, "
        f"{_EPOCH.format('max(start, :lo_clip)')} AS s, "
        f"{_EPOCH.format(_END_TEXT)} AS t "
        f"FROM entries WHERE {where}) "
    )


def _clip_params(q: EntryQuery, now: datetime, params: dict[str, Any]) -> None:
    params["lo_clip"] = _text(q.lo) if q.lo is not None else "0000"
    params["hi_clip"] = _text(q.hi) if q.hi is not None else "9999"
    params["now_text"] = _text(now)


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def totals_by(db: sqlite3.Connection, q: EntryQuery, by: str, now: datetime) -> list[TotalRow]:
    """Seconds (clipped to the period), entries and amounts per group, sorted by key.

    Equal to ``core.totals.totals`` over the same entries (tested)."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}")
    where, params = _where(q, now)
    _clip_params(q, now, params)
    head = _clipped(where)
    rows: dict[str, TotalRow] = {}
    if by in ("project", "client"):
        key = "project" if by == "project" else f"coalesce(client, '{NO_CLIENT}')"
        query = (
            f"{head}SELECT {key} AS k, currency, count(*) AS n, sum(t - s) AS secs, "
            f"sum(((t - s) * rate_minor + 1800) / 3600) AS minor "
            f"FROM c WHERE t > s GROUP BY k, currency"
        )
        for r in sql.rows(db, query, params):
            _add_amount(_add(rows, r["k"], r["n"], r["secs"]), r["currency"], r["minor"])
    else:
        _day_totals(db, head, params, rows)
        if by == "week":
            rows = _weeks(rows)
    return [rows[k] for k in sorted(rows)]


def _day_totals(
    db: sqlite3.Connection, head: str, params: dict[str, Any], rows: dict[str, TotalRow]
) -> None:
    days = (
        f"{head}, d AS MATERIALIZED (SELECT s, t, rate_minor, currency, "
        "date(s, 'unixepoch', 'localtime') AS d1, date(t - 1, 'unixepoch', 'localtime') AS d2 "
        "FROM c WHERE t > s) "
    )
    within = (
        f"{days}SELECT d1 AS d, currency, count(*) AS n, sum(t - s) AS secs, "
        "sum(((t - s) * rate_minor + 1800) / 3600) AS minor FROM d WHERE d1 = d2 "
        "GROUP BY d1, currency UNION ALL "
        "SELECT NULL, currency, s, t, rate_minor FROM d WHERE d1 != d2"
    )
    for r in sql.rows(db, within, params):
        if r["d"] is not None:
            _add_amount(_add(rows, r["d"], r["n"], r["secs"]), r["currency"], r["minor"])
            continue
        start = datetime.fromtimestamp(r["n"], UTC)  # a crossing entry: n = s, secs = t
        end = datetime.fromtimestamp(r["secs"], UTC)
        rate_minor = r["minor"]
        for day, seconds in split_by_day(start, end):
            row = _add(rows, day.isoformat(), 1, seconds)
            if rate_minor is not None:
                rate = Rate(rate_minor, r["currency"])
                _add_amount(row, rate.currency, amount_for(seconds, rate))


def _weeks(days: dict[str, TotalRow]) -> dict[str, TotalRow]:
    weeks: dict[str, TotalRow] = {}
    for key, day in days.items():
        year, week, _ = date.fromisoformat(key).isocalendar()
        row = _add(weeks, f"{year}-W{week:02d}", day.entries, day.seconds)
        for currency, minor in day.amounts.items():
            _add_amount(row, currency, minor)
    return weeks


def overlapping(
    db: sqlite3.Connection, begin: datetime, end: datetime, now: datetime,
    exclude: int | None = None,
) -> list[Entry]:  # fmt: skip
    """Entries (not removed) whose interval overlaps ``[begin, end)``, oldest first."""
    where, params = _where(EntryQuery(lo=begin, hi=end), now)
    where += f" AND {_END} > :lo"
    if exclude is not None:
        where += " AND id != :exclude"
        params["exclude"] = exclude
    query = f"SELECT * FROM entries WHERE {where} ORDER BY start"
    return [_entry_from_row(r) for r in sql.rows(db, query, params)]


def clients(db: sqlite3.Connection) -> list[str]:
    """Every client named by a project or an entry, sorted."""
    query = (
        "SELECT client FROM projects WHERE client IS NOT NULL UNION "
        "SELECT DISTINCT client FROM entries WHERE client IS NOT NULL ORDER BY 1"
    )
    return [r[0] for r in db.execute(query).fetchall()]
