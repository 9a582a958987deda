"""The "Entries" panel: a period selector, the entries table and per-project totals.

It shows what the controller returns for the chosen period and remembers which
entry was selected across reloads; it changes nothing itself.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QByteArray,
    QDate,
    QItemSelectionModel,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.core.timeparse import local_day
from hourproof.gui import fmt
from hourproof.gui.controller import Controller
from hourproof.gui.entry_model import ENTRY_ROLE, SORT_ROLE, Column, EntryTableModel
from hourproof.gui.periods import PERIOD_CHOICES, Period, period_for
from hourproof.gui.totals_model import TotalsColumn, TotalsTableModel

_MUTED = "color: palette(placeholder-text);"
_WIDTHS = {
    Column.DATE: 100, Column.START: 58, Column.END: 74, Column.DURATION: 76,
    Column.PROJECT: 150, Column.CLIENT: 120, Column.TASK: 160, Column.TAGS: 120,
    Column.SOURCE: 72, Column.AMENDED: 56,
}  # fmt: skip
_EMPTY_WHEN = {"today": "today", "custom": "in these days"}


def _table(view: QTableView) -> QTableView:
    view.verticalHeader().setVisible(False)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    return view


class EntriesPanel(QWidget):
    """Period selector, entries table (sortable, newest first) and totals."""

    #: The selected entry changed (None when nothing is selected).
    selection_changed = Signal(object)
    #: A row was double-clicked or Enter pressed on it.
    activated = Signal(object)

    def __init__(
        self, controller: Controller, toolbar: QToolBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self.period_box = QComboBox()
        for key, label in PERIOD_CHOICES:
            self.period_box.addItem(label, key)
        self.first_day, self.last_day = QDateEdit(), QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd dd MMM yyyy")
            edit.setDate(QDate.currentDate())
            edit.setVisible(False)
        self.range_label = QLabel()
        head = QHBoxLayout()
        period_label = QLabel("&Period:")
        period_label.setBuddy(self.period_box)
        head.addWidget(period_label)
        head.addWidget(self.period_box)
        head.addWidget(self.first_day)
        head.addWidget(self.last_day)
        head.addSpacing(8)
        head.addWidget(self.range_label)
        head.addStretch(1)
        head.addWidget(toolbar)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("entriesSplitter")
        self.splitter.addWidget(self._entries_area())
        self.totals_area = self._totals_area()
        self.splitter.addWidget(self.totals_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([440, 200])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.splitter, 1)

        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.first_day.dateChanged.connect(self.reload)
        self.last_day.dateChanged.connect(self.reload)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda *_: self.activated.emit(self.selected_entry()))

    def _entries_area(self) -> QWidget:
        self.model = EntryTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = _table(QTableView())
        self.table.setObjectName("entries")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.NOTE, QHeaderView.ResizeMode.Stretch)
        for column, width in _WIDTHS.items():
            header.resizeSection(column, width)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(_MUTED + " font-size: 11pt;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        return self.pages

    def _totals_table(self, model: TotalsTableModel, name: str) -> QTableView:
        view = _table(QTableView())
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TotalsColumn.PROJECT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(64)
        return view

    def _totals_area(self) -> QWidget:
        self.totals_model = TotalsTableModel(self)
        self.days_model = TotalsTableModel(self, "Day", fmt.day_key)
        self.totals = self._totals_table(self.totals_model, "totals")
        self.days = self._totals_table(self.days_model, "days")
        self.totals_title = QLabel()
        area = QWidget()
        grid = QGridLayout(area)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.addWidget(self.totals_title, 0, 0)
        grid.addWidget(QLabel("<b>By day</b>"), 0, 1)
        grid.addWidget(self.totals, 1, 0)
        grid.addWidget(self.days, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        return area

    # -- the period ---------------------------------------------------------------

    def period(self) -> Period:
        today = local_day(self.controller.now())
        first = self.first_day.date().toPython()
        last = self.last_day.date().toPython()
        return period_for(str(self.period_box.currentData()), today, first, last)  # type: ignore[arg-type]

    def set_period(self, key: str) -> None:
        self.period_box.setCurrentIndex(max(self.period_box.findData(key), 0))

    def _period_changed(self, *_: object) -> None:
        custom = self.period_box.currentData() == "custom"
        for edit in (self.first_day, self.last_day):
            edit.setVisible(custom)
        self.range_label.setVisible(not custom)
        self.reload()

    # -- contents ---------------------------------------------------------------------

    def reload(self) -> None:
        """Entries and totals of the period, from the service layer."""
        period = self.period()
        key = str(self.period_box.currentData())
        self.range_label.setText(period.describe())
        selected = self.selected_entry()
        now = self.controller.now()
        entries = self.controller.entries(period.lo, period.hi)
        self.model.set_entries(entries, now)
        for model, by in ((self.totals_model, "project"), (self.days_model, "day")):
            report = self.controller.totals(period.lo, period.hi, by)
            if report is not None:
                model.set_totals(*report)
        total = self.totals_model.total()
        self.totals_title.setText(
            f"<b>By project</b> · {fmt.hours(total.seconds if total else 0)} h"
        )
        when = _EMPTY_WHEN.get(key, self.period_box.currentText().lower())
        self.empty.setText(
            f"No entries {when}.\n\nStart a timer above, or add an entry you forgot (Ctrl+N)."
        )
        self.pages.setCurrentIndex(0 if entries else 1)
        self.totals_area.setVisible(bool(entries))  # the hint alone reads better than empty tables
        if selected is not None:
            self.select_entry(selected.id)
        self._selection_changed()

    def tick(self, now: datetime) -> None:
        self.model.tick(now)

    # -- selection ---------------------------------------------------------------------

    def selected_entry(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        entry = rows[0].data(ENTRY_ROLE) if rows else None
        return entry if isinstance(entry, Entry) else None

    def select_entry(self, entry_id: int) -> bool:
        row = self.model.row_of(entry_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.table.selectionModel().select(index, flags | QItemSelectionModel.SelectionFlag.Rows)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _selection_changed(self, *_: object) -> None:
        self.selection_changed.emit(self.selected_entry())

    # -- settings -------------------------------------------------------------------------

    def restore(self, settings: QSettings) -> None:
        for key, widget in (
            ("entries/splitter", self.splitter), ("entries/header", self.table.horizontalHeader()),
        ):  # fmt: skip
            value = settings.value(key)
            if isinstance(value, QByteArray) and not value.isEmpty():
                widget.restoreState(value)
        for key, edit in (("period/first", self.first_day), ("period/last", self.last_day)):
            value = settings.value(key)
            if isinstance(value, QDate) and value.isValid():
                edit.setDate(value)
        self.set_period(str(settings.value("period/key", "this_week")))
        self._period_changed()

    def save(self, settings: QSettings) -> None:
        settings.setValue("entries/splitter", self.splitter.saveState())
        settings.setValue("entries/header", self.table.horizontalHeader().saveState())
        settings.setValue("period/key", self.period_box.currentData())
        settings.setValue("period/first", self.first_day.date())
        settings.setValue("period/last", self.last_day.date())
