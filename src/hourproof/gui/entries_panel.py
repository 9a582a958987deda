"""The "Entries" panel: period and filters, the entries table, totals and a chart.

Every read runs on the controller's reader thread: a reload asks for the first page
of entries, the count and the SQL totals in one job and shows them when they arrive
(a newer reload makes an older answer void). The table pages in more rows as the
user scrolls and is sorted by SQL. It remembers the selected entry across reloads;
it changes nothing itself.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QDate,
    QItemSelectionModel,
    QSettings,
    Qt,
    QTimer,
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
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.core.timeparse import local_day
from hourproof.core.totals import TotalRow
from hourproof.gui import fmt
from hourproof.gui.chart import BarChart
from hourproof.gui.controller import Controller
from hourproof.gui.entry_model import ENTRY_ROLE, PAGE_SIZE, Column, EntryTableModel
from hourproof.gui.i18n import QT_TRANSLATE_NOOP
from hourproof.gui.periods import PERIOD_CHOICES, Period, period_for
from hourproof.gui.totals_model import TotalsColumn, TotalsTableModel
from hourproof.services import browse
from hourproof.services.app import App
from hourproof.services.browse import NO_CLIENT, EntryQuery

_MUTED = "color: palette(placeholder-text);"
_WIDTHS = {
    Column.DATE: 100, Column.START: 58, Column.END: 74, Column.DURATION: 76,
    Column.PROJECT: 150, Column.CLIENT: 120, Column.TASK: 160, Column.TAGS: 120,
    Column.SOURCE: 72, Column.AMENDED: 56, Column.APPROVAL: 84,
}  # fmt: skip
_EMPTY_WHEN = {  # shown through EntriesPanel.tr
    "today": QT_TRANSLATE_NOOP("EntriesPanel", "today"),
    "custom": QT_TRANSLATE_NOOP("EntriesPanel", "in these days"),
}
GROUP_CHOICES = (
    ("project", QT_TRANSLATE_NOOP("EntriesPanel", "Project")),
    ("client", QT_TRANSLATE_NOOP("EntriesPanel", "Client")),
    ("day", QT_TRANSLATE_NOOP("EntriesPanel", "Day")),
    ("week", QT_TRANSLATE_NOOP("EntriesPanel", "Week")),
)
#: Text typed in the search box is applied after this pause.
SEARCH_DELAY_MS = 250


class Loaded:
    """What one reload read: the first page, totals, chart rows and the clients."""

    def __init__(
        self, page: browse.Page, totals: tuple[list[TotalRow], TotalRow],
        chart: list[TotalRow], clients: list[str],
    ) -> None:  # fmt: skip
        self.page, self.totals, self.chart, self.clients = page, totals, chart, clients


def _week_label(key: str) -> str:
    return key.replace("-W", " wk ")


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
    #: A reload's first page of entries is shown.
    page_shown = Signal()
    #: A reload's totals and chart are shown too.
    reloaded = Signal()

    def __init__(
        self, controller: Controller, toolbar: QToolBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.controller = controller
        self._generation = 0
        self._pending_select: int | None = None
        self.period_box = QComboBox()
        self.period_box.setAccessibleName(self.tr("Period"))
        for key, label in PERIOD_CHOICES:
            self.period_box.addItem(QCoreApplication.translate("periods", label), key)
        self.first_day, self.last_day = QDateEdit(), QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd dd MMM yyyy")
            edit.setDate(QDate.currentDate())
            edit.setVisible(False)
        self.first_day.setAccessibleName(self.tr("First day"))
        self.last_day.setAccessibleName(self.tr("Last day"))
        self.range_label = QLabel()
        head = QHBoxLayout()
        period_label = QLabel(self.tr("&Period:"))
        period_label.setBuddy(self.period_box)
        head.addWidget(period_label)
        head.addWidget(self.period_box)
        head.addWidget(self.first_day)
        head.addWidget(self.last_day)
        head.addSpacing(8)
        head.addWidget(self.range_label)
        head.addStretch(1)
        head.addWidget(toolbar)
        filters = self._filters()

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
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        self.period_box.currentIndexChanged.connect(self._period_changed)
        self.first_day.dateChanged.connect(self.reload)
        self.last_day.dateChanged.connect(self.reload)
        self.client_box.currentIndexChanged.connect(self.reload)
        self.project_box.currentIndexChanged.connect(self.reload)
        self.group_box.currentIndexChanged.connect(self.reload)
        self._search_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.model.sort_requested.connect(lambda *_: self.reload())
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.activated.connect(lambda *_: self.activated.emit(self.selected_entry()))

    def _filters(self) -> QHBoxLayout:
        self.client_box = QComboBox()
        self.client_box.setAccessibleName(self.tr("Client filter"))
        self.client_box.addItem(self.tr("All clients"), None)
        self.project_box = QComboBox()
        self.project_box.setAccessibleName(self.tr("Project filter"))
        self.project_box.addItem(self.tr("All projects"), None)
        for box in (self.client_box, self.project_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            box.setMinimumContentsLength(12)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search project, client, task, note, tags"))
        self.search.setAccessibleName(self.tr("Search entries"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        row = QHBoxLayout()
        label = QLabel(self.tr("&Show:"))
        label.setBuddy(self.client_box)
        row.addWidget(label)
        row.addWidget(self.client_box)
        row.addWidget(self.project_box)
        row.addWidget(self.search, 1)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(_MUTED)
        row.addWidget(self.count_label)
        return row

    def _fetch(self, query: EntryQuery, offset: int, limit: int, deliver: object) -> None:
        self.controller.read(lambda app: browse.page(app, query, offset, limit), deliver)  # type: ignore[arg-type]

    def _entries_area(self) -> QWidget:
        self.model = EntryTableModel(self, self._fetch)
        self.table = _table(QTableView())
        self.table.setObjectName("entries")
        self.table.setAccessibleName(self.tr("Entries"))
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
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
        header.sortIndicatorChanged.connect(self._keep_sortable)
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
        view.setAccessibleName(self.tr("Totals"))
        view.setModel(model)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header = view.horizontalHeader()
        # Widths from the font, not ResizeToContents: that asks the model for every cell
        # on the first paint (4,496 data() calls at start-up, gui-perf's measurement).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TotalsColumn.PROJECT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(64)
        metrics = view.fontMetrics()
        pad = 3 * metrics.horizontalAdvance("0")
        for column, sample in (
            (TotalsColumn.ENTRIES, "000000"),
            (TotalsColumn.HOURS, "00000:00"),
            (TotalsColumn.AMOUNT, "000,000.00 EUR, 00,000.00 USD"),
        ):
            header.resizeSection(column, metrics.horizontalAdvance(sample) + pad)
        return view

    def _totals_area(self) -> QWidget:
        self.totals_model = TotalsTableModel(self)
        self.totals = self._totals_table(self.totals_model, "totals")
        self.group_box = QComboBox()
        self.group_box.setAccessibleName(self.tr("Group totals by"))
        for key, label in GROUP_CHOICES:
            self.group_box.addItem(self.tr(label), key)
        self.totals_title = QLabel()
        self.chart = BarChart()
        self.chart_title = QLabel()
        title = QHBoxLayout()
        by_label = QLabel(self.tr("Totals &by"))
        by_label.setBuddy(self.group_box)
        title.addWidget(by_label)
        title.addWidget(self.group_box)
        title.addWidget(self.totals_title)
        title.addStretch(1)
        area = QWidget()
        grid = QGridLayout(area)
        grid.setContentsMargins(0, 8, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.addLayout(title, 0, 0)
        grid.addWidget(self.chart_title, 0, 1)
        grid.addWidget(self.totals, 1, 0)
        grid.addWidget(self.chart, 1, 1)
        #: "Acme: approved through log size N on DATE (H h)" (gui/approval_dialogs.py).
        self.approval_line = QLabel()
        self.approval_line.setObjectName("approvalLine")
        self.approval_line.setWordWrap(True)
        self.approval_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.approval_line.setVisible(False)
        grid.addWidget(self.approval_line, 2, 0, 1, 2)
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

    def query(self) -> EntryQuery:
        """The entries the panel shows: period, filters and the table's sort order."""
        period = self.period()
        text = self.search.text().strip()
        return EntryQuery(
            lo=period.lo, hi=period.hi,
            client=self.client_box.currentData(), project=self.project_box.currentData(),
            text=text or None, sort=self.model.sort_key(), descending=self.model.descending(),
        )  # fmt: skip

    def grouping(self) -> str:
        return str(self.group_box.currentData())

    def reload(self) -> None:
        """Ask for the first page, the count and the totals (shown when they arrive)."""
        self._search_timer.stop()
        period = self.period()
        self.range_label.setText(period.describe())
        query, by = self.query(), self.grouping()
        chart_by = "day" if period.days <= 31 else "week"
        self._generation += 1
        generation = self._generation
        selected = self.selected_entry()
        if selected is not None and self._pending_select is None:
            self._pending_select = selected.id

        def read_page(app: App) -> tuple[browse.Page, list[str]]:
            return browse.first_page(app, query, PAGE_SIZE), browse.clients(app)

        def read_totals(app: App) -> Loaded:
            totals = browse.totals(app, query, by)
            chart = totals[0] if chart_by == by else browse.totals(app, query, chart_by)[0]
            return Loaded(browse.Page(query, 0, []), totals, chart, [])

        # The table first (a page is quick); the totals and chart follow in a second job.
        self.controller.read(read_page, lambda found: self._show_page(generation, *found))
        self.controller.read(
            read_totals, lambda loaded: self._show_totals(generation, loaded, chart_by)
        )

    def _show_page(self, generation: int, page: browse.Page, clients: list[str]) -> None:
        if generation != self._generation:
            return  # a newer reload is on its way
        self.model.set_page(page.query, page.count, page.rows, self.controller.now())
        self._fill_filters(clients)
        self.count_label.setText(self.tr("%n entr(y|ies)", "", page.count))
        key = str(self.period_box.currentData())
        when = (
            self.tr(_EMPTY_WHEN[key])
            if key in _EMPTY_WHEN
            else self.period_box.currentText().lower()
        )
        filtered = page.query.client or page.query.project or page.query.text
        self.empty.setText(
            self.tr("No entries match the filters.")
            if filtered
            else self.tr(
                "No entries %1.\n\nStart a timer above, or add an entry you forgot (Ctrl+N)."
            ).replace("%1", when)
        )
        self.pages.setCurrentIndex(0 if page.count else 1)
        self.totals_area.setVisible(bool(page.count))  # the hint alone reads better
        wanted, self._pending_select = self._pending_select, None
        if wanted is not None:
            self.select_entry(wanted)
        self._selection_changed()
        self.page_shown.emit()

    def _show_totals(self, generation: int, loaded: Loaded, chart_by: str) -> None:
        if generation != self._generation:
            return
        by = self.grouping()
        self.totals_model.key_header = self.group_box.currentText()
        self.totals_model.key_text = (
            fmt.day_key if by == "day" else _week_label if by == "week" else str
        )
        self.totals_model.set_totals(*loaded.totals)
        total = loaded.totals[1]
        amounts = fmt.amounts(total.amounts)
        self.totals_title.setText(
            "<b>"
            + self.tr("{0} h").format(fmt.hours(total.seconds))
            + "</b>"
            + (f" · {amounts}" if amounts else "")
        )
        self.chart_title.setText(
            self.tr("<b>Hours per day</b>")
            if chart_by == "day"
            else self.tr("<b>Hours per week</b>")
        )
        self.chart.set_rows(loaded.chart, fmt.day_key if chart_by == "day" else _week_label)
        self.reloaded.emit()

    def _fill_filters(self, clients: list[str]) -> None:
        """Keep the filter choices in step with the store (keeping what is chosen)."""
        projects = sorted({name for name, _ in self.controller.recent_projects()}, key=str.casefold)
        for box, names in ((self.client_box, [*clients, NO_CLIENT]), (self.project_box, projects)):
            current = box.currentData()
            have = [box.itemData(i) for i in range(1, box.count())]
            if have == names:
                continue
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            for name in names:
                box.addItem(name, name)
            index = box.findData(current) if current is not None else 0
            box.setCurrentIndex(max(index, 0))
            box.blockSignals(False)

    def select_later(self, entry_id: int) -> None:
        """Select this entry once the next reload shows it."""
        self._pending_select = entry_id

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
        index = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        self.table.selectionModel().select(index, flags | QItemSelectionModel.SelectionFlag.Rows)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _keep_sortable(self, column: int, _order: Qt.SortOrder) -> None:
        """A click on a column the store cannot sort by keeps the current order shown."""
        if column == Column.APPROVAL:
            header = self.table.horizontalHeader()
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column, self.model.sort_order)
            header.blockSignals(False)

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
        group = settings.value("totals/by", "project")
        self.group_box.setCurrentIndex(max(self.group_box.findData(group), 0))
        self.set_period(str(settings.value("period/key", "this_week")))
        self._period_changed()

    def save(self, settings: QSettings) -> None:
        settings.setValue("entries/splitter", self.splitter.saveState())
        settings.setValue("entries/header", self.table.horizontalHeader().saveState())
        settings.setValue("period/key", self.period_box.currentData())
        settings.setValue("totals/by", self.group_box.currentData())
        settings.setValue("period/first", self.first_day.date())
        settings.setValue("period/last", self.last_day.date())
