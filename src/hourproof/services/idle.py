"""Time away while a timer ran: the threshold setting and what the user decided.

When the desktop app sees the user come back after more than the threshold
(default 5 min) of OS idle time with a timer running, it asks, and ``resolve``
records the answer in one write transaction:

- ``keep``: the time counts; only an ``idle`` leaf notes the absence.
- ``discard``: the timer is stopped now, its end amended back to the start of the
  absence with the reason "idle" (so the ledger shows it ran through and was cut,
  never a stop pressed in the past), and a new timer with the same details starts
  at the return.
- ``stop``: as ``discard``, without the new timer.

Every choice appends an ``idle`` leaf (``start``, ``end``, ``seconds``, ``source``,
``action``, ``entry``, and ``resumed`` for a discard). See docs/bundle-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.entries import Entry
from hourproof.core.idle import DEFAULT_THRESHOLD, Away
from hourproof.core.timeparse import to_rfc3339
from hourproof.services.app import App, Txn
from hourproof.services.errors import ServiceError

KEEP, DISCARD, STOP = "keep", "discard", "stop"
ACTIONS = {KEEP: "kept", DISCARD: "discarded", STOP: "stopped"}
IDLE_REASON = "idle"
THRESHOLD_KEY = "idle.threshold_seconds"
MIN_THRESHOLD = timedelta(minutes=1)
MAX_THRESHOLD = timedelta(hours=8)


def threshold(app: App) -> timedelta:
    """The idle threshold stored in the home (default 5 minutes)."""
    from hourproof.store.meta import Meta

    with app.read_db() as db:
        value = Meta(db).get(THRESHOLD_KEY)
    if value is None or not value.isdigit():
        return DEFAULT_THRESHOLD
    return timedelta(seconds=int(value))


def set_threshold(app: App, value: timedelta) -> timedelta:
    """Store the idle threshold (1 minute to 8 hours)."""
    from hourproof.store.meta import Meta

    if not MIN_THRESHOLD <= value <= MAX_THRESHOLD:
        raise ServiceError("the idle threshold must be between 1 minute and 8 hours")
    with app.write() as txn:
        Meta(txn.db).set(THRESHOLD_KEY, str(int(value.total_seconds())))
    return value


@dataclass(frozen=True)
class IdleOutcome:
    """What ``resolve`` did: the leaf index of the ``idle`` leaf and the entries touched."""

    idle_seq: int
    entry: Entry | None  # the timer's entry after the change (None: no timer ran)
    resumed: Entry | None  # the new timer a discard started


def _restart_fields(entry: Entry, at: datetime) -> dict[str, Any]:
    """An ``entry.start`` carrying on with the same details as ``entry``."""
    return {
        "project": entry.project, "client": entry.client, "task": entry.task,
        "tags": list(entry.tags), "note": entry.note,
        "rate": entry.rate.to_json() if entry.rate else None,
        "start": to_rfc3339(at), "source": "timer",
    }  # fmt: skip


def _cut(txn: Txn, entry: Entry, at: datetime) -> None:
    """Stop the running entry now and amend its end back to ``at``, reason "idle"."""
    txn.append(lk.ENTRY_STOP, {"entry": entry.id, "end": to_rfc3339(max(txn.now, entry.start))})
    end = max(at, entry.start + timedelta(seconds=1))
    txn.append(lk.ENTRY_AMEND, {"entry": entry.id, "reason": IDLE_REASON,
                                "changes": {"end": to_rfc3339(end)}})  # fmt: skip


def resolve(app: App, away: Away, action: str, source: str) -> IdleOutcome:
    """Record the user's answer about one absence (see the module docstring)."""
    if action not in ACTIONS:
        raise ServiceError(f"unknown idle action {action!r} (keep, discard or stop)")
    if away.end <= away.start:
        raise ServiceError("the time away must end after it starts")
    with app.write() as txn:
        running = txn.projection.running()
        if running is not None and running.start >= away.end:
            running = None  # a timer started after the return is not concerned
        if action != KEEP and running is None:
            raise ServiceError("no timer is running: there is no time to discard")
        start = max(away.start, running.start) if running is not None else away.start
        resumed_id: int | None = None
        if running is not None and action != KEEP:
            _cut(txn, running, start)
            if action == DISCARD:
                resumed_id, _ = txn.append(lk.ENTRY_START, _restart_fields(running, away.end))
        fields: dict[str, Any] = {
            "start": to_rfc3339(start), "end": to_rfc3339(away.end),
            "seconds": int((away.end - start).total_seconds()), "source": source,
            "action": ACTIONS[action],
            "project": running.project if running else None,
            "client": running.client if running else None,
        }  # fmt: skip
        if running is not None:
            fields["entry"] = running.id
        if resumed_id is not None:
            fields["resumed"] = resumed_id
        seq, _ = txn.append(lk.IDLE, fields)
        txn.checkpoint()
        entry = txn.projection.entry(running.id) if running is not None else None
        resumed = txn.projection.entry(resumed_id) if resumed_id is not None else None
    return IdleOutcome(seq, entry, resumed)
