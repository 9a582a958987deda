"""The "Evidence" tab: registered repositories and watched folders, adding (with the service's
warnings), removing, scanning in the background, the hook, and the hook's spool ingested by
the periodic refresh."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from hourproof.gui import evidence_panel
from hourproof.gui.evidence_panel import EvidencePanel
from hourproof.gui.extensions import GuiHost
from hourproof.gui.source_dialog import SourceDialog, SourceRequest
from hourproof.gui.window import MainWindow
from hourproof.services import evidence, tracking
from hourproof.services.app import App
from tests.gui.conftest import settle

ME = "me@example.org"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout  # fmt: skip


@pytest.fixture(autouse=True)
def quiet_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git (ours and the service's) reads no user or system configuration."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "site"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    git(path, "config", "user.email", ME)
    git(path, "config", "user.name", "Me")
    commit(path, "index.html")
    return path


def commit(repo: Path, name: str) -> None:
    (repo / name).write_text(name)
    git(repo, "add", name)
    git(repo, "commit", "-q", "-m", f"add {name}")


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error boxes the panel showed."""
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: said.append(text))
    return said


@pytest.fixture
def host(window: MainWindow) -> GuiHost:
    return GuiHost(window.controller, window)


@pytest.fixture
def panel(host: GuiHost, window: MainWindow) -> EvidencePanel:
    evidence_panel.install(host)
    found = window.findChild(EvidencePanel)
    assert found is not None
    window.tabs.setCurrentWidget(found)
    settle(host.controller, refresh=False)  # the lists are read on the reader thread
    assert not found.busy
    return found


def answer(monkeypatch: pytest.MonkeyPatch, folder: Path, request: SourceRequest | None) -> None:
    """The folder picker returns ``folder``; the project dialog returns ``request``."""
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(evidence_panel, "ask_source", lambda *a, **k: request)


def click(qtbot: object, button: QPushButton) -> None:
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]


def wait_idle(qtbot: object, panel: EvidencePanel) -> None:
    qtbot.waitUntil(lambda: not panel.busy, timeout=60_000)  # type: ignore[attr-defined]


def cells(table: object, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]  # type: ignore[attr-defined]


def test_the_tab_lists_registered_repositories_and_watched_folders(
    app: App, repo: Path, tmp_path: Path, host: GuiHost, window: MainWindow
) -> None:
    evidence.add_repo(app, str(repo), "website", "Acme")
    evidence.add_watch(app, str(tmp_path), "notes")
    evidence_panel.install(host)
    assert window.tabs.tabText(1) == "Evidence"
    panel = window.findChild(EvidencePanel)
    assert panel is not None
    settle(host.controller, refresh=False)
    assert cells(panel.repos, 1) == ["website"] and cells(panel.repos, 3) == [ME]
    assert cells(panel.watches, 1) == ["notes"]


def test_adding_a_repository_registers_it_in_the_background(
    panel: EvidencePanel, app: App, repo: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer(monkeypatch, repo, SourceRequest("website", "Acme"))
    click(qtbot, panel.add_repo_button)
    wait_idle(qtbot, panel)
    assert [(r.path, r.project, r.client) for r in evidence.list_repos(app)] == [
        (repo.resolve(), "website", "Acme")
    ]
    assert cells(panel.repos, 0) == ["~/site"]
    assert "Added" in panel.note.text()


def test_the_services_warnings_on_adding_are_shown(
    panel: EvidencePanel, repo: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(repo, "checkout", "-q", "--detach")
    answer(monkeypatch, repo, SourceRequest("website", None))
    click(qtbot, panel.add_repo_button)
    wait_idle(qtbot, panel)
    assert "HEAD is detached" in panel.note.text()


def test_a_folder_that_is_no_repository_is_refused_with_the_reason(
    panel: EvidencePanel, app: App, tmp_path: Path, qtbot: object,
    monkeypatch: pytest.MonkeyPatch, shown: list[str],
) -> None:  # fmt: skip
    plain = tmp_path / "plain"
    plain.mkdir()
    answer(monkeypatch, plain, SourceRequest("website", None))
    click(qtbot, panel.add_repo_button)
    wait_idle(qtbot, panel)
    assert len(shown) == 1 and "not a git repository" in shown[0].lower()
    assert evidence.list_repos(app) == []


def test_cancelling_the_project_question_adds_nothing(
    panel: EvidencePanel, app: App, repo: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer(monkeypatch, repo, None)
    click(qtbot, panel.add_repo_button)
    assert not panel.busy and evidence.list_repos(app) == []


def test_scan_now_records_new_commits_and_says_how_many(
    panel: EvidencePanel, app: App, repo: Path, qtbot: object
) -> None:
    evidence.add_repo(app, str(repo), "website", "Acme")
    commit(repo, "style.css")
    panel.reload()
    wait_idle(qtbot, panel)
    leaves = tracking.status(app).leaves
    click(qtbot, panel.scan_button)
    wait_idle(qtbot, panel)
    assert "2 new commits (site 2)" in panel.note.text()
    assert tracking.status(app).leaves > leaves
    settle(panel.host.controller, refresh=False)
    assert panel.host.controller.status.leaves == tracking.status(app).leaves  # refreshed


def test_removing_a_repository_asks_first(
    panel: EvidencePanel, app: App, repo: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence.add_repo(app, str(repo), "website")
    panel.reload()
    wait_idle(qtbot, panel)
    panel.repos.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Cancel)
    click(qtbot, panel.remove_repo_button)
    assert len(evidence.list_repos(app)) == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    click(qtbot, panel.remove_repo_button)
    wait_idle(qtbot, panel)
    assert evidence.list_repos(app) == [] and panel.repos.rowCount() == 0


def test_the_installed_hook_spools_commits_that_the_refresh_path_records(
    panel: EvidencePanel, app: App, repo: Path, qtbot: object
) -> None:
    evidence.add_repo(app, str(repo), "website")
    panel.reload()
    wait_idle(qtbot, panel)
    panel.repos.selectRow(0)
    click(qtbot, panel.hook_button)
    wait_idle(qtbot, panel)
    assert "Installed the post-commit hook" in panel.note.text()
    commit(repo, "about.html")
    assert app.home.spool_pending()
    controller = panel.host.controller
    with qtbot.waitSignal(controller.entries_changed, timeout=60_000):  # type: ignore[attr-defined]
        assert controller.ingest_spool()
    # another refresh (the database watcher's) may say entries_changed first: wait for
    # the ingestion's own effect, then for its refresh
    qtbot.waitUntil(lambda: not app.home.spool_pending(), timeout=60_000)  # type: ignore[attr-defined]
    settle(controller, refresh=False)
    assert [s.suggestion.project for s in evidence.suggestions(app)] == ["website"]


def test_adding_and_removing_a_watched_folder(
    panel: EvidencePanel, app: App, tmp_path: Path, qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    folder = tmp_path / "drafts"
    folder.mkdir()
    answer(monkeypatch, folder, SourceRequest("writing", "Initech"))
    with qtbot.waitSignal(panel.watches_changed, timeout=60_000):  # type: ignore[attr-defined]
        click(qtbot, panel.add_watch_button)
    wait_idle(qtbot, panel)
    assert [(w.path, w.project, w.client) for w in evidence.list_watches(app)] == [
        (folder.resolve(), "writing", "Initech")
    ]
    panel.watches.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.watches_changed, timeout=60_000):  # type: ignore[attr-defined]
        click(qtbot, panel.remove_watch_button)
    wait_idle(qtbot, panel)
    assert evidence.list_watches(app) == [] and panel.watches.rowCount() == 0


def test_the_project_dialog_needs_a_project_and_fills_in_its_client(qtbot: object) -> None:
    dialog = SourceDialog("Add repository", "/src/site", [("website", "Acme")], git=True)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert not dialog.ok.isEnabled()
    dialog.project.setEditText("website")
    assert dialog.ok.isEnabled() and dialog.client.text() == "Acme"
    dialog.authors.setText("me@example.org, me@work.example")
    assert dialog.value().authors == ("me@example.org", "me@work.example")
