"""An entry's history: every ledger version, oldest first, with the reasons for changes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
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

_KIND_LABELS = {
    "entry.start": "Timer started",
    "entry.stop": "Timer stopped",
    "entry.add": "Added",
    "entry.amend": "Amended",
    "entry.remove": "Removed",
    "import": "Imported",
}


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
        return f"Reason: {leaf.get('reason')}\n" + "; ".join(parts)
    if kind == "entry.remove":
        return f"Reason: {leaf.get('reason')}"
    if kind == "entry.stop":
        note = f"; note: {leaf['note']}" if leaf.get("note") else ""
        return f"ended {_stamp(leaf.get('end'))}{note}"
    parts = [str(leaf.get("project", ""))]
    if leaf.get("client"):
        parts[0] += f" ({leaf['client']})"
    parts.append(_span(leaf.get("start"), leaf.get("end")))
    parts.extend(str(leaf[k]) for k in ("task", "note") if leaf.get(k))
    if leaf.get("tags"):
        parts.append("tags: " + ", ".join(leaf["tags"]))
    return " · ".join(parts)


class HistoryDialog(QDialog):
    """Every ledger version of one entry, oldest first, with reasons."""

    def __init__(
        self, entry: Entry, versions: Sequence[Version], now: datetime,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(f"History of entry #{entry.id}")
        state = "removed" if entry.removed else ("amended" if entry.amended else "as recorded")
        head = QLabel(f"<b>{_html(fmt.summary(entry, now))}</b> — {state}")
        head.setWordWrap(True)
        self.table = QTableWidget(len(versions), 4)
        self.table.setHorizontalHeaderLabels(["Leaf", "Recorded", "Change", "Details"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        for row, version in enumerate(versions):
            cells = (
                f"#{version.seq}", format_local(from_rfc3339(version.recorded_at)),
                _KIND_LABELS.get(version.kind, version.kind), describe_version(version.leaf),
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
            "Every version stays in the signed ledger; amendments and removals carry "
            "their reasons and are part of any proof you export."
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
