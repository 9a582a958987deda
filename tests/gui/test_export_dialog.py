"""File → "Export proof…": choices from the ledger, a bundle written in the background that
verifies, the CSV beside it, refusals shown in the dialog, the folder opened on request."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from hourproof.gui import export_dialog
from hourproof.gui.export_dialog import ExportDialog, ExportFeature, suggested_name
from hourproof.gui.extensions import GuiHost
from hourproof.gui.periods import Period
from hourproof.gui.window import MainWindow
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details
from hourproof.services.verifying import VerifyRequest, verify

OCTOBER_5 = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)  # in "last month" of the test clock


def add(app: App, project: str, client: str | None, begin: datetime, hours: float = 2) -> None:
    tracking.add(app, project, begin, begin + timedelta(hours=hours), Details(client=client))


@pytest.fixture
def host(window: MainWindow) -> GuiHost:
    host = GuiHost(window.controller, window)
    export_dialog.install(host)
    return host


@pytest.fixture
def dialog(host: GuiHost, app: App, qtbot: object) -> ExportDialog:
    add(app, "website", "Acme", OCTOBER_5)
    add(app, "api", "Globex", OCTOBER_5 + timedelta(days=1))
    add(app, "website", "Acme", OCTOBER_5 + timedelta(days=2), hours=3)
    add(app, "internal", None, OCTOBER_5 + timedelta(days=3))
    feature = host.window.findChild(ExportFeature)
    assert feature is not None
    opened = feature.open()
    qtbot.addWidget(opened)  # type: ignore[attr-defined]
    return opened


@pytest.fixture
def save_to(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The file the (replaced) save dialog answers with."""
    target = tmp_path / "out" / "acme-october.hproof"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    return target


def run_export(dialog: ExportDialog, qtbot: object) -> None:
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert dialog.busy
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)  # type: ignore[attr-defined]


def test_export_appears_in_the_file_menu_and_the_tray(host: GuiHost) -> None:
    assert "E&xport proof…" in [a.text() for a in host.window.menus["file"].actions()]
    assert [a.text() for a in host.tray_actions] == ["Export proof…"]


def test_clients_are_those_of_entries_and_entries_without_one_are_left_out(
    dialog: ExportDialog,
) -> None:
    clients = [dialog.client.itemText(i) for i in range(dialog.client.count())]
    assert sorted(clients) == ["Acme", "Globex"]


def test_projects_follow_the_chosen_client(dialog: ExportDialog) -> None:
    dialog.client.setCurrentText("Globex")
    projects = [dialog.project.itemText(i) for i in range(dialog.project.count())]
    assert projects == ["All projects", "api"]


def test_the_period_defaults_to_the_last_full_month(dialog: ExportDialog) -> None:
    assert dialog.preset.currentData() == "last_month"
    assert dialog.period() == Period(date(2026, 10, 1), date(2026, 10, 31))


def test_the_window_period_can_be_chosen(dialog: ExportDialog, window: MainWindow) -> None:
    dialog.preset.setCurrentIndex(dialog.preset.findData("window"))
    assert dialog.period() == window.entries.period()


def test_editing_the_days_makes_the_period_custom(dialog: ExportDialog) -> None:
    dialog.first_day.setDate(QDate(2026, 10, 3))
    assert dialog.preset.currentData() == "custom"
    assert dialog.period().first == date(2026, 10, 3)


def test_the_file_name_follows_client_and_month() -> None:
    october = Period(date(2026, 10, 1), date(2026, 10, 31))
    assert suggested_name("Acme GmbH", october) == "acme-gmbh-2026-10.hproof"
    part = Period(date(2026, 10, 3), date(2026, 10, 9))
    assert suggested_name("Acme", part) == "acme-2026-10-03-to-2026-10-09.hproof"


def test_export_writes_a_bundle_that_verifies_and_shows_what_went_in(
    dialog: ExportDialog, save_to: Path, qtbot: object
) -> None:
    dialog.client.setCurrentText("Acme")
    qtbot.mouseClick(dialog.choose, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    run_export(dialog, qtbot)
    assert verify(None, VerifyRequest(save_to)).ok
    assert dialog.outcome is not None and dialog.outcome.entries == 2
    assert "Exported acme-october.hproof" in dialog.status.text()
    assert "2 entries" in dialog.status.text()
    assert "No trusted timestamp covers this log" in dialog.warnings.text()
    assert dialog.open_folder.isVisibleTo(dialog)


def test_the_csv_is_written_beside_the_bundle(
    dialog: ExportDialog, save_to: Path, qtbot: object
) -> None:
    dialog.client.setCurrentText("Acme")
    dialog.path.setText(str(save_to))
    dialog.with_csv.setChecked(True)
    dialog.csv_format.setCurrentIndex(dialog.csv_format.findData("clockify"))
    run_export(dialog, qtbot)
    csv = save_to.with_name("acme-october-clockify.csv")
    assert csv.read_text(encoding="utf-8-sig").startswith("Project,Client")


def test_a_refusal_of_the_service_is_shown_in_the_dialog(
    dialog: ExportDialog, save_to: Path, qtbot: object
) -> None:
    dialog.client.setCurrentText("Acme")
    dialog.path.setText(str(save_to))
    dialog.preset.setCurrentIndex(dialog.preset.findData("this_month"))  # nothing in November
    run_export(dialog, qtbot)
    assert "no finished entries for client 'Acme'" in dialog.status.text()
    assert not save_to.exists()
    assert not dialog.open_folder.isVisibleTo(dialog)


def test_open_folder_opens_the_folder_holding_the_bundle(
    dialog: ExportDialog, save_to: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    dialog.client.setCurrentText("Acme")
    dialog.path.setText(str(save_to))
    run_export(dialog, qtbot)
    qtbot.mouseClick(dialog.open_folder, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert [url.toLocalFile() for url in opened] == [str(save_to.parent)]


def test_an_existing_bundle_is_only_replaced_after_asking(
    dialog: ExportDialog, save_to: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_to.write_bytes(b"earlier")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    dialog.client.setCurrentText("Acme")
    dialog.path.setText(str(save_to))
    assert not dialog.start_export()
    assert save_to.read_bytes() == b"earlier"


def test_the_dialog_stays_open_while_exporting(
    dialog: ExportDialog, save_to: Path, qtbot: object
) -> None:
    dialog.client.setCurrentText("Acme")
    dialog.path.setText(str(save_to))
    assert dialog.start_export()
    dialog.reject()
    assert dialog.isVisible() and not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=60_000)  # type: ignore[attr-defined]
    assert dialog.close_button.isEnabled()


def test_without_any_client_there_is_nothing_to_export(host: GuiHost, app: App) -> None:
    add(app, "internal", None, OCTOBER_5)
    feature = host.window.findChild(ExportFeature)
    assert feature is not None
    opened = feature.open()
    assert not opened.export_button.isEnabled()
    assert "No entry has a client yet" in opened.status.text()
    opened.close()


@pytest.mark.parametrize("typed", ["/", "~/", "out/"])
def test_a_save_as_that_is_no_file_name_is_refused_with_a_hint(
    dialog: ExportDialog, typed: str
) -> None:
    dialog.path.setText(typed)  # used to raise ValueError("… has an empty name")
    assert dialog.out_path() is None
    assert not dialog.export_button.isEnabled()
    assert "file name" in dialog.csv_hint.text()


def test_the_preview_says_what_the_bundle_discloses_and_the_signing_key(
    dialog: ExportDialog, app: App
) -> None:
    from hourproof.ledger import keys

    from .conftest import settle

    dialog.refresh_preview()
    settle(dialog.host.controller, refresh=False)
    text = dialog.preview.text()
    assert "entries of" in text and "Nothing about other clients" in text
    assert keys.fingerprint(app.key.public_key()) in text
