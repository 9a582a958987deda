"""Dialogs: start a timer, add or amend an entry, give a reason, show an entry's history.

Each dialog only collects and checks input; the window hands the result to the
controller, which calls the service layer. ``ask_*`` functions are what the window
calls, so tests can replace them without driving a modal dialog.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.entries import Entry
from hourproof.core.timeparse import TimeParseError, parse_time
from hourproof.gui import fmt
from hourproof.services.tracking import Details

Projects = Sequence[tuple[str, str | None]]
_DATETIME_FORMAT = "ddd dd MMM yyyy   HH:mm"


@dataclass(frozen=True)
class StartRequest:
    project: str
    details: Details
    at: datetime | None
    #: What was typed in "Started" (shown again when the start is refused).
    typed_at: str = "now"


@dataclass(frozen=True)
class AddRequest:
    project: str
    begin: datetime
    end: datetime
    details: Details


@dataclass(frozen=True)
class AmendRequest:
    reason: str
    details: Details
    begin: datetime | None
    end: datetime | None


def _sentence(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return text if text.endswith(".") else text + "."


def show_error(parent: QWidget | None, message: str) -> None:
    """A ServiceError (or other refusal) for the user: a plain warning box."""
    QMessageBox.warning(parent, "hourproof", _sentence(message))


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Yes/Cancel; Cancel is the default so Enter never destroys anything."""
    box = QMessageBox.question(
        parent, title, text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )  # fmt: skip
    return box == QMessageBox.StandardButton.Yes


def _split_tags(text: str) -> tuple[str, ...]:
    return tuple(tag.strip() for tag in text.split(",") if tag.strip())


def _to_qt(moment: datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))


def _from_qt(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), UTC)


def _completer(words: Sequence[str], parent: QWidget) -> QCompleter:
    completer = QCompleter(list(words), parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    return completer


def client_words(projects: Projects) -> list[str]:
    """Client names to complete: the projects' clients, and ``projects.clients`` when the
    sequence has them (Controller.recent_projects: clients added in the app too)."""
    names = {c for _, c in projects if c} | set(getattr(projects, "clients", ()))
    return sorted(names, key=str.casefold)


class ProjectCombo(QComboBox):
    """An editable project box: recent projects first, completion by substring."""

    def __init__(self, projects: Projects, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.clients = {name: client for name, client in projects}
        self.set_projects(projects)
        line = self.lineEdit()
        assert line is not None  # editable
        line.setPlaceholderText(self.tr("Project"))
        line.setClearButtonEnabled(True)

    def set_projects(self, projects: Projects) -> None:
        text = self.currentText()
        self.clients = {name: client for name, client in projects}
        self.blockSignals(True)
        self.clear()
        self.addItems([name for name, _ in projects])
        self.setCompleter(_completer(list(self.clients), self))
        self.setEditText(text)
        self.blockSignals(False)

    def project(self) -> str:
        return self.currentText().strip()


class _Form(QDialog):
    """Shared layout: a form, a muted problem line and OK/Cancel."""

    def __init__(self, title: str, ok_text: str, intro: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        heading = QLabel(f"<b>{title}</b><br>{intro}")
        heading.setWordWrap(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: palette(placeholder-text);")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(ok_text)
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def validate(self) -> str | None:
        """The first reason the input cannot be accepted, or None."""
        return None

    def update_state(self, *_: Any) -> None:
        problem = self.validate()
        self.ok.setEnabled(problem is None)
        self.problem.setText(problem or "")

    def _accept_if_valid(self) -> None:
        if self.validate() is None:
            self.accept()


class StartDialog(_Form):
    """Start a timer with details, optionally backdated (``-15m``, ``09:30``)."""

    def __init__(self, projects: Projects, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Start timer"), self.tr("Start"),
            self.tr("Track a project from now, or from a moment ago."), parent,
        )  # fmt: skip
        self.now = now
        self.project = ProjectCombo(projects, self)
        self.project.setCurrentIndex(-1)
        self.client = QLineEdit()
        self.client.setCompleter(_completer(client_words(projects), self))
        self.client.setPlaceholderText(self.tr("From the project when empty"))
        self.task = QLineEdit()
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("Comma separated, e.g. review, meeting"))
        self.note = QLineEdit()
        self.at = QLineEdit("now")  # parse_time's word, not translated
        self.at.setToolTip(self.tr("now, 09:30, yesterday 17:00, -15m or an ISO 8601 time"))
        for label, field in (
            (self.tr("&Project:"), self.project), (self.tr("&Client:"), self.client),
            (self.tr("&Task:"), self.task), (self.tr("T&ags:"), self.tags),
            (self.tr("&Note:"), self.note), (self.tr("&Started:"), self.at),
        ):  # fmt: skip
            self.form.addRow(label, field)
        self.project.editTextChanged.connect(self.update_state)
        self.at.textChanged.connect(self.update_state)
        self.setMinimumWidth(440)
        self.update_state()

    def fill(self, request: StartRequest, error: str | None = None) -> None:
        """Show what was typed before (a refused start keeps it), with the refusal."""
        self.project.setEditText(request.project)
        d = request.details
        self.client.setText(d.client or "")
        self.task.setText(d.task or "")
        self.tags.setText(", ".join(d.tags or ()))
        self.note.setText(d.note or "")
        self.at.setText(request.typed_at)
        self.update_state()
        if error:
            self.problem.setText(_sentence(error))

    def _when(self) -> datetime | None:
        text = self.at.text().strip()
        if text.lower() in ("", "now"):
            return None
        return parse_time(text, self.now)

    def validate(self) -> str | None:
        if not self.project.project():
            return self.tr("Name the project to track.")
        try:
            when = self._when()
        except TimeParseError as exc:
            return str(exc)[:1].upper() + str(exc)[1:] + "."
        if when is not None and when > self.now:
            return self.tr("The start cannot be in the future.")
        return None

    def request(self) -> StartRequest:
        details = Details(
            client=self.client.text() or None, task=self.task.text() or None,
            tags=_split_tags(self.tags.text()), note=self.note.text() or None,
        )  # fmt: skip
        return StartRequest(self.project.project(), details, self._when(), self.at.text())


class EntryDialog(_Form):
    """Add a finished interval, or amend an entry (then a reason is required)."""

    def __init__(
        self, projects: Projects, now: datetime, entry: Entry | None = None,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        amend = entry is not None
        title = self.tr("Amend entry #{0}").format(entry.id) if entry else self.tr("Add entry")
        intro = (
            self.tr("The current version stays in the signed ledger, with your reason.")
            if amend
            else self.tr("Record time you worked without the timer (a manual entry).")
        )
        super().__init__(title, self.tr("Amend") if amend else self.tr("Add"), intro, parent)
        self.entry = entry
        self.now = now
        self.project = ProjectCombo(projects, self)
        self.client = QLineEdit()
        self.client.setCompleter(_completer(client_words(projects), self))
        self.task = QLineEdit()
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(self.tr("Comma separated"))
        self.note = QLineEdit()
        self.begin = self._datetime_edit()
        self.end = self._datetime_edit()
        self.begin.setAccessibleName(self.tr("Start"))
        self.end.setAccessibleName(self.tr("End"))
        self.duration = QLabel()
        self.duration.setMinimumWidth(60)
        when = QWidget()
        span = QHBoxLayout(when)
        span.setContentsMargins(0, 0, 0, 0)
        span.addWidget(self.begin, 1)
        span.addWidget(QLabel(self.tr("to")))
        span.addWidget(self.end, 1)
        span.addWidget(self.duration)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Required: why this changes (kept in the ledger)"))
        self.form.addRow(self.tr("&Project:"), self.project)
        self.form.addRow(self.tr("&Client:"), self.client)
        self.form.addRow(self.tr("&Task:"), self.task)
        self.form.addRow(self.tr("T&ags:"), self.tags)
        self.form.addRow(self.tr("&Note:"), self.note)
        self.form.addRow(self.tr("&When:"), when)
        label = self.form.labelForField(when)
        if isinstance(label, QLabel):
            label.setBuddy(self.begin)
        if amend:
            self.form.addRow(self.tr("&Reason:"), self.reason)
        self._fill(entry, now)
        for signal in (
            self.project.editTextChanged, self.client.textChanged, self.task.textChanged,
            self.tags.textChanged, self.note.textChanged, self.reason.textChanged,
            self.begin.dateTimeChanged, self.end.dateTimeChanged,
        ):  # fmt: skip
            signal.connect(self.update_state)
        self.setMinimumWidth(560)
        self.update_state()

    def _datetime_edit(self) -> QDateTimeEdit:
        edit = QDateTimeEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat(_DATETIME_FORMAT)
        return edit

    def _fill(self, entry: Entry | None, now: datetime) -> None:
        if entry is None:
            end = now.replace(second=0) - timedelta(minutes=now.minute % 15)
            self.project.setCurrentIndex(-1)
            self.begin.setDateTime(_to_qt(end - timedelta(hours=1)))
            self.end.setDateTime(_to_qt(end))
        else:
            self.project.setEditText(entry.project)
            self.client.setText(entry.client or "")
            self.task.setText(entry.task or "")
            self.tags.setText(", ".join(entry.tags))
            self.note.setText(entry.note or "")
            self.begin.setDateTime(_to_qt(entry.start))
            self.end.setDateTime(_to_qt(entry.end or now))
            if entry.end is None:
                self.end.setEnabled(False)
                self.end.setToolTip(
                    self.tr("The timer is still running; stop it to change the end")
                )
        self._initial_begin = self.begin.dateTime()
        self._initial_end = self.end.dateTime()

    def _span(self) -> tuple[datetime, datetime]:
        return _from_qt(self.begin.dateTime()), _from_qt(self.end.dateTime())

    def validate(self) -> str | None:
        begin, end = self._span()
        seconds = int((end - begin).total_seconds())
        self.duration.setText(fmt.hours(seconds) if seconds > 0 else "")
        if not self.project.project():
            return self.tr("Name the project.")
        times_kept = self.entry is not None and not self._times_changed()
        if self.end.isEnabled() and end <= begin and not times_kept:
            return self.tr("The end must be after the start.")
        if self.entry is None:
            return None
        if not self._changes_given():
            return self.tr("Change something to amend the entry.")
        if not self.reason.text().strip():
            return self.tr("Give a reason to save this change.")
        return None

    def _details_changed(self) -> Details:
        entry = self.entry
        assert entry is not None

        def changed(new: str, old: str | None) -> str | None:
            return new.strip() if new.strip() != (old or "") else None

        tags = _split_tags(self.tags.text())
        return Details(
            project=changed(self.project.project(), entry.project),
            client=changed(self.client.text(), entry.client),
            task=changed(self.task.text(), entry.task),
            tags=tags if tags != entry.tags else None,
            note=changed(self.note.text(), entry.note),
        )

    def _times_changed(self) -> bool:
        return (
            self.begin.dateTime() != self._initial_begin or self.end.dateTime() != self._initial_end
        )

    def _changes_given(self) -> bool:
        return self._times_changed() or self._details_changed() != Details()

    def fill_request(self, request: AddRequest, error: str | None = None) -> None:
        """Show an add request again (it was refused, or the user goes back to it)."""
        self.project.setEditText(request.project)
        d = request.details
        self.client.setText(d.client or "")
        self.task.setText(d.task or "")
        self.tags.setText(", ".join(d.tags or ()))
        self.note.setText(d.note or "")
        self.begin.setDateTime(_to_qt(request.begin))
        self.end.setDateTime(_to_qt(request.end))
        self.update_state()
        if error:
            self.problem.setText(_sentence(error))

    def add_request(self) -> AddRequest:
        begin, end = self._span()
        details = Details(
            client=self.client.text() or None, task=self.task.text() or None,
            tags=_split_tags(self.tags.text()), note=self.note.text() or None,
        )  # fmt: skip
        return AddRequest(self.project.project(), begin, end, details)

    def amend_request(self) -> AmendRequest:
        begin, end = self._span()
        return AmendRequest(
            reason=self.reason.text().strip(),
            details=self._details_changed(),
            begin=begin if self.begin.dateTime() != self._initial_begin else None,
            end=end if self.end.dateTime() != self._initial_end else None,
        )


class ReasonDialog(_Form):
    """Ask why an entry is removed (the reason is kept in the ledger)."""

    def __init__(self, entry: Entry, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Remove entry #{0}").format(entry.id), self.tr("Remove"),
            self.tr("It leaves your reports but stays in the signed ledger, marked removed."),
            parent,
        )  # fmt: skip
        what = QLabel(fmt.summary(entry, now))
        what.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Required, e.g. duplicate of #12"))
        self.form.addRow(self.tr("Entry:"), what)
        self.form.addRow(self.tr("&Reason:"), self.reason)
        self.reason.textChanged.connect(self.update_state)
        self.setMinimumWidth(460)
        self.update_state()

    def validate(self) -> str | None:
        if not self.reason.text().strip():
            return self.tr("Give a reason to remove the entry.")
        return None


# -- what the window calls (tests replace these) -------------------------------


def ask_start(
    parent: QWidget | None, projects: Projects, now: datetime,
    previous: StartRequest | None = None, error: str | None = None,
) -> StartRequest | None:  # fmt: skip
    """Ask for a start; ``previous`` and ``error`` show a refused request again."""
    dialog = StartDialog(projects, now, parent)
    if previous is not None:
        dialog.fill(previous, error)
    return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_add(
    parent: QWidget | None, projects: Projects, now: datetime,
    previous: AddRequest | None = None, error: str | None = None,
) -> AddRequest | None:  # fmt: skip
    dialog = EntryDialog(projects, now, None, parent)
    if previous is not None:
        dialog.fill_request(previous, error)
    return dialog.add_request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def overlap_question(entries: Sequence[Entry], now: datetime) -> str:
    """Words for "this entry overlaps others" (asked before saving a manual entry)."""
    shown = "\n".join(f"• {fmt.summary(e, now)}" for e in entries[:5])
    n = len(entries)
    extra = n - 5  # (lupdate reads no arithmetic inside the call)
    more = QCoreApplication.translate("dialogs", "… and %n more", "", extra)
    more = f"\n{more}" if n > 5 else ""
    head = QCoreApplication.translate(
        "dialogs", "The new entry overlaps %n recorded entr(y|ies):", "", n
    )
    tail = QCoreApplication.translate("dialogs", "Both would count in the totals. Save it anyway?")
    return f"{head}\n\n{shown}{more}\n\n{tail}"


def ask_amend(
    parent: QWidget | None, projects: Projects, entry: Entry, now: datetime
) -> AmendRequest | None:
    dialog = EntryDialog(projects, now, entry, parent)
    return dialog.amend_request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_remove_reason(parent: QWidget | None, entry: Entry, now: datetime) -> str | None:
    dialog = ReasonDialog(entry, now, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.reason.text().strip() if accepted else None
