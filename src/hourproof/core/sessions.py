"""Suggested work sessions from evidence, and how much of a claim evidence covers (pure).

Evidence is git commits (an instant) and file-activity spans (an interval), each
a ledger leaf. Per project, evidence in time order forms one suggested session while
each item follows everything before it by less than its join gap: ``gap`` (default
10 min) for a file-activity span, ``commit_gap`` (default 45 min, at least ``gap``)
for a commit — a commit is the end of work that left no other trace, so commits made
every 20–40 minutes are one session, as in git-hours' "max commit diff". A session
that begins with a commit gets git-hours' "first commit addition": it starts
``first_commit_allowance`` (default 30 min) earlier — but never before the previous
session of the same project ends. Sessions of a project that then touch or overlap
are merged into one, so a day of work is one suggestion, not one per commit.

Corroboration rule (for reports): a file-activity span corroborates its own
interval; a commit corroborates the ``commit_window`` (default: the gap, 10 min)
before it. An entry's corroborated seconds are the seconds of the entry covered by
the union of those intervals, so overlapping evidence is never counted twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

GIT_COMMIT = "git.commit"
FILE_ACTIVITY = "file.activity"
EVIDENCE_KINDS = frozenset({GIT_COMMIT, FILE_ACTIVITY})
DEFAULT_GAP = timedelta(minutes=10)
DEFAULT_COMMIT_GAP = timedelta(minutes=45)
DEFAULT_FIRST_COMMIT_ALLOWANCE = timedelta(minutes=30)
DEFAULT_COMMIT_WINDOW = DEFAULT_GAP
_SECOND = timedelta(seconds=1)


def _require_aware(name: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


@dataclass(frozen=True)
class Evidence:
    """One evidence leaf as sessions need it; a commit has ``start == end``."""

    leaf_index: int
    kind: str
    project: str
    client: str | None
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.kind not in EVIDENCE_KINDS:
            raise ValueError(f"unknown evidence kind {self.kind!r}")
        _require_aware("evidence start", self.start)
        _require_aware("evidence end", self.end)
        if self.end < self.start:
            raise ValueError(f"evidence leaf {self.leaf_index} ends before it starts")
        if self.kind == GIT_COMMIT and self.end != self.start:
            raise ValueError(f"commit leaf {self.leaf_index} must have start == end")


@dataclass(frozen=True)
class Suggestion:
    """A suggested session; ``evidence`` lists the cited leaf indexes, ascending."""

    id: str
    project: str
    client: str | None
    start: datetime
    end: datetime
    seconds: int
    evidence: tuple[int, ...]


def suggestion_id(project: str, evidence: Iterable[int]) -> str:
    """Stable id: same project and evidence leaves give the same id on every run."""
    indexes = ",".join(str(i) for i in sorted(set(evidence)))
    digest = hashlib.sha256(f"{project}\x00{indexes}".encode()).hexdigest()
    return "s-" + digest[:10]


def _group(items: list[Evidence], gap: timedelta, commit_gap: timedelta) -> list[list[Evidence]]:
    """Split time-sorted evidence wherever an item follows everything so far by at least
    its join gap (``commit_gap`` for a commit, ``gap`` for a span)."""
    groups: list[list[Evidence]] = []
    reach: datetime | None = None
    for item in items:
        join = commit_gap if item.kind == GIT_COMMIT else gap
        if reach is None or item.start - reach >= join:
            groups.append([])
            reach = item.end
        groups[-1].append(item)
        reach = max(reach, item.end)
    return groups


def _session_start(group: list[Evidence], allowance: timedelta, floor: datetime | None) -> datetime:
    first = group[0].start
    opens_with_activity = any(e.kind == FILE_ACTIVITY and e.start <= first for e in group)
    if opens_with_activity:
        return first
    start = first - allowance
    return start if floor is None else max(start, min(floor, first))


def _client_of(group: list[Evidence]) -> str | None:
    """The first client named in time order (a project normally has one client)."""
    return next((e.client for e in group if e.client is not None), None)


@dataclass
class _Session:
    start: datetime
    end: datetime
    items: list[Evidence]


def _project_sessions(
    items: list[Evidence], gap: timedelta, commit_gap: timedelta, allowance: timedelta
) -> list[_Session]:
    """One project's sessions in time order, touching or overlapping ones merged."""
    items.sort(key=lambda e: (e.start, e.end, e.leaf_index))
    sessions: list[_Session] = []
    for group in _group(items, gap, commit_gap):
        floor = sessions[-1].end if sessions else None
        start = _session_start(group, allowance, floor)
        end = max(e.end for e in group)
        if sessions and start <= sessions[-1].end:
            last = sessions[-1]
            last.end = max(last.end, end)
            last.items.extend(group)
        else:
            sessions.append(_Session(start, end, list(group)))
    return sessions


def suggest_sessions(
    evidence: Iterable[Evidence],
    *,
    gap: timedelta = DEFAULT_GAP,
    first_commit_allowance: timedelta = DEFAULT_FIRST_COMMIT_ALLOWANCE,
    commit_gap: timedelta = DEFAULT_COMMIT_GAP,
) -> list[Suggestion]:
    """Suggest sessions per project, sorted by start (then project).

    Duplicate leaf indexes are read once. Sessions of zero length (a lone
    single-write span) are not suggested: there is nothing to claim. The commit join
    gap is never shorter than ``gap``.
    """
    if gap <= timedelta(0):
        raise ValueError("gap must be positive")
    if commit_gap <= timedelta(0):
        raise ValueError("commit_gap must be positive")
    if first_commit_allowance < timedelta(0):
        raise ValueError("first_commit_allowance must not be negative")
    unique = {e.leaf_index: e for e in evidence}
    by_project: dict[str, list[Evidence]] = {}
    for item in unique.values():
        by_project.setdefault(item.project, []).append(item)

    suggestions: list[Suggestion] = []
    for project, items in by_project.items():
        sessions = _project_sessions(items, gap, max(gap, commit_gap), first_commit_allowance)
        for session in sessions:
            seconds = (session.end - session.start) // _SECOND
            if seconds <= 0:
                continue
            indexes = tuple(sorted(e.leaf_index for e in session.items))
            suggestions.append(
                Suggestion(
                    id=suggestion_id(project, indexes),
                    project=project,
                    client=_client_of(sorted(session.items, key=lambda e: (e.start, e.leaf_index))),
                    start=session.start,
                    end=session.end,
                    seconds=seconds,
                    evidence=indexes,
                )
            )
    suggestions.sort(key=lambda s: (s.start, s.project, s.id))
    return suggestions


def overlap_seconds(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> int:
    """Whole seconds that two intervals share (0 when disjoint)."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    return max(0, shared // _SECOND)


def evidence_interval(
    item: Evidence, *, commit_window: timedelta = DEFAULT_COMMIT_WINDOW
) -> tuple[datetime, datetime]:
    """The interval an evidence leaf corroborates (see the module docstring)."""
    if item.kind == GIT_COMMIT:
        return item.start - commit_window, item.end
    return item.start, item.end


def corroborated_seconds(
    entry_start: datetime,
    entry_end: datetime,
    evidence_intervals: Iterable[tuple[datetime, datetime]],
) -> int:
    """Whole seconds of the entry covered by the union of the evidence intervals."""
    clipped = sorted(
        (max(start, entry_start), min(end, entry_end))
        for start, end in evidence_intervals
        if start < entry_end and end > entry_start
    )
    merged: list[list[datetime]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return sum((end - start for start, end in merged), timedelta(0)) // _SECOND
