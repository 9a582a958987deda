"""Issue 12 in the app: the client approves or contests from the verify window (in their
own home), the contractor adds the approval (trust on first use, fingerprint shown) and
sees its entries Approved and the period's approval line; Export → "For a dispute"
writes the PDF too."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog

from hourproof.gui import approval_dialogs, dialogs, export_dialog
from hourproof.gui.approval_dialogs import ApprovalsFeature, ApproveDialog, ContestDialog
from hourproof.gui.controller import Controller
from hourproof.gui.entry_model import Column
from hourproof.gui.export_dialog import ExportFeature
from hourproof.gui.extensions import GuiHost
from hourproof.gui.main import SETTINGS_NAME
from hourproof.gui.verify_window import VerifyWindow
from hourproof.gui.window import MainWindow
from hourproof.ledger import keys
from hourproof.services import approvals, tracking
from hourproof.services.app import App
from hourproof.services.verifying import VerifyRequest, verify
from tests.gui.conftest import settle
from tests.gui.test_export_dialog import OCTOBER_5, add
from tests.support import bundles as b


@pytest.fixture(scope="module")
def contractor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[b.Home, bytes]]:
    root = tmp_path_factory.mktemp("approvals-gui")
    home = b.build_home(root / "c", with_evidence=False)
    try:
        yield home, b.export(home, root / "acme.hproof")
    finally:
        home.close()


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs shown (instead of a modal box)."""
    shown: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, message: shown.append(message))
    return shown


def open_window(controller: Controller, path: Path, qtbot: object) -> VerifyWindow:
    window = VerifyWindow(path, controller.write)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    with qtbot.waitSignal(window.finished, timeout=60_000):  # type: ignore[attr-defined]
        window.show()
    return window


def sign(window: VerifyWindow, qtbot: object, start: object, *args: object) -> None:
    with qtbot.waitSignal(window.sign_finished, timeout=60_000):  # type: ignore[attr-defined]
        start(*args)  # type: ignore[operator]


def test_the_client_approves_a_genuine_bundle_and_is_told_to_email_the_file(
    contractor: tuple[b.Home, bytes], controller: Controller, tmp_path: Path, qtbot: object,
    errors: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    home, data = contractor
    bundle = tmp_path / "acme.hproof"
    bundle.write_bytes(data)
    window = open_window(controller, bundle, qtbot)
    assert window.verdict.text().startswith("✔ Verified")
    assert window.approve_button.isEnabled() and window.contest_button.isEnabled()
    out = tmp_path / "acme.approval.json"
    sign(window, qtbot, window.start_approve, "ok for invoice 7", out)
    assert errors == []
    assert window.signed is not None and window.signed.path == out
    text = window.signed_note.text()
    assert str(out) in text and "Email this file back" in text
    # the file is what the contractor's log accepts: signed by the client's own key
    approval = approvals.preview_approval(home.app, out).approval
    assert approval.kind == approvals.APPROVE and approval.note == "ok for invoice 7"
    assert approval.recipient == b.CLIENT_A
    assert approval.client_fingerprint == keys.fingerprint(controller.app.key.public_key())
    assert approval.client_fingerprint != keys.fingerprint(home.key.public_key())
    assert window.approve_button.isEnabled()  # may sign again (e.g. another file)
    # the button asks (the dialog is replaced here) and signs what it answered
    asked: list[str] = []

    def fake_ask(parent: object, path: Path, contractor: str) -> object:
        asked.append(contractor)
        return None, tmp_path / "again.json"

    monkeypatch.setattr(approval_dialogs, "ask_approve", fake_ask)
    with qtbot.waitSignal(window.sign_finished, timeout=60_000):  # type: ignore[attr-defined]
        qtbot.mouseClick(window.approve_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert asked == [b.IDENTITY] and (tmp_path / "again.json").is_file()
    assert str(tmp_path / "again.json") in window.signed_note.text()


def test_the_client_contests_chosen_entries_with_a_reason(
    contractor: tuple[b.Home, bytes], controller: Controller, tmp_path: Path, qtbot: object,
    errors: list[str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _, data = contractor
    bundle = tmp_path / "acme.hproof"
    bundle.write_bytes(data)
    window = open_window(controller, bundle, qtbot)
    live = [e for e in window.result.statement.entries if not e.removed]
    dialog = ContestDialog(bundle, [(e.id, str(e.id)) for e in live])
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert not dialog.try_accept() and "reason" in dialog.problem.text()
    dialog.reason.setText("the night deploy was not ordered")
    dialog.some.setChecked(True)
    assert not dialog.try_accept() and "Tick" in dialog.problem.text()
    dialog.entries.item(len(live) - 1).setCheckState(Qt.CheckState.Checked)
    assert dialog.try_accept()
    reason, chosen, out = dialog.values()
    assert chosen == (live[-1].id,) and out.name == "acme.contest.json"
    sign(window, qtbot, window.start_contest, reason, chosen, tmp_path / "contest.json")
    assert errors == []
    obj = json.loads((tmp_path / "contest.json").read_text())
    assert obj["statement"]["kind"] == "contest"
    assert obj["statement"]["entries"] == [live[-1].id]
    assert obj["statement"]["reason"] == "the night deploy was not ordered"
    assert "Contest signed" in window.signed_note.text()
    # the button: the dialog is offered the counted entries, a whole-bundle contest signs
    offered: list[list[tuple[int, str]]] = []

    def fake_ask(parent: object, path: Path, entries: list[tuple[int, str]]) -> object:
        offered.append(entries)
        return "all of it", (), tmp_path / "whole.json"

    monkeypatch.setattr(approval_dialogs, "ask_contest", fake_ask)
    with qtbot.waitSignal(window.sign_finished, timeout=60_000):  # type: ignore[attr-defined]
        qtbot.mouseClick(window.contest_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert [i for i, _ in offered[0]] == [e.id for e in live if not e.outside]
    whole = json.loads((tmp_path / "whole.json").read_text())["statement"]
    assert whole["entries"] == [] and whole["reason"] == "all of it"


def test_a_refused_signature_is_one_sentence_in_a_dialog(
    contractor: tuple[b.Home, bytes], controller: Controller, tmp_path: Path, qtbot: object,
    errors: list[str],
) -> None:  # fmt: skip
    _, data = contractor
    bundle = tmp_path / "acme.hproof"
    bundle.write_bytes(data)
    window = open_window(controller, bundle, qtbot)
    sign(window, qtbot, window.start_approve, None, tmp_path / "no-such-dir" / "a.json")
    assert len(errors) == 1 and errors[0].startswith("cannot write")
    assert "Traceback" not in errors[0] and "unexpected" not in errors[0]
    assert "\n" not in errors[0]
    assert window.signed is None and not window.signed_note.isVisible()
    assert window.approve_button.isEnabled()


def test_approve_and_contest_are_disabled_on_a_bundle_that_fails(
    contractor: tuple[b.Home, bytes], controller: Controller, tmp_path: Path, qtbot: object
) -> None:
    home, data = contractor
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
    assert not window.approve_button.isEnabled() and not window.contest_button.isEnabled()
    junk = tmp_path / "junk.hproof"
    junk.write_text("no zip")
    window = open_window(controller, junk, qtbot)
    assert not window.approve_button.isEnabled() and not window.contest_button.isEnabled()


def test_the_approve_dialog_offers_the_default_file_and_an_optional_note(
    tmp_path: Path, qtbot: object
) -> None:
    dialog = ApproveDialog(tmp_path / "acme-2026-10.hproof", "Jane")
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.try_accept()
    assert dialog.values() == (None, tmp_path / "acme-2026-10.approval.json")
    dialog.save.path.setText(str(tmp_path) + "/")
    assert not dialog.try_accept() and dialog.problem.isVisibleTo(dialog)


def test_the_contractor_adds_the_approval_and_sees_entries_approved(
    tmp_path: Path, qtbot: object, controller: Controller, errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # a contractor home of its own (the module's one is shared, an approval would stick)
    home = b.build_home(tmp_path / "c", with_evidence=False)
    bundle = tmp_path / "acme.hproof"
    b.export(home, bundle)
    client_window = open_window(controller, bundle, qtbot)
    approval_file = tmp_path / "acme.approval.json"
    sign(client_window, qtbot, client_window.start_approve, "fine", approval_file)
    ctl = Controller(home.app)
    try:
        settings = QSettings(str(home.app.home.root / SETTINGS_NAME), QSettings.Format.IniFormat)
        window = MainWindow(ctl, settings)
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        host = GuiHost(ctl, window)
        approval_dialogs.install(host)
        assert "Add client &approval…" in [a.text() for a in window.menus["file"].actions()]
        window.show()
        window.entries.set_period("this_month")  # the home's clock is in October 2026
        settle(ctl)
        feature = window.findChild(ApprovalsFeature)
        assert feature is not None
        assert window.entries.model.rowCount() > 0
        assert not window.entries.approval_line.isVisible()
        assert all(
            window.entries.model.index(r, Column.APPROVAL).data() == ""
            for r in range(window.entries.model.rowCount())
        )
        questions: list[str] = []
        monkeypatch.setattr(
            dialogs, "confirm", lambda parent, title, text: questions.append(text) or True
        )
        client_fp = keys.fingerprint(controller.app.key.public_key())
        feature.add(approval_file)
        qtbot.waitUntil(lambda: feature.last_added is not None, timeout=30_000)  # type: ignore[attr-defined]
        assert errors == []
        assert len(questions) == 1 and client_fp in questions[0]
        assert "first approval from Acme Corp" in questions[0]
        settle(ctl)
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: window.entries.approval_line.isVisible(), timeout=30_000
        )
        line = window.entries.approval_line.text()
        assert line.startswith("Acme Corp: approved through log size ") and "— fine" in line
        assert "2026-10-01 to 2026-10-31" in line  # the bundle's period, last day inclusive
        model = window.entries.model
        labels = {
            model.entry_at(r).id: model.index(r, Column.APPROVAL).data()
            for r in range(model.rowCount())
        }
        for r in range(model.rowCount()):
            entry = model.entry_at(r)
            expected = "Approved" if entry.client == b.CLIENT_A else ""
            assert labels[entry.id] == expected, entry
        assert "Approved" in labels.values() and "" in labels.values()  # client B's stay blank
        # the same file again is refused in one sentence; the list has one approval
        feature.add(approval_file)
        qtbot.waitUntil(lambda: bool(errors), timeout=30_000)  # type: ignore[attr-defined]
        assert errors == [f"{approval_file} is recorded already"]
        assert len(approvals.list_approvals(home.app, b.CLIENT_A)) == 1
        # an entry changed after the approval is no longer covered by it
        acme = next(model.entry_at(r) for r in range(model.rowCount())
                    if labels[model.entry_at(r).id] == "Approved")  # fmt: skip
        tracking.amend(home.app, acme.id, "typo", tracking.Details(note="changed later"))
        settle(ctl)
        qtbot.waitUntil(  # type: ignore[attr-defined]
            lambda: model.index(model.row_of(acme.id) or 0, Column.APPROVAL).data() == "",
            timeout=30_000,
        )
    finally:
        settle(ctl)
        ctl.shutdown(wait_ms=5_000)
        home.close()


def test_a_different_client_key_later_is_refused_before_anything_is_recorded(
    tmp_path: Path, qtbot: object, controller: Controller, errors: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    home = b.build_home(tmp_path / "c", with_evidence=False)
    bundle = tmp_path / "acme.hproof"
    b.export(home, bundle)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    approvals.approve(controller.app, bundle, first)
    other = App.open(tmp_path / "someone-else")
    try:
        approvals.approve(other, bundle, second)
    finally:
        other.close()
    approvals.add_approval(home.app, first)
    ctl = Controller(home.app)
    try:
        window = MainWindow(ctl, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
        qtbot.addWidget(window)  # type: ignore[attr-defined]
        approval_dialogs.install(GuiHost(ctl, window))
        feature = window.findChild(ApprovalsFeature)
        assert feature is not None
        monkeypatch.setattr(dialogs, "confirm", lambda *a: pytest.fail("asked to trust"))
        feature.add(second)
        qtbot.waitUntil(lambda: bool(errors), timeout=30_000)  # type: ignore[attr-defined]
        assert "approved before with" in errors[0] and errors[0].endswith("refused")
        assert len(approvals.list_approvals(home.app)) == 1
    finally:
        settle(ctl)
        ctl.shutdown(wait_ms=5_000)
        home.close()


def test_a_file_that_is_no_approval_is_one_sentence(
    window: MainWindow, tmp_path: Path, qtbot: object, errors: list[str]
) -> None:
    approval_dialogs.install(GuiHost(window.controller, window))
    feature = window.findChild(ApprovalsFeature)
    assert feature is not None
    junk = tmp_path / "notes.json"
    junk.write_text("not json at all")
    feature.add(junk)
    qtbot.waitUntil(lambda: bool(errors), timeout=30_000)  # type: ignore[attr-defined]
    assert errors[0].startswith(f"{junk}: not an approval file")
    assert "unexpected" not in errors[0] and "\n" not in errors[0]
    assert feature.last_added is None


def test_export_for_a_dispute_writes_the_pdf_and_shows_its_path(
    window: MainWindow, app: App, qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_dialog.install(GuiHost(window.controller, window))
    add(app, "website", "Acme", OCTOBER_5)
    add(app, "website", "Acme", OCTOBER_5.replace(day=7), hours=3)
    feature = window.findChild(ExportFeature)
    assert feature is not None
    dialog = feature.open()
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    target = tmp_path / "out" / "acme-october.hproof"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.choose_file()
    dialog.for_dispute.setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert dialog.busy and not dialog.for_dispute.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)  # type: ignore[attr-defined]
    pdf = target.with_suffix(".pdf")
    assert dialog.dispute_pdf == pdf and pdf.read_bytes().startswith(b"%PDF")
    status = dialog.status.text()
    assert "Dispute PDF acme-october.pdf" in status and str(pdf) in status
    assert verify(app, VerifyRequest(bundle=target)).ok
    # without the option, no PDF and no line about one
    pdf.unlink()
    dialog.for_dispute.setChecked(False)
    monkeypatch.setattr(dialogs, "confirm", lambda *a: True)  # replace the bundle
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)  # type: ignore[attr-defined]
    assert dialog.outcome is not None and dialog.dispute_pdf is None
    assert not pdf.exists() and "Dispute PDF" not in dialog.status.text()


def test_the_contractor_cannot_approve_their_own_bundle(
    contractor: tuple[b.Home, bytes], tmp_path: Path, qtbot: object, errors: list[str]
) -> None:
    home, data = contractor
    bundle = tmp_path / "acme.hproof"
    bundle.write_bytes(data)
    ctl = Controller(home.app, watch=False)
    try:
        window = open_window(ctl, bundle, qtbot)
        assert window.approve_button.isEnabled()  # verified (the key is not known up front)
        sign(window, qtbot, window.start_approve, None, tmp_path / "self.json")
        assert len(errors) == 1 and "own key" in errors[0] and "\n" not in errors[0]
        assert not (tmp_path / "self.json").exists()
    finally:
        settle(ctl)  # deliver the refresh the write asked for before the controller goes
        ctl.shutdown(wait_ms=5_000)
