"""Start-up work that keeps the UI thread free: imports and opening on a thread, the
window built in short steps, one event-loop turn each.

Issue 10 asks for no UI-thread stall over 50 ms while the app loads. The costly part
of loading is Python importing the window, the services and the extensions (a few
hundred ms); ``in_background`` does that (and opening the store) on a plain thread
while the UI thread keeps running its event loop, so the tray icon paints and the
instance server answers. The UI thread imports nothing meanwhile (two threads
importing interdependent modules at once can fail with a deadlock error), it waits in
a local event loop. ``in_turns`` then runs the construction steps one per event-loop
turn, so no single step holds the thread for long.

Only QtCore is imported here: this module is on the path before the tray icon shows.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Finished(QObject):
    """Lives in the UI thread; emitted from the worker, so delivery is queued there."""

    done = Signal()


def preload(modules: Iterable[str]) -> list[str]:
    """Import ``modules`` (on the calling thread); returns those that failed to import.

    A failure is only logged: the same import on the UI thread later raises or
    reports it where it belongs (an optional feature that is missing, say)."""
    failed = []
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # reported again by the real import
            log.debug("preloading %s failed", name, exc_info=True)
            failed.append(name)
    return failed


def in_background(fn: Callable[[], T]) -> T:
    """Run ``fn`` on a new thread and wait for it in a local event loop; its result, or
    its exception re-raised here. Events (paints, sockets, timers) keep being handled."""
    outcome: dict[str, Any] = {}
    finished = _Finished()
    loop = QEventLoop()
    finished.done.connect(loop.quit)

    def work() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the waiting thread
            outcome["error"] = exc
        finally:
            finished.done.emit()

    thread = threading.Thread(target=work, name="hourproof-startup", daemon=True)
    thread.start()
    loop.exec()  # the queued ``done`` ends it, even when the thread finished already
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def in_turns(steps: Sequence[Callable[[], object]]) -> None:
    """Run ``steps`` in order, each in its own turn of a local event loop, and return
    when the last one ran (all of them run, also when the app quits meanwhile). An
    exception in a step stops the rest and is raised here."""
    loop = QEventLoop()
    errors: list[BaseException] = []
    remaining = list(steps)

    def next_step() -> None:
        if not remaining or errors:
            loop.quit()
            return
        step = remaining.pop(0)
        try:
            step()
        except BaseException as exc:  # re-raised after the loop
            errors.append(exc)
        QTimer.singleShot(0, next_step)

    QTimer.singleShot(0, next_step)
    loop.exec()
    while remaining and not errors:  # the loop was ended from outside (app quitting)
        remaining.pop(0)()
    if errors:
        raise errors[0]
