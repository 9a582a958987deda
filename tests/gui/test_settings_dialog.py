"""Settings: TSAs added and removed through the service, a bad URL refused with a
sentence, the key fingerprint with Copy, start at login as an XDG autostart file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from hourproof.gui.controller import Controller
from hourproof.gui.settings_dialog import SettingsDialog, autostart_file
from hourproof.ledger import keys
from hourproof.services import anchoring
from hourproof.services.app import App

from .conftest import settle


@pytest.fixture
def dialog(controller: Controller, qtbot: object) -> SettingsDialog:
    d = SettingsDialog(controller)
    qtbot.addWidget(d)  # type: ignore[attr-defined]
    settle(controller, refresh=False)
    return d


def test_the_key_fingerprint_is_shown_and_copied(dialog: SettingsDialog, app: App) -> None:
    fingerprint = keys.fingerprint(app.key.public_key())
    assert dialog.fingerprint.text() == fingerprint
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == fingerprint


def test_a_tsa_is_added_and_removed(dialog: SettingsDialog, app: App) -> None:
    assert dialog.tsas.count() == 0
    dialog.tsa_name.setText("local")
    dialog.tsa_url.setText("http://127.0.0.1:9/tsa")
    dialog.add_tsa.click()
    settle(dialog.controller, refresh=False)
    assert [t.name for t in anchoring.list_tsas(app)] == ["local"]
    assert dialog.tsas.count() == 1 and "127.0.0.1" in dialog.tsas.item(0).text()
    dialog.tsas.setCurrentRow(0)
    dialog.remove_tsa.click()
    settle(dialog.controller, refresh=False)
    assert anchoring.list_tsas(app) == [] and dialog.tsas.count() == 0


def test_a_tsa_without_an_http_url_is_refused_with_a_sentence(
    dialog: SettingsDialog, app: App
) -> None:
    dialog.tsa_name.setText("odd")
    dialog.tsa_url.setText("ftp://example.invalid/")
    dialog.add_tsa.click()
    settle(dialog.controller, refresh=False)
    assert anchoring.list_tsas(app) == []
    assert dialog.problem.text().endswith(".") and "URL" in dialog.problem.text()


def test_removing_without_a_choice_says_so(dialog: SettingsDialog) -> None:
    dialog.remove_tsa.click()
    assert "choose" in dialog.problem.text().lower()


def test_start_at_login_writes_and_removes_the_autostart_file(
    dialog: SettingsDialog, app: App
) -> None:
    path = autostart_file()
    assert str(path).startswith(str(Path.home())) or "xdg-config" in str(path)
    dialog.autostart.setChecked(True)
    assert path.exists() and "--hidden" in path.read_text()
    assert str(app.home.root) in path.read_text()
    dialog.autostart.setChecked(False)
    assert not path.exists()


def test_the_idle_source_is_described(dialog: SettingsDialog) -> None:
    assert dialog.idle_source.text()  # which source works, or why none does


def test_a_new_passphrase_encrypts_the_key_file(
    dialog: SettingsDialog, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hourproof.services import keyfile, unlock

    dialog.new_passphrase.setText("correct horse")
    dialog.repeat_passphrase.setText("correct horse")
    dialog.passphrase_button.click()
    settle(dialog.controller, refresh=False)
    monkeypatch.delenv(keyfile.ENV_PASSPHRASE, raising=False)
    data = app.key_path.read_bytes()
    with pytest.raises(keys.PassphraseRequired):
        keys.load_private_openssh(data, None)
    assert keys.load_private_openssh(data, b"correct horse").public_key() == app.key.public_key()
    assert unlock.needs_passphrase(app)
    assert "new passphrase" in dialog.problem.text()


def test_passphrases_that_differ_are_refused(dialog: SettingsDialog, app: App) -> None:
    before = app.key_path.read_bytes()
    dialog.new_passphrase.setText("one")
    dialog.repeat_passphrase.setText("two")
    dialog.passphrase_button.click()
    assert "differ" in dialog.problem.text()
    assert app.key_path.read_bytes() == before
