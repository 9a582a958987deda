"""The entries table: a thin QAbstractTableModel over pages of ``Entry`` rows.

The panel hands it the first page of a query and the query's row count (a model
reset); the view then asks for more as the user scrolls (``canFetchMore`` /
``fetchMore``), and each page is read on the controller's reader thread and
inserted when it arrives. Sorting is done by SQL: ``sort`` only asks for a new query
(``sort_requested``), so there is no sorting proxy to re-sort 50,000 rows. ``tick``
repaints only the running rows' durations, with no database access.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from hourproof.core.entries import Entry
from hourproof.core.timeparse import format_local, utc_now
from hourproof.gui import fmt
from hourproof.gui.i18n import QT_TRANSLATE_NOOP
from hourproof.store.gui_queries import EntryQuery

Index = QModelIndex | QPersistentModelIndex

#: The ``Entry`` object of a row (any column).
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
#: A value that sorts naturally (timestamps, seconds, lower-cased text).
SORT_ROLE = Qt.ItemDataRole.UserRole + 2


class Column(IntEnum):
    DATE = 0
    START = 1
    END = 2
    DURATION = 3
    PROJECT = 4
    CLIENT = 5
    TASK = 6
    TAGS = 7
    NOTE = 8
    SOURCE = 9
    AMENDED = 10
    APPROVAL = 11


HEADERS = {  # translated when shown (context "entries")
    Column.DATE: QT_TRANSLATE_NOOP("entries", "Date"),
    Column.START: QT_TRANSLATE_NOOP("entries", "Start"),
    Column.END: QT_TRANSLATE_NOOP("entries", "End"),
    Column.DURATION: QT_TRANSLATE_NOOP("entries", "Duration"),
    Column.PROJECT: QT_TRANSLATE_NOOP("entries", "Project"),
    Column.CLIENT: QT_TRANSLATE_NOOP("entries", "Client"),
    Column.TASK: QT_TRANSLATE_NOOP("entries", "Task"),
    Column.TAGS: QT_TRANSLATE_NOOP("entries", "Tags"),
    Column.NOTE: QT_TRANSLATE_NOOP("entries", "Note"),
    Column.SOURCE: QT_TRANSLATE_NOOP("entries", "Source"),
    Column.AMENDED: QT_TRANSLATE_NOOP("entries", "Edited"),
    Column.APPROVAL: QT_TRANSLATE_NOOP("entries", "Approval"),
}
HEADER_TIPS = {
    Column.DURATION: QT_TRANSLATE_NOOP("entries", "Hours:minutes; a running timer counts up"),
    Column.SOURCE: QT_TRANSLATE_NOOP(
        "entries", "timer, manual, suggested (from evidence) or imported"
    ),
    Column.AMENDED: QT_TRANSLATE_NOOP(
        "entries", "✎ marks an entry that was amended; Show history lists every version"
    ),
    Column.APPROVAL: QT_TRANSLATE_NOOP(
        "entries",
        "Approved: the client signed an approval of the log after this entry's "
        "last change; Contested: the client contested it",
    ),
}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
#: The SQL sort key of each column (``store.gui_queries.SORT_KEYS``).
SORT_KEY = {
    Column.DATE: "start", Column.START: "start", Column.END: "end",
    Column.DURATION: "duration", Column.PROJECT: "project", Column.CLIENT: "client",
    Column.TASK: "task", Column.TAGS: "tags", Column.NOTE: "note", Column.SOURCE: "source",
    Column.AMENDED: "amended",
}  # fmt: skip
#: Rows per page read from the store.
PAGE_SIZE = 200

#: ``fetch(query, offset, limit, deliver)`` reads a page (in the background) and calls
#: ``deliver(rows)`` on the UI thread.
Fetch = Callable[[EntryQuery, int, int, Callable[[list[Entry]], None]], None]

_ALIGN = {
    Column.START: _RIGHT,
    Column.END: _RIGHT,
    Column.DURATION: _RIGHT,
    Column.AMENDED: _CENTER,
}


_ALL_COLUMNS = tuple(Column)
_COLUMNS = len(_ALL_COLUMNS)
_DURATION = int(Column.DURATION)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN_ROLE = int(Qt.ItemDataRole.TextAlignmentRole)
_ALIGN_INT = tuple(
    int(_ALIGN.get(c, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter))
    for c in _ALL_COLUMNS
)


class EntryTableModel(QAbstractTableModel):
    """Rows are ``Entry`` values in the query's order; columns are ``Column``."""

    #: The user asked for another order: (sort key, descending).
    sort_requested = Signal(str, bool)

    def __init__(self, parent: Any = None, fetch: Fetch | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Entry] = []
        self._running: set[int] = set()
        self._texts: dict[int, tuple[str, ...]] = {}
        self._count = 0
        self._query: EntryQuery | None = None
        self._fetch = fetch
        self._pending = False
        self._generation = 0
        self._now: datetime = utc_now()
        self._bold = QFont()
        self._bold.setBold(True)
        self.sort_column = Column.DATE
        self.sort_order = Qt.SortOrder.DescendingOrder
        #: "Approved"/"Contested"/None per entry (set by gui/approval_dialogs.py).
        self.approval_label: Callable[[Entry], str | None] = lambda entry: None

    # -- Qt model interface -------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("entries", HEADERS[column])
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = HEADER_TIPS.get(column)
            return QCoreApplication.translate("entries", tip) if tip else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(
                _ALIGN.get(column, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= col < _COLUMNS) or not index.isValid():
            return None
        entry = self._rows[row]
        if role == _DISPLAY:  # the hot path: cached per row, except a running duration
            if col == _DURATION and row in self._running:
                return fmt.hours(entry.seconds(self._now))
            texts = self._texts.get(row)
            if texts is None:
                texts = tuple(self._display(entry, c) for c in _ALL_COLUMNS)
                self._texts[row] = texts
            return texts[col]
        if role == _ALIGN_ROLE:
            return _ALIGN_INT[col]
        column = _ALL_COLUMNS[col]
        if role == ENTRY_ROLE:
            return entry
        if role == SORT_ROLE:
            return self._sort_key(entry, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.FontRole and entry.running:
            return self._bold
        return None

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._fetch is None or self._query is None or self._pending:
            return False
        return len(self._rows) < self._count

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        assert self._fetch is not None and self._query is not None
        self._pending = True
        generation = self._generation
        self._fetch(
            self._query, len(self._rows), PAGE_SIZE, lambda rows: self._deliver(generation, rows)
        )

    def _deliver(self, generation: int, rows: list[Entry]) -> None:
        if generation != self._generation:
            return  # a page of a query that was replaced meanwhile
        self._pending = False
        if not rows:  # the store shrank under us: stop asking
            self._count = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._running.update(first + i for i, e in enumerate(rows) if e.running)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the rows in another order (the panel re-queries; SQL sorts)."""
        if not 0 <= column < len(Column) or Column(column) not in SORT_KEY:
            return  # (the Approval column is not in the store: not sortable)
        if Column(column) == self.sort_column and order == self.sort_order:
            return
        self.sort_column, self.sort_order = Column(column), order
        self.sort_requested.emit(self.sort_key(), self.descending())

    def sort_key(self) -> str:
        return SORT_KEY[self.sort_column]

    def descending(self) -> bool:
        return self.sort_order == Qt.SortOrder.DescendingOrder

    # -- what the window calls ----------------------------------------------

    def set_page(self, query: EntryQuery, count: int, rows: Sequence[Entry], now: datetime) -> None:
        """Show the first rows of ``query`` (of ``count``); the rest is fetched on demand."""
        self.beginResetModel()
        self._generation += 1
        self._pending = False
        self._query = query
        self._count = max(count, len(rows))
        self._rows = list(rows)
        self._texts = {}
        self._running = {i for i, e in enumerate(self._rows) if e.running}
        self._now = now
        self.endResetModel()

    def set_entries(self, entries: Sequence[Entry], now: datetime) -> None:
        """Show exactly these rows (nothing more to fetch)."""
        self.set_page(EntryQuery(), len(entries), entries, now)
        self._query = None

    def total_count(self) -> int:
        """Rows of the whole query (loaded or not)."""
        return self._count

    def tick(self, now: datetime) -> None:
        """Advance the clock for running rows; repaints only their duration cells."""
        self._now = now
        for row in sorted(self._running):
            cell = self.index(row, Column.DURATION)
            self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.DisplayRole])

    def entry_at(self, row: int) -> Entry:
        return self._rows[row]

    def row_of(self, entry_id: int) -> int | None:
        for row, entry in enumerate(self._rows):
            if entry.id == entry_id:
                return row
        return None

    def entries(self) -> list[Entry]:
        return list(self._rows)

    def refresh_approval(self) -> None:
        """Repaint the Approval column after ``approval_label`` learnt something new."""
        self._texts = {}
        if self._rows:
            top = self.index(0, Column.APPROVAL)
            bottom = self.index(len(self._rows) - 1, Column.APPROVAL)
            self.dataChanged.emit(top, bottom, [Qt.ItemDataRole.DisplayRole])

    # -- cell contents ------------------------------------------------------

    def _display(self, entry: Entry, column: Column) -> str:
        if column == Column.DATE:
            return fmt.day(entry.start)
        if column == Column.START:
            return fmt.clock(entry.start)
        if column == Column.END:
            return fmt.end_clock(entry)
        if column == Column.DURATION:
            return fmt.hours(entry.seconds(self._now))
        if column == Column.PROJECT:
            return entry.project
        if column == Column.CLIENT:
            return entry.client or ""
        if column == Column.TASK:
            return entry.task or ""
        if column == Column.TAGS:
            return ", ".join(entry.tags)
        if column == Column.NOTE:
            return entry.note or ""
        if column == Column.SOURCE:
            return entry.source
        if column == Column.APPROVAL:
            return self.approval_label(entry) or ""
        return "✎" if entry.amended else ""

    def _sort_key(self, entry: Entry, column: Column) -> Any:
        if column in (Column.DATE, Column.START):
            return entry.start.timestamp()
        if column == Column.END:
            return entry.end.timestamp() if entry.end else float("inf")
        if column == Column.DURATION:
            return entry.seconds(self._now)
        if column == Column.AMENDED:
            return int(entry.amended)
        return self._display(entry, column).casefold()

    def _tooltip(self, entry: Entry, column: Column) -> str | None:
        if column == Column.AMENDED and entry.amended:
            return self.tr("Amended — Show history lists every version with its reason")
        if column in (Column.DATE, Column.START, Column.END):
            end = format_local(entry.end) if entry.end else self.tr("still running")
            return self.tr("Entry #{0}: {1} → {2}").format(entry.id, format_local(entry.start), end)
        if column == Column.NOTE and entry.note:
            return entry.note
        return None
