"""Reading the OS's idle seconds off the UI thread.

A D-Bus idle source answers within its 500 ms timeout at worst, an X11 one at once;
either way the call must not hold the UI thread. ``IdleSampler`` owns one thread that
waits for requests and asks the source, one request at a time; the answer (seconds
and when it was read) comes back to the UI thread by signal. The source is used by
this thread only once sampling started (an X11 display connection is not shared).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from hourproof.sources.idle import IdleSource, IdleUnavailable

log = logging.getLogger(__name__)


class IdleSampler(QObject):
    """One thread that reads ``source.idle_seconds()`` whenever ``request`` is called."""

    #: (seconds idle, the time they were read) — delivered on the UI thread.
    sampled = Signal(float, object)
    #: The source stopped working (the reason, for the settings dialog).
    failed = Signal(str)

    def __init__(
        self, source: IdleSource, clock: Callable[[], datetime], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.clock = clock
        self._requests: queue.SimpleQueue[bool] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pending = False
        # connected first, so the sample is no longer pending when others see it
        self.sampled.connect(self._answered)
        self.failed.connect(self._answered)

    @property
    def pending(self) -> bool:
        """A sample was asked for and has not come back yet."""
        return self._pending

    def request(self) -> bool:
        """Ask for one sample; False (nothing asked) while the previous one is pending,
        so a source that blocks never piles up requests."""
        if self._pending:
            return False
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="hourproof-idle", daemon=True)
            self._thread.start()
        self._pending = True
        self._requests.put(True)
        return True

    def close(self) -> None:
        """Let the thread end after the sample it may be taking (it never blocks quit)."""
        self._requests.put(False)

    def _run(self) -> None:
        while self._requests.get():
            try:
                try:
                    seconds, now = self.source.idle_seconds(), self.clock()
                except IdleUnavailable as exc:
                    self.failed.emit(str(exc))
                except Exception as exc:  # a broken library must not end the thread silently
                    log.exception("idle source %s failed", self.source.name)
                    self.failed.emit(f"{type(exc).__name__}: {exc}")
                else:
                    self.sampled.emit(float(seconds), now)
            except RuntimeError:  # the sampler was deleted (the app quit)
                return

    def _answered(self, *_: object) -> None:
        self._pending = False
