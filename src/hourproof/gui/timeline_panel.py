"""The "Timeline" tab: a day or a week of entries with the evidence beneath them.

Reads run off the UI thread (``services.timeline.load`` through the host's background
runner) and come back by signal. A click on a suggestion records it as an entry
citing its evidence; "Accept all shown" records every open suggestion in view;
dragging an entry's edge opens the amend dialog with the new time, where a reason
is required — the old version stays in the ledger.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.core.timeparse import local_day
from hourproof.gui import dialogs, fmt
from hourproof.gui.dialogs import AmendRequest, EntryDialog
from hourproof.gui.extensions import Host
from hourproof.gui.periods import Period
from hourproof.gui.shown import ReadWhenShown
from hourproof.gui.timeline import ACTIVITY, COMMIT, IDLE, TimelineView
from hourproof.services import suggestions, timeline
from hourproof.services.timeline import TimelineData

DAY, WEEK = "day", "week"
_SCROLL_STEPS = 96  # the hour scroll bar moves in quarter hours


def ask_amend_span(
    parent: QWidget | None, projects: list[tuple[str, str | None]], entry: Entry,
    begin: datetime | None, end: datetime | None, now: datetime,
) -> AmendRequest | None:  # fmt: skip
    """The amend dialog with the dragged time filled in; the user gives the reason."""
    dialog = EntryDialog(projects, now, entry, parent)
    if begin is not None:
        dialog.begin.setDateTime(QDateTime.fromSecsSinceEpoch(int(begin.timestamp())))
    if end is not None:
        dialog.end.setDateTime(QDateTime.fromSecsSinceEpoch(int(end.timestamp())))
    dialog.reason.setFocus()
    return dialog.amend_request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def period_of(mode: str, anchor: date) -> Period:
    if mode == DAY:
        return Period(anchor, anchor)
    monday = anchor - timedelta(days=anchor.weekday())
    return Period(monday, monday + timedelta(days=6))


class TimelinePanel(ReadWhenShown, QWidget):
    """Navigation, zoom and "accept all" around a TimelineView."""

    #: New data is shown (after each background read).
    loaded = Signal()
    #: Suggestions were recorded as entries: the list of entries.
    accepted = Signal(object)

    def __init__(self, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.mode = DAY
        self.anchor = local_day(host.controller.now())
        self.data: TimelineData | None = None
        self._stale = True
        self._loading = False
        self._again = False
        self._fit_next = True
        self._accepting = False
        self.view = TimelineView(self)
        self._build()
        self._connect()
        self._show_period()

    # -- construction ------------------------------------------------------------------

    def _button(self, text: str, tip: str, keys: str | None = None) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip + (f" ({QKeySequence(keys).toString()})" if keys else ""))
        button.setAccessibleName(tip)
        if keys:
            button.setShortcut(QKeySequence(keys))
        button.setAutoRaise(False)
        return button

    def _build(self) -> None:
        self.day_button = self._button(self.tr("Day"), self.tr("Show one day"))
        self.week_button = self._button(self.tr("Week"), self.tr("Show the week, Monday to Sunday"))
        modes = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            modes.addButton(button)
        self.day_button.setChecked(True)
        self.prev_button = self._button("◀", self.tr("Previous day or week"), "Alt+Left")
        self.today_button = self._button(self.tr("Today"), self.tr("Go to today"), "Alt+Home")
        self.next_button = self._button("▶", self.tr("Next day or week"), "Alt+Right")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.zoom_out_button = self._button("−", self.tr("Zoom out"), "Ctrl+-")
        self.zoom_in_button = self._button("+", self.tr("Zoom in"), "Ctrl++")
        self.fit_button = self._button(
            self.tr("Fit"), self.tr("Show the hours that hold anything"), "Ctrl+0"
        )
        self.accept_all_button = QPushButton(self.tr("Accept all shown"))
        self.accept_all_button.setToolTip(
            self.tr("Record every suggested session shown that no entry overlaps yet")
        )
        self.accept_all_button.setAccessibleName(self.tr("Accept all suggestions shown"))
        head = QHBoxLayout()
        for widget in (self.day_button, self.week_button):
            head.addWidget(widget)
        head.addSpacing(12)
        for widget in (self.prev_button, self.today_button, self.next_button):
            head.addWidget(widget)
        head.addSpacing(8)
        head.addWidget(self.title, 1)
        for widget in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            head.addWidget(widget)
        head.addSpacing(12)
        head.addWidget(self.accept_all_button)
        self.hour_scroll = QScrollBar(Qt.Orientation.Horizontal, self)
        self.hour_scroll.setAccessibleName(self.tr("Scroll the hours shown"))
        self.legend = QLabel(
            self.tr("Bars: entries · dashed: suggested sessions, click one to accept it · dotted: "
               "suggestions entries already cover · beneath: file activity, commits (ticks), "
               "time away (hatched). Drag an entry's edge to change it; Ctrl+wheel zooms.")
        )  # fmt: skip
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: palette(placeholder-text);")
        self.status = QLabel()
        self.status.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hour_scroll)
        layout.addWidget(self.status)
        layout.addWidget(self.legend)

    def _connect(self) -> None:
        self.day_button.clicked.connect(lambda: self.set_mode(DAY))
        self.week_button.clicked.connect(lambda: self.set_mode(WEEK))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(self.go_today)
        self.zoom_in_button.clicked.connect(lambda: self.view.zoom(1.5))
        self.zoom_out_button.clicked.connect(lambda: self.view.zoom(1 / 1.5))
        self.fit_button.clicked.connect(self.view.fit_to_data)
        self.accept_all_button.clicked.connect(self.accept_all_shown)
        self.view.accept_requested.connect(self.accept_one)
        self.view.amend_requested.connect(self.amend_span)
        self.view.entry_activated.connect(self.open_entry)
        self.view.view_changed.connect(self._sync_scroll)
        self.host.controller.ticked.connect(self._tick)
        self.hour_scroll.valueChanged.connect(self._scrolled)

    # -- period ------------------------------------------------------------------------

    def period(self) -> Period:
        return period_of(self.mode, self.anchor)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        (self.day_button if mode == DAY else self.week_button).setChecked(True)
        self._fit_next = True
        self._show_period()

    def step(self, direction: int) -> None:
        self.anchor += timedelta(days=direction * (1 if self.mode == DAY else 7))
        self._show_period()

    def go_today(self) -> None:
        self.anchor = local_day(self.host.controller.now())
        self._show_period()

    def show_day(self, day: date, mode: str | None = None) -> None:
        self.anchor = day
        if mode is not None:
            self.set_mode(mode)
        else:
            self._show_period()

    def _show_period(self) -> None:
        period = self.period()
        days = [period.first + timedelta(days=i) for i in range(period.days)]
        self.title.setText(period.describe())
        self.view.set_days(days)
        if self.data is not None and (self.data.lo, self.data.hi) != (period.lo, period.hi):
            self.view.set_data(None)
        self.mark_stale()

    # -- reading (off the UI thread) ------------------------------------------------------

    def reload(self) -> None:
        """Read the period in the background; a request while one runs reads once more."""
        if self._loading:
            self._again = True
            return
        self._stale = False
        self._loading = True
        period = self.period()
        self.status.setText(self.tr("Reading…"))
        self.host.controller.read(
            lambda app: timeline.load(app, period.lo, period.hi), self._loaded, self._load_failed
        )

    def _loaded(self, data: TimelineData) -> None:
        self._loading = False
        if self._again:
            self._again = False
            self.reload()
        if (data.lo, data.hi) != (self.period().lo, self.period().hi):
            return  # the user moved on; the next read is on its way
        self.data = data
        self.view.set_data(data)
        if self._fit_next:
            self._fit_next = False
            self.view.fit_to_data()
        self._show_status(data)
        self.loaded.emit()

    def _tick(self, now: datetime) -> None:
        """Once a minute, a running entry's bar and the now line move on (no reread)."""
        data = self.data
        if data is None or now - data.now < timedelta(minutes=1):
            return
        if any(e.end is None for e in data.entries) or data.lo <= now < data.hi:
            self.data = replace(data, now=now)
            self.view.set_data(self.data)

    def _load_failed(self, message: str) -> None:
        self._loading = False
        self.status.setText(message)
        self.host.show_error(message)

    def _show_status(self, data: TimelineData) -> None:
        claimed = sum(e.seconds(data.now) for e in data.entries)
        open_views = data.open_suggestions
        open_seconds = sum(v.suggestion.seconds for v in open_views)
        kinds = {ACTIVITY: 0, COMMIT: 0, IDLE: 0}
        for mark in data.marks:
            kind = {"file.activity": ACTIVITY, "git.commit": COMMIT}.get(mark.kind, IDLE)
            kinds[kind] += 1
        parts = [
            self.tr("{0} h in {1}").format(fmt.hours(claimed), _count(len(data.entries), "entry",
                                                                       "entries")),
            self.tr("{0} ({1} h)").format(_count(len(open_views), "open suggestion",
                                                 "open suggestions"), fmt.hours(open_seconds)),
            _count(kinds[ACTIVITY], "activity span", "activity spans"),
            _count(kinds[COMMIT], "commit", "commits"),
            _count(kinds[IDLE], "absence", "absences"),
        ]  # fmt: skip
        self.status.setText(" · ".join(parts))
        self.accept_all_button.setEnabled(bool(open_views) and not self._accepting)

    def _sync_scroll(self, first_hour: float, hours: float) -> None:
        self.hour_scroll.blockSignals(True)
        span = round(hours * 4)
        self.hour_scroll.setRange(0, _SCROLL_STEPS - span)
        self.hour_scroll.setPageStep(span)
        self.hour_scroll.setValue(round(first_hour * 4))
        self.hour_scroll.setVisible(span < _SCROLL_STEPS)
        self.hour_scroll.blockSignals(False)

    def _scrolled(self, value: int) -> None:
        self.view.set_view(value / 4, self.view.hours)

    # -- accepting -------------------------------------------------------------------------

    def accept_one(self, suggestion_id: str) -> bool:
        """Record one suggestion (asks first when entries already cover part of it)."""
        view = next((v for v in (self.data.suggestions if self.data else ())
                     if v.suggestion.id == suggestion_id), None)  # fmt: skip
        if view is None or self._accepting:
            return False
        if view.claimed_overlap > 0:
            question = self.tr(
                "Entries of {0} already cover {1} h of this {2} h session. Record it as an "
                "entry anyway?"
            ).format(view.suggestion.project, fmt.hours(view.claimed_overlap),
                     fmt.hours(view.suggestion.seconds))  # fmt: skip
            if not dialogs.confirm(self, self.tr("Accept suggestion"), question):
                return False
        return self._accept([suggestion_id])

    def accept_all_shown(self) -> bool:
        """Record every open suggestion of the period shown, after one confirmation."""
        views = self.data.open_suggestions if self.data else ()
        if not views or self._accepting:
            return False
        seconds = sum(v.suggestion.seconds for v in views)
        question = self.tr(
            "Record {0} suggested sessions ({1} h) as entries citing their evidence?"
        ).format(len(views), fmt.hours(seconds))
        if not dialogs.confirm(self, self.tr("Accept all shown"), question):
            return False
        return self._accept([v.suggestion.id for v in views])

    def _accept(self, ids: list[str]) -> bool:
        self._accepting = True
        self.accept_all_button.setEnabled(False)
        self.host.controller.write(
            "accept", lambda app: suggestions.accept_many(app, ids), self._accepted,
            self._accept_failed,
        )  # fmt: skip
        return True

    def _accepted(self, entries: list[Entry]) -> None:
        self._accepting = False
        self.mark_stale()
        if entries:
            text = self.tr("Recorded {0} suggested session(s) as entries").format(len(entries))
            self.host.window.statusBar().showMessage(text, 10_000)
        self.accepted.emit(entries)

    def _accept_failed(self, message: str) -> None:
        self._accepting = False
        self.mark_stale()
        self.host.show_error(message)

    # -- amending ----------------------------------------------------------------------------

    def _entry(self, entry_id: int) -> Entry | None:
        return next((e for e in (self.data.entries if self.data else ()) if e.id == entry_id),
                    None)  # fmt: skip

    def amend_span(self, entry_id: int, begin: Any, end: Any) -> None:
        """An edge was dragged: ask the reason (and let the user adjust), then amend."""
        entry = self._entry(entry_id)
        if entry is None:
            return
        c = self.host.controller
        request = ask_amend_span(self, c.recent_projects(), entry, begin, end, c.now())
        if request is None:
            self.view.update()
            return
        c.amend_entry(entry_id, request.reason, request.details, request.begin, request.end,
                      on_done=self.mark_stale)  # fmt: skip

    def open_entry(self, entry_id: int) -> None:
        entry = self._entry(entry_id)
        if entry is None:
            return
        c = self.host.controller
        request = dialogs.ask_amend(self, c.recent_projects(), entry, c.now())
        if request is not None:
            c.amend_entry(entry_id, request.reason, request.details, request.begin, request.end,
                          on_done=self.mark_stale)  # fmt: skip


def install(host: Host) -> None:
    """The "Timeline" tab, re-read whenever the ledger grows."""
    panel = TimelinePanel(host)
    host.add_tab(panel.tr("Timeline"), panel)
    host.controller.entries_changed.connect(panel.mark_stale)
    host.window.refresh_action.triggered.connect(panel.mark_stale)
