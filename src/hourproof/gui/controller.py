"""The desktop app's one link to the service layer, shared by the tray and the window.

It owns the timers (1 s display tick without database access, 30 s status refresh
that also picks up what the CLI wrote and, in a worker, commits the git hook spooled,
30 min checkpoint-and-anchor in a worker),
turns every ``ServiceError`` into a ``failed`` signal (shown, never raised) and
tells views what changed through signals.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from hourproof.core.entries import Entry
from hourproof.core.timeparse import local_day
from hourproof.core.totals import TotalRow
from hourproof.gui.workers import (
    AnchorOutcome,
    BackgroundRunner,
    MaintenanceOutcome,
    anchor_now,
    maintenance,
)
from hourproof.services import anchoring, evidence, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.tracking import Details, Status

log = logging.getLogger(__name__)
T = TypeVar("T")

TICK_MS = 1_000
REFRESH_MS = 30_000
MAINTENANCE_MS = 30 * 60_000
#: After a change, anchor soon (like the CLI's background kick), but batch bursts.
SOON_MS = 5_000
NO_DETAILS = Details()


@dataclass(frozen=True)
class AnchorState:
    """How trusted-time anchoring stands, for the tray icon and the status bar."""

    stale: bool
    last_anchor: tuple[str, str, int] | None
    queued: int
    last_error: str | None

    @property
    def warning(self) -> bool:
        """Nothing anchored for 24 h, or the last attempt failed."""
        return self.stale or self.last_error is not None


def _read_anchor_state(app: App) -> AnchorState:
    items = anchoring.queue(app)
    errors = [item.last_error for item in items if item.last_error]
    return AnchorState(
        stale=anchoring.is_stale(app),
        last_anchor=anchoring.last_anchor(app),
        queued=len(items),
        last_error=errors[0] if errors else None,
    )


class Controller(QObject):
    """Actions and state of one open hourproof home for the GUI."""

    #: tracking.Status after each refresh.
    status_changed = Signal(object)
    #: The ledger grew (here or from the CLI): reload entries and totals.
    entries_changed = Signal()
    #: Once a second with the current time, for elapsed displays.
    ticked = Signal(object)
    #: AnchorState after each refresh or background run.
    anchor_changed = Signal(object)
    #: A user-facing error message (a ServiceError's text).
    failed = Signal(str)
    #: A short notice for the user ("Anchored log size 42 by FreeTSA").
    notice = Signal(str)
    #: MaintenanceOutcome after each periodic background run.
    maintenance_done = Signal(object)
    #: AnchorOutcome after "Anchor now" succeeded.
    anchor_done = Signal(object)
    #: The app is quitting: long-running work (e.g. a file watcher) must stop now.
    stopping = Signal()

    def __init__(self, app: App, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.runner = BackgroundRunner(self)
        self.status: Status = tracking.status(app)
        self._day = local_day(self.status.now)
        self.anchor_state: AnchorState = _read_anchor_state(app)
        self._anchoring = False
        self._maintaining = False
        self._ingesting = False
        #: Held by every git scan the GUI runs (hook spool, "Scan now"): two scans of one
        #: repository at once would both record its new commits, and one would fail.
        self.scan_lock = threading.Lock()
        self._tick = self._timer(TICK_MS, self.tick)
        self._refresh = self._timer(REFRESH_MS, self._periodic)
        self._maintenance = self._timer(MAINTENANCE_MS, self.run_maintenance)
        self._soon = self._timer(SOON_MS, self.run_maintenance, single=True)

    def _timer(self, msec: int, slot: Callable[[], object], single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(msec)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> None:
        """Start the timers and anchor anything left over from last time, soon."""
        for timer in (self._tick, self._refresh, self._maintenance):
            timer.start()
        self._soon.start()
        self.ingest_spool()

    def shutdown(self, wait_ms: int = 12_000) -> None:
        """Stop timers, ask long-running work to stop, let jobs finish (bounded)."""
        for timer in (self._tick, self._refresh, self._maintenance, self._soon):
            timer.stop()
        self.stopping.emit()
        if not self.runner.wait(wait_ms):
            log.warning("background work still running at quit")

    # -- reading ----------------------------------------------------------------

    def now(self) -> datetime:
        return self.app.clock()

    def tick(self) -> None:
        self.ticked.emit(self.now())

    def refresh(self) -> None:
        """Re-read status (cheap); announce new leaves (e.g. from the CLI) or a new day."""
        try:
            status = tracking.status(self.app)
            state = _read_anchor_state(self.app)
        except ServiceError as exc:
            self.failed.emit(str(exc))
            return
        grew = status.leaves != self.status.leaves
        running_changed = _running_id(status) != _running_id(self.status)
        new_day = local_day(status.now) != self._day  # "this week" may have moved on
        self._day = local_day(status.now)
        self.status = status
        self.anchor_state = state
        self.status_changed.emit(status)
        self.anchor_changed.emit(state)
        if grew or running_changed or new_day:
            self.entries_changed.emit()

    def _periodic(self) -> None:
        self.refresh()
        self.ingest_spool()

    def ingest_spool(self) -> bool:
        """Record commits the git post-commit hook spooled, in a worker; False if none
        are waiting or an ingestion already runs. The ledger growing then refreshes."""
        if self._ingesting or not self.app.home.spool_pending():
            return False
        self._ingesting = True
        app, lock = self.app, self.scan_lock

        def ingest() -> int:
            with lock:
                return evidence.ingest_spool(app)

        self.runner.submit(ingest, self._ingested, self._ingest_failed)
        return True

    def _ingested(self, new: int) -> None:
        self._ingesting = False
        if new:
            self.refresh()

    def _ingest_failed(self, message: str) -> None:
        self._ingesting = False
        log.warning("git hook spool: %s", message)

    def entries(self, lo: datetime, hi: datetime) -> list[Entry]:
        return self._call(lambda: tracking.entries(self.app, lo, hi)) or []

    def totals(
        self, lo: datetime, hi: datetime, by: str = "project"
    ) -> tuple[list[TotalRow], TotalRow] | None:
        return self._call(lambda: tracking.report(self.app, by, lo, hi))

    def recent_projects(self, limit: int | None = None) -> list[tuple[str, str | None]]:
        """(project, client), most recently used first."""
        items = self._call(lambda: tracking.projects(self.app)) or []
        items.sort(key=lambda item: item[2], reverse=True)
        pairs = [(name, client) for name, client, _ in items]
        return pairs if limit is None else pairs[:limit]

    def history(self, entry_id: int) -> tuple[Entry, list[tracking.Version]] | None:
        return self._call(lambda: tracking.history(self.app, entry_id))

    # -- writing (each a service transaction; errors become ``failed``) ---------

    def start_timer(
        self, project: str, details: Details = NO_DETAILS, at: datetime | None = None
    ) -> Entry | None:
        return self._write(lambda: tracking.start(self.app, project, details, at))

    def stop_timer(self, at: datetime | None = None, note: str | None = None) -> Entry | None:
        return self._write(lambda: tracking.stop(self.app, at, note))

    def add_entry(
        self, project: str, begin: datetime, end: datetime, details: Details
    ) -> Entry | None:
        return self._write(lambda: tracking.add(self.app, project, begin, end, details))

    def amend_entry(
        self, entry_id: int, reason: str, details: Details,
        begin: datetime | None = None, end: datetime | None = None,
    ) -> Entry | None:  # fmt: skip
        return self._write(lambda: tracking.amend(self.app, entry_id, reason, details, begin, end))

    def remove_entry(self, entry_id: int, reason: str) -> Entry | None:
        return self._write(lambda: tracking.remove(self.app, entry_id, reason))

    def _call(self, fn: Callable[[], T]) -> T | None:
        try:
            return fn()
        except ServiceError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            log.exception("service call failed")
            self.failed.emit(_describe_unexpected(exc))
        return None

    def _write(self, fn: Callable[[], T]) -> T | None:
        result = self._call(fn)
        if result is not None:
            self.refresh()
            self._soon.start()
        return result

    # -- background -------------------------------------------------------------

    def run_in_background(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        """For extensions: run ``fn`` off the UI thread; errors go to ``failed``."""
        self.runner.submit(fn, on_done, on_error or self.failed.emit)

    @property
    def anchoring(self) -> bool:
        return self._anchoring

    def run_maintenance(self) -> bool:
        """Checkpoint if due and drain the anchor queue in a worker; False if one runs."""
        if self._maintaining:
            return False
        self._maintaining = True
        app = self.app
        self.runner.submit(
            lambda: maintenance(app), self._maintenance_done, self._maintenance_failed
        )
        return True

    def _maintenance_done(self, outcome: MaintenanceOutcome) -> None:
        self._maintaining = False
        self.refresh()
        self.maintenance_done.emit(outcome)

    def _maintenance_failed(self, message: str) -> None:
        self._maintaining = False
        log.warning("background anchoring: %s", message)
        self.refresh()

    def anchor_now(self) -> bool:
        """Checkpoint and anchor now, in a worker; False if it is already running."""
        if self._anchoring:
            return False
        self._anchoring = True
        app = self.app
        self.runner.submit(lambda: anchor_now(app), self._anchor_done, self._anchor_failed)
        return True

    def _anchor_done(self, outcome: AnchorOutcome) -> None:
        self._anchoring = False
        self.refresh()
        if outcome.anchored and outcome.last_anchor:
            _, tsa, size = outcome.last_anchor
            self.notice.emit(f"Anchored the ledger ({size} leaves) with {tsa}")
        else:
            self.notice.emit("The ledger was already anchored")
        self.anchor_done.emit(outcome)

    def _anchor_failed(self, message: str) -> None:
        self._anchoring = False
        self.refresh()
        self.failed.emit(message)


def _running_id(status: Status) -> int | None:
    return status.running.id if status.running else None


def _describe_unexpected(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "database is locked" in text:
        return "the database is busy (another hourproof is writing); try again"
    return f"unexpected error: {text}"
