"""The strip at the top of the main window: the running timer, or a quick Start.

Elapsed time is computed from the running entry's start and the current time on
each tick, so the display updates every second without touching the database.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.gui import fmt
from hourproof.gui.dialogs import ProjectCombo, Projects
from hourproof.services.tracking import Status

_STYLE = """
#timerBar { border: 1px solid palette(mid); border-radius: 8px; background: palette(base); }
#timerBar[running="true"] { border: 2px solid palette(highlight);
                            background: palette(alternate-base); }
#dot { color: palette(highlight); }
#muted { color: palette(placeholder-text); }
QPushButton#primary { background: palette(highlight); color: palette(highlighted-text);
                      border: 1px solid palette(dark); border-radius: 4px; padding: 5px 18px;
                      font-weight: bold; }
QPushButton#primary:hover { border-color: palette(window-text); }
QPushButton#primary:pressed { background: palette(dark); }
"""


class TimerBar(QFrame):
    """Shows project, details and elapsed time with Stop; or a project box with Start."""

    start_requested = Signal(str)
    start_with_details = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timerBar")
        self.setStyleSheet(_STYLE)
        self.running: Entry | None = None
        self._today = 0
        self._today_at: datetime | None = None
        self.pages = QStackedWidget()
        self.pages.addWidget(self._idle_page())
        self.pages.addWidget(self._running_page())
        self.pages.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.today = QLabel()
        self.today.setObjectName("muted")
        self.today.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(16)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.today)

    def _idle_page(self) -> QWidget:
        page = QWidget()
        self.idle_label = QLabel(self.tr("No timer running"))
        self.idle_label.setObjectName("muted")
        self.project = ProjectCombo([], page)
        self.project.setMinimumWidth(260)
        self.project.setMaximumWidth(420)
        line = self.project.lineEdit()
        assert line is not None  # editable
        line.returnPressed.connect(self._start_clicked)
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setObjectName("primary")
        self.start_button.setDefault(False)
        self.start_button.setToolTip(self.tr("Start a timer for this project (Enter)"))
        self.start_button.clicked.connect(self._start_clicked)
        self.start_button.setAccessibleName(self.tr("Start timer"))
        self.project.setAccessibleName(self.tr("Project to start"))
        self.details_button = QPushButton(self.tr("Start with details…"))
        self.details_button.clicked.connect(self.start_with_details)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.idle_label)
        row.addSpacing(8)
        row.addWidget(self.project, 1)
        row.addWidget(self.start_button)
        row.addWidget(self.details_button)
        row.addStretch(1)
        return page

    def _running_page(self) -> QWidget:
        page = QWidget()
        dot = QLabel("●")
        dot.setObjectName("dot")
        self.title = QLabel()
        big = QFont(self.title.font())
        big.setPointSizeF(big.pointSizeF() * 1.25)
        big.setBold(True)
        self.title.setFont(big)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("muted")
        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.addWidget(self.title)
        texts.addWidget(self.subtitle)
        self.elapsed = QLabel("0:00:00")
        clock = QFont(big)
        clock.setPointSizeF(big.pointSizeF() * 1.3)
        clock.setStyleHint(QFont.StyleHint.Monospace)
        clock.setFamilies(["DejaVu Sans Mono", "Menlo", "Consolas", "monospace"])
        self.elapsed.setFont(clock)
        self.elapsed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("primary")
        self.stop_button.setToolTip(self.tr("Stop the timer (Ctrl+Shift+T)"))
        self.stop_button.setMinimumWidth(90)
        self.stop_button.clicked.connect(self.stop_requested)
        self.stop_button.setAccessibleName(self.tr("Stop timer"))
        self.elapsed.setAccessibleName(self.tr("Elapsed time"))
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(dot)
        row.addLayout(texts, 1)
        row.addWidget(self.elapsed)
        row.addSpacing(8)
        row.addWidget(self.stop_button)
        return page

    def _start_clicked(self) -> None:
        self.start_requested.emit(self.project.project())

    def set_projects(self, projects: Projects) -> None:
        self.project.set_projects(projects)

    def set_status(self, status: Status) -> None:
        self.running = status.running
        self._today, self._today_at = status.today_seconds, status.now
        self.setProperty("running", status.running is not None)
        self.style().unpolish(self)
        self.style().polish(self)
        if status.running is None:
            self.pages.setCurrentIndex(0)
        else:
            entry = status.running
            self.pages.setCurrentIndex(1)
            self.title.setText(entry.project)
            bits = [entry.client, entry.task, ", ".join(entry.tags) or None]
            started = self.tr("since {0}").format(fmt.clock(entry.start))
            self.subtitle.setText(" · ".join([b for b in bits if b] + [started]))
        self.tick(status.now)

    def tick(self, now: datetime) -> None:
        """Repaint elapsed and today's total from memory (no database)."""
        today = self._today
        if self.running is not None:
            self.elapsed.setText(fmt.elapsed(self.running.seconds(now)))
            if self._today_at is not None:
                today += max(0, int((now - self._today_at).total_seconds()))
        self.today.setText(self.tr("Today  {0}").format(fmt.hours(today)))
