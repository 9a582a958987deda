"""Client approvals in the app (issue 12): the client's Approve…/Contest… dialogs, and on
the contractor's side File → "Add client approval…" plus the approval state of entries.

Client side: the verify window asks with :class:`ApproveDialog` (an optional note and
where to save) or :class:`ContestDialog` (a reason, the whole bundle or some entries,
where to save), then runs ``services.approvals.approve``/``contest`` on the
controller's writer thread (they verify the bundle again and sign with the home's own
key). Contractor side: :func:`install` adds the menu item — the file is checked first
(``preview_approval``), the client's key fingerprint is shown for trust on first use,
and ``add_approval`` records it pinned to exactly that fingerprint — and keeps the
entries table's "Approval" column and the totals' approval line up to date from
``approval_states``. Refusals are one sentence in a dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.money import format_amount
from hourproof.gui import dialogs, fmt
from hourproof.services import approvals
from hourproof.services.app import App
from hourproof.services.errors import ServiceError, VerificationFailed

T = TypeVar("T")
_MUTED = "color: palette(placeholder-text);"
APPROVAL_FILTER = str(QT_TRANSLATE_NOOP("approvals", "Approval files (*.json);;All files (*)"))


def as_service_error(fn: Callable[[App], T]) -> Callable[[App], T]:
    """The job ``fn``, with a failed verification reported as one sentence like any
    refusal (the background runner shows only ServiceError text as it is)."""

    def job(app: App) -> T:
        try:
            return fn(app)
        except VerificationFailed as exc:
            raise ServiceError(str(exc)) from exc

    return job


def _money(amounts: dict[str, int]) -> str:
    return ", ".join(format_amount(v, c) for c, v in sorted(amounts.items()))


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def _days(lo: datetime, hi: datetime) -> str:
    """An end-exclusive period as its first and last day."""
    last = hi - timedelta(microseconds=1)
    return QCoreApplication.translate("approvals", "{0} to {1}").format(
        f"{lo:%Y-%m-%d}", f"{last:%Y-%m-%d}"
    )


class _SaveRow(QHBoxLayout):
    """A path field with a Choose… button (a save dialog)."""

    def __init__(self, parent: QWidget, default: Path, title: str) -> None:
        super().__init__()
        self._parent, self._title = parent, title
        self.path = QLineEdit(str(default))
        self.path.setAccessibleName(
            QCoreApplication.translate("approvals", "Save the signed file as")
        )
        self.choose = QPushButton(QCoreApplication.translate("approvals", "Choose…"))
        self.choose.clicked.connect(self._choose)
        self.addWidget(self.path, 1)
        self.addWidget(self.choose)

    def _choose(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self._parent,
            self._title,
            self.path.text(),
            QCoreApplication.translate("approvals", APPROVAL_FILTER),
        )
        if chosen:
            self.path.setText(chosen)

    def value(self) -> Path | None:
        text = self.path.text().strip()
        if not text or text.endswith("/"):
            return None
        path = Path(text).expanduser()
        return path if path.name and not path.is_dir() else None


class _SignDialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, intro: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        label = QLabel(intro)
        label.setWordWrap(True)
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b91c1c;")
        self.problem.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addLayout(self.form)
        self.extra = QVBoxLayout()
        layout.addLayout(self.extra)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def problem_text(self) -> str | None:  # pragma: no cover - overridden
        return None

    def try_accept(self) -> bool:
        problem = self.problem_text()
        self.problem.setText(problem or "")
        self.problem.setVisible(problem is not None)
        if problem is None:
            self.accept()
        return problem is None


class ApproveDialog(_SignDialog):
    """An optional note and where to save the approval."""

    def __init__(self, bundle: Path, contractor: str, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            QCoreApplication.translate("approvals", "Approve these hours"),
            QCoreApplication.translate(
                "approvals",
                "Sign, with your own key, that you approve the hours in %1. The file written "
                "is small: email it back to %2. Any later rewrite of the approved hours then "
                "shows as an equivocation.",
            )
            .replace("%1", bundle.name)
            .replace("%2", contractor),
        )
        self.note = QLineEdit()
        self.note.setMaxLength(500)
        self.note.setPlaceholderText(
            QCoreApplication.translate("approvals", "optional, e.g. “approved for invoice 2026-10”")
        )
        self.note.setAccessibleName(QCoreApplication.translate("approvals", "Note"))
        self.save = _SaveRow(
            self,
            approvals.default_output(bundle, approvals.APPROVE),
            QCoreApplication.translate("approvals", "Save the approval"),
        )
        self.form.addRow(
            _buddy(QCoreApplication.translate("approvals", "&Note:"), self.note), self.note
        )
        self.form.addRow(
            _buddy(QCoreApplication.translate("approvals", "&Save as:"), self.save.path), self.save
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            QCoreApplication.translate("approvals", "Approve")
        )

    def problem_text(self) -> str | None:
        if self.save.value() is None:
            return QCoreApplication.translate("approvals", "Type the file to save the approval in.")
        return None

    def values(self) -> tuple[str | None, Path]:
        out = self.save.value()
        assert out is not None
        return self.note.text().strip() or None, out


class ContestDialog(_SignDialog):
    """A reason, the whole bundle or some entries, and where to save the contest."""

    def __init__(
        self, bundle: Path, entries: Sequence[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            parent,
            QCoreApplication.translate("approvals", "Contest these hours"),
            QCoreApplication.translate(
                "approvals",
                "Sign, with your own key, that you contest %1 or some of its entries, and "
                "why. Email the file written back to the contractor.",
            ).replace("%1", bundle.name),
        )
        self.reason = QLineEdit()
        self.reason.setMaxLength(500)
        self.reason.setAccessibleName(QCoreApplication.translate("approvals", "Reason"))
        self.reason.setPlaceholderText(
            QCoreApplication.translate(
                "approvals", "required, e.g. “the 7 October deploy was not ordered”"
            )
        )
        self.whole = QRadioButton(QCoreApplication.translate("approvals", "The &whole bundle"))
        self.some = QRadioButton(
            QCoreApplication.translate("approvals", "Only the entries &ticked:")
        )
        self.whole.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.whole)
        group.addButton(self.some)
        self.entries = QListWidget()
        self.entries.setAccessibleName(
            QCoreApplication.translate("approvals", "Entries to contest")
        )
        for entry_id, text in entries:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, entry_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.entries.addItem(item)
        self.entries.setEnabled(False)
        self.some.toggled.connect(self.entries.setEnabled)
        self.some.setEnabled(bool(entries))
        self.save = _SaveRow(
            self,
            approvals.default_output(bundle, approvals.CONTEST),
            QCoreApplication.translate("approvals", "Save the contest"),
        )
        self.form.addRow(
            _buddy(QCoreApplication.translate("approvals", "&Reason:"), self.reason), self.reason
        )
        self.extra.addWidget(self.whole)
        self.extra.addWidget(self.some)
        self.extra.addWidget(self.entries, 1)
        save = QFormLayout()
        save.addRow(
            _buddy(QCoreApplication.translate("approvals", "&Save as:"), self.save.path), self.save
        )
        self.extra.addLayout(save)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            QCoreApplication.translate("approvals", "Contest")
        )

    def chosen(self) -> tuple[int, ...]:
        if self.whole.isChecked():
            return ()
        found = []
        for row in range(self.entries.count()):
            item = self.entries.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return tuple(found)

    def problem_text(self) -> str | None:
        if not self.reason.text().strip():
            return QCoreApplication.translate("approvals", "Give the reason for contesting.")
        if self.some.isChecked() and not self.chosen():
            return QCoreApplication.translate(
                "approvals", "Tick the entries you contest, or choose the whole bundle."
            )
        if self.save.value() is None:
            return QCoreApplication.translate("approvals", "Type the file to save the contest in.")
        return None

    def values(self) -> tuple[str, tuple[int, ...], Path]:
        out = self.save.value()
        assert out is not None
        return self.reason.text().strip(), self.chosen(), out


def ask_approve(parent: QWidget, bundle: Path, contractor: str) -> tuple[str | None, Path] | None:
    dialog = ApproveDialog(bundle, contractor, parent)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_contest(
    parent: QWidget, bundle: Path, entries: Sequence[tuple[int, str]]
) -> tuple[str, tuple[int, ...], Path] | None:
    dialog = ContestDialog(bundle, entries, parent)
    return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


def signed_text(signed: approvals.Signed, contractor: str) -> str:
    """What the verify window says after signing: where the file is, what to do with it."""
    a = signed.approval
    if a.kind == approvals.APPROVE:
        head = QCoreApplication.translate("approvals", "<b>Approval signed</b>")
    else:
        head = QCoreApplication.translate("approvals", "<b>Contest signed</b>")
    body = QCoreApplication.translate(
        "approvals",
        "{0} with your key {1} and saved as <code>{2}</code>.<br>Email this file back to "
        "{3}; they add it with File → Add client approval… (or <i>hourproof approvals add "
        "FILE</i>).",
    )
    return body.format(head, a.client_fingerprint, signed.path, contractor)


# --- the contractor's side ---------------------------------------------------------------


def key_question(preview: approvals.ApprovalPreview) -> str:
    """The trust-on-first-use confirmation, with the fingerprint to compare."""
    a = preview.approval
    approve = a.kind == approvals.APPROVE
    hours = f"{fmt.hours(a.total_seconds)} h" + (f", {_money(a.amounts)}" if a.amounts else "")
    if a.entries:
        contested = QCoreApplication.translate("approvals", "; contested entries {0}").format(
            ", ".join(f"#{e}" for e in a.entries)
        )
        hours += contested
    if approve:
        head = QCoreApplication.translate(
            "approvals", "{0} signed an approval of log size {1} on {2} ({3})."
        )
    else:
        head = QCoreApplication.translate(
            "approvals", "{0} signed a contest of log size {1} on {2} ({3})."
        )
    head = head.format(a.recipient, a.tree_size, f"{a.signed_at:%Y-%m-%d}", hours)
    if preview.pinned is None:
        if approve:
            ask = QCoreApplication.translate(
                "approvals",
                "This is the first approval from {0}. Its key is\n\n    {1}\n\nCompare it "
                "with the fingerprint the client reads from 'hourproof key show' (by phone or "
                "in person). Trust this key for {0} from now on and record the approval?",
            )
        else:
            ask = QCoreApplication.translate(
                "approvals",
                "This is the first approval from {0}. Its key is\n\n    {1}\n\nCompare it "
                "with the fingerprint the client reads from 'hourproof key show' (by phone or "
                "in person). Trust this key for {0} from now on and record the contest?",
            )
        return f"{head}\n\n" + ask.format(a.recipient, a.client_fingerprint)
    pinned = QCoreApplication.translate("approvals", "Signed with {0}'s pinned key {1}. Record it?")
    return f"{head}\n\n" + pinned.format(a.recipient, a.client_fingerprint)


def approval_lines(
    states: dict[str, approvals.ClientApprovals], lo: datetime, hi: datetime,
    client: str | None = None,
) -> list[str]:  # fmt: skip
    """ "Acme: approved through log size 42 on 2026-11-02 (12:30 h, 1,187.50 EUR)" for each
    client whose approval or contest covers days of [lo, hi)."""
    lines = []
    for name in sorted(states, key=str.casefold):
        if client is not None and name != client:
            continue
        state = states[name]
        a = state.approved
        if a is not None and a.period_from < hi and a.period_to > lo:
            money = f", {_money(a.amounts)}" if a.amounts else ""
            line = QCoreApplication.translate(
                "approvals", "{0}: approved through log size {1} on {2} ({3} h{4}, {5})"
            ).format(
                name, a.tree_size, f"{a.signed_at:%Y-%m-%d}", fmt.hours(a.total_seconds), money,
                _days(a.period_from, a.period_to),
            )  # fmt: skip
            lines.append(line + (f" — {a.note}" if a.note else ""))
        for c in state.contests:
            if c.period_from < hi and c.period_to > lo:
                what = (
                    ", ".join(f"#{e}" for e in c.entries) if c.entries
                    else QCoreApplication.translate("approvals", "the bundle")
                )  # fmt: skip
                line = QCoreApplication.translate("approvals", "{0}: contested {1} on {2} — {3}")
                lines.append(line.format(name, what, f"{c.signed_at:%Y-%m-%d}", c.reason))
    return lines


class ApprovalsFeature(QObject):
    """File → "Add client approval…", and the approval state shown in the entries panel."""

    def __init__(self, host: Any) -> None:
        super().__init__(host.window)
        self.host = host
        self.states: dict[str, approvals.ClientApprovals] = {}
        self._read_at: int | None = None
        self.last_added: tuple[int, Any] | None = None
        self.last_error: str | None = None
        panel = host.window.entries
        panel.page_shown.connect(self.update)
        panel.model.approval_label = self._label

    # -- state in the entries panel --------------------------------------------------

    def _label(self, entry: Any) -> str | None:
        state = self.states.get(entry.client) if entry.client else None
        return state.label(entry) if state is not None else None

    def update(self) -> None:
        """Re-read the approvals when the ledger grew since the last read, then show."""
        leaves = self.host.controller.status.leaves
        if leaves == self._read_at:
            self._show()
            return
        self.host.controller.read(approvals.approval_states, lambda s: self._read(leaves, s))

    def _read(self, leaves: int, states: dict[str, approvals.ClientApprovals]) -> None:
        self.states, self._read_at = states, leaves
        self._show()

    def _show(self) -> None:
        panel = self.host.window.entries
        period = panel.period()
        lines = approval_lines(self.states, period.lo, period.hi, panel.client_box.currentData())
        panel.approval_line.setText("\n".join(lines))
        panel.approval_line.setVisible(bool(lines))
        panel.model.refresh_approval()

    # -- File → Add client approval… -------------------------------------------------

    def choose(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self.host.window,
            QCoreApplication.translate("approvals", "Add a client's approval"),
            "",
            QCoreApplication.translate("approvals", APPROVAL_FILTER),
        )
        if name:
            self.add(Path(name))

    def add(self, path: Path) -> None:
        """Check the file (in the background), confirm the key, then record it."""
        self.host.controller.read(
            as_service_error(lambda app: approvals.preview_approval(app, path)),
            lambda preview: self._confirm(path, preview),
            self._failed,
        )

    def _confirm(self, path: Path, preview: approvals.ApprovalPreview) -> None:
        a = preview.approval
        if preview.key_changed:
            refused = QCoreApplication.translate(
                "approvals", "{0} is signed by {1}, but {2} approved before with {3}; refused"
            )
            self._failed(
                refused.format(path.name, a.client_fingerprint, a.recipient, preview.pinned)
            )
            return
        if not dialogs.confirm(
            self.host.window,
            QCoreApplication.translate("approvals", "Add client approval"),
            key_question(preview),
        ):
            return
        fingerprint = a.client_fingerprint
        self.host.controller.write(
            "approval",
            as_service_error(lambda app: approvals.add_approval(app, path, key=fingerprint)),
            self._added,
            self._failed,
        )

    def _added(self, added: tuple[int, Any]) -> None:
        self.last_added = added
        _seq, a = added
        if a.kind == approvals.APPROVE:
            text = QCoreApplication.translate(
                "approvals", "Recorded {0}'s approval of log size {1}"
            )
        else:
            text = QCoreApplication.translate("approvals", "Recorded {0}'s contest of log size {1}")
        self.host.window.statusBar().showMessage(text.format(a.recipient, a.tree_size), 10_000)
        self._read_at = None  # read again on the reload the write causes
        self.update()

    def _failed(self, message: str) -> None:
        self.last_error = message
        self.host.show_error(message)


def install(host: Any) -> None:
    """File → "Add client approval…" and the Approval column/line of the entries panel."""
    feature = ApprovalsFeature(host)
    action = QAction(QCoreApplication.translate("approvals", "Add client &approval…"), host.window)
    action.setStatusTip(
        QCoreApplication.translate(
            "approvals", "Record a client's signed approval or contest of a bundle you sent"
        )
    )
    action.triggered.connect(feature.choose)
    host.add_action("file", action)
