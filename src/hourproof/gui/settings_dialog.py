"""Settings: timestamp authorities, idle detection, the signing key, start at login.

Reads and writes go through the controller (reader / writer threads) and the
services (``anchoring``, ``idle``); start at login is an XDG autostart file on
Linux (``~/.config/autostart/io.hourproof.Hourproof.desktop``).
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hourproof.gui.controller import Controller

APP_ID = "io.hourproof.Hourproof"


def autostart_file() -> Path:
    """Where XDG desktops look for programs to start at login."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / f"{APP_ID}.desktop"


def set_start_at_login(enabled: bool, home: Path | None = None) -> Path:
    """Write (or remove) the autostart entry; it starts the app hidden in the tray."""
    path = autostart_file()
    if not enabled:
        path.unlink(missing_ok=True)
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    args = f" --home {home}" if home is not None else ""
    path.write_text(
        "[Desktop Entry]\nType=Application\nName=hourproof\n"
        f"Exec={sys.executable} -m hourproof.gui.main --hidden{args}\n"
        f"Icon={APP_ID}\nX-GNOME-Autostart-enabled=true\nNoDisplay=true\n"
    )
    return path


class SettingsDialog(QDialog):
    """TSAs (list, add, remove), idle threshold and source, key fingerprint, autostart."""

    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle(self.tr("Settings — hourproof"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        layout.addWidget(self._tsa_box())
        layout.addWidget(self._idle_box())
        layout.addWidget(self._key_box())
        self.autostart = QCheckBox(self.tr("Start hourproof in the tray when I log in"))
        self.autostart.setAccessibleName(self.tr("Start at login"))
        self.autostart.setChecked(autostart_file().exists())
        self.autostart.setEnabled(sys.platform.startswith("linux"))
        self.autostart.toggled.connect(self._autostart_toggled)
        layout.addWidget(self.autostart)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.reload()

    # -- construction ----------------------------------------------------------------

    def _tsa_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Timestamp authorities (RFC 3161)"))
        self.tsas = QListWidget()
        self.tsas.setAccessibleName(self.tr("Timestamp authorities"))
        self.tsa_name = QLineEdit()
        self.tsa_name.setPlaceholderText(self.tr("Name, e.g. FreeTSA"))
        self.tsa_name.setAccessibleName(self.tr("New TSA name"))
        self.tsa_url = QLineEdit()
        self.tsa_url.setPlaceholderText("https://freetsa.org/tsr")
        self.tsa_url.setAccessibleName(self.tr("New TSA URL"))
        self.add_tsa = QPushButton(self.tr("&Add"))
        self.remove_tsa = QPushButton(self.tr("&Remove"))
        self.add_tsa.clicked.connect(self._add_tsa)
        self.remove_tsa.clicked.connect(self._remove_tsa)
        row = QHBoxLayout()
        row.addWidget(self.tsa_name)
        row.addWidget(self.tsa_url, 2)
        row.addWidget(self.add_tsa)
        row.addWidget(self.remove_tsa)
        note = QLabel(self.tr("Only checkpoint digests are sent, and only to these servers."))
        note.setWordWrap(True)
        layout = QVBoxLayout(box)
        layout.addWidget(self.tsas)
        layout.addLayout(row)
        layout.addWidget(note)
        return box

    def _idle_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Time away (idle)"))
        self.idle_minutes = QSpinBox()
        self.idle_minutes.setRange(1, 240)
        self.idle_minutes.setSuffix(self.tr(" min"))
        self.idle_minutes.setAccessibleName(self.tr("Idle threshold in minutes"))
        self.idle_minutes.editingFinished.connect(self._idle_changed)
        self.idle_source = QLabel()
        self.idle_source.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow(self.tr("Ask about time away after:"), self.idle_minutes)
        form.addRow(self.tr("Source:"), self.idle_source)
        return box

    def _key_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Signing key"))
        self.fingerprint = QLineEdit()
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setAccessibleName(self.tr("Key fingerprint"))
        self.copy_button = QPushButton(self.tr("&Copy"))
        self.copy_button.setAccessibleName(self.tr("Copy the key fingerprint"))
        self.copy_button.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.fingerprint.text())
        )
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Fingerprint:")))
        row.addWidget(self.fingerprint, 1)
        row.addWidget(self.copy_button)
        self.new_passphrase = QLineEdit()
        self.new_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_passphrase.setPlaceholderText(self.tr("New passphrase (empty: none)"))
        self.new_passphrase.setAccessibleName(self.tr("New passphrase"))
        self.repeat_passphrase = QLineEdit()
        self.repeat_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_passphrase.setPlaceholderText(self.tr("Repeat it"))
        self.repeat_passphrase.setAccessibleName(self.tr("Repeat the new passphrase"))
        self.passphrase_button = QPushButton(self.tr("Set &passphrase"))
        self.passphrase_button.clicked.connect(self._set_passphrase)
        second = QHBoxLayout()
        second.addWidget(self.new_passphrase, 1)
        second.addWidget(self.repeat_passphrase, 1)
        second.addWidget(self.passphrase_button)
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addLayout(second)
        return box

    def _set_passphrase(self) -> None:
        """Re-encrypt the key file with a new passphrase (or none), on the writer."""
        from hourproof.services import keyfile

        new = self.new_passphrase.text()
        if new != self.repeat_passphrase.text():
            self._failed(self.tr("the two passphrases differ"))
            return

        def write(app: Any) -> None:
            keyfile.write_key(app.key_path, app.key, new.encode() or None)

        def done(_: object) -> None:
            self.new_passphrase.clear()
            self.repeat_passphrase.clear()
            self.problem.setText(
                self.tr("The key file is now protected by the new passphrase.")
                if new
                else self.tr("The key file now has no passphrase.")
            )

        self.controller.write("passphrase", write, done, self._failed)

    # -- reading ---------------------------------------------------------------------

    def reload(self) -> None:
        self.controller.read(_read_settings, self._show)

    def _show(self, found: dict[str, Any]) -> None:
        self.tsas.clear()
        for name, url in found["tsas"]:
            self.tsas.addItem(f"{name} — {url}")
        self.tsa_names = [name for name, _ in found["tsas"]]
        self.fingerprint.setText(found["fingerprint"])
        self.fingerprint.setCursorPosition(0)  # show the start ("SHA256:…")
        minutes = found.get("idle_minutes")
        self.idle_minutes.setEnabled(minutes is not None)
        if minutes is not None:
            self.idle_minutes.setValue(minutes)
        self.idle_source.setText(found["idle_source"])

    # -- writing ---------------------------------------------------------------------

    def _failed(self, message: str) -> None:
        self.problem.setText(message[:1].upper() + message[1:] + ".")

    def _add_tsa(self) -> None:
        from hourproof.services import anchoring

        name, url = self.tsa_name.text().strip(), self.tsa_url.text().strip()
        if not name or not url.startswith(("http://", "https://")):
            self._failed(self.tr("give a name and an http(s) URL for the timestamp authority"))
            return

        def done(_: object) -> None:
            self.tsa_name.clear()
            self.tsa_url.clear()
            self.problem.clear()
            self.reload()

        self.controller.write(
            "tsa", lambda app: anchoring.add_tsa(app, name, url, None), done, self._failed
        )

    def _remove_tsa(self) -> None:
        from hourproof.services import anchoring

        row = self.tsas.currentRow()
        if row < 0:
            self._failed(self.tr("choose a timestamp authority to remove"))
            return
        name = self.tsa_names[row]
        self.controller.write(
            "tsa", lambda app: anchoring.remove_tsa(app, name), lambda _: self.reload(),
            self._failed,
        )  # fmt: skip

    def _idle_changed(self) -> None:
        try:
            from hourproof.services import idle
        except ImportError:
            return
        minutes = self.idle_minutes.value()
        self.controller.write(
            "idle", lambda app: idle.set_threshold(app, timedelta(minutes=minutes)),
            lambda _: None, self._failed,
        )  # fmt: skip

    def _autostart_toggled(self, enabled: bool) -> None:
        try:
            set_start_at_login(enabled, self.controller.app.home.root)
        except OSError as exc:
            self._failed(self.tr("cannot write the autostart file: {0}").format(exc.strerror))


def _read_settings(app: Any) -> dict[str, Any]:
    from hourproof.ledger import keys
    from hourproof.services import anchoring, ledger_ops

    found: dict[str, Any] = {
        "tsas": [(t.name, t.url) for t in anchoring.list_tsas(app)],
        "fingerprint": keys.fingerprint(ledger_ops.public_key(app)),  # also while locked
        "idle_minutes": None,
        "idle_source": QCoreApplication.translate(
            "SettingsDialog", "Idle detection is not available in this build."
        ),
    }
    try:
        from hourproof.services import idle
        from hourproof.sources import idle as idle_sources
    except ImportError:
        return found
    found["idle_minutes"] = int(idle.threshold(app).total_seconds() // 60)
    source, probes = idle_sources.choose()
    if source is not None and hasattr(source, "close"):
        source.close()
    found["idle_source"] = idle_sources.describe(probes)
    return found
