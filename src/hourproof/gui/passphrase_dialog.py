"""Ask for the signing key's passphrase: at start, or when the key is first needed.

At start (``ask_unlock``) the dialog checks the passphrase itself; Cancel opens the
app with the key locked: browsing, the timeline, verifying a client's proof and the
settings work, and the status bar and the tray say the key is locked.

Later (``KeyUnlocker``, installed as the Controller's ``guard``), a write or export
that needs a signature meets the locked key on its worker thread; its transaction is
rolled back, the worker asks the UI thread for a passphrase and waits, checks it
(wrong: the same dialog asks again), then runs the job again. Cancel ends the job
with one sentence ("nothing was signed or recorded"), and dialogs that reopen on an
error keep what the user typed. A passphrase kept in the OS keyring that no longer
fits (changed from the CLI) is asked for the same way. "Keep it in the OS keyring"
stores it through ``services.keyfile`` so the next start asks nothing.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hourproof.services import unlock
from hourproof.services.app import App
from hourproof.services.errors import ServiceError

if TYPE_CHECKING:
    from hourproof.gui.controller import Controller
    from hourproof.gui.extensions import Host


class PassphraseDialog(QDialog):
    """A password field, a keyring option and a line for what went wrong.

    ``deferred``: the dialog does not check the passphrase itself; Unlock emits
    ``submitted`` and waits for ``show_problem`` (ask again) or ``accept``."""

    submitted = Signal(str, bool)

    def __init__(
        self, app: App, parent: QWidget | None = None, deferred: bool = False,
        problem: unlock.Problem = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.app = app
        self.deferred = deferred
        self.attempts = 0
        self.note: str | None = None
        self.setWindowTitle(self.tr("Unlock the signing key"))
        if deferred:
            text = self.tr(
                "<b>This needs your signing key, which is locked.</b><br>"
                "Type its passphrase to go on. Cancel leaves everything as it was: "
                "nothing is signed or recorded."
            )
        else:
            text = self.tr(
                "<b>Your signing key is protected by a passphrase.</b><br>"
                "hourproof signs every entry with it. Type the passphrase to start, or "
                "Cancel to open hourproof with the key locked (it is asked for when "
                "something needs signing)."
            )
        intro = QLabel(text)
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
        self.show_problem(problem)

    def show_problem(self, problem: unlock.Problem) -> None:
        """Say why the dialog asks (again) and let the user type."""
        texts = {
            "wrong": self.tr("Wrong passphrase. Try again."),
            "stored-wrong": self.tr(
                "The passphrase kept in the OS keyring no longer opens the key (was it "
                "changed on the command line?). Type the current one."
            ),
        }
        self.problem.setText(texts.get(problem or "", ""))
        self._waiting(False)
        if problem == "wrong":
            self.passphrase.selectAll()
        self.passphrase.setFocus()

    def _waiting(self, waiting: bool) -> None:
        for widget in (self.passphrase, self.remember, self.ok):
            widget.setEnabled(not waiting)
        if waiting:
            self.problem.setText(self.tr("Checking the passphrase…"))

    def try_unlock(self) -> bool:
        """Check the passphrase; accept on success, else say why and ask again.

        Deferred: hand it to the waiting worker (True: handed over)."""
        self.attempts += 1
        if self.deferred:
            self._waiting(True)
            self.submitted.emit(self.passphrase.text(), self.remember.isChecked())
            return True
        try:
            self.note = unlock.unlock(self.app, self.passphrase.text(), self.remember.isChecked())
        except unlock.WrongPassphrase:
            self.show_problem("wrong")
            return False
        except ServiceError as exc:
            self.problem.setText(str(exc)[:1].upper() + str(exc)[1:] + ".")
            return False
        self.accept()
        return True


def ask_unlock(app: App, parent: QWidget | None = None) -> bool:
    """Unlock the app's key if it needs a passphrase; False when the user cancelled
    (the app then opens with the key locked)."""
    if not unlock.needs_passphrase(app):
        return True
    dialog = PassphraseDialog(app, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted


_owners = itertools.count(1)


class _Request:
    """One question from a worker to the UI thread, and its answer."""

    def __init__(self, problem: unlock.Problem, owner: int = 0) -> None:
        self.problem = problem
        self.owner = owner  # which guard call asks (its dialog is closed when it ends)
        self.answer: unlock.Answer = None
        self.done = threading.Event()


class KeyUnlocker(QObject):
    """The Controller's guard: asks for the passphrase when a job meets a locked key.

    Lives on the UI thread (a child of the Controller, found with ``find_unlocker``);
    ``guard`` and ``ask`` are called on worker threads."""

    #: True while the key is locked (status bar, tray).
    locked_changed = Signal(bool)
    #: A dialog was opened (tests, and the tray to show the window).
    dialog_opened = Signal(object)
    _asked = Signal(object)
    _settled = Signal(int)

    def __init__(
        self, controller: Controller, parent_widget: Callable[[], QWidget | None] = lambda: None
    ) -> None:
        super().__init__(controller)
        self.setObjectName("keyUnlocker")
        self.controller = controller
        self.app = controller.app
        self.parent_widget = parent_widget
        self.dialog: PassphraseDialog | None = None
        self._request: _Request | None = None
        self._closing = False
        self._cancel_next = False  # Cancel pressed while a passphrase was being checked
        self._owner = 0  # the guard call the open dialog answers
        self.locked = not unlock.is_unlocked(self.app)
        self.app.sign_later = True  # background evidence never waits for the passphrase
        self._asked.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self._settled.connect(self._done, Qt.ConnectionType.QueuedConnection)
        controller.stopping.connect(self.close)
        controller.guard = self.guard

    # -- worker side ----------------------------------------------------------------

    def guard(self, job: Callable[[], Any]) -> Any:
        """Run ``job``; ask and run it again if it met the locked key. However it ends
        (done, cancelled, or another error such as a foreign key), an open dialog is
        closed and the locked state shown again."""
        asked: list[unlock.Problem] = []
        owner = next(_owners)

        def ask(problem: unlock.Problem) -> unlock.Answer:
            asked.append(problem)
            return self.ask(problem, owner)

        try:
            return unlock.run_unlocked(self.app, job, ask)
        finally:
            if asked or (self.locked and unlock.is_unlocked(self.app)):
                self._settled.emit(owner)

    def ask(self, problem: unlock.Problem, owner: int = 0) -> unlock.Answer:
        """Ask the UI thread for a passphrase and wait for it (None: cancelled)."""
        if self._closing:
            return None
        if threading.current_thread() is threading.main_thread():
            raise RuntimeError("KeyUnlocker.ask blocks: call it from a worker thread")
        request = _Request(problem, owner)
        self._asked.emit(request)
        while not request.done.wait(0.2):
            if self._closing:
                return None
        return request.answer

    # -- UI side --------------------------------------------------------------------

    def _show(self, request: _Request) -> None:
        if self._closing:
            self._answer(request, None)
            return
        if self._cancel_next:
            self._cancel_next = False
            self._answer(request, None)
            return
        self._request = request
        self._owner = request.owner
        if self.dialog is not None:  # a wrong passphrase: the same dialog asks again
            self.dialog.show_problem(request.problem)
            return
        dialog = PassphraseDialog(self.app, self.parent_widget(), True, request.problem)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.submitted.connect(self._submitted)
        dialog.rejected.connect(self._cancelled)
        self.dialog = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        self.dialog_opened.emit(dialog)

    def _answer(self, request: _Request | None, answer: unlock.Answer) -> None:
        if request is None:
            return
        request.answer = answer
        request.done.set()

    def _submitted(self, passphrase: str, remember: bool) -> None:
        request, self._request = self._request, None
        self._answer(request, (passphrase, remember))

    def _cancelled(self) -> None:
        request, self._request = self._request, None
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None
        if request is None:  # the worker is checking a passphrase: it gets Cancel next
            self._cancel_next = True
        self._answer(request, None)

    def _done(self, owner: int) -> None:
        """A guard call that asked has ended: close its dialog, show the key's state."""
        if owner == self._owner:
            if self.dialog is not None:
                dialog, self.dialog = self.dialog, None
                dialog.rejected.disconnect(self._cancelled)
                dialog.accept()
                dialog.deleteLater()
            self._request = None
            self._cancel_next = False
        self._set_locked(not unlock.is_unlocked(self.app))

    def _set_locked(self, locked: bool) -> None:
        if locked != self.locked:
            self.locked = locked
            self.locked_changed.emit(locked)

    def unlock_now(self) -> None:
        """The "Unlock…" action: ask now, on a worker (nothing else is done)."""

        def failed(message: str) -> None:
            if not message.startswith("the signing key stayed locked"):
                self.controller.failed.emit(message)

        self.controller.write("unlock", _need_key, on_error=failed)

    def close(self) -> None:
        """The app quits: every waiting worker gets Cancel."""
        self._closing = True
        request, self._request = self._request, None
        self._answer(request, None)
        if self.dialog is not None:
            self.dialog.rejected.disconnect(self._cancelled)
            self.dialog.reject()
            self.dialog = None


def _need_key(app: App) -> None:
    _ = app.key  # meets KeyLocked when locked, so the guard asks


def find_unlocker(controller: QObject) -> KeyUnlocker | None:
    found = controller.findChild(KeyUnlocker, "keyUnlocker")
    return found if isinstance(found, KeyUnlocker) else None


def install(host: Host) -> None:
    """The guard on the Controller, a "key locked" note in the status bar with an
    Unlock button, and a tray item while the key is locked."""
    window = host.window
    unlocker = KeyUnlocker(host.controller, lambda: window if window.isVisible() else None)
    label = QLabel(unlocker.tr("🔒 Signing key locked"))
    label.setObjectName("keyLocked")
    label.setAccessibleName(unlocker.tr("The signing key is locked"))
    label.setToolTip(
        unlocker.tr("Browsing and verifying work; the passphrase is asked for when you sign")
    )
    button = QPushButton(unlocker.tr("&Unlock…"))
    button.setObjectName("unlockKey")
    button.setAccessibleName(unlocker.tr("Unlock the signing key"))
    button.setFlat(True)
    button.clicked.connect(unlocker.unlock_now)
    bar = window.statusBar()
    bar.insertPermanentWidget(0, button)
    bar.insertPermanentWidget(0, label)
    action = QAction(unlocker.tr("Unlock signing key…"), window)
    action.triggered.connect(unlocker.unlock_now)
    host.add_tray_action(action)

    def show_state(locked: bool) -> None:
        label.setVisible(locked)
        button.setVisible(locked)
        action.setVisible(locked)

    unlocker.locked_changed.connect(show_state)
    show_state(unlocker.locked)
