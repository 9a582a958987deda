"""Dates, clock times and durations as trackers write them, and local → UTC."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})$")
_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?$")
_HMS = re.compile(r"^(\d+):(\d{2})(?::(\d{2}))?$")


class WallClockError(ValueError):
    """A date, time or duration cell that cannot be read."""


def numeric_date_parts(text: str) -> tuple[int, int] | None:
    """The first two numbers of a ``NN/NN/YYYY`` date (None for other shapes)."""
    m = _NUMERIC_DATE.match(text.strip())
    return (int(m.group(1)), int(m.group(3))) if m else None


@lru_cache(maxsize=4096)
def parse_date(text: str, day_first: bool = False) -> date:
    """``YYYY-MM-DD``, or ``MM/DD/YYYY`` (``DD/MM/YYYY`` with day_first; dots mean day first)."""
    text = text.strip()
    try:
        m = _ISO_DATE.match(text)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _NUMERIC_DATE.match(text)
        if m:
            a, b, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
            if day_first or m.group(2) == ".":
                return date(year, b, a)
            return date(year, a, b)
    except ValueError as exc:
        raise WallClockError(f"not a date: {text!r}") from exc
    raise WallClockError(f"not a date: {text!r}")


@lru_cache(maxsize=4096)
def parse_clock(text: str) -> time:
    """``HH:MM[:SS]`` (24 h) or ``hh:mm[:ss] AM/PM``."""
    m = _CLOCK.match(text.strip())
    if not m:
        raise WallClockError(f"not a time of day: {text!r}")
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    half = (m.group(4) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            raise WallClockError(f"not a time of day: {text!r}")
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise WallClockError(f"not a time of day: {text!r}")
    return time(hour, minute, second)


def parse_hms(text: str) -> int:
    """A duration ``H:MM:SS`` (hours may exceed 24) in seconds."""
    m = _HMS.match(text.strip())
    if not m or int(m.group(2)) > 59 or int(m.group(3) or 0) > 59:
        raise WallClockError(f"not a duration: {text!r}")
    return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)


def to_utc(day: date, clock: time, zone: tzinfo | None, fold: int = 0) -> datetime:
    """A wall-clock moment in ``zone`` (None: this computer's zone) as aware UTC.

    A time skipped by a DST change is read with the offset before the change and a
    repeated one as its first occurrence (``fold=0``), as ``zoneinfo`` does.
    """
    naive = datetime.combine(day, clock).replace(fold=fold)
    if zone is None:
        return naive.astimezone().astimezone(UTC)
    return naive.replace(tzinfo=zone).astimezone(UTC)


def utc_from_timestamp(value: object) -> datetime:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise WallClockError(f"not a Unix timestamp: {value!r}")
    try:
        return datetime.fromtimestamp(int(value), UTC)
    except (OverflowError, OSError, ValueError) as exc:
        raise WallClockError(f"not a Unix timestamp: {value!r}") from exc


def local_parts(moment: datetime, zone: tzinfo | None) -> datetime:
    """An aware moment as wall-clock time in ``zone`` (None: this computer's zone)."""
    return moment.astimezone(zone) if zone is not None else moment.astimezone()


def add_seconds(moment: datetime, seconds: int) -> datetime:
    return moment + timedelta(seconds=seconds)
