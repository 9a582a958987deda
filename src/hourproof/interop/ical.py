"""iCalendar (RFC 5545) VEVENTs: a small reader and writer.

Reading covers what calendar exports contain: line unfolding (CRLF or LF followed by
a space or tab), parameters with quoted values, TEXT escapes (``\\\\ \\; \\, \\n``),
``DTSTART``/``DTEND`` as UTC (``…Z``), with ``TZID`` (IANA names, Mozilla-style
``/…/Europe/Berlin`` paths, or a ``VTIMEZONE``'s ``X-LIC-LOCATION``), floating (read in
``--tz`` or this computer's zone) or ``VALUE=DATE``, and ``DURATION`` instead of
``DTEND``. Nested components (``VALARM``, ``VTIMEZONE``) never lend properties to the
event. Not imported, each with a reason: all-day events, recurring events (``RRULE``
is not expanded; their single ``RECURRENCE-ID`` overrides are), cancelled events.

Writing gives one VEVENT per entry with a stable ``UID``, UTC times, CRLF line ends
and lines folded at 75 octets without splitting a UTF-8 character.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
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
    fingerprint,
    one_line,
)
from hourproof.interop.wallclock import WallClockError, to_utc

_DATE_TIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DURATION = re.compile(
    r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$"
)


class IcsReadError(ValueError):
    """The file cannot be read as iCalendar."""


@dataclass(frozen=True)
class Prop:
    name: str
    params: dict[str, str]
    value: str
    line: int


@dataclass
class Component:
    name: str
    line: int
    props: list[Prop] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def first(self, name: str) -> Prop | None:
        return next((p for p in self.props if p.name == name), None)

    def all(self, name: str) -> list[Prop]:
        return [p for p in self.props if p.name == name]


# --- lexing ------------------------------------------------------------------------------


def unfold(lines: Iterator[str]) -> Iterator[tuple[int, str]]:
    """Logical content lines with the number of the physical line each starts on."""
    current: str | None = None
    start = 0
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if line[:1] in (" ", "\t") and current is not None:
            current += line[1:]
            continue
        if current is not None and current.strip():
            yield start, current
        current, start = line, number
    if current is not None and current.strip():
        yield start, current


def split_line(text: str, number: int) -> Prop:
    """``NAME;PARAM=v;P2="a:b":value`` → Prop (quoted parameter values may hold ``;:,``)."""
    i, n = 0, len(text)
    while i < n and text[i] not in ";:":
        i += 1
    name = text[:i].strip().upper()
    if not name or i == n:
        raise IcsReadError(f"line {number}: not a content line (NAME:value)")
    params: dict[str, str] = {}
    while i < n and text[i] == ";":
        i += 1
        eq = text.find("=", i)
        if eq < 0:
            raise IcsReadError(f"line {number}: parameter without '='")
        pname = text[i:eq].strip().upper()
        i = eq + 1
        values: list[str] = []
        while True:
            if i < n and text[i] == '"':
                close = text.find('"', i + 1)
                if close < 0:
                    raise IcsReadError(f"line {number}: unclosed quote in a parameter")
                values.append(text[i + 1 : close])
                i = close + 1
            else:
                j = i
                while j < n and text[j] not in ";:,":
                    j += 1
                values.append(text[i:j])
                i = j
            if i < n and text[i] == ",":
                i += 1
                continue
            break
        params[pname] = ",".join(values)
    if i >= n or text[i] != ":":
        raise IcsReadError(f"line {number}: no ':' before the value")
    return Prop(name, params, text[i + 1 :], number)


def unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def split_list(text: str) -> list[str]:
    """A TEXT list (``CATEGORIES:a,b\\,c``) split on unescaped commas, unescaped."""
    parts: list[str] = []
    cur: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            cur.append(text[i : i + 2])
            i += 2
            continue
        if text[i] == ",":
            parts.append(unescape("".join(cur)))
            cur = []
        else:
            cur.append(text[i])
        i += 1
    parts.append(unescape("".join(cur)))
    return parts


def parse(fp: TextIO) -> Component:
    """The file's VCALENDAR component tree."""
    stack: list[Component] = []
    root: Component | None = None
    for number, text in unfold(iter(fp)):
        prop = split_line(text, number)
        if prop.name == "BEGIN":
            comp = Component(prop.value.strip().upper(), number)
            if stack:
                stack[-1].children.append(comp)
            elif root is None:
                root = comp
            else:
                raise IcsReadError(f"line {number}: a second top-level component")
            stack.append(comp)
        elif prop.name == "END":
            if not stack or stack[-1].name != prop.value.strip().upper():
                raise IcsReadError(f"line {number}: END:{prop.value} does not close a BEGIN")
            stack.pop()
        elif stack:
            stack[-1].props.append(prop)
        else:
            raise IcsReadError(f"line {number}: a property outside BEGIN:VCALENDAR")
    if root is None or root.name != "VCALENDAR":
        raise IcsReadError("no BEGIN:VCALENDAR")
    if stack:
        raise IcsReadError(f"BEGIN:{stack[-1].name} on line {stack[-1].line} is never closed")
    return root


# --- values ------------------------------------------------------------------------------


def parse_duration(text: str) -> timedelta:
    m = _DURATION.match(text.strip())
    if not m or not any(m.groups()[1:]):
        raise WallClockError(f"not an iCalendar DURATION: {text!r}")
    weeks, days, hours, minutes, seconds = (int(g or 0) for g in m.groups()[1:])
    value = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    return -value if m.group(1) == "-" else value


class Zones:
    """TZID → tzinfo: IANA names, path-style ids and VTIMEZONE ``X-LIC-LOCATION``."""

    def __init__(self, calendar: Component) -> None:
        self._hints: dict[str, str] = {}
        for comp in calendar.children:
            if comp.name == "VTIMEZONE":
                tzid, loc = comp.first("TZID"), comp.first("X-LIC-LOCATION")
                if tzid and loc:
                    self._hints[tzid.value.strip()] = loc.value.strip()

    def get(self, tzid: str) -> tzinfo:
        names = [tzid, self._hints.get(tzid, "")]
        parts = tzid.strip("/").split("/")
        names += ["/".join(parts[i:]) for i in range(1, len(parts))]
        for name in names:
            if not name:
                continue
            if name.upper() in ("UTC", "GMT", "Z"):
                return UTC
            try:
                return ZoneInfo(name)
            except (ZoneInfoNotFoundError, ValueError):
                continue
        raise WallClockError(f"unknown time zone {tzid!r}")


def moment(prop: Prop, zones: Zones, floating: tzinfo | None) -> datetime | date:
    """A DTSTART/DTEND value: aware UTC datetime, or a date for ``VALUE=DATE``."""
    value = prop.value.strip()
    m = _DATE.match(value)
    if m and (prop.params.get("VALUE", "DATE").upper() == "DATE"):
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise WallClockError(f"bad {prop.name} {value!r}") from exc
    m = _DATE_TIME.match(value)
    if not m:
        raise WallClockError(f"bad {prop.name} {value!r}")
    try:
        day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        clock = time(int(m.group(4)), int(m.group(5)), min(int(m.group(6)), 59))
    except ValueError as exc:
        raise WallClockError(f"bad {prop.name} {value!r}") from exc
    if m.group(7) == "Z":
        return datetime.combine(day, clock, UTC)
    tzid = prop.params.get("TZID")
    return to_utc(day, clock, zones.get(tzid) if tzid else floating)


# --- reading events ----------------------------------------------------------------------


def _text(comp: Component, name: str) -> str | None:
    prop = comp.first(name)
    return one_line(unescape(prop.value)) if prop else None


def read_ics(path: Path, opts: ReadOptions, notes: ReadNotes) -> Iterator[Record | Skipped]:
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as fp:
            calendar = parse(fp)
    except UnicodeDecodeError as exc:
        raise IcsReadError("the file is not UTF-8 text") from exc
    zones = Zones(calendar)
    occurrences = Occurrences()
    events = [c for c in calendar.children if c.name == "VEVENT"]
    floating_seen = False
    for number, event in enumerate(events, start=1):
        try:
            result, floating = _event(event, number, zones, opts, occurrences)
        except WallClockError as exc:
            result, floating = Skipped(number, f"(line {event.line}) {exc}"), False
        floating_seen = floating_seen or floating
        yield result
    if floating_seen:
        where = f"{opts.zone_name} (--tz)" if opts.zone_name else "this computer's zone"
        notes.add(f"floating times (no zone in the file) read in {where}")


def _event(event: Component, number: int, zones: Zones, opts: ReadOptions,
           occurrences: Occurrences) -> tuple[Record | Skipped, bool]:  # fmt: skip
    where = f"(line {event.line}) "
    status = (_text(event, "STATUS") or "").upper()
    if status == "CANCELLED":
        return Skipped(number, where + "cancelled event"), False
    if event.first("RRULE") or event.first("RDATE"):
        return Skipped(number, where + "recurring event (RRULE/RDATE is not expanded)"), False
    dtstart = event.first("DTSTART")
    if dtstart is None:
        return Skipped(number, where + "no DTSTART"), False
    floating = "TZID" not in dtstart.params and not dtstart.value.strip().endswith("Z")
    start = moment(dtstart, zones, opts.zone)
    if not isinstance(start, datetime):
        return Skipped(number, where + "all-day event (a date without times)"), False
    dtend, duration = event.first("DTEND"), event.first("DURATION")
    if dtend is not None:
        end = moment(dtend, zones, opts.zone)
        if not isinstance(end, datetime):
            return Skipped(number, where + "DTEND is a date but DTSTART a time"), floating
    elif duration is not None:
        end = start + parse_duration(duration.value)
    else:
        return Skipped(number, where + "no DTEND or DURATION (an instant, not a span)"), floating
    if end <= start:
        return Skipped(number, where + "it ends before or when it starts"), floating
    uid = event.first("UID")
    recurrence = event.first("RECURRENCE-ID")
    key = (
        fingerprint("ics", [uid.value.strip(), recurrence.value.strip() if recurrence else ""])
        if uid and uid.value.strip()
        else occurrences.key("ics", [p.value for p in event.props])
    )
    summary, description = _text(event, "SUMMARY"), _text(event, "DESCRIPTION")
    named = _text(event, "X-HOURPROOF-PROJECT")
    if named:
        project, note = named, description
    elif opts.project:
        project = opts.project
        note = "; ".join(t for t in (summary, description) if t) or None
    else:
        project, note = summary or NO_PROJECT, description
    tags = [t for p in event.all("CATEGORIES") for t in split_list(p.value)]
    record = Record(
        row=number, key=key, project=project, start=start, end=end,
        client=_text(event, "X-HOURPROOF-CLIENT") or opts.client,
        task=_text(event, "X-HOURPROOF-TASK"), tags=clean_tags(tags), note=note,
    )  # fmt: skip
    return record, floating


# --- writing -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    uid: str
    project: str
    start: datetime
    end: datetime
    client: str | None = None
    task: str | None = None
    tags: tuple[str, ...] = ()
    note: str | None = None


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    )  # fmt: skip


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line + "\r\n"
    pieces: list[str] = []
    limit, pos = 75, 0
    while pos < len(data):
        end = min(pos + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1
        pieces.append(data[pos:end].decode("utf-8"))
        pos, limit = end, 74
    return "\r\n ".join(pieces) + "\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def write_ics(events: Sequence[Event], fp: TextIO, product: str, stamp: datetime) -> None:
    """One VCALENDAR with a VEVENT per entry. ``fp`` must be opened with ``newline=""``."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//hourproof//{escape(product)}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]  # fmt: skip
    for e in events:
        summary = f"{e.project}: {e.note}" if e.note else e.project
        lines += ["BEGIN:VEVENT", f"UID:{e.uid}", f"DTSTAMP:{_utc(stamp)}",
                  f"DTSTART:{_utc(e.start)}", f"DTEND:{_utc(e.end)}",
                  f"SUMMARY:{escape(summary)}"]  # fmt: skip
        if e.note:
            lines.append(f"DESCRIPTION:{escape(e.note)}")
        if e.tags:
            lines.append("CATEGORIES:" + ",".join(escape(t) for t in e.tags))
        lines.append(f"X-HOURPROOF-PROJECT:{escape(e.project)}")
        if e.client:
            lines.append(f"X-HOURPROOF-CLIENT:{escape(e.client)}")
        if e.task:
            lines.append(f"X-HOURPROOF-TASK:{escape(e.task)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    for line in lines:
        fp.write(fold(line))
