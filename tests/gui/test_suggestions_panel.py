"""The "Suggestions" tab: sessions of the window's period with what entries already claim,
"Accept" recording an entry that cites the evidence, and reloading when things change."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from hourproof.core.activity import ActivitySpan
from hourproof.gui import suggestions_panel
from hourproof.gui.entry_model import Column
from hourproof.gui.extensions import GuiHost
from hourproof.gui.suggestions_panel import HEADERS, SuggestionsPanel
from hourproof.gui.window import MainWindow
from hourproof.services import evidence, tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details
from tests.gui.conftest import settle

from .conftest import WEDNESDAY


def record_activity(app: App, tmp_path: Path, project: str, start: datetime, minutes: int) -> None:
    """A closed file-activity span, as the watcher would write it."""
    folder = tmp_path / project
    folder.mkdir(exist_ok=True)
    watch = next((w for w in evidence.list_watches(app) if w.path == folder.resolve()), None)
    if watch is None:
        watch = evidence.add_watch(app, str(folder), project, "Acme")
    span = ActivitySpan(start, start + timedelta(minutes=minutes), ("src/app.py",), 4)
    evidence.record_span(app, watch, span)


MONDAY_9 = WEDNESDAY - timedelta(days=2, hours=6)  # this week, before the test clock


@pytest.fixture
def panel(window: MainWindow) -> SuggestionsPanel:
    suggestions_panel.install(GuiHost(window.controller, window))
    found = window.findChild(SuggestionsPanel)
    assert found is not None
    window.tabs.setCurrentWidget(found)
    return found


def column(panel: SuggestionsPanel, name: str) -> list[str]:
    c = HEADERS.index(name)
    items = [panel.table.item(r, c) for r in range(panel.table.rowCount())]
    return [item.text() if item is not None else "" for item in items]


def test_suggestions_of_the_period_are_listed_with_what_is_claimed(
    app: App, tmp_path: Path, panel: SuggestionsPanel
) -> None:
    record_activity(app, tmp_path, "website", MONDAY_9, 50)
    record_activity(app, tmp_path, "website", MONDAY_9 + timedelta(minutes=55), 35)
    record_activity(app, tmp_path, "api", MONDAY_9 + timedelta(days=1), 60)
    tracking.add(app, "api", MONDAY_9 + timedelta(days=1), MONDAY_9 + timedelta(days=1, minutes=15),
                 Details(client="Acme"))  # fmt: skip
    settle(panel.host.controller)
    assert column(panel, "Project") == ["api", "website"]  # newest first
    assert column(panel, "Duration") == ["1:00", "1:30"]
    assert column(panel, "Evidence") == ["1", "2"]
    assert column(panel, "Already claimed") == ["0:15", "—"]
    assert "2 suggestions" in panel.footer.text()


def test_accept_records_an_entry_citing_the_evidence_and_refreshes(
    app: App, tmp_path: Path, panel: SuggestionsPanel, window: MainWindow, qtbot: object
) -> None:
    record_activity(app, tmp_path, "website", MONDAY_9, 50)
    settle(panel.host.controller)
    panel.table.selectRow(0)
    with qtbot.waitSignal(panel.accepted, timeout=60_000) as accepted:  # type: ignore[attr-defined]
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle(panel.host.controller, refresh=False)
    (entry,) = tracking.entries(app)
    assert [e.id for e in accepted.args[0]] == [entry.id]
    assert (entry.project, entry.source, entry.start) == ("website", "suggested", MONDAY_9)
    assert entry.evidence
    assert column(panel, "Already claimed") == ["all"]
    settle(panel.host.controller, refresh=False)
    proxy = window.entries.model
    assert [proxy.index(r, Column.PROJECT).data() for r in range(proxy.rowCount())] == ["website"]


def test_accepting_a_claimed_suggestion_asks_first(
    app: App, tmp_path: Path, panel: SuggestionsPanel, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_activity(app, tmp_path, "website", MONDAY_9, 60)
    tracking.add(app, "website", MONDAY_9, MONDAY_9 + timedelta(minutes=30), Details())
    settle(panel.host.controller)
    asked: list[str] = []

    def decline(parent: object, title: str, text: str, *rest: object) -> object:
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", decline)
    panel.table.selectRow(0)
    assert panel.accept_selected() is False
    settle(panel.host.controller)
    assert len(asked) == 1 and "already cover 0:30" in asked[0]
    assert len(tracking.entries(app)) == 1


def test_accept_needs_a_selection(app: App, tmp_path: Path, panel: SuggestionsPanel) -> None:
    record_activity(app, tmp_path, "website", MONDAY_9, 50)
    settle(panel.host.controller)
    panel.table.clearSelection()
    assert not panel.accept_button.isEnabled()


def test_changing_the_window_period_reloads(
    app: App, tmp_path: Path, panel: SuggestionsPanel, window: MainWindow
) -> None:
    record_activity(app, tmp_path, "website", MONDAY_9, 50)
    settle(panel.host.controller)
    assert panel.table.rowCount() == 1
    window.entries.set_period("last_week")
    settle(panel.host.controller, refresh=False)
    assert panel.pages.currentWidget() is panel.empty
    assert "No suggestions in this period" in panel.empty.text()
    assert window.entries.period().describe() in panel.title.text()


def test_evidence_recorded_elsewhere_appears_on_refresh(
    app: App, tmp_path: Path, panel: SuggestionsPanel, window: MainWindow
) -> None:
    assert panel.table.rowCount() == 0
    record_activity(app, tmp_path, "website", MONDAY_9, 50)  # e.g. by 'hourproof watch run'
    window.refresh_action.trigger()
    settle(panel.host.controller, refresh=False)
    assert column(panel, "Project") == ["website"]


def test_a_hidden_tab_reads_only_when_shown(
    app: App, tmp_path: Path, panel: SuggestionsPanel, window: MainWindow
) -> None:
    window.tabs.setCurrentIndex(0)
    record_activity(app, tmp_path, "website", MONDAY_9, 50)
    settle(panel.host.controller)
    assert panel.table.rowCount() == 0
    window.tabs.setCurrentWidget(panel)
    settle(panel.host.controller, refresh=False)
    assert panel.table.rowCount() == 1
