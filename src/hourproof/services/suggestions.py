"""Suggested sessions: worked out from evidence leaves, accepted one or many at a time.

Suggestions are computed on demand (``core.sessions``) and never stored; an id is a
digest of the project and the cited evidence leaves, so the same parameters give
the same ids in the CLI (``hourproof suggest`` / ``accept``) and in the app.
Accepting records an ``entry.add`` of source ``suggested`` citing the evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hourproof.core.entries import Entry
from hourproof.core.sessions import (
    DEFAULT_COMMIT_GAP,
    DEFAULT_FIRST_COMMIT_ALLOWANCE,
    DEFAULT_GAP,
    EVIDENCE_KINDS,
    Evidence,
    Suggestion,
    corroborated_seconds,
    suggest_sessions,
)
from hourproof.core.timeparse import from_rfc3339
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.tracking import Details, add, entries

#: A session cut by the fetched window is re-read with a 4x wider one, at most this often.
_MAX_WIDENINGS = 8


@dataclass(frozen=True)
class SuggestionView:
    suggestion: Suggestion
    claimed_overlap: int  # seconds already covered by claimed entries of the project

    @property
    def open_seconds(self) -> int:
        """Seconds of the suggestion no entry of its project claims yet."""
        return max(0, self.suggestion.seconds - self.claimed_overlap)


def evidence_items(
    app: App, lo: datetime | None = None, hi: datetime | None = None
) -> list[Evidence]:
    """Evidence leaves (commits, activity spans) touching [lo, hi)."""
    from hourproof.store.projection import Projection

    with app.read_db() as db:
        rows = Projection(db).evidence(lo, hi)
    return [
        Evidence(r["seq"], r["kind"], r["project"], r["client"], from_rfc3339(r["start"]),
                 from_rfc3339(r["end"]))
        for r in rows if r["kind"] in EVIDENCE_KINDS  # the table also holds idle intervals
    ]  # fmt: skip


def _overlap(s: Suggestion, claimed: Sequence[Entry], now: datetime) -> int:
    """Seconds of ``s`` covered by the union of its project's entries."""
    spans = [(e.start, e.end or now) for e in claimed if e.project == s.project and not e.removed]
    return corroborated_seconds(s.start, s.end, spans)


def _sessions(
    app: App, lo: datetime | None, hi: datetime | None, gap: timedelta,
    allowance: timedelta, commit_gap: timedelta,
) -> list[Suggestion]:  # fmt: skip
    """Sessions touching [lo, hi), each worked out from ALL its evidence: a session that
    runs past the window's edges is the same (same id) as in a listing of all time."""
    reach = max(gap, commit_gap) + allowance
    pad = max(reach, timedelta(days=1))
    for _ in range(_MAX_WIDENINGS):
        flo = lo - pad if lo is not None else None
        fhi = hi + pad if hi is not None else None
        found = suggest_sessions(
            evidence_items(app, flo, fhi), gap=gap, first_commit_allowance=allowance,
            commit_gap=commit_gap,
        )  # fmt: skip
        shown = [s for s in found if (lo is None or s.end >= lo) and (hi is None or s.start < hi)]
        cut = any((flo is not None and s.start - flo < reach) or
                  (fhi is not None and fhi - s.end < reach) for s in shown)  # fmt: skip
        if not cut:
            break
        pad *= 4
    return shown


def suggestions(
    app: App, lo: datetime | None = None, hi: datetime | None = None,
    gap: timedelta | None = None, allowance: timedelta | None = None,
    commit_gap: timedelta | None = None,
) -> list[SuggestionView]:  # fmt: skip
    """Suggested sessions touching [lo, hi), each with what entries already claim."""
    found = _sessions(
        app, lo, hi, gap or DEFAULT_GAP,
        allowance if allowance is not None else DEFAULT_FIRST_COMMIT_ALLOWANCE,
        commit_gap or DEFAULT_COMMIT_GAP,
    )  # fmt: skip
    if not found:
        return []
    claimed = entries(app, min(s.start for s in found), max(s.end for s in found))
    now = app.clock()
    return [SuggestionView(s, _overlap(s, claimed, now)) for s in found]


def _record(app: App, s: Suggestion) -> Entry:
    return add(app, s.project, s.start, s.end, Details(client=s.client),
               source="suggested", evidence=s.evidence)  # fmt: skip


def accept(
    app: App, suggestion_id: str, gap: timedelta | None = None,
    allowance: timedelta | None = None, commit_gap: timedelta | None = None,
) -> Entry:  # fmt: skip
    """Turn a suggestion into an entry that cites its evidence leaves (the same gap and
    allowance as when it was listed give the same suggestion ids)."""
    [entry] = accept_many(app, [suggestion_id], gap, allowance, commit_gap)
    return entry


def accept_many(
    app: App, ids: Sequence[str], gap: timedelta | None = None,
    allowance: timedelta | None = None, commit_gap: timedelta | None = None,
) -> list[Entry]:  # fmt: skip
    """Accept several suggestions, in time order. Every id is checked before anything is
    recorded: an unknown id records nothing."""
    if not ids:
        raise ServiceError("name at least one suggestion (or use --all)")
    views = suggestions(app, None, None, gap, allowance, commit_gap)
    known = {v.suggestion.id: v.suggestion for v in views}
    unknown = [i for i in dict.fromkeys(ids) if i not in known]
    if unknown:
        raise ServiceError(f"no suggestion {', '.join(unknown)} (see 'hourproof suggest')")
    chosen = sorted({known[i] for i in ids}, key=lambda s: (s.start, s.project, s.id))
    return [_record(app, s) for s in chosen]


def accept_open(
    app: App, lo: datetime | None = None, hi: datetime | None = None,
    gap: timedelta | None = None, allowance: timedelta | None = None,
    commit_gap: timedelta | None = None,
) -> list[Entry]:  # fmt: skip
    """Accept every suggestion in [lo, hi) that no entry of its project overlaps yet
    ("accept all": a suggestion partly claimed is left for the user to judge)."""
    views = suggestions(app, lo, hi, gap, allowance, commit_gap)
    chosen = [v.suggestion for v in views if v.claimed_overlap == 0]
    return [_record(app, s) for s in chosen]
