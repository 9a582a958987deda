"""What the timeline shows for a period: entries, suggestions and the evidence beneath.

One read for the desktop app's Timeline tab (run off the UI thread): the claimed
entries, the suggested sessions (``services.suggestions``), file-activity spans,
commit instants and the idle intervals recorded by ``idle`` leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hourproof.core.entries import Entry
from hourproof.core.sessions import FILE_ACTIVITY, GIT_COMMIT
from hourproof.core.timeparse import from_rfc3339
from hourproof.services.app import App
from hourproof.services.suggestions import SuggestionView, suggestions
from hourproof.services.tracking import entries

IDLE = "idle"


@dataclass(frozen=True)
class Mark:
    """One evidence or idle record drawn beneath the entries (a commit: start == end)."""

    seq: int
    kind: str  # "file.activity", "git.commit" or "idle"
    project: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class TimelineData:
    lo: datetime
    hi: datetime
    now: datetime
    entries: tuple[Entry, ...]
    suggestions: tuple[SuggestionView, ...]
    marks: tuple[Mark, ...]

    @property
    def open_suggestions(self) -> tuple[SuggestionView, ...]:
        """Suggestions no entry of their project overlaps yet (what "accept all" takes)."""
        return tuple(v for v in self.suggestions if v.claimed_overlap == 0)


def marks(app: App, lo: datetime, hi: datetime) -> list[Mark]:
    from hourproof.store.projection import Projection

    with app.read_db() as db:
        rows = Projection(db).evidence(lo, hi)
    kinds = (FILE_ACTIVITY, GIT_COMMIT, IDLE)
    return [
        Mark(r["seq"], r["kind"], r["project"], from_rfc3339(r["start"]), from_rfc3339(r["end"]))
        for r in rows
        if r["kind"] in kinds
    ]


def load(app: App, lo: datetime, hi: datetime) -> TimelineData:
    """Everything the timeline draws for [lo, hi)."""
    shown = [e for e in entries(app, lo, hi) if not e.removed]
    return TimelineData(
        lo=lo,
        hi=hi,
        now=app.clock(),
        entries=tuple(shown),
        suggestions=tuple(suggestions(app, lo, hi)),
        marks=tuple(marks(app, lo, hi)),
    )
