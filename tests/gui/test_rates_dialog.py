"""Clients, projects and rates: a rate set for a project is recorded and shown; bad
amounts and no selection are refused with a sentence; a rate can be cleared."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hourproof.core.money import Rate
from hourproof.gui.controller import Controller
from hourproof.gui.rates_dialog import RatesDialog
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details

from .conftest import settle


@pytest.fixture
def dialog(controller: Controller, app: App, qtbot: object) -> RatesDialog:
    end = app.clock() - timedelta(hours=1)
    tracking.add(app, "website", end - timedelta(hours=1), end, Details(client="Beta & Co"))
    d = RatesDialog(controller)
    qtbot.addWidget(d)  # type: ignore[attr-defined]
    settle(controller, refresh=False)
    return d


def row_of(dialog: RatesDialog, scope: str, name: str) -> int:
    return dialog.rows.index((scope, name))


def test_projects_and_clients_are_listed(dialog: RatesDialog) -> None:
    assert ("project", "website") in dialog.rows and ("client", "Beta & Co") in dialog.rows
    r = row_of(dialog, "project", "website")
    assert dialog.table.item(r, 2).text() == "Beta & Co"
    assert dialog.table.item(r, 3).text() == "—"


def test_a_project_rate_is_set_and_cleared(dialog: RatesDialog, app: App) -> None:
    dialog.table.selectRow(row_of(dialog, "project", "website"))
    dialog.amount.setText("95.50")
    dialog.currency.setCurrentText("EUR")
    dialog.set_button.click()
    settle(dialog.controller, refresh=False)
    assert tracking.rates(app) == [("project", "website", Rate(9550, "EUR"))]
    assert dialog.table.item(row_of(dialog, "project", "website"), 3).text() == "95.50 EUR"
    dialog.table.selectRow(row_of(dialog, "project", "website"))
    dialog.clear_button.click()
    settle(dialog.controller, refresh=False)
    assert tracking.rates(app) == []


@pytest.mark.parametrize("amount, currency", [("ninety", "EUR"), ("9.999", "EUR"), ("10", "€")])
def test_a_bad_rate_is_refused_with_a_sentence(
    dialog: RatesDialog, app: App, amount: str, currency: str
) -> None:
    dialog.table.selectRow(row_of(dialog, "client", "Beta & Co"))
    dialog.amount.setText(amount)
    dialog.currency.setCurrentText(currency)
    dialog.set_button.click()
    assert tracking.rates(app) == []
    assert dialog.problem.text().endswith(".")


def test_nothing_selected_is_refused(dialog: RatesDialog) -> None:
    dialog.table.clearSelection()
    dialog.table.setCurrentCell(-1, -1)
    dialog.set_button.click()
    assert "choose" in dialog.problem.text().lower()
