"""The statement's entries as CSV in Toggl's or Clockify's detailed-report layout.

Clients often already run Toggl Track or Clockify and their spreadsheets and importers
expect those exports, so the columns copy them exactly:

* Toggl Track, Reports → Detailed → Export CSV. Header as Toggl writes it:
  ``User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,
  End time,Duration,Tags,Amount (EUR)`` with the workspace currency in the last column,
  or ``Amount ()`` when there is none. Toggl's CSV-import guide ("Editing and
  uploading a CSV file", support.toggl.com) lists the same column names and advises
  starting from a Detailed report export; real exports seen in public importers and
  tests confirm the order and the ``Amount (XXX)`` form.
* Clockify, Reports → Detailed → Export → CSV. Header:
  ``Project,Client,Description,Task,User,Group,Email,Tags,Billable,Start Date,Start Time,
  End Date,End Time,Duration (h),Duration (decimal),Billable Rate (USD),
  Billable Amount (USD)`` with the workspace currency in the last two columns, as seen in
  public Clockify exports and the importers written against them.

Choices, so the file stays truthful:

* times are UTC (the report says so), dates ``YYYY-MM-DD``, times and durations
  ``HH:MM:SS``; decimal hours have two places, rounded half up with integer math;
* one row per entry as it was signed (an entry reaching past the period keeps its full
  times, as in Toggl's own detailed report); removed entries are left out;
* "Billable" is Yes when the entry has an amount (a rate was set), No otherwise;
* Clockify's "Billable Rate" is the effective hourly rate, amount ÷ hours rounded to the
  currency's minor unit, since a statement carries amounts, not rates;
* one currency per file: a statement mixing currencies cannot fill one amount column
  honestly, so it raises CsvExportError;
* cells starting with ``= + - @`` (or a tab or carriage return) get a leading ``'`` so a
  spreadsheet shows them as text instead of running them as formulas.

The caller opens ``fp`` with ``newline=""`` (rows end in CRLF, as the csv module writes).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from typing import TextIO

from hourproof.core.money import exponent
from hourproof.proof.model import ReportEntry, Statement

FORMATS = ("toggl", "clockify")

TOGGL_HEADER = (
    "User", "Email", "Client", "Project", "Task", "Description", "Billable", "Start date",
    "Start time", "End date", "End time", "Duration", "Tags", "Amount ({cur})",
)  # fmt: skip
CLOCKIFY_HEADER = (
    "Project", "Client", "Description", "Task", "User", "Group", "Email", "Tags", "Billable",
    "Start Date", "Start Time", "End Date", "End Time", "Duration (h)", "Duration (decimal)",
    "Billable Rate ({cur})", "Billable Amount ({cur})",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class CsvExportError(ValueError):
    """The statement cannot be written in the requested CSV layout."""


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formula injection (OWASP's CSV injection advice)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def hms(seconds: int) -> str:
    """``HH:MM:SS``; hours may exceed 99."""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def decimal_hours(seconds: int) -> str:
    """Hours with two decimals, rounded half up, without floats: 5400 → ``1.50``."""
    hundredths = (seconds * 100 + 1800) // 3600
    return f"{hundredths // 100}.{hundredths % 100:02d}"


def minor_text(minor: int, currency: str) -> str:
    """An amount in minor units as a plain number for spreadsheets: ``237.50``."""
    places = exponent(currency)
    sign, minor = ("-", -minor) if minor < 0 else ("", minor)
    if places == 0:
        return f"{sign}{minor}"
    return f"{sign}{minor // 10**places}.{minor % 10**places:0{places}d}"


def effective_rate(entry: ReportEntry) -> int | None:
    """Minor units per hour that the entry's amount implies, rounded half up."""
    if entry.amount_minor is None or entry.seconds <= 0:
        return None
    return (entry.amount_minor * 3600 * 2 + entry.seconds) // (entry.seconds * 2)


def _currency(entries: list[ReportEntry]) -> str:
    found = {e.currency for e in entries if e.amount_minor is not None and e.currency}
    if len(found) > 1:
        raise CsvExportError(
            f"entries are in several currencies ({', '.join(sorted(found))}); "
            "export one currency at a time"
        )
    return found.pop() if found else ""


def _date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d")


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%S")


def _amount(entry: ReportEntry, cur: str) -> str:
    return "" if entry.amount_minor is None else minor_text(entry.amount_minor, cur)


def _toggl_row(st: Statement, e: ReportEntry, cur: str) -> list[str]:
    return [
        st.contractor, st.contractor if "@" in st.contractor else "", e.client or st.client,
        e.project, e.task or "", e.note or "", "Yes" if e.amount_minor is not None else "No",
        _date(e.start), _time(e.start), _date(e.end), _time(e.end), hms(e.seconds),
        ", ".join(e.tags), _amount(e, cur),
    ]  # fmt: skip


def _clockify_row(st: Statement, e: ReportEntry, cur: str) -> list[str]:
    rate = effective_rate(e)
    return [
        e.project, e.client or st.client, e.note or "", e.task or "", st.contractor, "",
        st.contractor if "@" in st.contractor else "", ", ".join(e.tags),
        "Yes" if e.amount_minor is not None else "No", _date(e.start), _time(e.start),
        _date(e.end), _time(e.end), hms(e.seconds), decimal_hours(e.seconds),
        "" if rate is None else minor_text(rate, cur), _amount(e, cur),
    ]  # fmt: skip


def write_csv(st: Statement, fp: TextIO, fmt: str = "toggl") -> None:
    """Write the statement's counted entries as a Toggl or Clockify detailed-report CSV."""
    if fmt not in FORMATS:
        raise CsvExportError(f"unknown CSV format {fmt!r} (use one of {', '.join(FORMATS)})")
    entries = sorted((e for e in st.entries if not e.removed), key=lambda e: (e.start, e.id))
    cur = _currency(entries)
    header = TOGGL_HEADER if fmt == "toggl" else CLOCKIFY_HEADER
    make_row = _toggl_row if fmt == "toggl" else _clockify_row
    writer = csv.writer(fp)
    writer.writerow([name.format(cur=cur) for name in header])
    for entry in entries:
        writer.writerow([safe_cell(cell) for cell in make_row(st, entry, cur)])
