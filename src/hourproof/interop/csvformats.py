"""Toggl Track and Clockify detailed-report CSV files: reading and writing.

Layouts (Reports → Detailed → Export → CSV in each tool):

* Toggl Track: ``User,Email,Client,Project,Task,Description,Billable,Start date,
  Start time,End date,End time,Duration,Tags,Amount (EUR)``; ISO dates, 24-hour
  times and ``H:MM:SS`` durations in the exporting user's profile time zone, which the
  file does not name; tags joined with ``", "``; UTF-8 with a byte-order mark.
* Clockify: ``Project,Client,Description,Task,User,Group,Email,Tags,Billable,
  Start Date,Start Time,End Date,End Time,Duration (h),Duration (decimal),
  Billable Rate (USD),Billable Amount (USD)``; dates and times in the user's
  date/time format settings (``MM/DD/YYYY`` or ``DD/MM/YYYY`` …, 24-hour or
  ``hh:mm:ss AM``) and time zone.

Because neither file names its zone, the reader needs one (``--tz``, else this
computer's), and the summary says which was used. Files hourproof writes add a last
``Time zone`` column with the IANA name; the reader honours it over ``--tz``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hourproof.interop.records import (
    NO_PROJECT,
    Occurrences,
    ReadNotes,
    ReadOptions,
    Record,
    Skipped,
    clean_tags,
    one_line,
)
from hourproof.interop.wallclock import (
    WallClockError,
    numeric_date_parts,
    parse_clock,
    parse_date,
    parse_hms,
    to_utc,
)

ZONE_COLUMN = "Time zone"

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


@dataclass(frozen=True)
class Columns:
    """Where each field sits in one tool's header (names as that tool writes them)."""

    project: str
    client: str
    task: str
    description: str
    tags: str
    start_date: str
    start_time: str
    end_date: str
    end_time: str
    duration: str
    aliases: tuple[tuple[str, str], ...] = ()


TOGGL = Columns(
    "Project", "Client", "Task", "Description", "Tags", "Start date", "Start time",
    "End date", "End time", "Duration",
    aliases=(("Stop date", "End date"), ("Stop time", "End time"), ("Member", "User")),
)  # fmt: skip
CLOCKIFY = Columns(
    "Project", "Client", "Task", "Description", "Tags", "Start Date", "Start Time",
    "End Date", "End Time", "Duration (h)",
)  # fmt: skip
COLUMNS = {"toggl": TOGGL, "clockify": CLOCKIFY}


class CsvReadError(ValueError):
    """The whole file cannot be read (not a row problem)."""


# --- reading -----------------------------------------------------------------------------


def _open(path: Path) -> TextIO:
    return path.open("r", encoding="utf-8-sig", newline="")


def _index(header: Sequence[str], cols: Columns) -> dict[str, int]:
    names = [h.strip() for h in header]
    for alias, name in cols.aliases:
        if name not in names and alias in names:
            names[names.index(alias)] = name
    index = {name: i for i, name in enumerate(names)}
    need = [cols.project, cols.start_date, cols.start_time]
    missing = [n for n in need if n not in index]
    if cols.duration not in index and (cols.end_date not in index or cols.end_time not in index):
        missing.append(f"{cols.end_date}/{cols.end_time} or {cols.duration}")
    if missing:
        raise CsvReadError(f"the header lacks {', '.join(missing)}")
    return index


def _split_tags(text: str) -> tuple[str, ...]:
    # Both tools join tags with ", "; a comma without a space stays inside a tag.
    return clean_tags(text.split(", ")) if text.strip() else ()


def _decide_day_first(path: Path, cols: Columns, notes: ReadNotes) -> bool:
    """Clockify writes dates in the user's format: settle ``NN/NN/YYYY`` from the data."""
    month_first_possible = day_first_possible = False
    shapes = 0
    with _open(path) as fp:
        reader = csv.reader(fp)
        header = next(reader, None)
        if header is None:
            return False
        index = _index(header, cols)
        for row in reader:
            for col in (cols.start_date, cols.end_date):
                i = index.get(col)
                parts = numeric_date_parts(row[i]) if i is not None and i < len(row) else None
                if parts is None:
                    continue
                shapes += 1
                a, b = parts
                if a > 12:
                    day_first_possible = True
                if b > 12:
                    month_first_possible = True
    if not shapes:
        return False
    if day_first_possible and not month_first_possible:
        notes.add("dates read as day/month/year (days above 12 in the first place)")
        return True
    if month_first_possible and not day_first_possible:
        notes.add("dates read as month/day/year")
        return False
    notes.add(
        "dates read as month/day/year, Clockify's default; the file does not settle "
        "it (give --day-first for day/month/year)"
    )
    return False


def _zone_from_cell(text: str) -> tzinfo:
    if text.strip() in ("UTC", "Z"):
        return UTC
    try:
        return ZoneInfo(text.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise WallClockError(f"unknown time zone {text.strip()!r}") from exc


def _cell(row: Sequence[str], index: dict[str, int], name: str) -> str:
    i = index.get(name)
    return row[i] if i is not None and i < len(row) else ""


def _text(row: Sequence[str], index: dict[str, int], name: str) -> str:
    """A text cell, with the ``'`` a formula-safe export put before ``= + - @`` removed."""
    value = _cell(row, index, name)
    if value.startswith("'") and value[1:2] in ("=", "+", "-", "@"):
        return value[1:]
    return value


def _moment(row: Sequence[str], index: dict[str, int], dcol: str, tcol: str,
            day_first: bool, zone: tzinfo | None, fold: int = 0) -> datetime | None:  # fmt: skip
    d, t = _cell(row, index, dcol).strip(), _cell(row, index, tcol).strip()
    if not d and not t:
        return None
    if not d or not t:
        raise WallClockError(f"{dcol} and {tcol} must both be given")
    try:
        day = parse_date(d, day_first)
    except WallClockError as exc:
        raise WallClockError(f"bad {dcol}: {exc}") from exc
    try:
        clock = parse_clock(t)
    except WallClockError as exc:
        raise WallClockError(f"bad {tcol}: {exc}") from exc
    return to_utc(day, clock, zone, fold)


def read_csv(
    tool: str, path: Path, opts: ReadOptions, notes: ReadNotes
) -> Iterator[Record | Skipped]:
    """Yield one Record or Skipped per data row (row numbers count the header as 1)."""
    cols = COLUMNS[tool]
    day_first = opts.day_first
    if tool == "clockify" and day_first is None:
        day_first = _decide_day_first(path, cols, notes)
    occurrences = Occurrences()
    with _open(path) as fp:
        reader = csv.reader(fp)
        header = next(reader, None)
        if header is None:
            raise CsvReadError("the file is empty")
        index = _index(header, cols)
        has_zone = ZONE_COLUMN in index
        if has_zone:
            notes.add(f"times read in the zone named by the file's '{ZONE_COLUMN}' column")
        else:
            where = f"{opts.zone_name} (--tz)" if opts.zone_name else "this computer's zone"
            notes.add(f"times read as local times in {where}; the file names no zone")
        width = len(header)
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != width:
                yield Skipped(number, f"{len(row)} cells where the header has {width}")
                continue
            try:
                yield _record(tool, row, index, cols, opts, bool(day_first), has_zone,
                              number, occurrences)  # fmt: skip
            except WallClockError as exc:
                yield Skipped(number, str(exc))


def _duration(text: str) -> int | None:
    try:
        return parse_hms(text) if text.strip() else None
    except WallClockError:
        return None


def _record(tool: str, row: list[str], index: dict[str, int], cols: Columns,
            opts: ReadOptions, day_first: bool, has_zone: bool, number: int,
            occurrences: Occurrences) -> Record | Skipped:  # fmt: skip
    zone = _zone_from_cell(_cell(row, index, ZONE_COLUMN)) if has_zone else opts.zone
    start = _moment(row, index, cols.start_date, cols.start_time, day_first, zone)
    if start is None:
        return Skipped(number, f"no {cols.start_date}/{cols.start_time}")
    end = _moment(row, index, cols.end_date, cols.end_time, day_first, zone)
    if end is None:
        text = _cell(row, index, cols.duration).strip()
        if not text:
            return Skipped(number, "no end and no duration")
        try:
            end = start + timedelta(seconds=parse_hms(text))
        except WallClockError as exc:
            raise WallClockError(f"bad {cols.duration}: {exc}") from exc
    duration = _duration(_cell(row, index, cols.duration))
    if duration is not None and (end - start).total_seconds() != duration:
        # Wall-clock times in an hour that a DST change repeats: the duration settles
        # which of the two occurrences each end is.
        for fs, fe in ((0, 1), (1, 1), (1, 0)):
            s2 = _moment(row, index, cols.start_date, cols.start_time, day_first, zone, fs)
            e2 = _moment(row, index, cols.end_date, cols.end_time, day_first, zone, fe)
            if s2 and e2 and (e2 - s2).total_seconds() == duration:
                start, end = s2, e2
                break
    if end <= start:
        return Skipped(number, "it ends before or when it starts")
    project = one_line(_text(row, index, cols.project)) or opts.project or NO_PROJECT
    client = one_line(_text(row, index, cols.client)) or opts.client
    return Record(
        row=number,
        key=occurrences.key(tool, [c.strip() for c in row]),
        project=project,
        start=start,
        end=end,
        client=client,
        task=one_line(_text(row, index, cols.task)),
        tags=_split_tags(_text(row, index, cols.tags)),
        note=one_line(_text(row, index, cols.description)),
    )


# --- writing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CsvRow:
    """One entry as both tools' detailed reports show it."""

    project: str
    client: str
    task: str
    description: str
    start: datetime
    end: datetime
    seconds: int
    tags: tuple[str, ...]
    amount_minor: int | None = None


@dataclass(frozen=True)
class CsvMeta:
    """File-wide cells: who, and in which zone and currency."""

    user: str
    email: str
    zone: tzinfo
    zone_name: str
    currency: str = ""
    zone_column: bool = True


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


def minor_text(minor: int, places: int) -> str:
    """An amount in minor units as a plain number for spreadsheets: ``237.50``."""
    sign, minor = ("-", -minor) if minor < 0 else ("", minor)
    if places == 0:
        return f"{sign}{minor}"
    return f"{sign}{minor // 10**places}.{minor % 10**places:0{places}d}"


def effective_rate(amount_minor: int | None, seconds: int) -> int | None:
    """Minor units per hour that an amount implies, rounded half up."""
    if amount_minor is None or seconds <= 0:
        return None
    return (amount_minor * 3600 * 2 + seconds) // (seconds * 2)


def _places(currency: str) -> int:
    from hourproof.core.money import exponent

    return exponent(currency) if currency else 2


def _toggl_row(meta: CsvMeta, r: CsvRow) -> list[str]:
    s, e = r.start.astimezone(meta.zone), r.end.astimezone(meta.zone)
    amount = "" if r.amount_minor is None else minor_text(r.amount_minor, _places(meta.currency))
    return [
        meta.user, meta.email, r.client, r.project, r.task, r.description,
        "Yes" if r.amount_minor is not None else "No", s.strftime("%Y-%m-%d"),
        s.strftime("%H:%M:%S"), e.strftime("%Y-%m-%d"), e.strftime("%H:%M:%S"),
        hms(r.seconds), ", ".join(r.tags), amount,
    ]  # fmt: skip


def _clockify_row(meta: CsvMeta, r: CsvRow) -> list[str]:
    s, e = r.start.astimezone(meta.zone), r.end.astimezone(meta.zone)
    places = _places(meta.currency)
    rate = effective_rate(r.amount_minor, r.seconds)
    return [
        r.project, r.client, r.description, r.task, meta.user, "", meta.email,
        ", ".join(r.tags), "Yes" if r.amount_minor is not None else "No",
        s.strftime("%Y-%m-%d"), s.strftime("%H:%M:%S"), e.strftime("%Y-%m-%d"),
        e.strftime("%H:%M:%S"), hms(r.seconds), decimal_hours(r.seconds),
        "" if rate is None else minor_text(rate, places),
        "" if r.amount_minor is None else minor_text(r.amount_minor, places),
    ]  # fmt: skip


def write_rows(tool: str, rows: list[CsvRow], meta: CsvMeta, fp: TextIO) -> None:
    """Write a Toggl or Clockify detailed-report CSV, with the UTF-8 BOM both tools write.

    ``fp`` is opened with ``newline=""`` (rows end in CRLF, as the csv module writes).
    Dates are ``YYYY-MM-DD`` (both tools' importers accept them) and times 24-hour.
    """
    header = TOGGL_HEADER if tool == "toggl" else CLOCKIFY_HEADER
    make_row = _toggl_row if tool == "toggl" else _clockify_row
    names = [name.format(cur=meta.currency) for name in header]
    if meta.zone_column:
        names.append(ZONE_COLUMN)
    fp.write("\ufeff")
    writer = csv.writer(fp)
    writer.writerow(names)
    for r in rows:
        cells = [safe_cell(cell) for cell in make_row(meta, r)]
        if meta.zone_column:
            cells.append(meta.zone_name)
        writer.writerow(cells)


def utc_meta_zone() -> tuple[tzinfo, str]:
    return UTC, "UTC"
