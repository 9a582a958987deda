"""Notice, within a second, that someone else (the CLI, a git hook) wrote to the store.

SQLite in WAL mode appends every commit to ``hourproof.db-wal`` (and a checkpoint
rewrites ``hourproof.db``), so a QFileSystemWatcher on those files and on the home
folder (the WAL file comes and goes) wakes us up without any polling. A cheap
signature — sizes and modification times — filters out wake-ups that changed
nothing; a burst of events is folded into one ``changed`` after a short delay.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

#: Fold a burst of file events into one check after this many milliseconds.
SETTLE_MS = 150


def _signature(paths: tuple[Path, ...]) -> tuple[tuple[int, int], ...]:
    out = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append((-1, -1))
        else:
            out.append((st.st_size, st.st_mtime_ns))
    return tuple(out)


class DatabaseWatcher(QObject):
    """Emits ``changed`` when the database or its WAL file changed on disk."""

    changed = Signal()

    def __init__(self, database: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.database = database
        self.files = (database, database.with_name(database.name + "-wal"))
        self._last = _signature(self.files)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.addPath(str(database.parent))
        self._watch_files()
        self._watcher.fileChanged.connect(self._poke)
        self._watcher.directoryChanged.connect(self._poke)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check)

    def _watch_files(self) -> None:
        watched = set(self._watcher.files())
        for path in self.files:
            if str(path) not in watched and path.exists():
                self._watcher.addPath(str(path))

    def _poke(self, *_: object) -> None:
        if not self._settle.isActive():
            self._settle.start()

    def check(self) -> bool:
        """Compare the files with what was seen last; emit ``changed`` if they differ."""
        self._watch_files()  # a new WAL file after a checkpoint removed the old one
        now = _signature(self.files)
        if now == self._last:
            return False
        self._last = now
        self.changed.emit()
        return True

    def stop(self) -> None:
        self._settle.stop()
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)
