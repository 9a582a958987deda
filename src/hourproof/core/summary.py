"""The bundle's summary: seconds and amounts per UTC day and project.

The exporter writes it as summary.csv and the verifier recomputes it from the
disclosed leaves alone; both call this one function so the figures must agree.
Days are UTC so that a client in another time zone derives the same rows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from hourproof.core.entries import Entry
from hourproof.core.money import amount_for
from hourproof.core.totals import split_by_day

HEADER = ("day", "project", "seconds", "hours", "amount_minor", "currency")


class SummaryError(ValueError):
    """A summary.csv that cannot be read."""


@dataclass(frozen=True, order=True)
class SummaryRow:
    day: str
    project: str
    seconds: int
    amount_minor: int | None
    currency: str | None


def summarize(entries: Iterable[Entry], lo: datetime, hi: datetime) -> list[SummaryRow]:
    """Rows per (UTC day, project, currency) of entries clipped to ``[lo, hi)``."""
    acc: dict[tuple[str, str, str | None], list[int]] = {}
    for entry in entries:
        if entry.removed or entry.end is None:
            continue
        start, end = max(entry.start, lo), min(entry.end, hi)
        if end <= start:
            continue
        currency = entry.rate.currency if entry.rate else None
        if start.tzinfo is UTC and end.tzinfo is UTC and start.date() == end.date():
            parts = [(start.date(), int((end - start).total_seconds()))]  # one UTC day
        else:
            parts = split_by_day(start, end, utc=True)
        for day, seconds in parts:
            slot = acc.setdefault((day.isoformat(), entry.project, currency), [0, 0])
            slot[0] += seconds
            if entry.rate is not None:
                slot[1] += amount_for(seconds, entry.rate)
    return sorted(
        (
            SummaryRow(day, project, sec, minor if cur else None, cur)
            for (day, project, cur), (sec, minor) in acc.items()
        ),
        key=row_key,
    )


def row_key(row: SummaryRow) -> tuple[str, str, str]:
    """Rows are ordered by UTC day, then project, then currency ("" without a rate)."""
    return (row.day, row.project, row.currency or "")


def _hours(seconds: int) -> str:
    return f"{seconds // 3600}:{(seconds % 3600) // 60:02d}:{seconds % 60:02d}"


def to_csv(rows: Iterable[SummaryRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for r in rows:
        writer.writerow([
            r.day, r.project, r.seconds, _hours(r.seconds),
            "" if r.amount_minor is None else r.amount_minor, r.currency or "",
        ])  # fmt: skip
    return out.getvalue().encode("utf-8")


def from_csv(data: bytes) -> list[SummaryRow]:
    try:
        text = data.decode("utf-8")
        reader = csv.reader(io.StringIO(text))
        header = next(reader, None)
        if tuple(header or ()) != HEADER:
            raise SummaryError(f"summary.csv header is not {','.join(HEADER)}")
        rows = []
        for line in reader:
            if len(line) != len(HEADER):
                raise SummaryError(f"summary.csv row has {len(line)} fields: {line!r}")
            day, project, seconds, _h, minor, currency = line
            rows.append(SummaryRow(
                day, project, int(seconds), int(minor) if minor else None, currency or None
            ))  # fmt: skip
    except (UnicodeDecodeError, ValueError, csv.Error) as exc:
        if isinstance(exc, SummaryError):
            raise
        raise SummaryError(f"summary.csv is malformed: {exc}") from exc
    return sorted(rows, key=row_key)
