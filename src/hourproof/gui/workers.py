"""Background work for the desktop app: a QRunnable per job, results back as signals.

The UI thread never waits on the network (TSA requests), git or heavy disk work.
A job runs on a private QThreadPool; its outcome is emitted from the worker thread
and, because the signal object lives in the UI thread, delivered there as a queued
call. ``ServiceError`` messages reach the UI as text, never as exceptions.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from hourproof.services import anchoring, ledger_ops, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError

log = logging.getLogger(__name__)

#: Seconds per TSA request from the GUI (short, so quitting never hangs for long).
DRAIN_TIMEOUT = 10.0


class JobSignals(QObject):
    """What a job reports; lives in the UI thread so deliveries are queued there."""

    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()


class Job(QRunnable):
    """Runs ``fn()`` on a pool thread and emits its result or error message."""

    def __init__(self, fn: Callable[[], Any], signals: JobSignals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.fn()
        except ServiceError as exc:
            self.signals.failed.emit(str(exc))
        except Exception as exc:
            log.exception("background job failed")
            self.signals.failed.emit(f"unexpected {type(exc).__name__}: {exc}")
        else:
            self.signals.succeeded.emit(result)
        self.signals.finished.emit()


class BackgroundRunner(QObject):
    """Submits jobs to its own thread pool; one per controller."""

    def __init__(self, parent: QObject | None = None, max_threads: int = 2) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._active = 0

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> JobSignals:
        """Queue ``fn`` for a pool thread and return at once with its signals.

        The job starts from the event loop, so whatever the caller connects to the
        returned signals right after this call is connected before it can finish.
        """
        signals = JobSignals(self)  # parented: deleted in the UI thread, after delivery
        if on_done is not None:
            signals.succeeded.connect(on_done)
        if on_error is not None:
            signals.failed.connect(on_error)
        signals.finished.connect(self._job_finished)
        signals.finished.connect(signals.deleteLater)
        self._active += 1
        job = Job(fn, signals)
        QTimer.singleShot(0, self, lambda: self.pool.start(job))
        return signals

    def _job_finished(self) -> None:
        self._active -= 1

    @property
    def busy(self) -> bool:
        return self._active > 0

    def wait(self, msecs: int) -> bool:
        """Wait for running jobs (at quit); True when all finished in time."""
        return self.pool.waitForDone(msecs)


@contextlib.contextmanager
def drain_lock(app: App) -> Iterator[bool]:
    """The home's anchoring lock, as the CLI's background drain takes it (never waits)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: SQLite's own locking keeps the queue consistent
        yield True
        return
    with open(app.home.lock_file, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass(frozen=True)
class MaintenanceOutcome:
    """What a periodic run did: a checkpoint signed? requests anchored?"""

    checkpointed: bool
    anchored: int


@dataclass(frozen=True)
class AnchorOutcome:
    """The result of "Anchor now": how many requests succeeded and the newest anchor."""

    anchored: int
    last_anchor: tuple[str, str, int] | None


def maintenance(app: App) -> MaintenanceOutcome:
    """Every 30 min: sign a checkpoint while tracking, then send due anchor requests."""
    from hourproof.services.keyfile import KeyLocked

    try:
        checkpointed = tracking.checkpoint_if_due(app)
    except KeyLocked:  # asked for when the user next does something that signs
        checkpointed = False
    with drain_lock(app) as mine:
        anchored = anchoring.drain(app, timeout=DRAIN_TIMEOUT) if mine else 0
    return MaintenanceOutcome(checkpointed, anchored)


def anchor_now(app: App) -> AnchorOutcome:
    """Checkpoint the whole ledger and anchor it at once (ServiceError when that fails)."""
    if not anchoring.list_tsas(app):
        raise ServiceError("no timestamp authority is configured (hourproof tsa add NAME URL)")
    ledger_ops.checkpoint(app)
    anchoring.retry_now(app)
    with drain_lock(app) as mine:
        if not mine:
            raise ServiceError("anchoring is already in progress; try again in a minute")
        done = anchoring.drain(app, timeout=DRAIN_TIMEOUT, force=True)
    if done == 0:
        errors = [item.last_error for item in anchoring.queue(app) if item.last_error]
        if errors:
            raise ServiceError(f"anchoring failed: {errors[0]}")
    return AnchorOutcome(done, anchoring.last_anchor(app))
