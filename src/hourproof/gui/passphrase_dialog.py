"""Ask for the signing key's passphrase: at start, or when the key is first needed.

A wrong passphrase keeps the dialog open with a clear message (retry as often as
needed); "Keep it in the OS keyring" stores it through ``services.keyfile`` so the
next start asks nothing. Cancel leaves the key locked (the app then quits).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from hourproof.services import unlock
from hourproof.services.app import App
from hourproof.services.errors import ServiceError


class PassphraseDialog(QDialog):
    """A password field, a keyring option and a line for what went wrong."""

    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.attempts = 0
        self.note: str | None = None
        self.setWindowTitle(self.tr("Unlock the signing key"))
        intro = QLabel(
            self.tr(
                "<b>Your signing key is protected by a passphrase.</b><br>"
                "hourproof signs every entry with it. Type the passphrase to start."
            )
        )
        intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.remember = QCheckBox(self.tr("&Keep it in the OS keyring"))
        self.remember.setAccessibleName(self.tr("Keep the passphrase in the OS keyring"))
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName(self.tr("Problem"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Unlock"))
        self.buttons.accepted.connect(self.try_unlock)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.remember)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

    def try_unlock(self) -> bool:
        """Check the passphrase; accept on success, else say why and ask again."""
        self.attempts += 1
        try:
            self.note = unlock.unlock(self.app, self.passphrase.text(), self.remember.isChecked())
        except unlock.WrongPassphrase:
            self.problem.setText(self.tr("Wrong passphrase. Try again."))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return False
        except ServiceError as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return False
        self.accept()
        return True


def ask_unlock(app: App, parent: QWidget | None = None) -> bool:
    """Unlock the app's key if it needs a passphrase; False when the user cancelled."""
    if not unlock.needs_passphrase(app):
        return True
    dialog = PassphraseDialog(app, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
