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

from hourproof.gui import fmt
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


@pytest.fixture(scope="module")
def with_outside(tmp_path_factory: pytest.TempPathFactory) -> Iterator[bytes]:
    """October's bundle of a client who also has a November entry (disclosed, not counted)."""
    from datetime import UTC, datetime, timedelta

    from hourproof.services import tracking

    root = tmp_path_factory.mktemp("verify-outside")
    home = b.build_home(root / "a", with_evidence=False)
    try:
        november = datetime(2026, 11, 3, 9, tzinfo=UTC)
        home.clock.advance(minutes=5)
        tracking.add(home.app, "api", november, november + timedelta(hours=1),
                     tracking.Details(client=b.CLIENT_A))  # fmt: skip
        yield b.export(home, root / "a.hproof")
    finally:
        home.close()


def test_entries_outside_the_period_are_listed_apart_and_not_counted(
    with_outside: bytes, controller: Controller, tmp_path: Path, qtbot: object
) -> None:
    path = tmp_path / "october.hproof"
    path.write_bytes(with_outside)
    window = open_window(controller, path, qtbot)
    st = window.result.statement
    assert window.result.ok and st is not None
    outside = [e for e in st.entries if e.outside and not e.removed]
    counted = [e for e in st.entries if not e.outside and not e.removed]
    assert [e.start.month for e in outside] == [11] and counted
    table = window.entries
    assert table.rowCount() == len(counted) + len(outside)
    labels = [table.item(r, 5).text() for r in range(table.rowCount())]
    # counted entries keep their labels; the November one comes last, said not counted
    assert "not counted" not in " ".join(labels[: len(counted)])
    assert labels[len(counted) :] == ["not counted — outside the period"]
    last = table.item(table.rowCount() - 1, 0)
    assert last.font().italic() and not table.item(0, 0).font().italic()
    assert "not in any total" in last.toolTip()
    assert not window.outside_note.isHidden()
    assert window.outside_note.text().startswith("1 entry outside the period")
    # the totals are the statement's, which never include the November hour
    assert window.total.text().startswith(f"<b>Total {fmt.hours(st.total_seconds)} h</b>")
    assert st.total_seconds == sum(e.seconds for e in counted)
    assert all(not day.key.startswith("2026-11") for day in st.by_day)
    day_cells = [window.by_day.item(r, 0).text() for r in range(window.by_day.rowCount())]
    assert not any(d.startswith("2026-11") for d in day_cells)


def test_a_bundle_without_outside_entries_shows_no_such_note(
    genuine: tuple[bytes, b.Home], controller: Controller, tmp_path: Path, qtbot: object
) -> None:
    path = tmp_path / "october.hproof"
    path.write_bytes(genuine[0])
    window = open_window(controller, path, qtbot)
    assert window.outside_note.isHidden()
    labels = [window.entries.item(r, 5).text() for r in range(window.entries.rowCount())]
    assert labels and not any("not counted" in label for label in labels)
