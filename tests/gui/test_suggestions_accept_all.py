"""The Suggestions tab's "Accept all open": several suggestions recorded in one go."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from hourproof.gui import dialogs, suggestions_panel
from hourproof.gui.extensions import GuiHost
from hourproof.gui.suggestions_panel import SuggestionsPanel
from hourproof.gui.window import MainWindow
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details
from tests.gui.conftest import settle
from tests.gui.test_suggestions_panel import MONDAY_9, record_activity


@pytest.fixture
def panel(window: MainWindow) -> SuggestionsPanel:
    suggestions_panel.install(GuiHost(window.controller, window))
    found = window.findChild(SuggestionsPanel)
    assert found is not None
    window.tabs.setCurrentWidget(found)
    return found


def test_accept_all_open_records_each_open_suggestion_once(
    app: App, tmp_path: Path, panel: SuggestionsPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day in range(3):
        record_activity(app, tmp_path, "website", MONDAY_9 + timedelta(days=day), 40)
    claimed = MONDAY_9 + timedelta(days=2)
    tracking.add(app, "website", claimed, claimed + timedelta(minutes=10), Details())
    settle(panel.host.controller)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "confirm", lambda _p, _t, text: asked.append(text) or True)
    assert panel.accept_all_button.isEnabled()
    got: list[list[object]] = []
    panel.accepted.connect(got.append)
    assert panel.accept_all_open() is True
    assert not panel.accept_all_button.isEnabled()  # no second click while it is on its way
    settle(panel.host.controller)
    (entries,) = got
    suggested = [e.id for e in tracking.entries(app) if e.source == "suggested"]
    assert [e.id for e in entries] == suggested
    assert [e.start for e in entries] == [MONDAY_9, MONDAY_9 + timedelta(days=1)]
    assert asked == ["Record 2 suggested sessions (1:20 h) as entries citing their evidence?"]
    assert all(e.source == "suggested" for e in entries)
    settle(panel.host.controller)
    assert not panel.accept_all_button.isEnabled()  # nothing open is left


def test_declining_records_nothing(
    app: App, tmp_path: Path, panel: SuggestionsPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_activity(app, tmp_path, "website", MONDAY_9, 40)
    settle(panel.host.controller)
    monkeypatch.setattr(dialogs, "confirm", lambda *_: False)
    assert panel.accept_all_open() is False
    settle(panel.host.controller)
    assert tracking.entries(app) == []
