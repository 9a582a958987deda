"""Totals of the shown period (per project or per day), with amounts, as a read-only table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from hourproof.core.totals import TotalRow
from hourproof.gui import fmt
from hourproof.gui.i18n import QT_TRANSLATE_NOOP

Index = QModelIndex | QPersistentModelIndex


class TotalsColumn(IntEnum):
    PROJECT = 0
    ENTRIES = 1
    HOURS = 2
    AMOUNT = 3


TOTALS_HEADERS = {  # translated when shown (context "totals")
    TotalsColumn.PROJECT: QT_TRANSLATE_NOOP("totals", "Project"),
    TotalsColumn.ENTRIES: QT_TRANSLATE_NOOP("totals", "Entries"),
    TotalsColumn.HOURS: QT_TRANSLATE_NOOP("totals", "Hours"),
    TotalsColumn.AMOUNT: QT_TRANSLATE_NOOP("totals", "Amount"),
}
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


_COLUMNS = tuple(TotalsColumn)


class TotalsTableModel(QAbstractTableModel):
    """One row per group (project or day), then a bold grand total (absent when empty)."""

    def __init__(
        self, parent: Any = None, key_header: str = "Project",
        key_text: Callable[[str], str] = str,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.key_header = key_header
        self.key_text = key_text
        self._rows: list[TotalRow] = []
        self._total: TotalRow | None = None
        self._bold = QFont()
        self._bold.setBold(True)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return len(self._rows) + (1 if self._total is not None else 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TotalsColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(TotalsColumn):
            return None
        column = TotalsColumn(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TotalsColumn.PROJECT:
                return self.key_header
            return QCoreApplication.translate("totals", TOTALS_HEADERS[column])
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_LEFT if column == TotalsColumn.PROJECT else _RIGHT)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        if not (0 <= index.row() < self.rowCount() and 0 <= index.column() < len(TotalsColumn)):
            return None
        is_total = index.row() == len(self._rows)
        row = self._total if is_total else self._rows[index.row()]
        assert row is not None
        column = _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TotalsColumn.PROJECT:
                return self.tr("Total") if is_total else self.key_text(row.key)
            if column == TotalsColumn.ENTRIES:
                return str(row.entries)
            if column == TotalsColumn.HOURS:
                return fmt.hours(row.seconds)
            return fmt.amounts(row.amounts) or "—"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(_LEFT if column == TotalsColumn.PROJECT else _RIGHT)
        if role == Qt.ItemDataRole.FontRole and is_total:
            return self._bold
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and column == TotalsColumn.AMOUNT
            and not row.amounts
        ):
            return self.tr("No hourly rate set (hourproof rate --project NAME AMOUNT CURRENCY)")
        return None

    def set_totals(self, rows: Sequence[TotalRow], total: TotalRow) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._total = total if self._rows else None
        self.endResetModel()

    def total(self) -> TotalRow | None:
        return self._total
