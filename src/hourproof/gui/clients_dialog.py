"""Clients and projects (Entries → Clients, projects and rates…).

A tree of clients with their projects: hours and amounts of the chosen period, the
hourly rate and whether the name is hidden or only added here. Add a client or a
project before any entry names it, set or clear a rate, hide ("archive") a name from
completion, rename. Everything runs through ``services.clients`` and
``tracking.set_rate`` on the Controller's writer; what is local and what is signed is
in docs/clients.md and said on the dialog.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.money import Rate, format_amount, parse_amount, parse_currency
from hourproof.gui import fmt
from hourproof.gui.controller import Controller
from hourproof.gui.periods import PERIOD_CHOICES, QT_TRANSLATE_NOOP, period_for
from hourproof.services.clients import ClientInfo, ProjectInfo
from hourproof.services.errors import ServiceError

AnyIndex = QModelIndex | QPersistentModelIndex
NO_CLIENT_LABEL = QT_TRANSLATE_NOOP("ClientsModel", "(no client)")  # shown through self.tr
#: The periods offered here ("custom" needs dates; "all" is every entry).
PERIODS = (  # labels shown as QCoreApplication.translate("periods", label)
    *((k, label) for k, label in PERIOD_CHOICES if k != "custom"),
    ("all", QT_TRANSLATE_NOOP("periods", "All")),
)


class ClientsModel(QAbstractItemModel):
    """Clients (top level) and their projects (children), read-only."""

    COLUMNS = ("Name", "Hours", "Amount", "Rate", "State")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.clients: list[ClientInfo] = []
        self.show_hidden = False
        self._headers = [self.tr("Name"), self.tr("Hours"), self.tr("Amount"), self.tr("Rate"),
                         self.tr("State")]  # fmt: skip

    def set_clients(self, clients: list[ClientInfo], show_hidden: bool | None = None) -> None:
        self.beginResetModel()
        if show_hidden is not None:
            self.show_hidden = show_hidden
        shown = []
        for c in clients:
            projects = tuple(p for p in c.projects if self.show_hidden or not p.hidden)
            if self.show_hidden or not c.hidden:
                shown.append(_with_projects(c, projects))
        self.clients = shown
        self.endResetModel()

    # -- structure: internalId 0 = a client row, n > 0 = a project of client n - 1 ------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(int(index.internalId()) - 1, 0, 0)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.clients)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self.clients[parent.row()].projects)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def item(self, index: AnyIndex) -> ClientInfo | ProjectInfo | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self.clients[index.row()]
        return self.clients[int(index.internalId()) - 1].projects[index.row()]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index)
        if item is None:
            return None
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if col == 0:
                return item.name if item.name is not None else self.tr(NO_CLIENT_LABEL)
            if col == 1:
                return fmt.hours(item.seconds) if item.seconds else "—"
            if col == 2:
                return fmt.amounts(item.amounts) if item.amounts else "—"
            if col == 3:
                if item.rate is not None:
                    return format_amount(item.rate.minor, item.rate.currency)
                inherited = self._client_rate(index)
                if inherited is not None:  # the client's rate applies
                    return self.tr("{0} (client's)").format(
                        format_amount(inherited.minor, inherited.currency)
                    )
                return "—"
            states = []
            if item.hidden:
                states.append(self.tr("hidden"))
            if not item.used:
                states.append(self.tr("no entries yet"))
            return ", ".join(states)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and item.hidden:
            return QPalette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        return None

    def _client_rate(self, index: AnyIndex) -> Rate | None:
        if index.internalId() == 0:
            return None
        return self.clients[int(index.internalId()) - 1].rate

    def find(self, scope: str, name: str | None) -> QModelIndex:
        for r, c in enumerate(self.clients):
            if scope == "client" and c.name == name:
                return self.index(r, 0)
            for pr, p in enumerate(c.projects):
                if scope == "project" and p.name == name:
                    return self.index(pr, 0, self.index(r, 0))
        return QModelIndex()


def _with_projects(c: ClientInfo, projects: tuple[ProjectInfo, ...]) -> ClientInfo:
    from dataclasses import replace

    return replace(c, projects=projects)


class ClientsDialog(QDialog):
    """The clients tree with add, rate, hide and rename controls."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.found: list[ClientInfo] = []
        self._select_next: tuple[str, str | None] | None = None  # after a rename
        self.setWindowTitle(self.tr("Clients and projects — hourproof"))
        self.setMinimumSize(720, 560)
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period of the hours shown"))
        for key, label in PERIODS:
            self.period.addItem(QCoreApplication.translate("periods", label), key)
        self.period.setCurrentIndex(self.period.findData("this_month"))
        self.period.currentIndexChanged.connect(self.reload)
        self.show_hidden = QCheckBox(self.tr("Show hi&dden"))
        self.show_hidden.toggled.connect(self._show)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Hours of:")))
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.show_hidden)

        self.model = ClientsModel(self)
        self.tree = QTreeView()
        self.tree.setObjectName("clients")
        self.tree.setAccessibleName(self.tr("Clients and their projects"))
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in range(1, ClientsModel.COLUMNS.__len__()):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._selected)

        # add
        self.new_name = QLineEdit()
        self.new_name.setPlaceholderText(self.tr("Name"))
        self.new_name.setAccessibleName(self.tr("Name of the new client or project"))
        self.new_client = QLineEdit()
        self.new_client.setPlaceholderText(self.tr("Client (for a project)"))
        self.new_client.setAccessibleName(self.tr("Client of the new project"))
        self.add_client_button = QPushButton(self.tr("Add &client"))
        self.add_project_button = QPushButton(self.tr("Add &project"))
        self.add_client_button.clicked.connect(lambda: self.add("client"))
        self.add_project_button.clicked.connect(lambda: self.add("project"))
        add_row = QHBoxLayout()
        for w in (self.new_name, self.new_client, self.add_client_button,
                  self.add_project_button):  # fmt: skip
            add_row.addWidget(w)
        add_box = QGroupBox(self.tr("Add (before any entry names it; kept on this computer)"))
        add_box.setLayout(add_row)

        # the selected one
        self.selected_label = QLabel(self.tr("Choose a client or a project above."))
        self.selected_label.setWordWrap(True)
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
        rate_row = QHBoxLayout()
        rate_widgets: tuple[QWidget, ...] = (
            self.amount, self.currency, self.set_button, self.clear_button,
        )  # fmt: skip
        for widget in rate_widgets:
            rate_row.addWidget(widget)
        self.hide_button = QPushButton(self.tr("&Hide from completion"))
        self.hide_button.clicked.connect(self.toggle_hidden)
        self.rename_to = QLineEdit()
        self.rename_to.setPlaceholderText(self.tr("New name"))
        self.rename_to.setAccessibleName(self.tr("New name"))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Reason (each entry is amended with it)"))
        self.reason.setAccessibleName(self.tr("Reason for the rename"))
        self.rename_button = QPushButton(self.tr("&Rename"))
        self.rename_button.clicked.connect(self.rename)
        rename_row = QHBoxLayout()
        for w in (self.rename_to, self.reason, self.rename_button):
            rename_row.addWidget(w)
        self.rename_note = QLabel()
        self.rename_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.selected_label)
        form.addRow(self.tr("Rate per hour:"), rate_row)
        form.addRow(self.tr("Completion:"), self.hide_button)
        form.addRow(self.tr("Rename:"), rename_row)
        form.addRow(self.rename_note)
        chosen_box = QGroupBox(self.tr("Selected"))
        chosen_box.setLayout(form)

        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        note = QLabel(self.tr(
            "Rates are signed into the ledger (a project's rate beats its client's; entries "
            "keep the rate they were recorded with). Added and hidden names stay on this "
            "computer and are never exported."
        ))  # fmt: skip
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(add_box)
        layout.addWidget(chosen_box)
        layout.addWidget(self.problem)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self._selected()
        self.reload()

    # -- reading ----------------------------------------------------------------------

    def reload(self, *_: object) -> None:
        key = self.period.currentData()
        lo = hi = None
        if key != "all":
            today: date = self.controller.now().astimezone().date()
            period = period_for(key, today)
            lo, hi = period.lo, period.hi

        def read(app: Any) -> list[ClientInfo]:
            from hourproof.services import clients

            return clients.overview(app, lo, hi)

        self.controller.read(read, self._found)

    def _found(self, found: list[ClientInfo]) -> None:
        self.found = found
        self._show()

    def _show(self, *_: object) -> None:
        chosen, self._select_next = self._select_next or self.selected(), None
        self.model.set_clients(self.found, self.show_hidden.isChecked())
        self.tree.expandAll()
        if chosen is not None:
            index = self.model.find(*chosen)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self._selected()

    def selected(self) -> tuple[str, str | None] | None:
        item = self.model.item(self.tree.currentIndex())
        if item is None:
            return None
        return ("project" if isinstance(item, ProjectInfo) else "client", item.name)

    def _selected(self, *_: object) -> None:
        item = self.model.item(self.tree.currentIndex())
        named = item is not None and item.name is not None
        for w in (self.set_button, self.clear_button, self.hide_button, self.rename_button,
                  self.rename_to, self.reason):  # fmt: skip
            w.setEnabled(named)
        self.rename_note.clear()
        if item is None or item.name is None:
            self.selected_label.setText(self.tr("Choose a client or a project above."))
            return
        project = isinstance(item, ProjectInfo)
        kind = self.tr("Project") if project else self.tr("Client")
        self.selected_label.setText(f"<b>{kind}: {_esc(item.name)}</b>")
        self.hide_button.setText(
            self.tr("Sho&w in completion") if item.hidden else self.tr("&Hide from completion")
        )
        self.reason.setEnabled(project and item.used)
        if item.rate is not None:  # start from the current rate
            self.amount.setText(format_amount(item.rate.minor, item.rate.currency).split()[0])
            self.currency.setCurrentText(item.rate.currency)
        else:
            self.amount.clear()
        if not item.used:
            self.rename_note.setText(self.tr("No entry names it yet: a local rename."))
        elif project:
            self.rename_note.setText(self.tr(
                "Entries name this project: each of its entries is amended (signed, with "
                "your reason) in one step, and the old name is hidden."
            ))  # fmt: skip
        else:
            self.rename_button.setEnabled(False)
            self.rename_to.setEnabled(False)
            self.rename_note.setText(self.tr(
                "A client with entries is not renamed: each client has its own chain in the "
                "signed ledger, so a rename would move every entry to a new client and its "
                "proofs would show removals. Hide this name and use a new one instead."
            ))  # fmt: skip

    # -- writing ----------------------------------------------------------------------

    def _say(self, message: str) -> None:
        self.problem.setText(message[:1].upper() + message[1:] + ".")

    def _write(self, what: str, fn: Any, clear: tuple[QLineEdit, ...] = ()) -> None:
        def done(_: object) -> None:
            self.problem.clear()
            for field in clear:
                field.clear()
            self.reload()

        self.controller.write(what, fn, done, self._say)

    def add(self, scope: str) -> None:
        from hourproof.services import clients

        name = self.new_name.text()
        client = self.new_client.text() if scope == "project" else None
        if not name.strip():
            self._say(self.tr("type a name first"))
            return
        self._write(
            "catalog", lambda app: clients.add(app, scope, name, client),
            (self.new_name, self.new_client),
        )  # fmt: skip

    def set_rate(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[1] is None:
            self._say(self.tr("choose a project or a client first"))
            return
        try:
            currency = parse_currency(self.currency.currentText().strip())
            minor = parse_amount(self.amount.text().strip(), currency)
        except (ValueError, ServiceError) as exc:
            self._say(str(exc) or self.tr("give an amount such as 95.00 and a currency"))
            return
        if minor <= 0:
            self._say(self.tr("a rate must be more than zero"))
            return
        self._rate(chosen[0], chosen[1], Rate(minor, currency))

    def clear_rate(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[1] is None:
            self._say(self.tr("choose a project or a client first"))
            return
        self._rate(chosen[0], chosen[1], None)

    def _rate(self, scope: str, name: str, rate: Rate | None) -> None:
        from hourproof.services import tracking

        self._write("rate", lambda app: tracking.set_rate(app, scope, name, rate))

    def toggle_hidden(self) -> None:
        from hourproof.services import clients

        item = self.model.item(self.tree.currentIndex())
        chosen = self.selected()
        if item is None or chosen is None or chosen[1] is None:
            return
        scope, name, hide = chosen[0], chosen[1], not item.hidden
        self._write("catalog", lambda app: clients.set_hidden(app, scope, name, hide))

    def rename(self) -> None:
        from hourproof.services import clients

        chosen = self.selected()
        if chosen is None or chosen[1] is None:
            return
        scope, old = chosen[0], chosen[1]
        new, reason = self.rename_to.text(), self.reason.text()
        if not new.strip():
            self._say(self.tr("type the new name first"))
            return

        def done(count: int) -> None:
            self.problem.setText(
                self.tr("Renamed. Entries amended: %n.", "", count) if count else ""
            )
            self.rename_to.clear()
            self.reason.clear()
            self._select_next = (scope, new.strip())
            self.reload()

        self.controller.write(
            "rename", lambda app: clients.rename(app, scope, old, new, reason), done, self._say
        )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
