"""Parsing and formatting of the times users type and the ledger stores.

The ledger holds RFC 3339 UTC strings with a ``Z`` and whole seconds; users type
local wall-clock times. Naive local times are resolved with the operating system's
local-time rules (``datetime.astimezone``), so durations stay right across DST.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

_RELATIVE = re.compile(r"^-\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?$", re.IGNORECASE)
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


#: Times and dates outside these years are refused (typos like 0001 or 9999, and
#: intervals whose reports would span millennia).
MIN_YEAR, MAX_YEAR = 1970, 2200
#: The longest single entry (a timer left running longer must be stopped with --at).
MAX_ENTRY = timedelta(days=31)
_MAX_TEXT = 200


class TimeParseError(ValueError):
    """A time or date the user typed could not be understood."""


def _check_year(year: int, original: str) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise TimeParseError(
            f"{original!r} is outside the years {MIN_YEAR}–{MAX_YEAR} hourproof accepts"
        )


def check_interval(begin: datetime, end: datetime) -> None:
    """An entry's end is after its start, and it lasts at most ``MAX_ENTRY``."""
    if end <= begin:
        raise TimeParseError("the end time must be after the start time")
    if end - begin > MAX_ENTRY:
        raise TimeParseError(
            f"an entry can last at most {MAX_ENTRY.days} days (this one is "
            f"{(end - begin).days} days); split it or check the dates"
        )


def utc_now() -> datetime:
    """The current time, UTC, whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)


def to_rfc3339(moment: datetime) -> str:
    """An aware datetime as RFC 3339 UTC with ``Z`` and whole seconds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime cannot be stored")
    u = moment.astimezone(UTC)
    # From the fields, not strftime: with PySide6 loaded every strftime call runs its
    # import hook (datetime imports time inside it), ~5 us a call on the export path.
    return f"{u.year:04d}-{u.month:02d}-{u.day:02d}T{u.hour:02d}:{u.minute:02d}:{u.second:02d}Z"


def from_rfc3339(text: str) -> datetime:
    """Parse a stored RFC 3339 UTC string (``YYYY-MM-DDTHH:MM:SSZ``) into aware UTC."""
    if (
        not isinstance(text, str) or len(text) != 20 or text[19] != "Z" or text[10] != "T"
        or text[4] != "-" or text[7] != "-" or text[13] != ":" or text[16] != ":"
        or not (text[:4] + text[5:7] + text[8:10] + text[11:13] + text[14:16] + text[17:19])
        .isdigit() or not text.isascii()
    ):  # fmt: skip
        raise TimeParseError(f"not an RFC 3339 UTC time: {text!r}")
    try:
        return datetime.fromisoformat(text)  # C speed; the shape was checked above
    except ValueError as exc:
        raise TimeParseError(f"not an RFC 3339 UTC time: {text!r}") from exc


def _local(naive: datetime) -> datetime:
    """Resolve a naive local wall-clock time to an aware UTC datetime."""
    return naive.astimezone().astimezone(UTC)


def _clock_on(day: date, match: re.Match[str], original: str) -> datetime:
    hour, minute = int(match.group(1)), int(match.group(2))
    second = int(match.group(3) or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise TimeParseError(f"not a time of day: {original!r}")
    return _local(datetime(day.year, day.month, day.day, hour, minute, second))


def parse_time(text: str, now: datetime | None = None) -> datetime:
    """Parse a user-typed time into an aware UTC datetime (whole seconds).

    Accepts ``now``, ISO 8601 (with an offset, or naive = local time), ``HH:MM``
    (today, local), ``yesterday HH:MM``, and relative ``-15m``, ``-2h``, ``-1h30m``.
    """
    now = (now or utc_now()).astimezone(UTC).replace(microsecond=0)
    raw = text.strip()
    if not raw:
        raise TimeParseError("empty time")
    if len(raw) > _MAX_TEXT or "\0" in raw:
        raise TimeParseError("a time must be a short line of text (e.g. 09:30 or -15m)")
    lowered = raw.lower()
    if lowered == "now":
        return now
    rel = _RELATIVE.match(lowered)
    if rel and (rel.group(1) or rel.group(2)):
        hours, minutes = int(rel.group(1) or 0), int(rel.group(2) or 0)
        if hours > 24 * 366 * 300 or minutes > 60 * 24 * 366 * 300:
            raise TimeParseError(f"{raw!r} reaches before the year {MIN_YEAR}")
        moment = now - timedelta(hours=hours, minutes=minutes)
        _check_year(moment.year, raw)
        return moment
    today = now.astimezone().date()
    words = lowered.split()
    if len(words) == 2 and words[0] in ("today", "yesterday"):
        clock = _CLOCK.match(words[1])
        if not clock:
            raise TimeParseError(f"not a time of day: {raw!r}")
        day = today if words[0] == "today" else today - timedelta(days=1)
        return _clock_on(day, clock, raw)
    clock = _CLOCK.match(lowered)
    if clock:
        return _clock_on(today, clock, raw)
    try:
        parsed = datetime.fromisoformat(raw.replace("z", "Z"))
    except ValueError as exc:
        raise TimeParseError(
            f"cannot read time {raw!r} (use ISO 8601, HH:MM, 'yesterday HH:MM' or -15m)"
        ) from exc
    _check_year(parsed.year, raw)
    if parsed.tzinfo is None:
        return _local(parsed).replace(microsecond=0)
    return parsed.astimezone(UTC).replace(microsecond=0)


def parse_date(text: str, now: datetime | None = None) -> date:
    """Parse a user-typed calendar date: ``YYYY-MM-DD``, ``today`` or ``yesterday``."""
    raw = text.strip().lower()
    today = (now or utc_now()).astimezone().date()
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    if len(raw) > _MAX_TEXT or "\0" in raw:
        raise TimeParseError("a date must be a short line of text (e.g. 2026-03-01)")
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise TimeParseError(f"cannot read date {text.strip()!r} (use YYYY-MM-DD)") from exc
    _check_year(day.year, raw)
    return day


def local_day_start(day: date) -> datetime:
    """Midnight at the start of a local calendar day, as aware UTC."""
    return _local(datetime(day.year, day.month, day.day))


def local_day(moment: datetime) -> date:
    """The local calendar day a moment falls on."""
    return moment.astimezone().date()


def format_local(moment: datetime, with_date: bool = True) -> str:
    """A moment in local time for people: ``2026-11-23 09:15`` or ``09:15``."""
    local = moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def format_duration(seconds: int) -> str:
    """Seconds as ``H:MM`` (hours may exceed 24)."""
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600}:{(seconds % 3600) // 60:02d}"
