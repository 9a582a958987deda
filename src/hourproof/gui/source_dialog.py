"""Asking who a git repository's or a watched folder's work is for.

Only collects and checks input (the Evidence tab registers it through the service
layer); ``ask_source`` is what the tab calls, so tests can answer it directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from hourproof.gui.dialogs import ProjectCombo, Projects

_MUTED = "color: palette(placeholder-text);"


@dataclass(frozen=True)
class SourceRequest:
    """Who a repository's or folder's work is for (authors and subjects: git only)."""

    project: str
    client: str | None
    authors: tuple[str, ...] = ()
    subjects: bool = True


class SourceDialog(QDialog):
    """Project and client for a new repository or watched folder."""

    def __init__(
        self, title: str, path: str, projects: Projects, git: bool,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        where = QLabel(path)
        where.setWordWrap(True)
        self.project = ProjectCombo(projects)
        self.client = QLineEdit()
        self.client.setPlaceholderText(self.tr("optional"))
        form = QFormLayout(self)
        form.addRow(self.tr("Folder:"), where)
        form.addRow(self.tr("&Project:"), self.project)
        form.addRow(self.tr("&Client:"), self.client)
        self.authors = QLineEdit()
        self.subjects = QCheckBox(self.tr("Record commit subject lines"))
        self.subjects.setChecked(True)
        if git:
            self.authors.setPlaceholderText(
                self.tr("your commits: default is the repository's user.email")
            )
            form.addRow(self.tr("&Author emails:"), self.authors)
            form.addRow("", self.subjects)
        hint = QLabel(
            self.tr("Commits are recorded by id, time and size only; file contents never are.")
            if git
            else self.tr("Only which files changed and when is recorded, never their contents.")
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(_MUTED)
        form.addRow(hint)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.project.editTextChanged.connect(self._project_changed)
        self._project_changed()

    def _project_changed(self, *_: object) -> None:
        name = self.project.currentText().strip()
        self.ok.setEnabled(bool(name))
        known = self.project.clients.get(name)
        if known and not self.client.text():
            self.client.setText(known)

    def value(self) -> SourceRequest:
        authors = tuple(a.strip() for a in self.authors.text().replace(";", ",").split(","))
        return SourceRequest(
            self.project.currentText().strip(), self.client.text().strip() or None,
            tuple(a for a in authors if a), self.subjects.isChecked(),
        )  # fmt: skip


def ask_source(
    parent: QWidget, title: str, path: str, projects: Projects, git: bool
) -> SourceRequest | None:
    dialog = SourceDialog(title, path, projects, git, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return dialog.value() if accepted else None
