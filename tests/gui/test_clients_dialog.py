"""Clients and projects dialog: the tree (qtmodeltester), hours of a period, add a client
or project (then offered by the Start/Add completers and the tray), set/clear a rate,
bad rates refused with a sentence, hide and show, rename (local; project with entries
amended; client with entries refused with the reason)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hourproof.core.money import Rate
from hourproof.gui import dialogs
from hourproof.gui.clients_dialog import ClientsDialog, ClientsModel
from hourproof.gui.controller import Controller
from hourproof.gui.window import MainWindow
from hourproof.services import clients, tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details

from .conftest import settle


@pytest.fixture
def dialog(controller: Controller, app: App, qtbot: Any) -> ClientsDialog:
    end = app.clock() - timedelta(hours=1)
    tracking.add(app, "website", end - timedelta(hours=2), end, Details(client="Beta & Co"))
    d = ClientsDialog(controller)
    qtbot.addWidget(d)
    settle(controller, refresh=False)
    return d


def select(dialog: ClientsDialog, scope: str, name: str) -> None:
    index = dialog.model.find(scope, name)
    assert index.isValid(), (scope, name)
    dialog.tree.setCurrentIndex(index)


def cell(dialog: ClientsDialog, scope: str, name: str, column: int) -> str:
    index = dialog.model.find(scope, name)
    return str(dialog.model.index(index.row(), column, index.parent()).data())


def test_the_model_passes_the_model_tester(dialog: ClientsDialog, qtmodeltester: Any) -> None:
    clients.add(dialog.controller.app, "project", "portal", "Initech")
    dialog.reload()
    settle(dialog.controller, refresh=False)
    assert dialog.model.rowCount() == 2
    qtmodeltester.check(dialog.model, force_py=True)
    empty = ClientsModel()
    qtmodeltester.check(empty, force_py=True)


def test_clients_projects_and_hours_are_listed(dialog: ClientsDialog) -> None:
    assert cell(dialog, "client", "Beta & Co", 0) == "Beta & Co"
    assert cell(dialog, "project", "website", 1) == "2:00"
    assert cell(dialog, "client", "Beta & Co", 1) == "2:00"
    assert cell(dialog, "project", "website", 3) == "—"
    dialog.period.setCurrentIndex(dialog.period.findData("last_year"))
    settle(dialog.controller, refresh=False)
    assert cell(dialog, "project", "website", 1) == "—"  # no hours then, still listed


def test_an_added_client_and_project_reach_the_completers(
    dialog: ClientsDialog, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = dialog.controller
    dialog.new_name.setText("Globex")
    dialog.add_client_button.click()
    settle(c, refresh=False)
    dialog.new_name.setText("portal")
    dialog.new_client.setText("Initech")
    dialog.add_project_button.click()
    settle(c)
    assert dialog.new_name.text() == "" and dialog.problem.text() == ""
    assert cell(dialog, "client", "Globex", 4) == "no entries yet"
    assert cell(dialog, "project", "portal", 4) == "no entries yet"
    # the Start dialog's completers, as the window builds it
    start = dialogs.StartDialog(c.recent_projects(), c.now())
    completer = start.client.completer()
    words = completer.model().stringList()  # type: ignore[attr-defined]
    assert {"Globex", "Initech", "Beta & Co"} <= set(words)
    assert start.project.findText("portal") >= 0
    start.deleteLater()
    seen: list[Any] = []

    def ask_add(parent: Any, projects: Any, *rest: Any) -> None:
        seen.append(dialogs.client_words(projects))

    monkeypatch.setattr(dialogs, "ask_add", ask_add)
    window.add_entry()
    assert seen and "Globex" in seen[0]
    # a first entry of the added project gets its client
    c.start_timer("portal")
    settle(c)
    assert c.status.running is not None and c.status.running.client == "Initech"


def test_a_duplicate_is_refused_with_a_sentence(dialog: ClientsDialog) -> None:
    dialog.new_name.setText("website")
    dialog.add_project_button.click()
    settle(dialog.controller, refresh=False)
    assert "exists already" in dialog.problem.text() and dialog.problem.text().endswith(".")
    assert dialog.new_name.text() == "website"  # what was typed stays


def test_a_rate_is_set_and_cleared(dialog: ClientsDialog, app: App) -> None:
    select(dialog, "project", "website")
    dialog.amount.setText("95.50")
    dialog.currency.setCurrentText("EUR")
    dialog.set_button.click()
    settle(dialog.controller, refresh=False)
    assert tracking.rates(app) == [("project", "website", Rate(9550, "EUR"))]
    assert cell(dialog, "project", "website", 3) == "95.50 EUR"
    select(dialog, "project", "website")
    dialog.clear_button.click()
    settle(dialog.controller, refresh=False)
    assert tracking.rates(app) == []


@pytest.mark.parametrize("amount, currency", [("ninety", "EUR"), ("9.999", "EUR"), ("10", "€")])
def test_a_bad_rate_is_refused_with_a_sentence(
    dialog: ClientsDialog, app: App, amount: str, currency: str
) -> None:
    select(dialog, "client", "Beta & Co")
    dialog.amount.setText(amount)
    dialog.currency.setCurrentText(currency)
    dialog.set_button.click()
    assert tracking.rates(app) == []
    assert dialog.problem.text().endswith(".")


def test_nothing_selected_is_refused(dialog: ClientsDialog) -> None:
    dialog.tree.setCurrentIndex(dialog.model.index(-1, 0))
    assert not dialog.set_button.isEnabled()
    dialog.set_rate()
    assert "choose" in dialog.problem.text().lower()


def test_hide_and_show_a_client(dialog: ClientsDialog) -> None:
    c = dialog.controller
    select(dialog, "client", "Beta & Co")
    dialog.hide_button.click()
    settle(c)
    assert not dialog.model.find("client", "Beta & Co").isValid()  # hidden ones not shown
    assert "Beta & Co" not in c.known_clients()
    assert [p for p, _ in c.recent_projects()] == []  # nor its projects in the tray
    assert len(tracking.entries(c.app)) == 1  # the ledger is untouched
    dialog.show_hidden.setChecked(True)
    assert cell(dialog, "client", "Beta & Co", 4) == "hidden"
    select(dialog, "client", "Beta & Co")
    assert "Show" in dialog.hide_button.text().replace("&", "")
    dialog.hide_button.click()
    settle(c)
    assert "Beta & Co" in c.known_clients()


def test_rename_a_project_with_entries_amends_them(dialog: ClientsDialog, app: App) -> None:
    select(dialog, "project", "website")
    assert "amended" in dialog.rename_note.text()
    dialog.rename_to.setText("site")
    dialog.rename_button.click()
    settle(dialog.controller, refresh=False)
    assert "reason" in dialog.problem.text()  # asked for, nothing changed
    assert tracking.entries(app)[0].project == "website"
    dialog.reason.setText("the client calls it site")
    dialog.rename_button.click()
    settle(dialog.controller)
    assert tracking.entries(app)[0].project == "site"
    assert dialog.problem.text() == "Renamed. Entries amended: 1."
    assert dialog.selected() == ("project", "site")


def test_a_client_with_entries_cannot_be_renamed(dialog: ClientsDialog) -> None:
    select(dialog, "client", "Beta & Co")
    assert not dialog.rename_button.isEnabled()
    assert "own chain" in dialog.rename_note.text()
    clients.add(dialog.controller.app, "client", "Globex")
    dialog.reload()
    settle(dialog.controller, refresh=False)
    select(dialog, "client", "Globex")
    assert dialog.rename_button.isEnabled() and "local" in dialog.rename_note.text()
    dialog.rename_to.setText("Globex Corp")
    dialog.rename_button.click()
    settle(dialog.controller)
    assert dialog.model.find("client", "Globex Corp").isValid()


def test_the_window_opens_it(window: MainWindow, qtbot: Any) -> None:
    shown = window.show_rates()
    qtbot.addWidget(shown)
    assert isinstance(shown, ClientsDialog)
    settle(window.controller, refresh=False)


def test_a_projects_rate_falls_back_to_its_clients(dialog: ClientsDialog) -> None:
    select(dialog, "client", "Beta & Co")
    dialog.amount.setText("80")
    dialog.currency.setCurrentText("CHF")
    dialog.set_button.click()
    settle(dialog.controller, refresh=False)
    assert cell(dialog, "client", "Beta & Co", 3) == "80.00 CHF"
    assert cell(dialog, "project", "website", 3) == "80.00 CHF (client's)"
    select(dialog, "project", "website")
    assert dialog.amount.text() == ""  # no rate of its own
    select(dialog, "client", "Beta & Co")
    assert (dialog.amount.text(), dialog.currency.currentText()) == ("80.00", "CHF")
