"""Totals of entries per day, week, project or client, with amounts.

Intervals that cross local midnight are split so each day gets its own seconds;
amounts are computed per entry from its own rate and summed per currency.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hourproof.core.entries import Entry
from hourproof.core.money import amount_for
from hourproof.core.timeparse import local_day, local_day_start

GROUPINGS = ("day", "week", "project", "client")


@dataclass
class TotalRow:
    """One row of a report: a group key, seconds and amounts per currency."""

    key: str
    seconds: int = 0
    entries: int = 0
    amounts: dict[str, int] = field(default_factory=dict)


def split_by_day(start: datetime, end: datetime, utc: bool = False) -> list[tuple[date, int]]:
    """Seconds of ``[start, end)`` per calendar day (local, or UTC for bundles)."""
    parts: list[tuple[date, int]] = []
    cursor = start
    while cursor < end:
        if utc:
            day = cursor.astimezone(UTC).date()
            next_midnight = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=1)
        else:
            day = local_day(cursor)
            next_midnight = local_day_start(day + timedelta(days=1))
        stop = min(end, next_midnight)
        parts.append((day, int((stop - cursor).total_seconds())))
        cursor = stop
    return parts


def _week_key(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _clip(
    entry: Entry, now: datetime, lo: datetime | None, hi: datetime | None
) -> tuple[datetime, datetime] | None:
    start = entry.start
    end = entry.end if entry.end is not None else now
    if lo is not None:
        start = max(start, lo)
    if hi is not None:
        end = min(end, hi)
    if end <= start:
        return None
    return start, end


def totals(
    entries: Iterable[Entry],
    by: str,
    now: datetime,
    lo: datetime | None = None,
    hi: datetime | None = None,
) -> list[TotalRow]:
    """Group entries' seconds (clipped to ``[lo, hi)``) by day, week, project or client."""
    if by not in GROUPINGS:
        raise ValueError(f"cannot group by {by!r}")
    rows: dict[str, TotalRow] = {}
    for entry in entries:
        if entry.removed:
            continue
        span = _clip(entry, now, lo, hi)
        if span is None:
            continue
        if by in ("day", "week"):
            pieces = [
                (d.isoformat() if by == "day" else _week_key(d), s) for d, s in split_by_day(*span)
            ]
        else:
            key = entry.project if by == "project" else (entry.client or "(no client)")
            pieces = [(key, int((span[1] - span[0]).total_seconds()))]
        for key, seconds in pieces:
            row = rows.setdefault(key, TotalRow(key))
            row.seconds += seconds
            row.entries += 1
            if entry.rate is not None:
                cur = entry.rate.currency
                row.amounts[cur] = row.amounts.get(cur, 0) + amount_for(seconds, entry.rate)
    return [rows[k] for k in sorted(rows)]


def grand_total(rows: Iterable[TotalRow]) -> TotalRow:
    total = TotalRow("total")
    for row in rows:
        total.seconds += row.seconds
        total.entries += row.entries
        for cur, minor in row.amounts.items():
            total.amounts[cur] = total.amounts.get(cur, 0) + minor
    return total
