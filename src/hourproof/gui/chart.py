"""A small bar chart of totals (hours per day or week), painted with QPainter.

Colours come from the widget's palette (highlight for bars, mid for the axis), so
it follows the system's light or dark theme; each bar has a tooltip with its value.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, QRectF, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from hourproof.core.totals import TotalRow
from hourproof.gui import fmt


class BarChart(QWidget):
    """Bars of ``TotalRow.seconds``, labelled with ``label(key)`` under each bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[TotalRow] = []
        self.label: Callable[[str], str] = str
        self.setMinimumSize(160, 90)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Hours chart"))

    def sizeHint(self) -> QSize:
        return QSize(320, 140)

    def set_rows(self, rows: Sequence[TotalRow], label: Callable[[str], str] = str) -> None:
        self.rows = list(rows)
        self.label = label
        total = sum(r.seconds for r in self.rows)
        self.setAccessibleDescription(
            self.tr("%n bar(s), %1 hours in all", "", len(self.rows)).replace(
                "%1", fmt.hours(total)
            )
        )
        self.update()

    def bar_rects(self) -> list[QRectF]:
        """Where each bar is drawn (also used for tooltips and tests)."""
        if not self.rows:
            return []
        text_h = self.fontMetrics().height()
        plot = QRectF(4, 4, self.width() - 8, self.height() - 8 - text_h)
        top = max(r.seconds for r in self.rows) or 1
        slot = plot.width() / len(self.rows)
        gap = min(6.0, slot * 0.25)
        rects = []
        for i, row in enumerate(self.rows):
            h = plot.height() * row.seconds / top
            rects.append(QRectF(plot.left() + i * slot + gap / 2, plot.bottom() - h, slot - gap, h))
        return rects

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        rects = self.bar_rects()
        if not rects:
            painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No hours"))
            return
        baseline = rects[0].bottom()
        painter.setPen(pal.color(QPalette.ColorRole.Mid))
        painter.drawLine(QPoint(2, int(baseline)), QPoint(self.width() - 2, int(baseline)))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(pal.color(QPalette.ColorRole.Highlight))
        for rect in rects:
            painter.drawRoundedRect(rect, 2, 2)
        painter.setPen(pal.color(QPalette.ColorRole.WindowText))
        metrics = self.fontMetrics()
        every = max(1, -(-len(rects) * metrics.horizontalAdvance("Mon 30") // self.width()))
        for i, (rect, row) in enumerate(zip(rects, self.rows, strict=True)):
            if i % every:
                continue
            text = metrics.elidedText(self.label(row.key), Qt.TextElideMode.ElideRight,
                                      int(rect.width() * every + 4))  # fmt: skip
            area = QRectF(rect.center().x() - rect.width() * every / 2 - 2, baseline + 1,
                          rect.width() * every + 4, metrics.height())  # fmt: skip
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, text)

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            for rect, row in zip(self.bar_rects(), self.rows, strict=True):
                if rect.adjusted(-2, -200, 2, 0).contains(event.pos().toPointF()):
                    amounts = fmt.amounts(row.amounts)
                    text = f"{self.label(row.key)}: {fmt.hours(row.seconds)} h"
                    QToolTip.showText(
                        event.globalPos(), text + (f" · {amounts}" if amounts else "")
                    )
                    return True
            QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]
