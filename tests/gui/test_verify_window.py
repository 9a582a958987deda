"""The client's verify window: a genuine bundle is Verified with its fingerprint and
totals; a tampered one (re-signed by the contractor's own key) fails and says where;
a file that is no bundle is one sentence. Also: the passphrase dialog retries."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from hourproof.gui.controller import Controller
from hourproof.gui.passphrase_dialog import PassphraseDialog
from hourproof.gui.verify_window import VerifyWindow
from hourproof.ledger import keys
from hourproof.services import keyfile, unlock
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from tests.support import bundles as b


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[bytes, b.Home]]:
    root = tmp_path_factory.mktemp("verify-gui")
    home = b.build_home(root / "a", with_evidence=False)
    try:
        yield b.export(home, root / "a.hproof"), home
    finally:
        home.close()


def open_window(controller: Controller, path: Path, qtbot: object) -> VerifyWindow:
    window = VerifyWindow(path, controller.write)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.finished, timeout=60_000):  # type: ignore[attr-defined]
        window.show()
    return window


def test_a_genuine_bundle_is_verified_with_fingerprint_entries_and_totals(
    genuine: tuple[bytes, b.Home], controller: Controller, tmp_path: Path, qtbot: object
) -> None:
    data, home = genuine
    path = tmp_path / "october.hproof"
    path.write_bytes(data)
    window = open_window(controller, path, qtbot)
    assert window.verdict.text().startswith("✔ Verified")
    # the same last line as `hourproof verify`: trusted time or self-reported only
    from hourproof.proof.verdict import verdict_line

    assert window.result is not None and window.result.statement is not None
    assert window.detail.text().endswith("\n" + verdict_line(window.result.statement))
    assert "VERIFIED, self-reported only" in window.detail.text()  # this bundle has no token
    assert (
        window.verdict.text()
        == "✔ Verified, self-reported only (no trusted timestamp covers any entry)"
    )
    fingerprint = keys.fingerprint(home.key.public_key())
    assert window.fingerprint.text() == fingerprint
    window.copy_fingerprint()
    assert QApplication.clipboard().text() == fingerprint
    assert "contract" in window.pin_note.text()  # unpinned: compare, remembered
    assert window.steps.rowCount() >= 5
    assert all(window.steps.item(r, 0).text() != "✘ FAIL" for r in range(window.steps.rowCount()))
    assert window.entries.rowCount() > 0
    labels = {window.entries.item(r, 5).text() for r in range(window.entries.rowCount())}
    assert labels and all(
        lbl.startswith(("Recorded by", "Self-reported", "Verified")) for lbl in labels
    )
    assert window.total.text().startswith("<b>Total")
    assert b.CLIENT_A in window.detail.text()


def test_a_tampered_bundle_fails_and_names_the_file(
    genuine: tuple[bytes, b.Home], controller: Controller, tmp_path: Path, qtbot: object
) -> None:
    data, home = genuine
    files = b.unzip(data)
    lines = b.entry_lines(files)
    leaf = json.loads(lines[0])
    leaf["project"] = leaf.get("project", "x") + "-padded"
    forged = b.resign(files, home.key, {"entries.jsonl": b.jsonl([
        json.dumps(leaf, separators=(",", ":"), sort_keys=True).encode(), *lines[1:]
    ])})  # fmt: skip
    path = tmp_path / "forged.hproof"
    path.write_bytes(b.rezip(forged))
    window = open_window(controller, path, qtbot)
    assert window.verdict.text().startswith("✘ NOT verified")
    assert window.detail.text()  # "<file>: <reason>"
    assert window.tabs.currentWidget() is window.steps
    assert any(window.steps.item(r, 0).text() == "✘ FAIL" for r in range(window.steps.rowCount()))


def test_a_file_that_is_no_bundle_is_one_sentence(
    controller: Controller, tmp_path: Path, qtbot: object
) -> None:
    path = tmp_path / "notes.hproof"
    path.write_text("not a zip at all")
    window = open_window(controller, path, qtbot)
    assert window.verdict.text().startswith("✘ Cannot check")
    assert "Traceback" not in window.detail.text() and window.detail.text().endswith(".")
    assert window.error is not None


@pytest.fixture
def locked_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    monkeypatch.setenv(keyfile.ENV_PASSPHRASE, "right horse")
    opened = App.open(tmp_path / "locked")
    _ = opened.key  # made, encrypted with the passphrase above
    opened.close()
    monkeypatch.delenv(keyfile.ENV_PASSPHRASE)
    again = App.open(tmp_path / "locked")
    yield again
    again.close()


def test_passphrase_dialog_retries_a_wrong_passphrase_then_unlocks(
    locked_app: App, qtbot: object
) -> None:
    assert unlock.needs_passphrase(locked_app)
    dialog = PassphraseDialog(locked_app)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.passphrase.setText("wrong")
    assert not dialog.try_unlock()
    assert "Wrong passphrase" in dialog.problem.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.passphrase.setText("right horse")
    assert dialog.try_unlock()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert locked_app.key is not None
    assert os.environ.get(keyfile.ENV_PASSPHRASE) is None  # not left behind for children


def test_keeping_the_passphrase_without_a_keyring_says_it_was_not_stored(
    locked_app: App, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_keyring(path: Path, passphrase: str) -> None:
        raise ServiceError("no OS keyring is available on this system")

    monkeypatch.setattr(keyfile, "keyring_store", no_keyring)
    dialog = PassphraseDialog(locked_app)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.passphrase.setText("right horse")
    dialog.remember.setChecked(True)
    assert dialog.try_unlock()  # the key is unlocked all the same
    assert dialog.note is not None and "not stored" in dialog.note
