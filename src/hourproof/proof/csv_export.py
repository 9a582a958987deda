"""The statement's entries as CSV in Toggl's or Clockify's detailed-report layout.

Clients often already run Toggl Track or Clockify and their spreadsheets and importers
expect those exports, so the columns copy them exactly (the layouts and their sources
are in :mod:`hourproof.interop.csvformats`, which also writes ``hourproof log
--format toggl|clockify``; both share one writer):

* Toggl Track: ``User,Email,Client,Project,Task,Description,Billable,Start date,
  Start time,End date,End time,Duration,Tags,Amount (EUR)`` (``Amount ()`` without a
  currency);
* Clockify: ``Project,Client,Description,Task,User,Group,Email,Tags,Billable,
  Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),
  Billable Rate (EUR),Billable Amount (EUR)``;

followed by one ``Time zone`` column naming the zone of every date and time (UTC
unless another is asked for), since neither tool's own file says. The file starts
with the UTF-8 byte-order mark, as both tools' exports do (spreadsheets need it to
read UTF-8).

Choices, so the file stays truthful:

* dates ``YYYY-MM-DD``, times and durations ``HH:MM:SS``; decimal hours have two
  places, rounded half up with integer math;
* one row per entry as it was signed (an entry reaching past the period keeps its full
  times, as in Toggl's own detailed report); removed entries are left out;
* "Billable" is Yes when the entry has an amount (a rate was set), No otherwise;
* Clockify's "Billable Rate" is the effective hourly rate, amount ÷ hours rounded to the
  currency's minor unit, since a statement carries amounts, not rates;
* the Email column holds the email given, else the identity's when it is one;
* one currency per file: a statement mixing currencies cannot fill one amount column
  honestly, so it raises CsvExportError;
* cells starting with ``= + - @`` (or a tab or carriage return) get a leading ``'`` so a
  spreadsheet shows them as text instead of running them as formulas.

The caller opens ``fp`` with ``newline=""`` (rows end in CRLF, as the csv module writes).
"""

from __future__ import annotations

import re
from datetime import UTC, tzinfo
from typing import TextIO

from hourproof.interop.csvformats import (
    CsvMeta,
    CsvRow,
    decimal_hours,
    effective_rate,
    hms,
    safe_cell,
    write_rows,
)
from hourproof.proof.model import ReportEntry, Statement

FORMATS = ("toggl", "clockify")
_EMAIL = re.compile(r"<([^<>\s]+@[^<>\s]+)>|^([^<>\s]+@[^<>\s]+)$")

__all__ = [
    "FORMATS", "CsvExportError", "decimal_hours", "effective_rate", "hms", "identity_email",
    "safe_cell", "write_csv",
]  # fmt: skip


class CsvExportError(ValueError):
    """The statement cannot be written in the requested CSV layout."""


def identity_email(identity: str) -> str:
    """``jane@x.io`` from ``jane@x.io`` or ``Jane Doe <jane@x.io>``; else empty."""
    m = _EMAIL.search(identity.strip())
    return (m.group(1) or m.group(2)) if m else ""


def _currency(entries: list[ReportEntry]) -> str:
    found = {e.currency for e in entries if e.amount_minor is not None and e.currency}
    if len(found) > 1:
        raise CsvExportError(
            f"entries are in several currencies ({', '.join(sorted(found))}); "
            "export one currency at a time"
        )
    return found.pop() if found else ""


def write_csv(
    st: Statement,
    fp: TextIO,
    fmt: str = "toggl",
    zone: tzinfo = UTC,
    zone_name: str = "UTC",
    email: str | None = None,
) -> None:
    """Write the statement's counted entries as a Toggl or Clockify detailed-report CSV."""
    if fmt not in FORMATS:
        raise CsvExportError(f"unknown CSV format {fmt!r} (use one of {', '.join(FORMATS)})")
    entries = sorted(
        (e for e in st.entries if not e.removed and not e.outside), key=lambda e: (e.start, e.id)
    )
    meta = CsvMeta(
        user=st.contractor, email=email or identity_email(st.contractor), zone=zone,
        zone_name=zone_name, currency=_currency(entries),
    )  # fmt: skip
    rows = [
        CsvRow(
            project=e.project,
            client=e.client or st.client,
            task=e.task or "",
            description=e.note or "",
            start=e.start,
            end=e.end,
            seconds=e.seconds,
            tags=e.tags,
            amount_minor=e.amount_minor,
        )
        for e in entries
    ]
    write_rows(fmt, rows, meta, fp)
