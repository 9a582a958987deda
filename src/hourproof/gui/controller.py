"""The desktop app's one link to the service layer, shared by the tray and the window.

Nothing here touches the store on the UI thread. Reads run on a one-thread reader,
writes (start, stop, add, amend, remove, accept …) on a one-thread writer, so they
happen one at a time and in the order asked; results come back by signal, as in
Anki's ``CollectionOp``. A ``ServiceError`` becomes a ``failed`` signal (shown, never
raised). Changes made by the CLI are noticed within a second by watching the
database's WAL file (``dbwatch``); the 1 s tick repaints elapsed times without any
database access; a 30 s timer only catches a new day and the git hook spool; every
30 min a worker checkpoints and anchors.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from hourproof.core.entries import Entry
from hourproof.core.timeparse import local_day
from hourproof.core.totals import TotalRow
from hourproof.gui.dbwatch import DatabaseWatcher
from hourproof.gui.workers import (
    AnchorOutcome,
    BackgroundRunner,
    MaintenanceOutcome,
    anchor_now,
    maintenance,
)
from hourproof.services import anchoring, browse, tracking
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
    #: At least one timestamp authority is configured (else nothing can fail to anchor).
    configured: bool = True

    @property
    def warning(self) -> bool:
        """Anchoring is configured and nothing was anchored for 24 h, or it failed."""
        return self.configured and (self.stale or self.last_error is not None)


NOT_READ = AnchorState(False, None, 0, None, configured=False)


def _read_anchor_state(app: App) -> AnchorState:
    items = anchoring.queue(app)
    errors = [item.last_error for item in items if item.last_error]
    return AnchorState(
        stale=anchoring.is_stale(app),
        last_anchor=anchoring.last_anchor(app),
        queued=len(items),
        last_error=errors[0] if errors else None,
        configured=bool(anchoring.list_tsas(app)),
    )


@dataclass(frozen=True)
class Snapshot:
    """What one background refresh read: status, anchoring and recent projects."""

    status: Status
    anchor: AnchorState
    projects: list[tuple[str, str | None, str]]
    #: Client names for completion (entries' and those added in the app, none hidden).
    clients: tuple[str, ...] = ()


def _read_snapshot(app: App) -> Snapshot:
    from hourproof.services import clients  # projects and clients added in the app, minus hidden

    projects, names = clients.completions(app)
    return Snapshot(tracking.status(app), _read_anchor_state(app), projects, tuple(names))


class ProjectChoices(list[tuple[str, str | None]]):
    """(project, client) pairs, plus ``clients``: the client names completion offers
    (the dialogs read it when present; a plain list of pairs works too)."""

    def __init__(self, pairs: list[tuple[str, str | None]], clients: tuple[str, ...] = ()) -> None:
        super().__init__(pairs)
        self.clients = clients


def empty_status(now: datetime) -> Status:
    """The status shown before the first read finished (nothing running, nothing known)."""
    return Status(None, now, 0, 0, None, None, 0)


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
    #: A write finished: (what, result), e.g. ("start", Entry).
    wrote = Signal(str, object)
    #: The app is quitting: long-running work (e.g. a file watcher) must stop now.
    stopping = Signal()

    def __init__(self, app: App, parent: QObject | None = None, watch: bool = True) -> None:
        super().__init__(parent)
        self.app = app
        #: Network and git work (anchoring, spool ingestion, extension jobs).
        self.runner = BackgroundRunner(self)
        #: Store reads, one at a time, off the UI thread.
        self.reader = BackgroundRunner(self, max_threads=1)
        #: Store writes, one at a time and in the order asked.
        self.writer = BackgroundRunner(self, max_threads=1)
        self.status: Status = empty_status(self.now())
        self._day = local_day(self.status.now)
        self.anchor_state: AnchorState = NOT_READ
        self._projects: list[tuple[str, str | None, str]] = []
        self._clients: tuple[str, ...] = ()
        self._loaded = False
        self._refreshing = False
        self._refresh_again = False
        self._anchoring = False
        self._maintaining = False
        self._ingesting = False
        #: Held by every git scan the GUI runs (hook spool, "Scan now"): two scans of one
        #: repository at once would both record its new commits, and one would fail.
        self.scan_lock = threading.Lock()
        #: Runs each write and background job on its worker. The desktop app installs
        #: the passphrase prompt here (gui/passphrase_dialog.py): a job that meets a
        #: locked key asks for it and runs again (services.unlock.run_unlocked).
        self.guard: Callable[[Callable[[], Any]], Any] = _run_job
        self._tick = self._timer(TICK_MS, self.tick)
        self._refresh = self._timer(REFRESH_MS, self._periodic)
        self._maintenance = self._timer(MAINTENANCE_MS, self.run_maintenance)
        self._soon = self._timer(SOON_MS, self.run_maintenance, single=True)
        self.db_watcher: DatabaseWatcher | None = None
        if watch:
            self.db_watcher = DatabaseWatcher(app.home.database, self)
            self.db_watcher.changed.connect(self.refresh)

    def _timer(self, msec: int, slot: Callable[[], object], single: bool = False) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(msec)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> None:
        """Start the timers, read the state, anchor anything left over from last time."""
        for timer in (self._tick, self._refresh, self._maintenance):
            timer.start()
        self._soon.start()
        self.refresh()
        self.ingest_spool()

    def shutdown(self, wait_ms: int = 12_000) -> None:
        """Stop timers, ask long-running work to stop, let jobs finish (bounded)."""
        for timer in (self._tick, self._refresh, self._maintenance, self._soon):
            timer.stop()
        if self.db_watcher is not None:
            self.db_watcher.stop()
        self.stopping.emit()
        for runner in (self.writer, self.reader, self.runner):
            if not runner.wait(wait_ms):
                log.warning("background work still running at quit")

    @property
    def loaded(self) -> bool:
        """True once the first refresh has read the store."""
        return self._loaded

    @property
    def busy(self) -> bool:
        """Reads or writes are queued or running (tests wait for this to clear)."""
        return self.reader.busy or self.writer.busy or self._refreshing

    # -- reading ----------------------------------------------------------------

    def now(self) -> datetime:
        return self.app.clock()

    def tick(self) -> None:
        self.ticked.emit(self.now())

    def refresh(self) -> None:
        """Re-read status in the background; announce new leaves (e.g. from the CLI) or a
        new day. Calls while a read runs are folded into one more read after it."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        app = self.app
        self.reader.submit(lambda: _read_snapshot(app), self._refreshed, self._refresh_failed)

    def _refreshed(self, snap: Snapshot) -> None:
        self._refreshing = False
        self.apply(snap)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _refresh_failed(self, message: str) -> None:
        self._refreshing = False
        self._refresh_again = False
        self.failed.emit(message)

    def apply(self, snap: Snapshot) -> None:
        """Show what a refresh read (on the UI thread; no database access)."""
        status = snap.status
        first = not self._loaded
        self._loaded = True
        grew = status.leaves != self.status.leaves
        running_changed = _running_id(status) != _running_id(self.status)
        new_day = local_day(status.now) != self._day  # "this week" may have moved on
        self._day = local_day(status.now)
        self.status = status
        self.anchor_state = snap.anchor
        self._projects = snap.projects
        self._clients = snap.clients
        self.status_changed.emit(status)
        self.anchor_changed.emit(snap.anchor)
        if first or grew or running_changed or new_day:
            self.entries_changed.emit()

    def refresh_now(self) -> None:
        """Read and apply the state on the calling thread (tests, scripts)."""
        self.apply(_read_snapshot(self.app))

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
            from hourproof.services import evidence  # SQLAlchemy: off the start-up path

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

    def read(
        self, fn: Callable[[App], T], on_done: Callable[[T], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        """Run the read ``fn(app)`` on the reader thread; its result goes to ``on_done``."""
        app = self.app
        self.reader.submit(lambda: fn(app), on_done, on_error or self.failed.emit)

    def entries(self, lo: datetime, hi: datetime) -> list[Entry]:
        """Entries of ``[lo, hi)`` read on the calling thread (small periods, scripts)."""
        return self._call(lambda: tracking.entries(self.app, lo, hi)) or []

    def totals(
        self, lo: datetime, hi: datetime, by: str = "project"
    ) -> tuple[list[TotalRow], TotalRow] | None:
        """SQL totals of ``[lo, hi)`` read on the calling thread."""
        return self._call(lambda: browse.totals(self.app, browse.EntryQuery(lo, hi), by))

    def recent_projects(self, limit: int | None = None) -> ProjectChoices:
        """(project, client), most recently used first (as of the last refresh); its
        ``clients`` are every client name to complete (also those with no project)."""
        items = sorted(self._projects, key=lambda item: item[2], reverse=True)
        pairs = [(name, client) for name, client, _ in items]
        return ProjectChoices(pairs if limit is None else pairs[:limit], self._clients)

    def known_clients(self) -> list[str]:
        """Client names for completion (as of the last refresh)."""
        return list(self._clients)

    def history(self, entry_id: int) -> tuple[Entry, list[tracking.Version]] | None:
        return self._call(lambda: tracking.history(self.app, entry_id))

    # -- writing (each a service transaction on the writer; errors become ``failed``) ---

    def write(
        self, what: str, fn: Callable[[App], T],
        on_done: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        """Run the write ``fn(app)`` on the writer thread, then refresh and anchor soon.

        ``on_error`` replaces the ``failed`` signal (a dialog that asks again, say)."""
        app = self.app

        def done(result: T) -> None:
            self.refresh()
            self._soon.start()
            self.wrote.emit(what, result)
            if on_done is not None:
                on_done(result)

        self.writer.submit(lambda: self.guard(lambda: fn(app)), done, on_error or self.failed.emit)

    def start_timer(
        self, project: str, details: Details = NO_DETAILS, at: datetime | None = None,
        on_done: Callable[[Entry], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        self.write(
            "start", lambda app: tracking.start(app, project, details, at), on_done, on_error
        )

    def stop_timer(
        self, at: datetime | None = None, note: str | None = None,
        on_done: Callable[[Entry], None] | None = None,
    ) -> None:  # fmt: skip
        self.write("stop", lambda app: tracking.stop(app, at, note), on_done)

    def add_entry(
        self, project: str, begin: datetime, end: datetime, details: Details,
        on_done: Callable[[Entry], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        self.write(
            "add", lambda app: tracking.add(app, project, begin, end, details), on_done, on_error
        )

    def amend_entry(
        self, entry_id: int, reason: str, details: Details,
        begin: datetime | None = None, end: datetime | None = None,
        on_done: Callable[[Entry], None] | None = None,
    ) -> None:  # fmt: skip
        self.write(
            "amend",
            lambda app: tracking.amend(app, entry_id, reason, details, begin, end),
            on_done,
        )

    def remove_entry(
        self, entry_id: int, reason: str, on_done: Callable[[Entry], None] | None = None
    ) -> None:
        self.write("remove", lambda app: tracking.remove(app, entry_id, reason), on_done)

    def _call(self, fn: Callable[[], T]) -> T | None:
        try:
            return fn()
        except ServiceError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            log.exception("service call failed")
            self.failed.emit(_describe_unexpected(exc))
        return None

    # -- background -------------------------------------------------------------

    def run_in_background(
        self, fn: Callable[[], Any], on_done: Callable[[Any], None],
        on_error: Callable[[str], None] | None = None,
    ) -> None:  # fmt: skip
        """For extensions: run ``fn`` off the UI thread; errors go to ``failed``."""
        self.runner.submit(lambda: self.guard(fn), on_done, on_error or self.failed.emit)

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
        self.runner.submit(
            lambda: self.guard(lambda: anchor_now(app)), self._anchor_done, self._anchor_failed
        )
        return True

    def _anchor_done(self, outcome: AnchorOutcome) -> None:
        self._anchoring = False
        self.refresh()
        if outcome.anchored and outcome.last_anchor:
            _, tsa, size = outcome.last_anchor
            self.notice.emit(
                self.tr("Anchored the ledger (%n lea(f|ves)) with {0}", "", size).format(tsa)
            )
        else:
            self.notice.emit(self.tr("The ledger was already anchored"))
        self.anchor_done.emit(outcome)

    def _anchor_failed(self, message: str) -> None:
        self._anchoring = False
        self.refresh()
        self.failed.emit(message)


def _run_job(job: Callable[[], T]) -> T:
    return job()


def _running_id(status: Status) -> int | None:
    return status.running.id if status.running else None


def _describe_unexpected(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "database is locked" in text:
        return QCoreApplication.translate(
            "controller", "the database is busy (another hourproof is writing); try again"
        )
    return QCoreApplication.translate("controller", "unexpected error: {0}").format(text)
