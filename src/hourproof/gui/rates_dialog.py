"""Clients, projects and rates: who is billed what (Entries → Clients, projects & rates…).

Projects and clients come into being with the entries that name them; here the user
sees them with their hourly rates and sets or clears a rate for a project or a client
(``tracking.set_rate``: a ``rate.set`` leaf, so the ledger keeps every change). A
project's own rate beats its client's.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.money import Rate, format_amount, parse_amount, parse_currency
from hourproof.gui.controller import Controller
from hourproof.services.errors import ServiceError


class RatesDialog(QDialog):
    """A table of projects and clients with their rates; set or clear the selected one."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.rows: list[tuple[str, str]] = []  # (scope, name) per table row
        self.setWindowTitle(self.tr("Clients, projects and rates — hourproof"))
        self.setMinimumSize(620, 420)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("rates")
        self.table.setAccessibleName(self.tr("Clients and projects"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Kind"), self.tr("Name"), self.tr("Client"), self.tr("Hourly rate")]
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.amount = QLineEdit()
        self.amount.setPlaceholderText("95.00")
        self.amount.setAccessibleName(self.tr("Rate amount"))
        self.currency = QComboBox()
        self.currency.setEditable(True)
        self.currency.addItems(["EUR", "USD", "GBP", "CHF", "JPY"])
        self.currency.setAccessibleName(self.tr("Rate currency"))
        self.set_button = QPushButton(self.tr("&Set rate"))
        self.clear_button = QPushButton(self.tr("C&lear rate"))
        self.set_button.clicked.connect(self.set_rate)
        self.clear_button.clicked.connect(self.clear_rate)
        form = QHBoxLayout()
        form.addWidget(QLabel(self.tr("Rate per hour:")))
        form.addWidget(self.amount)
        form.addWidget(self.currency)
        form.addWidget(self.set_button)
        form.addWidget(self.clear_button)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        note = QLabel(self.tr(
            "New projects and clients appear when an entry names them. A project's "
            "rate beats its client's; entries keep the rate they were recorded with."
        ))  # fmt: skip
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.controller.read(_read, self._show)

    def _show(self, found: dict[str, Any]) -> None:
        rates: dict[tuple[str, str], Rate] = found["rates"]
        rows: list[tuple[str, str, str]] = [("client", name, "") for name in found["clients"]] + [
            ("project", name, client or "") for name, client in found["projects"]
        ]
        self.rows = [(scope, name) for scope, name, _ in rows]
        self.table.setRowCount(len(rows))
        for r, (scope, name, client) in enumerate(rows):
            rate = rates.get((scope, name))
            texts = [
                self.tr("Client") if scope == "client" else self.tr("Project"), name, client,
                f"{format_amount(rate.minor, rate.currency)}" if rate else "—",
            ]  # fmt: skip
            for c, text in enumerate(texts):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected(self) -> tuple[str, str] | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _say(self, message: str) -> None:
        self.problem.setText(message[:1].upper() + message[1:] + ".")

    def _write(self, scope: str, name: str, rate: Rate | None) -> None:
        from hourproof.services import tracking

        def done(_: object) -> None:
            self.problem.clear()
            self.reload()

        self.controller.write(
            "rate", lambda app: tracking.set_rate(app, scope, name, rate), done, self._say
        )

    def set_rate(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self._say("choose a project or a client first")
            return
        try:
            currency = parse_currency(self.currency.currentText().strip())
            minor = parse_amount(self.amount.text().strip(), currency)
        except (ValueError, ServiceError) as exc:
            self._say(str(exc) or "give an amount such as 95.00 and a currency such as EUR")
            return
        if minor <= 0:
            self._say("a rate must be more than zero")
            return
        self._write(*chosen, Rate(minor, currency))

    def clear_rate(self) -> None:
        chosen = self.selected()
        if chosen is None:
            self._say("choose a project or a client first")
            return
        self._write(*chosen, None)


def _read(app: Any) -> dict[str, Any]:
    from hourproof.services import browse, tracking

    projects = [(name, client) for name, client, _ in tracking.projects(app)]
    return {
        "projects": projects,
        "clients": browse.clients(app),
        "rates": {(scope, name): rate for scope, name, rate in tracking.rates(app)},
    }
