"""An inotify observer that never watches ignored folders and reports failed watches.

watchdog's recursive inotify watch places a watch on every folder below the root
(node_modules included — where inotify watch limits usually run out) and drops a
folder it cannot watch without a word. This subclasses watchdog's inotify watch
group (watchdog >= 7, Linux) so the caller decides which folders to watch and
hears of every watch that failed and of every kernel queue overflow.
``PrunedInotifyObserver`` is None where that is not available.

It also offers a *barrier* (``barrier(name, failed)``): a marker event that travels
the whole pipeline (kernel queue → inotify thread → move grouper → emitter → the
observer's dispatch) behind every event the kernel had queued when it was asked for.
The inotify thread learns it has read that far from the deletion of a private,
empty temporary folder (its IN_DELETE_SELF is queued on the same inotify instance,
so it comes after everything queued before); it then puts a close-write event for
``root/name`` into the root's move grouper, which the emitter and the observer hand
on in order. ``name`` holds a NUL byte, so no real file can ever be mistaken for it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from watchdog.observers.api import BaseObserver


@dataclass(frozen=True)
class WatchHooks:
    """What the watch group asks of its owner: folders to watch below a path
    (the path itself first), and where to report failures and overflows."""

    targets: Callable[[bytes], Iterable[bytes]]
    failed: Callable[[bytes, OSError], None]
    overflowed: Callable[[], None]


try:  # Linux with watchdog's inotify watch groups (watchdog >= 7).
    from watchdog.observers.inotify import InotifyEmitter, InotifyWatchGroup
    from watchdog.observers.inotify_c import (
        CallbackId,
        InotifyConstants,
        InotifyEvent,
        InotifyFD,
        WatchDescriptor,
    )
    from watchdog.observers.inotify_move_event_grouper import PathedInotifyEvent

    if not hasattr(InotifyWatchGroup, "_add_all_callbacks"):
        raise ImportError("unexpected watchdog inotify layout")
except Exception:  # another OS, or another watchdog: use the native observer
    PrunedInotifyObserver: Callable[[WatchHooks], BaseObserver] | None = None
else:

    @dataclass
    class _PrunedWatchGroup(InotifyWatchGroup):
        """Adds watches only where the hooks say (never in ignored folders) and
        reports watches that could not be added instead of dropping them silently."""

        hooks: WatchHooks | None = None
        _identities: dict[WatchDescriptor, tuple[int, int]] = field(
            default_factory=dict, init=False
        )

        def _add_all_callbacks(self, path: bytes) -> None:
            if self.hooks is None:
                super()._add_all_callbacks(path)
                return
            for target in self.hooks.targets(path):
                self._add_callback(target)

        def _add_callback(self, path: bytes) -> None:
            try:
                st = os.stat(path, follow_symlinks=False)
                identity = (st.st_dev, st.st_ino)
                known = self._active_callbacks_by_path.get(path)
                if known is not None and self._identities.get(known) == identity:
                    return  # already watched: a new folder's own IN_CREATE after our walk
                wd = self._inotify_fd.add_callback(path, self.event_mask, self._callback, self._id)
            except OSError as exc:
                if path == self.path:
                    raise
                if self.hooks is not None:
                    self.hooks.failed(path, exc)
                return
            self._identities[wd] = identity
            self._active_callbacks_by_path[path] = wd
            self._active_callbacks_by_watch[wd] = path

        def _remove_watch_internally(self, wd: WatchDescriptor) -> None:
            self._identities.pop(wd, None)
            super()._remove_watch_internally(wd)

        def on_queue_overflow(self) -> None:
            super().on_queue_overflow()
            if self.hooks is not None:
                self.hooks.overflowed()

        def put_marker(self, name: bytes) -> bool:
            """Queue a close-write of ``root/name`` behind what is queued (False when
            the root is no longer watched)."""
            with self._lock:
                wd = self._active_callbacks_by_path.get(self.path) if self.is_active else None
                if wd is None:
                    return False
                event = InotifyEvent(wd, InotifyConstants.IN_CLOSE_WRITE, 0, name)
                path = os.path.join(self.path, name)
                self._move_event_grouper.put_event(PathedInotifyEvent(event, path))
                return True

    class _Barrier:
        """The inotify-thread side of a barrier: on the private folder's deletion,
        put the marker into every watch group (or say it failed)."""

        def __init__(
            self, groups: list[_PrunedWatchGroup], name: bytes, failed: Callable[[], None]
        ) -> None:
            self._groups = groups
            self._name = name
            self._failed = failed
            self.fired = False

        def on_event(self, event: InotifyEvent) -> None:
            if self.fired:
                return
            self.fired = True
            if not self._groups or not all(g.put_marker(self._name) for g in self._groups):
                self._failed()

        def on_watch_deleted(self, wd: WatchDescriptor) -> None:
            if not self.fired:  # the inotify instance closed before the folder's event
                self.fired = True
                self._failed()

        def on_queue_overflow(self) -> None:
            pass  # the folder's own deletion event still follows, or the watch goes

    class _PrunedEmitter(InotifyEmitter):
        def __init__(self, *args: Any, hooks: WatchHooks, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._hooks = hooks

        def on_thread_start(self) -> None:
            self._inotify = _PrunedWatchGroup(
                self._inotify_fd,
                os.fsencode(self.watch.path),
                is_recursive=self.watch.is_recursive,
                event_mask=self.get_event_mask_from_filter(),
                follow_symlink=False,
                hooks=self._hooks,
            )

    class _PrunedInotifyObserver(BaseObserver):
        """An inotify observer whose recursive watches skip ignored folders."""

        prunes_ignored = True

        def __init__(self, hooks: WatchHooks) -> None:
            self._inotify_fd = InotifyFD()
            self._inotify_fd.start()
            super().__init__(_PrunedEmitter, inotify_fd=self._inotify_fd, hooks=hooks)

        def start(self) -> None:
            try:
                super().start()
            except BaseException:
                self._stop_fd()
                raise

        def on_thread_stop(self) -> None:
            super().on_thread_stop()
            self._stop_fd()

        def barrier(self, name: bytes, failed: Callable[[], None]) -> bool:
            """Send a close-write of ``root/name`` through the pipeline behind every
            event queued so far; ``failed`` is called (from the inotify thread) if it
            cannot be. False when the barrier could not even be set up."""
            groups = [
                group
                for emitter in self.emitters
                if isinstance(group := getattr(emitter, "_inotify", None), _PrunedWatchGroup)
            ]
            if not groups:
                return False
            try:
                folder = os.fsencode(tempfile.mkdtemp(prefix="hourproof-sync-"))
            except OSError:
                return False
            callback = _Barrier(groups, name, failed)
            try:
                self._inotify_fd.add_callback(
                    folder, InotifyConstants.IN_DELETE_SELF, callback, CallbackId(id(callback))
                )
            except OSError:
                os.rmdir(folder)
                return False
            os.rmdir(folder)  # IN_DELETE_SELF, then IN_IGNORED removes the watch
            return True

        def _stop_fd(self) -> None:
            self._inotify_fd.stop()
            self._inotify_fd.join()

    PrunedInotifyObserver = _PrunedInotifyObserver
