"""File watching in the app: its own thread from install to quit, only when folders are
watched, restarted when the Evidence tab changes them, messages delivered in the UI thread."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from hourproof.gui import evidence_panel, watching
from hourproof.gui.evidence_panel import EvidencePanel
from hourproof.gui.extensions import GuiHost
from hourproof.gui.source_dialog import SourceRequest
from hourproof.gui.watching import FolderWatching, find_watching
from hourproof.gui.window import MainWindow
from hourproof.services import evidence, ledger_ops, tracking
from hourproof.services.app import App

WAIT_MS = 60_000  # a hang guard only: signals normally come in milliseconds


@pytest.fixture
def host(window: MainWindow) -> GuiHost:
    return GuiHost(window.controller, window)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "work"
    path.mkdir()
    return path


def install(host: GuiHost) -> FolderWatching:
    """Install the feature; its first messages are still queued when this returns."""
    watching.install(host)
    found = find_watching(host.controller)
    assert found is not None
    return found


def test_nothing_runs_while_no_folder_is_watched(host: GuiHost) -> None:
    watcher = install(host)
    assert not watcher.running and watcher.worker is None


def test_watched_folders_are_watched_on_a_thread_of_their_own(
    host: GuiHost, app: App, folder: Path, qtbot: object
) -> None:
    evidence.add_watch(app, str(folder), "website")
    watcher = install(host)
    assert watcher.running and watcher.folders == 1
    assert watcher.worker is not None and watcher.worker is not threading.current_thread()
    with qtbot.waitSignal(watcher.message, timeout=WAIT_MS) as said:  # type: ignore[attr-defined]
        pass
    assert said.args == [f"Watching {folder.resolve()} for website"]


def test_watcher_messages_reach_the_status_bar_in_the_ui_thread(
    host: GuiHost, app: App, folder: Path, qtbot: object
) -> None:
    evidence.add_watch(app, str(folder), "website")
    watcher = install(host)
    threads: list[threading.Thread] = []
    watcher.message.connect(lambda _: threads.append(threading.current_thread()))
    with qtbot.waitSignal(watcher.message, timeout=WAIT_MS):  # type: ignore[attr-defined]
        pass
    assert threads == [threading.main_thread()]
    assert "Watching" in host.window.statusBar().currentMessage()


def test_a_warning_from_the_watcher_is_a_notice(
    host: GuiHost, app: App, folder: Path, qtbot: object
) -> None:
    evidence.add_watch(app, str(folder), "website")
    shutil.rmtree(folder)  # the watcher reports it and carries on
    with qtbot.waitSignal(host.controller.notice, timeout=WAIT_MS) as notice:  # type: ignore[attr-defined]
        watcher = install(host)
    assert "is gone" in notice.args[0] and notice.args[0].startswith("File watching:")
    assert watcher.last_warning is not None and "is gone" in watcher.last_warning
    assert "is gone" in host.window.statusBar().currentMessage()


def test_quitting_stops_and_joins_the_watcher_thread(
    host: GuiHost, app: App, folder: Path, qtbot: object
) -> None:
    evidence.add_watch(app, str(folder), "website")
    watcher = install(host)
    thread = watcher.worker
    assert thread is not None
    with qtbot.waitSignal(watcher.message, timeout=WAIT_MS):  # type: ignore[attr-defined]
        pass
    host.controller.shutdown(wait_ms=5_000)
    assert not thread.is_alive() and not watcher.running


def test_adding_a_folder_in_the_evidence_tab_starts_watching(
    host: GuiHost, app: App, folder: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence_panel.install(host)
    watcher = install(host)
    panel = host.window.findChild(EvidencePanel)
    assert panel is not None and not watcher.running
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    monkeypatch.setattr(evidence_panel, "ask_source", lambda *a, **k: SourceRequest("site", None))
    with qtbot.waitSignal(watcher.message, timeout=WAIT_MS) as said:  # type: ignore[attr-defined]
        panel.add_watch()
    assert watcher.running and "Watching" in said.args[0]
    assert "Watching 1 folder" in panel.watch_state.text()


def test_changing_the_folders_restarts_on_a_new_thread_after_the_old_one(
    host: GuiHost, app: App, folder: Path, tmp_path: Path, qtbot: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    evidence.add_watch(app, str(folder), "website")
    evidence_panel.install(host)
    watcher = install(host)
    first = watcher.worker
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(other))
    monkeypatch.setattr(evidence_panel, "ask_source", lambda *a, **k: SourceRequest("api", None))
    panel = host.window.findChild(EvidencePanel)
    assert panel is not None
    with qtbot.waitSignal(panel.watches_changed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        panel.add_watch()
    assert watcher.worker is not first and watcher.folders == 2
    qtbot.waitUntil(lambda: first is not None and not first.is_alive(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert watcher.running and watcher.worker is not None and watcher.worker.is_alive()


def test_removing_the_last_folder_stops_watching(
    host: GuiHost, app: App, folder: Path, qtbot: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    evidence.add_watch(app, str(folder), "website")
    evidence_panel.install(host)
    watcher = install(host)
    first = watcher.worker
    panel = host.window.findChild(EvidencePanel)
    assert panel is not None and first is not None
    panel.reload()
    qtbot.waitUntil(lambda: not panel.busy, timeout=WAIT_MS)  # type: ignore[attr-defined]
    panel.watches.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(panel.watches_changed, timeout=WAIT_MS):  # type: ignore[attr-defined]
        panel.remove_watch()
    assert not watcher.running
    qtbot.waitUntil(lambda: not first.is_alive(), timeout=WAIT_MS)  # type: ignore[attr-defined]
    assert "No folder is watched" in panel.watch_state.text()


def test_activity_seen_by_the_watcher_is_written_to_the_ledger_at_quit(
    host: GuiHost, app: App, folder: Path, qtbot: object
) -> None:
    evidence.add_watch(app, str(folder), "website", "Acme")
    watcher = install(host)
    with qtbot.waitSignal(watcher.message, timeout=WAIT_MS):  # type: ignore[attr-defined]
        pass
    before = tracking.status(app).leaves
    (folder / "notes.md").write_text("draft")
    thread = watcher.worker
    assert thread is not None
    # No wait for inotify first: stopping handles every file event that happened before
    # it (the watcher's barrier), then writes the open span.
    host.controller.shutdown(wait_ms=5_000)
    qtbot.waitUntil(lambda: not thread.is_alive(), timeout=60_000)  # type: ignore[attr-defined]
    assert tracking.status(app).leaves == before + 1
    assert ledger_ops.verify_ledger(app).ok
