"""File-activity heartbeats merged into spans (pure: no I/O, no clock, no threads).

A watcher reports "file X was written at T"; this module turns those reports into
`ActivitySpan`s, each of which becomes one ``file.activity`` leaf when it closes.

Rules (DESIGN §7):

* Heartbeats per file are rate-limited as WakaTime does: a write to a file within
  ``heartbeat_interval`` (default 2 min) of that file's last recorded heartbeat
  moves the span's end but does not count as a new heartbeat.
* Consecutive activity merges into one span while the gap is under ``pulse``
  (default 3 min, ActivityWatch's heartbeat merge); a gap of ``pulse`` or more
  closes the span and opens a new one.
* Memory is bounded per open span: at most ``MAX_LISTED_FILES`` paths are listed
  by name; up to ``MAX_COUNTED_FILES`` distinct paths in all are counted (the rest
  as ``more_files``). Past that the count stops growing and is a lower bound.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

DEFAULT_PULSE = timedelta(minutes=3)
DEFAULT_HEARTBEAT_INTERVAL = timedelta(minutes=2)
MAX_LISTED_FILES = 1_000
MAX_COUNTED_FILES = 100_000


@dataclass(frozen=True)
class ActivitySpan:
    """A closed run of file writes under one watched root.

    ``files`` holds sorted relative POSIX paths (at most ``MAX_LISTED_FILES``);
    ``more_files`` counts the other distinct paths written in the span;
    ``events`` counts heartbeats after rate limiting; ``content_sha256`` maps a
    listed path to the hex SHA-256 of its saved content, when one was taken.
    """

    start: datetime
    end: datetime
    files: tuple[str, ...]
    events: int
    content_sha256: Mapping[str, str] = field(default_factory=dict, hash=False)
    more_files: int = 0

    @property
    def seconds(self) -> int:
        """Whole seconds from start to end (floored)."""
        return (self.end - self.start) // timedelta(seconds=1)

    @property
    def file_count(self) -> int:
        """Distinct files written in the span (listed plus counted)."""
        return len(self.files) + self.more_files


def _require_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("activity times must be timezone-aware (UTC)")


class _OpenSpan:
    """Mutable state of the span being built; dropped when it closes."""

    __slots__ = ("end", "events", "listed", "overflow", "overflow_beat", "sha", "start")

    def __init__(self, at: datetime) -> None:
        self.start = at
        self.end = at
        self.events = 0
        self.listed: dict[str, datetime] = {}
        self.overflow: dict[int, datetime] = {}
        self.overflow_beat: datetime | None = None
        self.sha: dict[str, str] = {}

    def gap_to(self, at: datetime) -> timedelta:
        if at > self.end:
            return at - self.end
        if at < self.start:
            return self.start - at
        return timedelta(0)

    def freeze(self) -> ActivitySpan:
        return ActivitySpan(
            start=self.start,
            end=self.end,
            files=tuple(sorted(self.listed)),
            events=self.events,
            content_sha256=dict(self.sha),
            more_files=len(self.overflow),
        )


def _due(last: datetime | None, at: datetime, interval: timedelta) -> bool:
    """Whether a write at ``at`` counts as a new heartbeat after one at ``last``."""
    return last is None or abs(at - last) >= interval


class HeartbeatMerger:
    """Turns per-file write reports into `ActivitySpan`s.

    Not thread-safe: the watcher serialises calls with its own lock. Times must
    be timezone-aware. A write earlier than the open span (a late event, or a
    clock step backwards) merges if within ``pulse`` of it, else closes it.
    """

    def __init__(
        self,
        pulse: timedelta = DEFAULT_PULSE,
        heartbeat_interval: timedelta = DEFAULT_HEARTBEAT_INTERVAL,
        *,
        max_listed_files: int = MAX_LISTED_FILES,
        max_counted_files: int = MAX_COUNTED_FILES,
    ) -> None:
        if pulse <= timedelta(0):
            raise ValueError("pulse must be positive")
        if heartbeat_interval < timedelta(0):
            raise ValueError("heartbeat_interval must not be negative")
        if max_listed_files < 1 or max_counted_files < max_listed_files:
            raise ValueError("need 1 <= max_listed_files <= max_counted_files")
        self.pulse = pulse
        self.heartbeat_interval = heartbeat_interval
        self._max_listed = max_listed_files
        self._max_overflow = max_counted_files - max_listed_files
        self._open: _OpenSpan | None = None

    def beat(self, rel_path: str, at: datetime, sha256: str | None = None) -> list[ActivitySpan]:
        """Record a write of ``rel_path`` at ``at``; return spans this closed (0 or 1)."""
        _require_aware(at)
        closed: list[ActivitySpan] = []
        span = self._open
        if span is not None and span.gap_to(at) >= self.pulse:
            closed.append(span.freeze())
            span = None
        if span is None:
            span = self._open = _OpenSpan(at)
        span.start = min(span.start, at)
        span.end = max(span.end, at)
        self._record(span, rel_path, at)
        if sha256 is not None and rel_path in span.listed:
            span.sha[rel_path] = sha256
        return closed

    def _record(self, span: _OpenSpan, rel_path: str, at: datetime) -> None:
        interval = self.heartbeat_interval
        listed = span.listed
        if rel_path in listed or len(listed) < self._max_listed:
            if _due(listed.get(rel_path), at, interval):
                listed[rel_path] = at
                span.events += 1
            return
        key = hash(rel_path)
        overflow = span.overflow
        if key in overflow or len(overflow) < self._max_overflow:
            if _due(overflow.get(key), at, interval):
                overflow[key] = at
                span.events += 1
            return
        # Past every cap: such files share one rate-limit slot and are not counted.
        if _due(span.overflow_beat, at, interval):
            span.overflow_beat = at
            span.events += 1

    def tick(self, now: datetime) -> list[ActivitySpan]:
        """Close the open span if its last write is ``pulse`` or more before ``now``."""
        _require_aware(now)
        span = self._open
        if span is None or now - span.end < self.pulse:
            return []
        self._open = None
        return [span.freeze()]

    def flush(self) -> list[ActivitySpan]:
        """Close the open span, if any (on shutdown, or when the root goes away)."""
        span, self._open = self._open, None
        return [] if span is None else [span.freeze()]

    def current(self) -> ActivitySpan | None:
        """A snapshot of the open span (for "active now" displays), or None."""
        return None if self._open is None else self._open.freeze()
