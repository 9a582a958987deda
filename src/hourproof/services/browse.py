"""What the desktop app browses: pages of entries, SQL totals, overlaps, clients.

Thin read-only services over ``store.gui_queries``; each call is one read transaction,
safe to run on a worker thread (the app hands each thread its own connection).
"""

from __future__ import annotations

from datetime import datetime

from hourproof.core.entries import Entry
from hourproof.core.totals import TotalRow, grand_total
from hourproof.services.app import App
from hourproof.store import gui_queries as q
from hourproof.store.gui_queries import GROUPINGS, NO_CLIENT, SORT_KEYS, EntryQuery

__all__ = [
    "GROUPINGS", "NO_CLIENT", "SORT_KEYS", "EntryQuery", "Page", "clients", "count",
    "first_page", "overlaps", "page", "totals",
]  # fmt: skip


class Page:
    """The first rows of a query with its total count (what the table shows at once)."""

    def __init__(self, query: EntryQuery, count: int, rows: list[Entry]) -> None:
        self.query = query
        self.count = count
        self.rows = rows


def count(app: App, query: EntryQuery) -> int:
    with app.read_db() as db:
        return q.count_entries(db, query, app.clock())


def page(app: App, query: EntryQuery, offset: int, limit: int) -> list[Entry]:
    with app.read_db() as db:
        return q.entries_page(db, query, app.clock(), offset, limit)


def first_page(app: App, query: EntryQuery, limit: int) -> Page:
    """Count and first page in one snapshot."""
    now = app.clock()
    with app.read_db() as db:
        return Page(
            query, q.count_entries(db, query, now), q.entries_page(db, query, now, 0, limit)
        )


def totals(app: App, query: EntryQuery, by: str) -> tuple[list[TotalRow], TotalRow]:
    """Totals per group and the grand total, computed by SQL aggregates."""
    with app.read_db() as db:
        rows = q.totals_by(db, query, by, app.clock())
    return rows, grand_total(rows)


def overlaps(app: App, begin: datetime, end: datetime, exclude: int | None = None) -> list[Entry]:
    """Entries that overlap ``[begin, end)`` (to warn before a manual entry is saved)."""
    with app.read_db() as db:
        return q.overlapping(db, begin, end, app.clock(), exclude)


def clients(app: App) -> list[str]:
    with app.read_db() as db:
        return q.clients(db)
