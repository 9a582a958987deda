"""File-activity watching in the desktop app: ``run_watchers`` on a thread of its own.

The watcher lives as long as the app, so it gets its own ``threading.Thread`` rather
than a slot in the short-job pool. It writes activity spans itself (the service layer
opens its own SQLite connections: WAL and a busy timeout keep it beside the UI's
writes). Its messages cross to the UI thread through a Qt signal: a thread-side signal
is re-emitted by a slot of this object, which lives in the UI thread, so the public
signals always fire there. At quit ``host.on_quit`` sets the stop flag and joins the
thread, so the open span is written before the app closes the database.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from hourproof.gui.extensions import Host
from hourproof.services import evidence
from hourproof.services.app import App
from hourproof.services.errors import ServiceError

log = logging.getLogger(__name__)

#: How long quitting waits for the watcher to write its open span.
STOP_WAIT_SECONDS = 8.0
_WARNING = "warning: "
#: How long an informational watcher message stays in the status bar.
STATUS_MS = 8_000


def home_short(path: Path | str) -> str:
    """``~/code/site`` for a path in the user's home: shorter to read in the UI."""
    text, home = str(path), str(Path.home())
    return "~" + text[len(home) :] if text == home or text.startswith(home + os.sep) else text


class FolderWatching(QObject):
    """Runs ``evidence.run_watchers`` on its own thread; start, stop, restart from the UI."""

    #: An informational message ("watching … for …"), in the UI thread.
    message = Signal(str)
    #: A warning from the watcher (a folder gone, inotify limit…), in the UI thread.
    warning = Signal(str)
    #: The watcher thread started or ended; read ``running`` and ``folders``.
    state_changed = Signal()
    # Emitted from the watcher thread; delivered (queued) to the slots below.
    _said = Signal(str)
    _ended = Signal(int)

    def __init__(
        self, app: App, parent: QObject | None = None, pulse: timedelta | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("folderWatching")
        self.app = app
        self.pulse = pulse
        self.folders = 0
        self.last_warning: str | None = None
        self._thread: threading.Thread | None = None
        self._flag = threading.Event()
        self._generation = 0
        self._running = False
        self._paused = False
        self._said.connect(self._deliver)
        self._ended.connect(self._thread_ended)

    @property
    def running(self) -> bool:
        """True from ``start`` until the thread ends or ``stop`` is called."""
        return self._running

    @property
    def worker(self) -> threading.Thread | None:
        """The watcher thread (alive while it runs or is still stopping)."""
        return self._thread

    def start(self) -> bool:
        """Start watching the registered folders; False when none or already running."""
        if self._running or self._paused:
            return False
        return self._launch()

    def restart(self) -> bool:
        """The watched folders changed: stop the watcher and start over (never blocks).

        The new thread first waits for the old one, so a folder is never watched twice.
        Returns True when a watcher runs (or will) afterwards.
        """
        was_running = self._running
        self._flag.set()
        self._running = False
        return self._launch() or self._report_stopped(was_running)

    @property
    def paused(self) -> bool:
        """The user paused evidence collection (tray "Pause evidence")."""
        return self._paused

    def pause(self) -> None:
        """Stop watching until ``resume`` (never blocks: the thread writes its span and ends)."""
        self._paused = True
        self._flag.set()
        was_running = self._running
        self._running = False
        self._report_stopped(was_running)

    def resume(self) -> bool:
        """Watch again after ``pause``; True when a watcher runs afterwards."""
        self._paused = False
        self.state_changed.emit()
        return self.start()

    def stop(self, timeout: float = STOP_WAIT_SECONDS) -> None:
        """Ask the watcher to stop and wait (bounded) until its spans are written."""
        self._flag.set()
        thread = self._thread
        was_running = self._running
        self._running = False
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                log.warning("the file watcher did not stop within %.0f s", timeout)
        self._report_stopped(was_running)

    def _report_stopped(self, changed: bool) -> bool:
        if changed:
            self.folders = 0
            self.state_changed.emit()
        return False

    def _launch(self) -> bool:
        """A new thread; it first waits for the previous one (if any is still ending)."""
        try:
            watches = evidence.list_watches(self.app)
        except ServiceError as exc:
            self._warn(str(exc))
            return False
        if not watches:
            return False
        self._generation += 1
        self._flag = threading.Event()
        self.folders = len(watches)
        self._running = True
        self._thread = threading.Thread(
            target=self._run, args=(self._flag, self._thread, self._generation),
            name="hourproof-file-watcher", daemon=True,
        )  # fmt: skip
        self._thread.start()
        self.state_changed.emit()
        return True

    # -- on the watcher thread ----------------------------------------------------

    def _run(
        self, flag: threading.Event, previous: threading.Thread | None, generation: int
    ) -> None:
        if previous is not None:
            previous.join()
        try:
            if not flag.is_set():
                evidence.run_watchers(
                    self.app, None, self._said.emit, pulse=self.pulse, should_stop=flag.is_set
                )
        except ServiceError as exc:
            self._said.emit(f"{_WARNING}file watching stopped: {exc}")
        except Exception as exc:
            log.exception("file watcher failed")
            self._said.emit(f"{_WARNING}file watching stopped: {type(exc).__name__}: {exc}")
        finally:
            self._ended.emit(generation)

    # -- back in the UI thread ------------------------------------------------------

    def _deliver(self, text: str) -> None:
        text = text.replace(str(Path.home()) + os.sep, "~" + os.sep)
        if text.startswith(_WARNING):
            self._warn(text.removeprefix(_WARNING))
        else:
            self.message.emit(text[:1].upper() + text[1:])

    def _warn(self, text: str) -> None:
        self.last_warning = text
        self.warning.emit(text)

    def _thread_ended(self, generation: int) -> None:
        if generation == self._generation and self._running:
            self._running = False
            self.folders = 0
            self.state_changed.emit()


def find_watching(parent: QObject) -> FolderWatching | None:
    """The app's watcher, if the watching feature is installed (a child of ``parent``)."""
    found = parent.findChild(FolderWatching, "folderWatching")
    return found if isinstance(found, FolderWatching) else None


def install(host: Host) -> None:
    """Watch the registered folders from start to quit; messages go to the status bar."""
    watching = FolderWatching(host.app, host.controller)
    bar = host.window.statusBar()
    watching.message.connect(lambda text: bar.showMessage(text, STATUS_MS))
    # notice: the status bar, and a tray message while the window is hidden
    watching.warning.connect(lambda text: host.controller.notice.emit(f"File watching: {text}"))
    host.on_quit(watching.stop)
    watching.start()
