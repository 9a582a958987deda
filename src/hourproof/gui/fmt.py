"""Text the desktop app shows: durations, amounts, dates and ages.

No widgets: the few words here go through ``QCoreApplication.translate`` (context
"fmt"), which needs no QApplication and returns the English text without one.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication

from hourproof.core.entries import Entry
from hourproof.core.money import format_amount
from hourproof.core.timeparse import format_duration, format_local, from_rfc3339, local_day


def elapsed(seconds: int) -> str:
    """A running timer's elapsed time: ``0:07:03``, ``12:30:00``."""
    seconds = max(0, seconds)
    return f"{seconds // 3600}:{(seconds % 3600) // 60:02d}:{seconds % 60:02d}"


def hours(seconds: int) -> str:
    """A total as ``H:MM`` (the same form the CLI prints)."""
    return format_duration(seconds)


def amounts(by_currency: dict[str, int]) -> str:
    """Amounts per currency, e.g. ``1,234.50 EUR`` (thousands grouped for reading)."""
    parts = []
    for currency, minor in sorted(by_currency.items()):
        text = format_amount(minor, currency)
        number, _, code = text.partition(" ")
        whole, dot, frac = number.partition(".")
        sign = "-" if whole.startswith("-") else ""
        parts.append(f"{sign}{int(whole.lstrip('-')):,}{dot}{frac} {code}")
    return ", ".join(parts)


def day(moment: datetime) -> str:
    """``Mon 23 Nov`` in local time."""
    return moment.astimezone().strftime("%a %d %b")


def day_key(iso_day: str) -> str:
    """A report's day key (``2026-11-23``) as ``Mon 23 Nov``."""
    return date.fromisoformat(iso_day).strftime("%a %d %b")


def clock(moment: datetime) -> str:
    return format_local(moment, with_date=False)


def end_clock(entry: Entry) -> str:
    """The end time, with ``+1d`` when it falls on a later local day than the start."""
    if entry.end is None:
        return QCoreApplication.translate("fmt", "running")
    later = (local_day(entry.end) - local_day(entry.start)).days
    return clock(entry.end) + (f" +{later}d" if later > 0 else "")


def who(entry: Entry) -> str:
    """``project (client)``: how an entry is named in menus and dialogs."""
    return entry.project + (f" ({entry.client})" if entry.client else "")


def summary(entry: Entry, now: datetime) -> str:
    """One line for confirmations: ``hourproof (Acme), Mon 23 Nov 09:00–12:15, 3:15``."""
    span = f"{day(entry.start)} {clock(entry.start)}–{end_clock(entry)}"
    return f"{who(entry)}, {span}, {hours(entry.seconds(now))}"


def stamp(text: str | None) -> str:
    """A stored RFC 3339 time as local ``YYYY-MM-DD HH:MM``, or ``never``."""
    return format_local(from_rfc3339(text)) if text else QCoreApplication.translate("fmt", "never")


def age(text: str | None, now: datetime) -> str:
    """How long ago a stored time was: ``5 min ago``, ``3 h ago``, ``2 days ago``."""
    if not text:
        return QCoreApplication.translate("fmt", "never")
    seconds = int((now - from_rfc3339(text)).total_seconds())
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if seconds < 60:
        return QCoreApplication.translate("fmt", "just now")
    if seconds < 3600:
        return QCoreApplication.translate("fmt", "%n min ago", "", minutes)
    if seconds < 2 * 86400:
        return QCoreApplication.translate("fmt", "%n h ago", "", hours)
    return QCoreApplication.translate("fmt", "%n day(s) ago", "", days)
