"""The "Suggestions" tab: sessions worked out from commits and file activity.

For the period the window shows, it lists what ``services.evidence.suggestions``
finds beside how much of each is already claimed by entries of the same project.
Accepting one records it as an entry citing its evidence leaves; nothing becomes an
entry without the user's click. The list is read when the tab is visible and again
whenever the ledger grows or the period changes. Reads go through the controller's
reader thread and accepting through its writer thread, so a long evidence history never
stalls the UI; results come back by signal (``shown`` after a read, ``accepted`` with the
entries recorded).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hourproof.gui import dialogs, fmt
from hourproof.gui.extensions import Host
from hourproof.gui.i18n import QT_TRANSLATE_NOOP
from hourproof.gui.periods import Period
from hourproof.gui.shown import ReadWhenShown
from hourproof.services import evidence
from hourproof.services.evidence import SuggestionView

#: Column names (English keys; shown as QCoreApplication.translate("suggestions", name)).
HEADERS = (
    QT_TRANSLATE_NOOP("suggestions", "Date"), QT_TRANSLATE_NOOP("suggestions", "Start"),
    QT_TRANSLATE_NOOP("suggestions", "End"), QT_TRANSLATE_NOOP("suggestions", "Duration"),
    QT_TRANSLATE_NOOP("suggestions", "Already claimed"),
    QT_TRANSLATE_NOOP("suggestions", "Evidence"), QT_TRANSLATE_NOOP("suggestions", "Project"),
    QT_TRANSLATE_NOOP("suggestions", "Client"),
)  # fmt: skip
ID_ROLE = Qt.ItemDataRole.UserRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_MUTED = "color: palette(placeholder-text);"
_WIDTHS = {"Date": 100, "Start": 58, "End": 58, "Duration": 76, "Already claimed": 116,
           "Evidence": 76, "Project": 200}  # fmt: skip


def claimed_text(view: SuggestionView) -> str:
    """How much of the suggestion entries already cover: ``—``, ``0:45``, ``all``."""
    if view.claimed_overlap <= 0:
        return "—"
    if view.claimed_overlap >= view.suggestion.seconds:
        return QCoreApplication.translate("suggestions", "all")
    return fmt.hours(view.claimed_overlap)


def row_cells(view: SuggestionView) -> list[str]:
    s = view.suggestion
    return [
        fmt.day(s.start), fmt.clock(s.start), fmt.clock(s.end), fmt.hours(s.seconds),
        claimed_text(view), str(len(s.evidence)), s.project, s.client or "—",
    ]  # fmt: skip


class SuggestionsPanel(ReadWhenShown, QWidget):
    """Suggested sessions of the window's period, with "Accept"."""

    #: After a read's result is on screen.
    shown = Signal()
    #: The entries an "Accept" / "Accept all open" recorded.
    accepted = Signal(list)

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.views: list[SuggestionView] = []
        self._generation = 0  # a read's result is shown only if no newer read started
        self._stale = True
        self.title = QLabel()
        self.accept_button = QPushButton(self.tr("Accept"))
        self.accept_button.setToolTip(
            self.tr("Record the selected suggestion as an entry that cites its evidence")
        )
        self.accept_all_button = QPushButton(self.tr("Accept all open"))
        self.accept_all_button.setToolTip(
            self.tr("Record every suggestion of the period that no entry overlaps yet, in one go")
        )
        self.accept_all_button.setAccessibleName(self.tr("Accept all open suggestions"))
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.accept_all_button)
        head.addWidget(self.accept_button)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("suggestions")
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("suggestions", h) for h in HEADERS]
        )
        self.table.setAccessibleName(self.tr("Suggested sessions"))
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for name, width in _WIDTHS.items():
            header.resizeSection(HEADERS.index(name), width)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet(_MUTED + " font-size: 11pt;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self.footer.setStyleSheet(_MUTED)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.footer)
        self.accept_button.clicked.connect(self.accept_selected)
        self.accept_all_button.clicked.connect(self.accept_all_open)
        self.table.itemSelectionChanged.connect(self._update_button)
        self.table.itemActivated.connect(lambda *_: self.accept_selected())
        self._update_button()

    # -- when to read ------------------------------------------------------------------

    def period(self) -> Period:
        return self.host.window.entries.period()

    # -- showing --------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the suggestions of the window's period on the reader thread."""
        self._stale = False
        period = self.period()
        self._generation += 1
        generation = self._generation
        lo, hi = period.lo, period.hi

        def done(views: list[SuggestionView]) -> None:
            if generation == self._generation:
                self._show(views, period)

        def failed(message: str) -> None:
            if generation == self._generation:
                self.host.show_error(message)
                self._show([], period)

        self.host.controller.read(lambda app: evidence.suggestions(app, lo, hi), done, failed)

    def _show(self, views: list[SuggestionView], period: Period) -> None:
        selected = self.selected_id()
        self.views = sorted(views, key=lambda v: v.suggestion.start, reverse=True)
        self.title.setText(self.tr("<b>Suggested sessions</b> · {0}").format(period.describe()))
        self.table.setRowCount(len(self.views))
        muted = self.palette().brush(QPalette.ColorGroup.Active, QPalette.ColorRole.PlaceholderText)
        for row, view in enumerate(self.views):
            self._fill_row(row, view, muted)
            if view.suggestion.id == selected:
                self.table.selectRow(row)
        self.pages.setCurrentIndex(0 if self.views else 1)
        self.empty.setText(
            self.tr(
                "No suggestions in this period.\n\nRegister a git repository or watch a folder "
                "on the Evidence tab; sessions worked out from your commits and file activity "
                "show up here."
            )
        )
        self._show_footer()
        self._update_button()
        self.shown.emit()

    def _fill_row(self, row: int, view: SuggestionView, muted: QBrush) -> None:
        claimed = view.claimed_overlap >= view.suggestion.seconds
        for column, text in enumerate(row_cells(view)):
            item = QTableWidgetItem(text)
            item.setData(ID_ROLE, view.suggestion.id)
            if HEADERS[column] in ("Start", "End", "Duration", "Already claimed", "Evidence"):
                item.setTextAlignment(_RIGHT)
            if claimed:
                item.setForeground(muted)
            item.setToolTip(_tip(view, claimed))
            self.table.setItem(row, column, item)

    def _show_footer(self) -> None:
        total = sum(v.suggestion.seconds for v in self.views)
        open_seconds = sum(max(0, v.suggestion.seconds - v.claimed_overlap) for v in self.views)
        if not self.views:
            self.footer.setText("")
            return
        count = len(self.views)
        text = self.tr(
            "%n suggestion(s) · {0} h · {1} h not yet claimed by an entry. Accepting records "
            "an entry of source “suggested” that cites the evidence.", "", count
        )  # fmt: skip
        self.footer.setText(text.format(fmt.hours(total), fmt.hours(open_seconds)))

    def _update_button(self) -> None:
        self.accept_button.setEnabled(self.selected_id() is not None)
        self.accept_all_button.setEnabled(any(v.claimed_overlap == 0 for v in self.views))

    # -- accepting ---------------------------------------------------------------------------

    def selected_id(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        found = rows[0].data(ID_ROLE) if rows else None
        return str(found) if found else None

    def selected(self) -> SuggestionView | None:
        wanted = self.selected_id()
        return next((v for v in self.views if v.suggestion.id == wanted), None)

    def select(self, suggestion_id: str) -> bool:
        for row, view in enumerate(self.views):
            if view.suggestion.id == suggestion_id:
                self.table.selectRow(row)
                return True
        return False

    def accept_selected(self) -> bool:
        """Record the selected suggestion as an entry on the writer thread.

        Returns whether it was sent (False: nothing selected, or the user declined);
        ``accepted`` follows with the entry."""
        view = self.selected()
        if view is None:
            return False
        s = view.suggestion
        if view.claimed_overlap > 0:
            question = self.tr(
                "Entries of {0} already cover {1} of this {2} session. Record it as an entry "
                "anyway?"
            ).format(s.project, fmt.hours(view.claimed_overlap), fmt.hours(s.seconds))
            if not dialogs.confirm(self, self.tr("Accept suggestion"), question):
                return False
        span = f"{fmt.day(s.start)} {fmt.clock(s.start)}–{fmt.clock(s.end)}"
        suggestion_id = s.id

        def done(entry: Any) -> None:
            self.reload()
            text = self.tr("Recorded {0} {1} as entry #{2}").format(s.project, span, entry.id)
            self.host.window.statusBar().showMessage(text, 10_000)
            self.accepted.emit([entry])

        self._set_accepting(True)
        self.host.controller.write(
            "accept", lambda app: evidence.accept(app, suggestion_id), done, self._accept_failed
        )
        return True

    def _set_accepting(self, busy: bool) -> None:
        """No second click while an accept is on its way (the buttons come back on show)."""
        if busy:
            self.accept_button.setEnabled(False)
            self.accept_all_button.setEnabled(False)
        else:
            self._update_button()

    def _accept_failed(self, message: str) -> None:
        self.host.show_error(message)
        self.reload()

    def accept_all_open(self) -> bool:
        """Record every open suggestion shown (one confirmation) on the writer thread.

        Returns whether it was sent; ``accepted`` follows with the entries."""
        views = [v for v in self.views if v.claimed_overlap == 0]
        if not views:
            return False
        seconds = sum(v.suggestion.seconds for v in views)
        n = len(views)
        question = self.tr(
            "Record %n suggested session(s) ({0} h) as entries citing their evidence?", "", n
        ).format(fmt.hours(seconds))
        if not dialogs.confirm(self, self.tr("Accept all open"), question):
            return False
        ids = [v.suggestion.id for v in views]

        def done(entries: list[Any]) -> None:
            self.reload()
            recorded = len(entries)
            text = self.tr("Recorded %n suggested session(s) as entries", "", recorded)
            self.host.window.statusBar().showMessage(text, 10_000)
            self.accepted.emit(list(entries))

        self._set_accepting(True)
        self.host.controller.write(
            "accept", lambda app: evidence.accept_many(app, ids), done, self._accept_failed
        )
        return True


def _tip(view: SuggestionView, claimed: bool) -> str:
    count = len(view.suggestion.evidence)
    text = QCoreApplication.translate(
        "suggestions", "Worked out from %n evidence record(s) in the ledger", "", count
    )
    if claimed:
        text += QCoreApplication.translate(
            "suggestions", ";\nentries of this project already cover all of it"
        )
    return text


def install(host: Host) -> None:
    """The "Suggestions" tab, following the window's period and the ledger."""
    panel = SuggestionsPanel(host)
    host.add_tab(QCoreApplication.translate("suggestions", "Suggestions"), panel)
    entries = host.window.entries
    entries.period_box.currentIndexChanged.connect(panel.mark_stale)
    entries.first_day.dateChanged.connect(panel.mark_stale)
    entries.last_day.dateChanged.connect(panel.mark_stale)
    host.controller.entries_changed.connect(panel.mark_stale)
    host.window.refresh_action.triggered.connect(panel.mark_stale)
