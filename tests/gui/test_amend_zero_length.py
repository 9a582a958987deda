"""Amending an entry that lasted 0 seconds (a stop in the second the timer started)."""

from __future__ import annotations

from hourproof.gui.dialogs import EntryDialog
from hourproof.services import tracking
from hourproof.services.app import App


def test_amend_dialog_accepts_a_note_on_a_zero_second_entry(app: App, qtbot: object) -> None:
    tracking.start(app, "website")
    entry = tracking.stop(app, at=tracking.status(app).running.start)  # type: ignore[union-attr]
    assert entry.seconds() == 0
    dialog = EntryDialog([("website", None)], app.clock(), entry)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.note.setText("call with the client")
    dialog.reason.setText("forgot the note")
    assert dialog.ok.isEnabled(), dialog.problem.text()
    request = dialog.amend_request()
    assert request.begin is None and request.end is None
    # a changed time still has to end after the start
    dialog.end.setDateTime(dialog.begin.dateTime())
    dialog.begin.setDateTime(dialog.begin.dateTime().addSecs(60))
    assert not dialog.ok.isEnabled()
    assert "after the start" in dialog.problem.text()
