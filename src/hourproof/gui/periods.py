"""The periods the main window shows, as local calendar days (no Qt, easy to test).

A period is an inclusive range of local days; the service layer wants a half-open
UTC interval, which ``lo``/``hi`` give (midnights resolved with the OS's rules, so
a week that crosses a DST change is still seven calendar days).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from hourproof.core.timeparse import local_day_start


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # (the name lupdate reads)
    """Marks ``text`` for translation in ``context`` without importing Qt."""
    return text


#: (key, label) in the order the period selector lists them; show a label as
#: ``QCoreApplication.translate("periods", label)``.
PERIOD_CHOICES: tuple[tuple[str, str], ...] = (
    ("today", QT_TRANSLATE_NOOP("periods", "Today")),
    ("this_week", QT_TRANSLATE_NOOP("periods", "This week")),
    ("last_week", QT_TRANSLATE_NOOP("periods", "Last week")),
    ("this_month", QT_TRANSLATE_NOOP("periods", "This month")),
    ("last_month", QT_TRANSLATE_NOOP("periods", "Last month")),
    ("this_year", QT_TRANSLATE_NOOP("periods", "This year")),
    ("last_year", QT_TRANSLATE_NOOP("periods", "Last year")),
    ("custom", QT_TRANSLATE_NOOP("periods", "Custom…")),
)


@dataclass(frozen=True)
class Period:
    """Local days ``first`` to ``last``, both included."""

    first: date
    last: date

    @property
    def lo(self) -> datetime:
        return local_day_start(self.first)

    @property
    def hi(self) -> datetime:
        return local_day_start(self.last + timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def describe(self) -> str:
        """A short human range: ``Mon 23 – Sun 29 Nov 2026``."""
        if self.first == self.last:
            return self.first.strftime("%a %d %b %Y")
        if (self.first.year, self.first.month) == (self.last.year, self.last.month):
            head = self.first.strftime("%a %d")
        elif self.first.year == self.last.year:
            head = self.first.strftime("%a %d %b")
        else:
            head = self.first.strftime("%a %d %b %Y")
        return f"{head} – {self.last.strftime('%a %d %b %Y')}"


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _month_end(day: date) -> date:
    following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def period_for(
    key: str, today: date, first: date | None = None, last: date | None = None
) -> Period:
    """The period named ``key`` as seen on ``today`` (``custom`` uses ``first``/``last``)."""
    monday = today - timedelta(days=today.weekday())
    if key == "today":
        return Period(today, today)
    if key == "this_week":
        return Period(monday, monday + timedelta(days=6))
    if key == "last_week":
        return Period(monday - timedelta(days=7), monday - timedelta(days=1))
    if key == "this_month":
        return Period(_month_start(today), _month_end(today))
    if key == "last_month":
        previous = _month_start(today) - timedelta(days=1)
        return Period(_month_start(previous), previous)
    if key == "this_year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31))
    if key == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    if key == "custom":
        start, end = first or today, last or today
        return Period(min(start, end), max(start, end))
    raise ValueError(f"unknown period {key!r}")
