"""An entry's history: every ledger version, oldest first, with the reasons for changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.core.timeparse import format_local, from_rfc3339
from hourproof.gui import fmt
from hourproof.services.tracking import Version

_KIND_LABELS = {  # translated where shown (context "history")
    "entry.start": str(QT_TRANSLATE_NOOP("history", "Timer started")),
    "entry.stop": str(QT_TRANSLATE_NOOP("history", "Timer stopped")),
    "entry.add": str(QT_TRANSLATE_NOOP("history", "Added")),
    "entry.amend": str(QT_TRANSLATE_NOOP("history", "Amended")),
    "entry.remove": str(QT_TRANSLATE_NOOP("history", "Removed")),
    "import": str(QT_TRANSLATE_NOOP("history", "Imported")),
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("history", text)


def _stamp(value: object) -> str:
    return format_local(from_rfc3339(value)) if isinstance(value, str) and value else "—"


def _span(start: object, end: object) -> str:
    """``2026-11-24 16:30–17:30`` (the end's date only when it differs)."""
    begin = _stamp(start)
    if not isinstance(end, str) or not end:
        return f"{begin} –"
    finish = _stamp(end)
    same_day = finish[:10] == begin[:10]
    return f"{begin}–{finish[11:] if same_day else ' ' + finish}"


def describe_version(leaf: dict[str, Any]) -> str:
    """What one version of an entry says, in words."""
    kind = leaf.get("kind")
    if kind == "entry.amend":
        changes = leaf.get("changes") or {}
        parts = []
        for name, value in changes.items():
            if name in ("start", "end"):
                value = _stamp(value)
            elif name == "tags":
                value = ", ".join(value or ()) or "none"
            parts.append(f"{name} → {value if value not in (None, '') else 'none'}")
        reason = QCoreApplication.translate("history", "Reason: {0}").format(leaf.get("reason"))
        return f"{reason}\n" + "; ".join(parts)
    if kind == "entry.remove":
        return QCoreApplication.translate("history", "Reason: {0}").format(leaf.get("reason"))
    if kind == "entry.stop":
        note = leaf.get("note")
        if note:
            return QCoreApplication.translate("history", "ended {0}; note: {1}").format(
                _stamp(leaf.get("end")), note
            )
        return QCoreApplication.translate("history", "ended {0}").format(_stamp(leaf.get("end")))
    parts = [str(leaf.get("project", ""))]
    if leaf.get("client"):
        parts[0] += f" ({leaf['client']})"
    parts.append(_span(leaf.get("start"), leaf.get("end")))
    parts.extend(str(leaf[k]) for k in ("task", "note") if leaf.get(k))
    if leaf.get("tags"):
        tags = ", ".join(leaf["tags"])
        parts.append(QCoreApplication.translate("history", "tags: {0}").format(tags))
    return " · ".join(parts)


class HistoryDialog(QDialog):
    """Every ledger version of one entry, oldest first, with reasons."""

    def __init__(
        self, entry: Entry, versions: Sequence[Version], now: datetime,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("History of entry #{0}").format(entry.id))
        state = (
            self.tr("removed") if entry.removed
            else self.tr("amended") if entry.amended else self.tr("as recorded")
        )  # fmt: skip
        head = QLabel(f"<b>{_html(fmt.summary(entry, now))}</b> — {state}")
        head.setWordWrap(True)
        self.table = QTableWidget(len(versions), 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Leaf"), self.tr("Recorded"), self.tr("Change"), self.tr("Details")]
        )
        self.table.setAccessibleName(self.tr("Versions of the entry"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, version in enumerate(versions):
            cells = (
                f"#{version.seq}", format_local(from_rfc3339(version.recorded_at)),
                _tr(_KIND_LABELS[version.kind]) if version.kind in _KIND_LABELS else version.kind,
                describe_version(version.leaf),
            )  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
                else:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.resizeRowsToContents()
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setMinimumHeight(min(360, rows_height + header.height() + 8))
        foot = QLabel(
            self.tr(
                "Every version stays in the signed ledger; amendments and removals carry "
                "their reasons and are part of any proof you export."
            )
        )
        foot.setWordWrap(True)
        foot.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.table, 1)
        layout.addWidget(foot)
        layout.addWidget(buttons)
        self.resize(780, 0)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
