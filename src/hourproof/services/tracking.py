"""Manual time tracking: start, stop, add, amend, remove, and what to show of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from hourproof.core import leaves as lk
from hourproof.core.entries import Entry
from hourproof.core.money import Rate
from hourproof.core.timeparse import MAX_ENTRY, TimeParseError, check_interval, to_rfc3339
from hourproof.core.totals import TotalRow, grand_total, totals
from hourproof.ledger.canonical import parse_canonical
from hourproof.services.app import App, Txn
from hourproof.services.errors import ServiceError
from hourproof.store.anchors import AnchorTables
from hourproof.store.catalog import CatalogTable
from hourproof.store.ledger import CheckpointTable, LeafTable
from hourproof.store.projection import Projection

#: While a timer runs, sign a checkpoint when the newest one is older than this.
CHECKPOINT_INTERVAL = timedelta(minutes=30)


@dataclass(frozen=True)
class Details:
    """What the user said about an entry (all optional except where noted)."""

    project: str | None = None
    client: str | None = None
    task: str | None = None
    tags: tuple[str, ...] | None = None
    note: str | None = None


@dataclass(frozen=True)
class Status:
    running: Entry | None
    now: datetime
    today_seconds: int
    leaves: int
    last_checkpoint: str | None
    last_anchor: str | None
    anchor_queue: int


def _clean(text: str | None, what: str) -> str | None:
    if text is None:
        return None
    text = text.strip()
    if "\n" in text or "\r" in text:
        raise ServiceError(f"{what} must be one line")
    return text or None


def _entry_fields(txn: Txn, project: str, details: Details) -> dict[str, Any]:
    name = _clean(project, "project")
    if not name:
        raise ServiceError("a project name is required")
    client = _clean(details.client, "client")
    if client is None:  # the project's client: from its entries, else as added in the app
        client = txn.projection.project_client(name) or CatalogTable(txn.db).project_client(name)
    rate = txn.projection.rate_for(name, client)
    return {
        "project": name,
        "client": client,
        "task": _clean(details.task, "task"),
        "tags": sorted({tag.strip() for tag in details.tags or () if tag.strip()}),
        "note": _clean(details.note, "note"),
        "rate": rate.to_json() if rate else None,
    }


def _check_interval(begin: datetime, end: datetime) -> None:
    try:
        check_interval(begin, end)
    except TimeParseError as exc:
        raise ServiceError(str(exc)) from exc


def _stop_running(txn: Txn, at: datetime | None, note: str | None) -> Entry:
    running = txn.projection.running()
    if running is None:
        raise ServiceError("no timer is running")
    end = at or txn.now
    if at is not None and end < running.start:
        raise ServiceError(
            f"stop time {to_rfc3339(end)} is before the timer's start {to_rfc3339(running.start)}"
        )
    end = max(end, running.start)  # a clock that went backwards never gives a negative span
    if end - running.start > MAX_ENTRY:
        raise ServiceError(
            f"the timer started {to_rfc3339(running.start)} would last more than "
            f"{MAX_ENTRY.days} days; stop it with --at TIME (at most {MAX_ENTRY.days} days "
            "after its start)"
        )
    fields: dict[str, Any] = {"entry": running.id, "end": to_rfc3339(end)}
    if note:
        fields["note"] = _clean(note, "note")
    txn.append(lk.ENTRY_STOP, fields)
    stopped = txn.projection.entry(running.id)
    assert stopped is not None
    return stopped


def start(
    app: App, project: str, details: Details = Details(), at: datetime | None = None
) -> Entry:
    """Start a timer; a running one is stopped first (at the same moment)."""
    with app.write() as txn:
        begin = at or txn.now
        running = txn.projection.running()
        if running is not None:
            if begin < running.start:
                raise ServiceError("new timer would start before the running one began")
            _stop_running(txn, begin, None)
        fields = _entry_fields(txn, project, details)
        fields.update(start=to_rfc3339(begin), source="timer")
        seq, _ = txn.append(lk.ENTRY_START, fields)
        if running is not None:
            txn.checkpoint()
        entry = txn.projection.entry(seq)
    assert entry is not None
    return entry


def stop(app: App, at: datetime | None = None, note: str | None = None) -> Entry:
    """Stop the running timer and sign a checkpoint (the end of a session)."""
    with app.write() as txn:
        entry = _stop_running(txn, at, note)
        txn.checkpoint()
    return entry


def add(
    app: App, project: str, begin: datetime, end: datetime, details: Details = Details(),
    source: str = "manual", evidence: tuple[int, ...] = (),
) -> Entry:  # fmt: skip
    """Record a finished interval."""
    _check_interval(begin, end)
    with app.write() as txn:
        fields = _entry_fields(txn, project, details)
        fields.update(start=to_rfc3339(begin), end=to_rfc3339(end), source=source)
        if evidence:
            fields["evidence"] = list(evidence)
        seq, _ = txn.append(lk.ENTRY_ADD, fields)
        txn.checkpoint()
        entry = txn.projection.entry(seq)
    assert entry is not None
    return entry


def _existing(txn: Txn, entry_id: int) -> Entry:
    entry = txn.projection.entry(entry_id)
    if entry is None:
        raise ServiceError(f"no entry {entry_id}")
    if entry.removed:
        raise ServiceError(f"entry {entry_id} was removed")
    return entry


def amend(
    app: App, entry_id: int, reason: str, details: Details = Details(),
    begin: datetime | None = None, end: datetime | None = None,
) -> Entry:  # fmt: skip
    """Change an entry; the old version stays in the ledger with the reason."""
    why = _clean(reason, "reason")
    if not why:
        raise ServiceError("a reason is required")
    with app.write() as txn:
        entry = _existing(txn, entry_id)
        changes: dict[str, Any] = {}
        if details.project is not None:
            changes["project"] = _clean(details.project, "project")
            if not changes["project"]:
                raise ServiceError("a project name cannot be empty")
        if details.client is not None:
            changes["client"] = _clean(details.client, "client")
        if details.task is not None:
            changes["task"] = _clean(details.task, "task")
        if details.tags is not None:
            changes["tags"] = sorted({tag.strip() for tag in details.tags if tag.strip()})
        if details.note is not None:
            changes["note"] = _clean(details.note, "note")
        if begin is not None:
            changes["start"] = to_rfc3339(begin)
        if end is not None:
            if entry.running:
                raise ServiceError(f"entry {entry_id} is still running; stop it first")
            changes["end"] = to_rfc3339(end)
        if not changes:
            raise ServiceError("nothing to change (give --from, --to, --project, … )")
        new_start = begin or entry.start
        new_end = end or entry.end
        # Only a change of time is checked: the recorded interval stands as it was
        # signed (a stop in the second it started ends a 0-second entry), so its
        # client, project or note can always be amended. A new time obeys `add`'s rule.
        if new_end is not None and (begin is not None or end is not None):
            _check_interval(new_start, new_end)
        if "client" in changes and changes["client"] != entry.client:
            from hourproof.services.chains import move_entry  # bundle v2 §6.1: a move

            moved = move_entry(txn, entry, changes)
            txn.checkpoint()
            return moved
        txn.append(lk.ENTRY_AMEND, {"entry": entry_id, "reason": why, "changes": changes})
        txn.checkpoint()
        amended = txn.projection.entry(entry_id)
    assert amended is not None
    return amended


def remove(app: App, entry_id: int, reason: str) -> Entry:
    why = _clean(reason, "reason")
    if not why:
        raise ServiceError("a reason is required")
    with app.write() as txn:
        _existing(txn, entry_id)
        txn.append(lk.ENTRY_REMOVE, {"entry": entry_id, "reason": why})
        txn.checkpoint()
        removed = txn.projection.entry(entry_id)
    assert removed is not None
    return removed


def set_rate(app: App, scope: str, name: str, rate: Rate | None) -> None:
    if scope not in ("project", "client"):
        raise ServiceError("a rate is set for a project or a client")
    with app.write() as txn:
        txn.append(
            lk.RATE_SET,
            {"scope": scope, "name": name, "rate": rate.to_json() if rate else None},
        )


def checkpoint_if_due(app: App) -> bool:
    """While tracking, sign a checkpoint every 30 minutes (called by the GUI and CLI)."""
    with app.read_db() as db:
        if Projection(db).running() is None:
            return False
        newest = CheckpointTable(db).latest()
        size = LeafTable(db).recorded_size()
    now = app.clock()
    if newest is not None and (
        newest.size == size or newest.created_at > to_rfc3339(now - CHECKPOINT_INTERVAL)
    ):
        return False
    with app.write() as txn:
        txn.checkpoint()
    return True


def status(app: App) -> Status:
    now = app.clock()
    from hourproof.core.timeparse import local_day, local_day_start

    day_start = local_day_start(local_day(now))
    with app.read_db() as db:
        proj = Projection(db)
        running = proj.running()
        today = proj.entries(lo=day_start, hi=now)
        rows = totals(today, "project", now, day_start, now)
        size = LeafTable(db).recorded_size()
        newest = CheckpointTable(db).latest()
        anchors = AnchorTables(db)
        last_anchor = anchors.last_gen_time()
        queued = anchors.queued()
    last_cp = newest.created_at if newest is not None else None
    return Status(running, now, grand_total(rows).seconds, size, last_cp, last_anchor, queued)


def entries(
    app: App, lo: datetime | None = None, hi: datetime | None = None,
    client: str | None = None, project: str | None = None,
) -> list[Entry]:  # fmt: skip
    with app.read_db() as db:
        return Projection(db).entries(lo, hi, client, project)


def report(
    app: App, by: str, lo: datetime | None = None, hi: datetime | None = None,
    client: str | None = None, project: str | None = None,
) -> tuple[list[TotalRow], TotalRow]:  # fmt: skip
    now = app.clock()
    rows = totals(entries(app, lo, hi, client, project), by, now, lo, hi)
    return rows, grand_total(rows)


@dataclass(frozen=True)
class Version:
    """One leaf in an entry's history."""

    seq: int
    kind: str
    recorded_at: str
    leaf: dict[str, Any]


def history(app: App, entry_id: int) -> tuple[Entry, list[Version]]:
    """The entry's current state and every leaf that made it so."""
    with app.read_db() as db:
        entry = Projection(db).entry(entry_id)
        if entry is None:
            raise ServiceError(f"no entry {entry_id}")
        found = LeafTable(db).leaves(list(entry.leaves))
    versions = []
    for seq in sorted(found):
        leaf = parse_canonical(found[seq])
        versions.append(Version(seq, leaf["kind"], leaf["recorded_at"], leaf))
    return entry, versions


def projects(app: App) -> list[tuple[str, str | None, str]]:
    with app.read_db() as db:
        return Projection(db).projects()


def rates(app: App) -> list[tuple[str, str, Rate]]:
    with app.read_db() as db:
        return Projection(db).rates()
