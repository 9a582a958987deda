"""File-activity collector: watchdog events → heartbeats → `ActivitySpan`s.

One `FolderWatcher` per watched root. It reports only *that* a non-ignored file
was written and when, as a path relative to the root (DESIGN §8: no content, no
absolute paths, no input hooks); optionally the SHA-256 of the saved file.

Threads: watchdog's threads deliver events; an optional timer thread calls
`poll()` to close idle spans. Every span reaches ``on_span`` in order, from one
of those threads (or from `stop()`), so ``on_span`` should be quick — e.g. hand
the span to a queue or a Qt signal.

Observers, best first: on Linux an inotify observer that never places watches in
ignored folders (node_modules is where inotify limits usually run out) and says
when a watch could not be placed; elsewhere watchdog's native recursive observer;
when the native one cannot start (inotify instance or watch limit reached), a
polling observer that also skips ignored folders.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import logging
import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from watchdog.events import (
    DirDeletedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingEmitter, PollingObserverVFS

from hourproof.core.activity import (
    DEFAULT_HEARTBEAT_INTERVAL,
    DEFAULT_PULSE,
    ActivitySpan,
    HeartbeatMerger,
)
from hourproof.sources.ignore import IgnoreRules, is_ignore_file
from hourproof.sources.pruned_inotify import PrunedInotifyObserver, WatchHooks

log = logging.getLogger(__name__)

MAX_HASH_BYTES = 50 * 1024 * 1024
LIMIT_HINT = (
    "raise the limit, e.g. `sudo sysctl fs.inotify.max_user_watches=524288` "
    "(and fs.inotify.max_user_instances)"
)
_LIMIT_ERRNOS = frozenset({errno.ENOSPC, errno.EMFILE})
_WRITE_EVENTS = (FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileMovedEvent)
# inotify: no IN_OPEN / IN_CLOSE_NOWRITE / IN_MODIFY, so reads and each write() cost nothing.
_INOTIFY_FILTER: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileClosedEvent,
    FileMovedEvent,
    FileDeletedEvent,
    DirDeletedEvent,
]
_HASH_CHUNK = 1024 * 1024


def utc_now() -> datetime:
    return datetime.now(UTC)


def sha256_of_file(path: str, max_bytes: int = MAX_HASH_BYTES) -> str | None:
    """Hex SHA-256 of a regular file, or None if it is too big, not a regular file,
    unreadable, or was replaced or changed while it was being read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        before = os.fstat(fd)
        if not stat.S_ISREG(before.st_mode) or before.st_size > max_bytes:
            return None
        digest = hashlib.sha256()
        total = 0
        while chunk := os.read(fd, _HASH_CHUNK):
            total += len(chunk)
            if total > max_bytes:
                return None
            digest.update(chunk)
        after = os.fstat(fd)
        current = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    finally:
        os.close(fd)
    if _identity(before) != _identity(after) or _identity(current) != _identity(before):
        return None
    return digest.hexdigest()


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _native_observer(hooks: WatchHooks) -> BaseObserver:
    """The best event-driven observer here (tests replace this to simulate limits)."""
    if PrunedInotifyObserver is not None:
        return PrunedInotifyObserver(hooks)
    return Observer()


class _Handler(FileSystemEventHandler):
    def __init__(self, sink: Callable[[FileSystemEvent], None]) -> None:
        self._sink = sink

    def dispatch(self, event: FileSystemEvent) -> None:
        self._sink(event)


class FolderWatcher:
    """Watches one folder tree and reports closed activity spans through ``on_span``.

    Public state: ``mode`` ("inotify", "native" or "polling" once started),
    ``warnings`` (each distinct message once, also sent to ``on_warning``),
    ``watching``, ``events_seen`` (non-ignored writes) and ``unwatched_folders``
    (folders left unwatched because the inotify limit was reached).
    """

    def __init__(
        self,
        root: Path,
        on_span: Callable[[ActivitySpan], None],
        *,
        pulse: timedelta = DEFAULT_PULSE,
        heartbeat_interval: timedelta = DEFAULT_HEARTBEAT_INTERVAL,
        hash_content: bool = False,
        max_hash_bytes: int = MAX_HASH_BYTES,
        on_warning: Callable[[str], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
        tick_seconds: float | None = 10.0,
        polling_seconds: float = 30.0,
    ) -> None:
        self.root = Path(root).resolve()
        self._root_str = str(self.root)
        self._prefix = self._root_str.rstrip(os.sep) + os.sep
        self._on_span = on_span
        self._hash_content = hash_content
        self._max_hash_bytes = max_hash_bytes
        self._on_warning = on_warning
        self._clock = clock
        self._tick_seconds = tick_seconds
        self._polling_seconds = polling_seconds
        self._merger = HeartbeatMerger(pulse, heartbeat_interval)
        self._rules = IgnoreRules(self.root)
        self._lock = threading.RLock()
        self._warn_lock = threading.Lock()
        self._wake = threading.Event()
        self._observer: BaseObserver | None = None
        self._timer: threading.Thread | None = None
        self._state = "new"  # new → running → stopping → stopped
        self._markers: dict[str, Callable[[], None]] = {}
        self._waiting: set[threading.Event] = set()  # syncs an overflow cuts short
        self._marker_ids = itertools.count()
        self._gone = False
        self._rescan_pending = False
        self.mode = ""
        self.warnings: list[str] = []
        self.events_seen = 0
        self.unwatched_folders = 0

    # ----------------------------------------------------------------- lifecycle

    def start(self) -> None:
        """Start watching; raises NotADirectoryError if the root is not a folder."""
        if self._state != "new":
            raise RuntimeError("a FolderWatcher starts once")
        if not self.root.is_dir():
            raise NotADirectoryError(f"not a folder: {self.root}")
        hooks = WatchHooks(self._watch_targets, self._watch_failed, self._overflowed)
        try:
            observer = _native_observer(hooks)
            pruned = bool(getattr(observer, "prunes_ignored", False))
            if not pruned:
                self._rules = IgnoreRules.for_root(self.root, self._walk_error)
            self._run_observer(observer, _INOTIFY_FILTER if pruned else None)
            self.mode = "inotify" if pruned else "native"
        except OSError as exc:
            if exc.errno not in _LIMIT_ERRNOS:
                raise
            self._warn(
                f"cannot watch {self.root} with inotify ({exc.strerror}); polling it every "
                f"{self._polling_seconds:g} s instead — {LIMIT_HINT}"
            )
            self._rules = IgnoreRules.for_root(self.root, self._walk_error)
            polling = PollingObserverVFS(
                os.lstat, self._listdir, polling_interval=self._polling_seconds
            )
            self._run_observer(polling, None)
            self.mode = "polling"
        self._state = "running"
        if self._tick_seconds is not None:
            self._timer = threading.Thread(
                target=self._tick_loop, name="hourproof-watch-tick", daemon=True
            )
            self._timer.start()

    def _run_observer(self, observer: BaseObserver, event_filter: Any) -> None:
        observer.schedule(
            _Handler(self._on_event), self._root_str, recursive=True, event_filter=event_filter
        )
        observer.start()
        self._observer = observer

    def stop(self, drain_seconds: float = 60.0) -> None:
        """Stop watching and flush the open span through ``on_span``.

        Every file event that happened before the call is handled first (`sync`), so
        the last writes before a stop are never lost; ``drain_seconds`` only bounds a
        hung pipeline."""
        if self._state != "running":
            return
        self._state = "stopping"  # events still flow: they are what sync() waits for
        self._wake.set()
        if self._timer is not None:
            self._timer.join()
        observer = self._observer
        if observer is not None:
            if not self.sync(drain_seconds) and not self._gone and not self._rescan_pending:
                log.warning("file events still queued at stop were not all handled")
            if self._rescan_pending and not self._gone:  # the kernel dropped events
                self._rescan_pending = False
                self._rescan()
            self._state = "stopped"
            observer.stop()
            observer.join(timeout=5)
        self._state = "stopped"
        with self._lock:
            self._emit(self._merger.flush())

    def sync(self, timeout: float = 60.0) -> bool:
        """Wait until every file event that happened before this call has been handled.

        With inotify this is exact: a marker event travels the observer's whole
        pipeline behind the kernel's queued events (see `pruned_inotify`). A polling
        observer scans once more now; then (as with the other native observers) the
        events queued so far are waited for.
        True when drained; False after ``timeout`` or when the watcher is not
        running (``timeout`` only bounds a hung pipeline)."""
        observer = self._observer
        if observer is None or self._state not in ("running", "stopping") or self._gone:
            return False
        deadline = time.monotonic() + timeout
        barrier = getattr(observer, "barrier", None)
        if barrier is not None:
            through = self._sync_marker(barrier, deadline)
            if through is not None:
                return through
        for emitter in list(observer.emitters):
            if isinstance(emitter, PollingEmitter):
                emitter.queue_events(0)  # one scan now (under the emitter's own lock)
        while observer.event_queue.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)
        return True

    def _sync_marker(self, barrier: Callable[..., bool], deadline: float) -> bool | None:
        """Send a marker through the inotify pipeline and wait for it; None when the
        barrier could not be set up (no temporary folder): then the queue is waited for."""
        done = threading.Event()
        reached: list[bool] = []

        def arrived() -> None:
            reached.append(True)
            done.set()

        name = f"\0hourproof-sync-{next(self._marker_ids)}"
        path = os.path.join(self._root_str, name)
        with self._lock:
            self._markers[path] = arrived
            self._waiting.add(done)
        try:
            if not barrier(os.fsencode(name), done.set):
                return None
            done.wait(max(0.0, deadline - time.monotonic()))
            return bool(reached)
        finally:
            with self._lock:
                self._markers.pop(path, None)
                self._waiting.discard(done)

    def __enter__(self) -> FolderWatcher:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def watching(self) -> bool:
        """True while running and the root still exists."""
        return self._state == "running" and not self._gone

    def current(self) -> ActivitySpan | None:
        """The open span so far (not yet reported), or None."""
        with self._lock:
            return self._merger.current()

    # ----------------------------------------------------------------- periodic

    def poll(self) -> None:
        """Close idle spans; notice a vanished root; rescan after lost events.

        Called by the timer thread every ``tick_seconds``; callable from any thread.
        """
        if self._state != "running" or self._gone:
            return
        if not os.path.isdir(self._root_str):
            self._root_gone()
            return
        if self._rescan_pending:
            self._rescan_pending = False
            self._rescan()
        with self._lock:
            self._emit(self._merger.tick(self._clock()))

    def _tick_loop(self) -> None:
        assert self._tick_seconds is not None
        while True:
            self._wake.wait(self._tick_seconds)
            self._wake.clear()
            if self._state != "running":
                return
            try:
                self.poll()
            except Exception:  # a dead timer would silently stop closing spans
                log.exception("file-activity poll failed")

    # ----------------------------------------------------------------- events

    def _on_event(self, event: FileSystemEvent) -> None:
        if self._markers and isinstance(event, FileClosedEvent):
            with self._lock:
                reached = self._markers.pop(os.fsdecode(event.src_path), None)
            if reached is not None:
                reached()
                return
        if self._gone or self._state == "stopped":
            return
        if isinstance(event, DirDeletedEvent) and os.fsdecode(event.src_path) == self._root_str:
            self._root_gone()
            return
        if event.is_directory:
            return
        if isinstance(event, (FileMovedEvent, FileDeletedEvent)):
            self._maybe_reload_rules(os.fsdecode(event.src_path))
        if not isinstance(event, _WRITE_EVENTS):
            return
        path = event.dest_path if isinstance(event, FileMovedEvent) else event.src_path
        self._record_write(os.fsdecode(path), self._clock())

    def _record_write(self, path: str, at: datetime) -> None:
        rel = self._relative(path)
        if not rel:
            return
        if is_ignore_file(rel):
            self._rules.load_dir(rel.rpartition("/")[0])
        if self._rules.ignored(rel, is_dir=False):
            return
        with self._lock:
            self.events_seen += 1
            self._emit(self._merger.beat(rel, at))

    def _maybe_reload_rules(self, path: str) -> None:
        rel = self._relative(path)
        if rel and is_ignore_file(rel):
            self._rules.load_dir(rel.rpartition("/")[0])

    def _relative(self, path: str) -> str | None:
        """POSIX path relative to the root ("" for the root), None if outside it."""
        if path == self._root_str:
            return ""
        if not path.startswith(self._prefix):
            return None
        rel = path[len(self._prefix) :]
        return rel.replace(os.sep, "/") if os.sep != "/" else rel

    def _emit(self, spans: list[ActivitySpan]) -> None:
        """Report closed spans (caller holds ``_lock``, which keeps them in order)."""
        for span in spans:
            if self._hash_content:
                span = self._with_hashes(span)
            try:
                self._on_span(span)
            except Exception as exc:  # keep watching; the caller's bug is said aloud
                log.exception("on_span failed")
                self._warn(f"could not record an activity span: {exc}")

    def _with_hashes(self, span: ActivitySpan) -> ActivitySpan:
        hashes: dict[str, str] = {}
        for rel in span.files:
            digest = sha256_of_file(os.path.join(self._root_str, rel), self._max_hash_bytes)
            if digest is not None:
                hashes[rel] = digest
        return replace(span, content_sha256=hashes)

    def _root_gone(self) -> None:
        with self._lock:
            if self._gone:
                return
            self._gone = True
            self._emit(self._merger.flush())
        self._warn(f"watched folder {self.root} was deleted or moved; stopped watching it")

    # ----------------------------------------------------------------- trouble

    def _warn(self, message: str) -> None:
        with self._warn_lock:
            if message in self.warnings:
                return
            self.warnings.append(message)
        if self._on_warning is None:
            log.warning("%s", message)
        else:
            self._on_warning(message)

    def _walk_error(self, rel_dir: str, exc: OSError) -> None:
        reason = exc.strerror or type(exc).__name__
        self._warn(f"cannot read folder '{rel_dir or '.'}' ({reason}); not watching it")

    def _watch_targets(self, path: bytes) -> Iterator[bytes]:
        rel = self._relative(os.fsdecode(path))
        if rel is None:
            return
        for rel_dir in self._rules.walk(rel, self._walk_error):
            yield path if rel_dir == rel else os.fsencode(os.path.join(self._root_str, rel_dir))

    def _watch_failed(self, path: bytes, exc: OSError) -> None:
        if exc.errno in _LIMIT_ERRNOS:
            self.unwatched_folders += 1
            self._warn(
                f"inotify watch limit reached: some folders under {self.root} are not "
                f"watched, the rest still are — {LIMIT_HINT}"
            )
        elif exc.errno not in (errno.ENOENT, errno.ENOTDIR):
            rel = self._relative(os.fsdecode(path)) or "."
            self._warn(f"cannot watch folder '{rel}' ({exc.strerror}); skipping it")

    def _overflowed(self) -> None:
        self._warn("too many changes at once: the kernel dropped events; rescanning the folder")
        self._rescan_pending = True
        self._wake.set()
        with self._lock:  # a marker may have been dropped with the queued events
            for done in self._waiting:
                done.set()

    def _rescan(self) -> None:
        """Beat every file written since the open span began (or one pulse ago)."""
        now = self._clock()
        open_span = self.current()
        since = open_span.start if open_span is not None else now - self._merger.pulse
        for rel_dir in self._rules.walk("", self._walk_error):
            try:
                entries = list(self._listdir(os.path.join(self._root_str, rel_dir)))
            except OSError:
                continue
            for entry in entries:
                try:
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    mtime = datetime.fromtimestamp(entry.stat(follow_symlinks=False).st_mtime, UTC)
                except OSError:
                    continue
                if mtime >= since:
                    self._record_write(entry.path, min(mtime, now))

    def _listdir(self, path: str | None) -> Iterator[os.DirEntry[str]]:
        """os.scandir without ignored entries (the polling observer's view)."""
        folder = path or self._root_str
        rel_dir = self._relative(folder) or ""
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                if not self._rules.ignored(rel, is_dir=entry.is_dir(follow_symlinks=False)):
                    yield entry
