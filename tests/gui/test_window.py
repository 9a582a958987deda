"""The main window: start/stop, add, amend (reason required), remove (confirmed), history,
errors shown not raised, CLI changes picked up, settings kept in the home folder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from hourproof.gui import dialogs
from hourproof.gui.controller import Controller
from hourproof.gui.dialogs import AddRequest, AmendRequest, EntryDialog
from hourproof.gui.entry_model import Column
from hourproof.gui.window import MainWindow
from hourproof.services import anchoring, tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details

from .conftest import Clock, settle


@pytest.fixture
def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: shown.append(text))
    return shown


def add(app: App, project: str, hours_ago: float, hours: float = 1.0, **details: str) -> int:
    end = app.clock() - timedelta(hours=hours_ago)
    entry = tracking.add(app, project, end - timedelta(hours=hours), end, Details(**details))
    return entry.id


def table_text(window: MainWindow, column: Column) -> list[str]:
    model = window.entries.model
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


def select(window: MainWindow, entry_id: int) -> None:
    assert window.entries.select_entry(entry_id)


def test_empty_period_shows_a_hint_instead_of_an_empty_table(window: MainWindow) -> None:
    assert window.entries.pages.currentWidget() is window.entries.empty
    assert "No entries this week" in window.entries.empty.text()
    assert not window.entries.totals_area.isVisibleTo(window)


def test_start_from_the_timer_bar_records_a_running_entry(
    window: MainWindow, app: App, qtbot: object
) -> None:
    window.timer_bar.project.setEditText("hourproof")
    qtbot.mouseClick(window.timer_bar.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle(window.controller, refresh=False)
    status = tracking.status(app)
    assert status.running is not None and status.running.project == "hourproof"
    assert table_text(window, Column.END) == ["running"]
    assert window.timer_bar.title.text() == "hourproof"
    assert window.stop_action.isEnabled()


def test_stop_button_ends_the_timer_and_updates_the_table(
    window: MainWindow, app: App, clock: Clock, qtbot: object
) -> None:
    tracking.start(app, "hourproof")
    settle(window.controller)
    clock.now += timedelta(minutes=45)
    qtbot.mouseClick(window.timer_bar.stop_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle(window.controller, refresh=False)
    assert tracking.status(app).running is None
    assert table_text(window, Column.DURATION) == ["0:45"]
    assert window.timer_bar.pages.currentIndex() == 0


def test_elapsed_display_ticks_without_a_refresh(
    window: MainWindow, app: App, clock: Clock
) -> None:
    tracking.start(app, "hourproof")
    settle(window.controller)
    clock.now += timedelta(minutes=2, seconds=5)
    window.controller.tick()
    assert window.timer_bar.elapsed.text() == "0:02:05"


def test_added_entry_appears_with_totals(
    window: MainWindow, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = app.clock()
    request = AddRequest("website", now - timedelta(hours=3), now - timedelta(hours=1),
                         Details(client="Acme", task="css"))  # fmt: skip
    monkeypatch.setattr(dialogs, "ask_add", lambda *a: request)
    window.add_action.trigger()
    settle(window.controller, refresh=False)
    assert table_text(window, Column.PROJECT) == ["website"]
    assert table_text(window, Column.CLIENT) == ["Acme"]
    totals = window.entries.totals_model
    assert totals.data(totals.index(1, 0)) == "Total"
    assert totals.data(totals.index(1, 2)) == "2:00"
    assert window.selected_entry() is not None


def test_amend_dialog_refuses_without_a_reason(app: App, qtbot: object) -> None:
    add(app, "website", 2)
    entry = tracking.entries(app)[0]
    dialog = EntryDialog([("website", None)], app.clock(), entry)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.note.setText("fixed the header")
    assert not dialog.ok.isEnabled()
    assert "reason" in dialog.problem.text()
    dialog.reason.setText("forgot the note")
    assert dialog.ok.isEnabled()


def test_amend_without_a_reason_is_refused_by_the_service_and_shown(
    window: MainWindow, app: App, warnings_shown: list[str]
) -> None:
    entry_id = add(app, "website", 2)
    window.controller.amend_entry(entry_id, "  ", Details(note="x"))
    settle(window.controller, refresh=False)
    assert warnings_shown == ["A reason is required."]
    assert not tracking.history(app, entry_id)[0].amended


def test_amend_from_the_window_keeps_the_reason_and_marks_the_row(
    window: MainWindow, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = add(app, "website", 2)
    settle(window.controller)
    select(window, entry_id)
    request = AmendRequest("client asked", Details(task="review"), None, None)
    monkeypatch.setattr(dialogs, "ask_amend", lambda *a: request)
    window.amend_action.trigger()
    settle(window.controller, refresh=False)
    entry, versions = tracking.history(app, entry_id)
    assert entry.task == "review" and entry.amended
    assert versions[-1].leaf["reason"] == "client asked"
    assert table_text(window, Column.AMENDED) == ["✎"]


def test_remove_is_not_done_when_the_confirmation_is_declined(
    window: MainWindow, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = add(app, "website", 2)
    settle(window.controller)
    select(window, entry_id)
    asked: list[str] = []
    monkeypatch.setattr(dialogs, "ask_remove_reason", lambda *a: "duplicate")
    monkeypatch.setattr(
        QMessageBox, "question",
        lambda parent, title, text, *a: asked.append(text) or QMessageBox.StandardButton.Cancel,
    )  # fmt: skip
    window.remove_action.trigger()
    settle(window.controller, refresh=False)
    assert len(asked) == 1 and "duplicate" in asked[0]
    assert [e.id for e in tracking.entries(app)] == [entry_id]


def test_remove_after_confirmation_drops_the_row(
    window: MainWindow, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = add(app, "website", 2)
    settle(window.controller)
    select(window, entry_id)
    monkeypatch.setattr(dialogs, "ask_remove_reason", lambda *a: "duplicate")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.remove_action.trigger()
    settle(window.controller, refresh=False)
    assert tracking.entries(app) == []
    assert tracking.history(app, entry_id)[1][-1].leaf["reason"] == "duplicate"
    assert window.entries.model.rowCount() == 0


def test_remove_cancelled_at_the_reason_never_asks_for_confirmation(
    window: MainWindow, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    entry_id = add(app, "website", 2)
    settle(window.controller)
    select(window, entry_id)
    monkeypatch.setattr(dialogs, "ask_remove_reason", lambda *a: None)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: pytest.fail("asked to confirm"))
    window.remove_action.trigger()
    settle(window.controller, refresh=False)
    assert len(tracking.entries(app)) == 1


def test_history_lists_every_version_with_its_reason(
    window: MainWindow, app: App, qtbot: object
) -> None:
    entry_id = add(app, "website", 2)
    tracking.amend(app, entry_id, "wrong project", Details(project="api"))
    settle(window.controller)
    select(window, entry_id)
    with qtbot.waitSignal(window.history_shown) as shown:  # type: ignore[attr-defined]
        window.show_history()
    dialog = shown.args[0]
    kinds = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert kinds == ["Added", "Amended"]
    assert "Reason: wrong project" in dialog.table.item(1, 3).text()
    dialog.close()


def test_actions_on_entries_need_a_selection(window: MainWindow, app: App) -> None:
    add(app, "website", 2)
    settle(window.controller)
    window.entries.table.clearSelection()
    assert not window.amend_action.isEnabled()
    assert not window.remove_action.isEnabled()
    assert not window.history_action.isEnabled()


def test_service_errors_are_shown_not_raised(
    window: MainWindow, warnings_shown: list[str], qtbot: object
) -> None:
    window.timer_bar.project.setEditText("   ")
    qtbot.mouseClick(window.timer_bar.start_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle(window.controller, refresh=False)
    window.stop_action.setEnabled(True)
    window.stop_action.trigger()
    settle(window.controller, refresh=False)
    assert warnings_shown == ["A project name is required.", "No timer is running."]


def test_refresh_picks_up_entries_written_by_the_cli(
    window: MainWindow, app: App, clock: Clock
) -> None:
    other = App.open(app.home.root)  # another process's view of the same store
    other.clock = clock
    try:
        add(other, "from-cli", 1)
    finally:
        other.close()
    assert window.entries.model.rowCount() == 0
    settle(window.controller)
    assert table_text(window, Column.PROJECT) == ["from-cli"]


def test_switching_period_shows_last_weeks_entries(window: MainWindow, app: App) -> None:
    add(app, "old", hours_ago=24 * 7)
    add(app, "new", hours_ago=1)
    settle(window.controller)
    assert table_text(window, Column.PROJECT) == ["new"]
    window.entries.set_period("last_week")
    settle(window.controller, refresh=False)
    assert table_text(window, Column.PROJECT) == ["old"]
    assert window.entries.range_label.text().startswith("Mon 16")


def test_stale_anchoring_shows_a_warning_in_the_status_bar(
    window: MainWindow, app: App, clock: Clock
) -> None:
    anchoring.add_tsa(app, "local", "http://127.0.0.1:9/tsa", None)  # configured, never reached
    add(app, "website", 2)  # signs a checkpoint that nobody anchors
    settle(window.controller)
    assert not window.warning_label.isVisibleTo(window)
    clock.now += timedelta(hours=25)
    settle(window.controller)
    assert window.warning_label.isVisibleTo(window)
    assert "24 h" in window.warning_label.text()
    leaves = tracking.status(app).leaves
    assert window.ledger_label.text() == f"Ledger: {leaves} {'leaf' if leaves == 1 else 'leaves'}"


def test_settings_live_in_the_home_folder(
    window: MainWindow, app: App, controller: Controller, qtbot: object
) -> None:
    window.entries.set_period("last_month")
    settle(controller, refresh=False)
    window.close()
    path = app.home.root / "gui.ini"
    assert path.exists()
    again = MainWindow(controller, QSettings(str(path), QSettings.Format.IniFormat))
    qtbot.addWidget(again)  # type: ignore[attr-defined]
    assert again.entries.period_box.currentData() == "last_month"


def test_closing_the_window_announces_it(window: MainWindow, qtbot: object) -> None:
    with qtbot.waitSignal(window.closed, timeout=1000):  # type: ignore[attr-defined]
        window.close()


def test_a_new_day_reloads_the_period_without_any_new_entry(
    window: MainWindow, app: App, clock: Clock
) -> None:
    add(app, "website", 1)
    settle(window.controller)
    assert window.entries.model.rowCount() == 1
    clock.now += timedelta(days=7)  # next week: "this week" is empty now
    settle(window.controller)
    assert window.entries.model.rowCount() == 0


def test_a_refused_backdated_start_asks_again_with_what_was_typed(
    window: MainWindow, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    tracking.start(app, "running-one")
    settle(window.controller)
    typed = dialogs.StartRequest(
        "website", Details(task="css"), app.clock() - timedelta(hours=2), "-2h"
    )
    asked: list[tuple[object, object]] = []

    def ask(parent: object, projects: object, now: object, previous=None, error=None):  # type: ignore[no-untyped-def]
        asked.append((previous, error))
        return typed if len(asked) == 1 else None

    monkeypatch.setattr(dialogs, "ask_start", ask)
    window.start_action.trigger()
    settle(window.controller, refresh=False)
    assert len(asked) == 2
    previous, error = asked[1]
    assert previous == typed and "before the running one" in str(error)
    running = tracking.status(app).running
    assert running is not None and running.project == "running-one"


def test_the_start_dialog_shows_a_refused_request_again(app: App, qtbot: object) -> None:
    dialog = dialogs.StartDialog([("website", None)], app.clock())
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    request = dialogs.StartRequest("website", Details(task="css", tags=("a",)), None, "-2h")
    dialog.fill(request, "new timer would start before the running one began")
    assert dialog.project.project() == "website" and dialog.task.text() == "css"
    assert dialog.at.text() == "-2h"
    assert dialog.problem.text().startswith("New timer would start before")


@pytest.mark.parametrize("confirmed", [False, True])
def test_an_overlapping_manual_entry_asks_before_it_is_saved(
    window: MainWindow, app: App, monkeypatch: pytest.MonkeyPatch, confirmed: bool
) -> None:
    add(app, "website", hours_ago=2, hours=2)
    settle(window.controller)
    now = app.clock()
    request = AddRequest("api", now - timedelta(hours=3), now - timedelta(hours=2), Details())
    monkeypatch.setattr(dialogs, "ask_add", lambda *a, **k: request)
    questions: list[str] = []
    answer = QMessageBox.StandardButton.Yes if confirmed else QMessageBox.StandardButton.Cancel
    monkeypatch.setattr(
        QMessageBox, "question", lambda parent, title, text, *a: questions.append(text) or answer
    )
    window.add_action.trigger()
    settle(window.controller, refresh=False)
    assert len(questions) == 1 and "overlaps 1 recorded entry" in questions[0]
    projects = sorted(e.project for e in tracking.entries(app))
    assert projects == (["api", "website"] if confirmed else ["website"])
