"""The client's side of the app: open a ``.hproof`` and see what it proves.

The window runs ``services.verifying.verify`` — the same checks, pins and
remembered signers as ``hourproof verify`` — on the controller's writer thread (it
remembers the signer's checkpoint), then shows the verdict, every step, the
fingerprint to compare with the contract (with a Copy button), each entry with its
label, and the totals. A malformed file is one clear sentence, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.money import format_amount
from hourproof.gui import fmt
from hourproof.gui.icons import app_icon
from hourproof.proof.verdict import verdict_line

#: ``submit(what, fn(app), on_done, on_error)``: how the window runs the verification.
Submit = Callable[[str, Callable[[Any], Any], Callable[[Any], None], Callable[[str], None]], None]


def _money(amounts: dict[str, int]) -> str:
    return ", ".join(format_amount(v, c) for c, v in sorted(amounts.items())) or "—"


def entry_label(entry: Any) -> str:
    """How the statement labels an entry, in the words of DESIGN §1."""
    if entry.label == "Recorded by" and entry.recorded_by is not None:
        return f"Recorded by {entry.recorded_by:%Y-%m-%d %H:%M} UTC"
    return str(entry.label)


def _table(headers: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().setVisible(False)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]], muted: int | None = None) -> None:
    """Rows as cells; rows from index ``muted`` on are greyed and italic (not counted)."""
    table.setRowCount(len(rows))
    grey = table.palette().color(QPalette.ColorRole.PlaceholderText)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if muted is not None and r >= muted:
                item.setForeground(grey)
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            table.setItem(r, c, item)


class VerifyWindow(QWidget):
    """One bundle's verdict. ``finished`` fires when the result (or error) is shown."""

    finished = Signal()
    #: An approval or contest was signed (``signed``) or refused (``sign_error``).
    sign_finished = Signal()
    sign_error: str | None = None

    def __init__(self, bundle: Path, submit: Submit, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.bundle = bundle
        self.result: Any = None
        self.error: str | None = None
        self.setWindowTitle(self.tr("Verify %1 — hourproof").replace("%1", bundle.name))
        self.setWindowIcon(app_icon())
        self.setMinimumSize(720, 480)
        self.resize(980, 680)
        self.verdict = QLabel(self.tr("Checking %1…").replace("%1", bundle.name))
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(self.tr("Verdict"))
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        big = QFont(self.verdict.font())
        big.setPointSizeF(big.pointSizeF() * 1.3)
        big.setBold(True)
        self.verdict.setFont(big)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setAccessibleName(self.tr("Signer's key fingerprint"))
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the fingerprint"))
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_fingerprint)
        self.pin_note = QLabel()
        self.pin_note.setWordWrap(True)
        fp_row = QHBoxLayout()
        fp_label = QLabel(self.tr("&Fingerprint:"))
        fp_label.setBuddy(self.fingerprint)
        fp_row.addWidget(fp_label)
        fp_row.addWidget(self.fingerprint, 1)
        fp_row.addWidget(self.copy_button)
        self.steps = _table([self.tr("Result"), self.tr("Step"), self.tr("Detail")], "steps")
        self.entries = _table(
            [
                "#",
                self.tr("Start (UTC)"),
                self.tr("End"),
                self.tr("Hours"),
                self.tr("Project"),
                self.tr("Label"),
                self.tr("Lag"),
            ],
            "entries",
        )
        self.by_project = _table(
            [self.tr("Project"), self.tr("Hours"), self.tr("Amount")], "by project"
        )
        self.by_day = _table([self.tr("Day (UTC)"), self.tr("Hours"), self.tr("Amount")], "by day")
        self.total = QLabel()
        self.outside_note = QLabel()
        self.outside_note.setObjectName("outsideNote")
        self.outside_note.setWordWrap(True)
        self.outside_note.setStyleSheet("color: palette(placeholder-text);")
        self.outside_note.setVisible(False)
        entries_page = QWidget()
        entries_layout = QVBoxLayout(entries_page)
        entries_layout.setContentsMargins(0, 0, 0, 0)
        entries_layout.addWidget(self.entries, 1)
        entries_layout.addWidget(self.outside_note)
        totals = QWidget()
        totals_layout = QVBoxLayout(totals)
        totals_layout.setContentsMargins(0, 0, 0, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.by_project)
        split.addWidget(self.by_day)
        totals_layout.addWidget(split, 1)
        totals_layout.addWidget(self.total)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.steps, self.tr("Checks"))
        self.tabs.addTab(entries_page, self.tr("Entries"))
        self.tabs.addTab(totals, self.tr("Totals"))
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.close)
        # Issue 12: the client signs an approval or a contest (gui/approval_dialogs.py).
        self.submit = submit
        self.signed: Any = None
        self.approve_button = QPushButton(self.tr("&Approve…"))
        self.approve_button.setAccessibleName(self.tr("Approve these hours"))
        self.approve_button.setToolTip(self.tr(
            "Sign an approval of these hours with your own key, to email back"
        ))  # fmt: skip
        self.contest_button = QPushButton(self.tr("C&ontest…"))
        self.contest_button.setAccessibleName(self.tr("Contest these hours"))
        self.contest_button.setToolTip(self.tr(
            "Sign that you contest the bundle or some entries, with the reason"
        ))  # fmt: skip
        for button in (self.approve_button, self.contest_button):
            button.setEnabled(False)  # only once the bundle verified
        self.approve_button.clicked.connect(self.ask_approve)
        self.contest_button.clicked.connect(self.ask_contest)
        self.signed_note = QLabel()
        self.signed_note.setObjectName("signedNote")
        self.signed_note.setWordWrap(True)
        self.signed_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signed_note.setVisible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.approve_button)
        bottom.addWidget(self.contest_button)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.detail)
        layout.addLayout(fp_row)
        layout.addWidget(self.pin_note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.signed_note)
        layout.addLayout(bottom)
        self._run(submit)

    def _run(self, submit: Submit) -> None:
        from hourproof.services.verifying import VerifyRequest, verify

        request = VerifyRequest(bundle=self.bundle)
        submit("verify", lambda app: verify(app, request), self.show_result, self.show_error)

    # -- results --------------------------------------------------------------------

    def _set_verdict(self, ok: bool, text: str) -> None:
        self.verdict.setText(text)
        self.verdict.setProperty("ok", ok)
        edge = "#16a34a" if ok else "#dc2626"  # green / red edge: readable on light and dark
        self.verdict.setStyleSheet(
            f"QLabel#verdict {{ border-left: 6px solid {edge}; padding: 6px 10px; }}"
        )

    def show_error(self, message: str) -> None:
        """The bundle could not be read at all (not a bundle, damaged zip …)."""
        self.error = message
        self._set_verdict(False, self.tr("✘ Cannot check this file"))
        self.detail.setText(
            message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
        )
        self.finished.emit()

    def show_result(self, result: Any) -> None:
        self.result = result
        ok = bool(result.ok)
        if ok:
            st = result.statement
            line = verdict_line(st) if st is not None else "VERIFIED: every check passed."
            self._set_verdict(True, "✔ " + line.split(":", 1)[0].capitalize())
        else:
            failure = result.failure
            self._set_verdict(False, self.tr("✘ NOT verified"))
            self.detail.setText(f"{failure.file}: {failure.reason}" if failure else "")
        self.outside_note.setVisible(False)
        if result.fingerprint:
            self.fingerprint.setText(result.fingerprint)
            self.fingerprint.setCursorPosition(0)
            self.copy_button.setEnabled(True)
        if result.pinned:
            self.pin_note.setText(self.tr("The signer's key is the one you pinned."))
        elif result.fingerprint:
            self.pin_note.setText(self.tr(
                "Compare this fingerprint with the one in your contract. It is remembered: "
                "the next bundle from this signer must extend the same log."
            ))  # fmt: skip
        rows = [[self.tr("✔ ok") if s.ok else self.tr("✘ FAIL"), s.name, s.detail]
                for s in result.steps]  # fmt: skip
        rows += [[self.tr("note"), self.tr("warning"), w] for w in result.warnings]
        _fill(self.steps, rows)
        st = result.statement
        if st is not None:
            if ok:
                head = self.tr("Client {0}, {1} to {2} (UTC, end exclusive) · signed by {3}")
                self.detail.setText(
                    head.format(st.client, f"{st.period_start:%Y-%m-%d}",
                                f"{st.period_end:%Y-%m-%d}", st.contractor)
                    + f"\n{verdict_line(st)}"
                )  # fmt: skip
            self._show_entries(st)
            _fill(
                self.by_project,
                [[t.key, fmt.hours(t.seconds), _money(t.amounts)] for t in st.by_project],
            )
            _fill(
                self.by_day, [[t.key, fmt.hours(t.seconds), _money(t.amounts)] for t in st.by_day]
            )
            total = self.tr("Total {0} h").format(fmt.hours(st.total_seconds))
            self.total.setText(
                f"<b>{total}</b> · {_money(st.total_amounts)}"
                + (" " + self.tr("(Verified sums)") if ok else "")
            )
        if not ok:
            self.tabs.setCurrentWidget(self.steps)
        can_sign = ok and st is not None
        self.approve_button.setEnabled(can_sign)
        self.contest_button.setEnabled(can_sign)
        self.finished.emit()

    def _show_entries(self, st: Any) -> None:
        """Counted entries first; then, greyed and labelled, those disclosed only so the
        bundle is complete (outside the period or project): listed, never summed."""
        counted = [e for e in st.entries if not e.removed and not e.outside]
        outside = [e for e in st.entries if not e.removed and e.outside]
        not_counted = self.tr("not counted — outside the period")

        def row(e: Any, label: str) -> list[str]:
            lag = "" if e.lag_seconds is None else fmt.elapsed(max(0, e.lag_seconds))
            late = " " + self.tr("LATE") if e.late else ""
            return [str(e.id), f"{e.start:%Y-%m-%d %H:%M}", f"{e.end:%H:%M}",
                    fmt.hours(e.seconds), e.project, label, lag + late]  # fmt: skip

        rows = [row(e, entry_label(e)) for e in counted]
        rows += [row(e, not_counted) for e in outside]
        _fill(self.entries, rows, muted=len(counted))
        for r in range(len(counted), len(rows)):
            for c in range(self.entries.columnCount()):
                cell = self.entries.item(r, c)
                if cell is not None:
                    cell.setToolTip(self.tr(
                        "Disclosed so the bundle is complete; outside the period (or the "
                        "project) of this bundle, so not in any total."
                    ))  # fmt: skip
        self.outside_note.setText(
            self.tr(
                "%n entr(y|ies) outside the period: listed (greyed) for completeness, "
                "not counted in the totals.", "", len(outside),
            )
        )  # fmt: skip
        self.outside_note.setVisible(bool(outside))

    # -- the client's approval or contest (issue 12) ----------------------------------------

    def _contractor(self) -> str:
        st = self.result.statement if self.result is not None else None
        return str(st.contractor) if st is not None else "the contractor"

    def ask_approve(self) -> None:
        from hourproof.gui.approval_dialogs import ask_approve

        answer = ask_approve(self, self.bundle, self._contractor())
        if answer is not None:
            self.start_approve(*answer)

    def ask_contest(self) -> None:
        from hourproof.gui.approval_dialogs import ask_contest

        st = self.result.statement if self.result is not None else None
        entries = [
            (e.id, f"#{e.id}  {e.start:%Y-%m-%d %H:%M}  {fmt.hours(e.seconds)} h  {e.project}")
            for e in (st.entries if st is not None else [])
            if not e.removed and not e.outside  # (outside: disclosed, not counted)
        ]  # fmt: skip
        answer = ask_contest(self, self.bundle, entries)
        if answer is not None:
            self.start_contest(*answer)

    def start_approve(self, note: str | None, out: Path) -> None:
        """Verify again and sign an approval, on the writer thread; ``signed`` fires."""
        from hourproof.gui.approval_dialogs import as_service_error
        from hourproof.services import approvals

        bundle = self.bundle
        self._signing(True)
        self.submit(
            "approve", as_service_error(lambda app: approvals.approve(app, bundle, out, note)),
            self._signed_done, self._sign_failed,
        )  # fmt: skip

    def start_contest(self, reason: str, entries: tuple[int, ...], out: Path) -> None:
        from hourproof.gui.approval_dialogs import as_service_error
        from hourproof.services import approvals

        bundle = self.bundle
        self._signing(True)
        self.submit(
            "contest",
            as_service_error(lambda app: approvals.contest(app, bundle, out, reason, entries)),
            self._signed_done, self._sign_failed,
        )  # fmt: skip

    def _signing(self, busy: bool) -> None:
        for button in (self.approve_button, self.contest_button):
            button.setEnabled(not busy)
        if busy:
            self.signed_note.setText(self.tr("Checking the bundle again and signing…"))
            self.signed_note.setVisible(True)

    def _signed_done(self, signed: Any) -> None:
        from hourproof.gui.approval_dialogs import signed_text

        self.signed = signed
        self._signing(False)
        self.signed_note.setText(signed_text(signed, self._contractor()))
        self.signed_note.setVisible(True)
        self.sign_finished.emit()

    def _sign_failed(self, message: str) -> None:
        from hourproof.gui import dialogs

        self._signing(False)
        self.signed_note.setVisible(False)
        self.sign_error = message
        dialogs.show_error(self, message)
        self.sign_finished.emit()

    def copy_fingerprint(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.fingerprint.text())
