"""A passphrase-protected key: the app opens locked when the start prompt is cancelled,
and the first action that signs asks for the passphrase (wrong one: asked again), then
runs; Cancel leaves nothing written. A stale keyring passphrase asks instead of failing.
The CLI's key loading is unchanged (same sentence, no prompt without a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings

from hourproof.gui import main as gui_main
from hourproof.gui.controller import Controller
from hourproof.gui.extensions import GuiHost
from hourproof.gui.main import SETTINGS_NAME
from hourproof.gui.passphrase_dialog import KeyUnlocker, find_unlocker, install
from hourproof.gui.window import MainWindow
from hourproof.gui.workers import maintenance
from hourproof.services import keyfile, tracking, unlock
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.startup import open_home
from hourproof.services.tracking import Details

from .conftest import Clock, settle

RIGHT = "right horse"


@pytest.fixture(autouse=True)
def no_keyring_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(keyfile, "_keyring_get", lambda path: None)
    monkeypatch.setattr(keyfile, "_prompt", lambda message: None)
    monkeypatch.setattr(keyfile, "keyring_store", lambda path, passphrase: None)


@pytest.fixture
def locked(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:
    """A home whose key is encrypted with RIGHT and has signed one entry, reopened
    without the passphrase."""
    monkeypatch.setenv(keyfile.ENV_PASSPHRASE, RIGHT)
    first = open_home(tmp_path / "home")
    first.clock = clock
    end = clock.now - timedelta(hours=3)
    tracking.add(first, "website", end - timedelta(hours=1), end, Details(client="Acme"))
    first.close()
    monkeypatch.delenv(keyfile.ENV_PASSPHRASE)
    again = open_home(tmp_path / "home")
    again.clock = clock
    assert unlock.needs_passphrase(again) and not unlock.is_unlocked(again)
    yield again
    again.close()


@pytest.fixture
def gui(locked: App, qtbot: Any) -> Iterator[tuple[Controller, MainWindow, KeyUnlocker]]:
    controller = Controller(locked, watch=False)
    settings = QSettings(str(locked.home.root / SETTINGS_NAME), QSettings.Format.IniFormat)
    window = MainWindow(controller, settings)
    qtbot.addWidget(window)
    install(GuiHost(controller, window))
    unlocker = find_unlocker(controller)
    assert unlocker is not None and controller.guard == unlocker.guard
    controller.refresh_now()
    yield controller, window, unlocker
    controller.shutdown(wait_ms=5_000)


def _size(app: App) -> int:
    return tracking.status(app).leaves


def _wait_dialog(qtbot: Any, unlocker: KeyUnlocker, problem: str = "") -> None:
    qtbot.waitUntil(
        lambda: (
            unlocker.dialog is not None
            and unlocker.dialog.passphrase.isEnabled()
            and problem in unlocker.dialog.problem.text()
        )
    )


# -- services: the retry loop, without Qt -----------------------------------------------


def test_a_signing_job_asks_retries_a_wrong_passphrase_and_runs_once(locked: App) -> None:
    asked: list[unlock.Problem] = []
    answers = iter([("wrong", False), (RIGHT, False)])

    def ask(problem: unlock.Problem) -> unlock.Answer:
        asked.append(problem)
        return next(answers)

    end = locked.clock() - timedelta(hours=1)
    before = _size(locked)
    entry = unlock.run_unlocked(
        locked, lambda: tracking.add(locked, "api", end - timedelta(hours=1), end), ask
    )
    assert asked == [None, "wrong"]
    assert unlock.is_unlocked(locked)
    assert [e.project for e in tracking.entries(locked)].count("api") == 1
    assert entry.project == "api" and _size(locked) == before + 1


def test_cancel_writes_nothing(locked: App) -> None:
    end = locked.clock() - timedelta(hours=1)
    before = _size(locked)
    with pytest.raises(unlock.StillLocked, match="nothing was signed or recorded"):
        unlock.run_unlocked(
            locked, lambda: tracking.add(locked, "api", end - timedelta(hours=1), end),
            lambda problem: None,
        )  # fmt: skip
    assert _size(locked) == before  # the appended leaf was rolled back with the txn
    assert [e.project for e in tracking.entries(locked)] == ["website"]


def test_an_export_asks_and_writes_no_file_when_cancelled(locked: App, tmp_path: Path) -> None:
    from hourproof.services.export import ExportRequest, export_bundle

    out = tmp_path / "acme.hproof"
    req = ExportRequest(
        "Acme", locked.clock() - timedelta(days=2), locked.clock(), out, reports=False,
        anchor_first=False,
    )  # fmt: skip
    with pytest.raises(unlock.StillLocked):
        unlock.run_unlocked(locked, lambda: export_bundle(locked, req), lambda problem: None)
    assert not out.exists()
    asked: list[unlock.Problem] = []

    def ask(problem: unlock.Problem) -> unlock.Answer:
        asked.append(problem)
        return (RIGHT, False)

    result = unlock.run_unlocked(locked, lambda: export_bundle(locked, req), ask)
    assert asked == [None] and out.is_file() and result.entries == 1


def test_a_job_that_needs_no_key_does_not_ask(locked: App) -> None:
    def ask(problem: unlock.Problem) -> unlock.Answer:
        raise AssertionError("asked for a passphrase")

    started = unlock.run_unlocked(locked, lambda: tracking.start(locked, "api"), ask)
    assert started.running and not unlock.is_unlocked(locked)  # nothing was signed


def test_a_stale_keyring_passphrase_asks_for_the_new_one(
    locked: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyfile, "_keyring_get", lambda path: b"the old one")
    assert unlock.needs_passphrase(locked)  # at start: asked too
    asked: list[unlock.Problem] = []

    def ask(problem: unlock.Problem) -> unlock.Answer:
        asked.append(problem)
        return (RIGHT, False)

    end = locked.clock() - timedelta(hours=1)
    unlock.run_unlocked(
        locked, lambda: tracking.add(locked, "api", end - timedelta(hours=1), end), ask
    )
    assert asked == ["stored-wrong"]


def test_the_cli_loads_a_locked_key_as_before(locked: App, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ServiceError, match="the signing key is encrypted: set HOURPROOF_PASS"):
        keyfile.load_key(locked.key_path)
    monkeypatch.setattr(keyfile, "_keyring_get", lambda path: b"the old one")
    with pytest.raises(ServiceError, match=r"wrong passphrase .*from the OS keyring"):
        keyfile.load_key(locked.key_path)
    monkeypatch.setenv(keyfile.ENV_PASSPHRASE, "wrong")
    with pytest.raises(ServiceError) as err:
        keyfile.load_key(locked.key_path)
    assert not isinstance(err.value, keyfile.KeyLocked)  # a wrong env passphrase is final
    monkeypatch.setenv(keyfile.ENV_PASSPHRASE, RIGHT)
    assert keyfile.load_key(locked.key_path) is not None


def test_background_checkpoints_skip_a_locked_key(locked: App) -> None:
    tracking.start(locked, "api", at=locked.clock() - timedelta(hours=2))
    outcome = maintenance(locked)  # a checkpoint is due, but nobody is there to ask
    assert not outcome.checkpointed and not unlock.is_unlocked(locked)


# -- the desktop app ---------------------------------------------------------------------


def test_status_bar_and_tray_say_the_key_is_locked(
    gui: tuple[Controller, MainWindow, KeyUnlocker],
) -> None:
    from hourproof.gui.tray import TrayController

    controller, window, unlocker = gui
    label = window.statusBar().findChild(object, "keyLocked")
    assert unlocker.locked and label is not None and not label.isHidden()
    assert window.statusBar().findChild(object, "unlockKey") is not None
    tray = TrayController(controller, window, lambda: None)
    try:
        assert "Signing key locked" in tray.tooltip(controller.now())
        unlocker._set_locked(False)
        assert "Signing key locked" not in tray.tooltip(controller.now())
        assert label.isHidden()
    finally:
        tray.menu.deleteLater()


def test_an_add_asks_then_retries_after_a_wrong_passphrase(
    gui: tuple[Controller, MainWindow, KeyUnlocker], locked: App, qtbot: Any
) -> None:
    controller, window, unlocker = gui
    end = controller.now() - timedelta(hours=1)
    done: list[Any] = []
    controller.add_entry("api", end - timedelta(hours=1), end, Details(client="Acme"), done.append)
    _wait_dialog(qtbot, unlocker)
    dialog = unlocker.dialog
    assert dialog is not None and dialog.isVisible()
    dialog.passphrase.setText("wrong")
    dialog.ok.click()
    _wait_dialog(qtbot, unlocker, "Wrong passphrase")
    assert unlocker.dialog is dialog and not done  # the same dialog asks again
    dialog.passphrase.setText(RIGHT)
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(done))
    settle(controller)
    assert done[0].project == "api" and unlocker.dialog is None and not unlocker.locked
    label = window.statusBar().findChild(object, "keyLocked")
    assert label is not None and label.isHidden()
    assert sorted(e.project for e in tracking.entries(locked)) == ["api", "website"]
    # unlocked now: the next signing action asks nothing
    controller.remove_entry(done[0].id, "typo")
    settle(controller)
    assert unlocker.dialog is None
    assert [e.project for e in tracking.entries(locked) if not e.removed] == ["website"]


def test_cancel_leaves_nothing_and_keeps_the_key_locked(
    gui: tuple[Controller, MainWindow, KeyUnlocker], locked: App, qtbot: Any
) -> None:
    controller, _window, unlocker = gui
    before = _size(locked)
    errors: list[str] = []
    end = controller.now() - timedelta(hours=1)
    controller.add_entry(
        "api", end - timedelta(hours=1), end, Details(), on_error=errors.append
    )  # fmt: skip
    _wait_dialog(qtbot, unlocker)
    assert unlocker.dialog is not None
    unlocker.dialog.passphrase.setText("typed, then cancelled")
    unlocker.dialog.reject()
    qtbot.waitUntil(lambda: bool(errors))
    settle(controller)
    assert "stayed locked" in errors[0] and "nothing was signed" in errors[0]
    assert _size(locked) == before and unlocker.locked and unlocker.dialog is None


def test_a_refused_start_keeps_what_was_typed(
    gui: tuple[Controller, MainWindow, KeyUnlocker], locked: App, qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Start while a timer runs stops it (a signature): Cancel reopens the Start dialog
    with the details the user typed and the reason."""
    from hourproof.gui import dialogs

    controller, window, unlocker = gui
    tracking.start(locked, "website")  # no signature needed for a first start
    controller.refresh_now()
    typed = dialogs.StartRequest("api", Details(client="Acme", note="the note"), None)
    seen: list[tuple[Any, Any]] = []

    def ask_start(parent: Any, projects: Any, now: Any, previous: Any = None, error: Any = None):  # type: ignore[no-untyped-def]
        seen.append((previous, error))
        return typed if len(seen) == 1 else None

    monkeypatch.setattr(dialogs, "ask_start", ask_start)
    window.start_with_details()
    _wait_dialog(qtbot, unlocker)
    assert unlocker.dialog is not None
    unlocker.dialog.reject()
    qtbot.waitUntil(lambda: len(seen) == 2)
    previous, error = seen[1]
    assert previous == typed and "stayed locked" in str(error)
    settle(controller)
    assert controller.status.running is not None
    assert controller.status.running.project == "website"  # nothing half-done


def test_unlock_button_asks_without_doing_anything_else(
    gui: tuple[Controller, MainWindow, KeyUnlocker], locked: App, qtbot: Any
) -> None:
    controller, _window, unlocker = gui
    before = _size(locked)
    unlocker.unlock_now()
    _wait_dialog(qtbot, unlocker)
    assert unlocker.dialog is not None
    unlocker.dialog.passphrase.setText(RIGHT)
    unlocker.dialog.remember.setChecked(True)
    unlocker.dialog.ok.click()
    qtbot.waitUntil(lambda: not unlocker.locked)
    settle(controller)
    assert unlock.is_unlocked(locked) and _size(locked) == before


def test_cancel_at_start_opens_the_app_locked(
    locked: App, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    from hourproof.gui import passphrase_dialog

    monkeypatch.setattr(passphrase_dialog, "ask_unlock", lambda app, parent=None: False)
    desktop = gui_main.DesktopApp(qtbot_app(), locked.home.root, None)
    try:
        assert desktop.open() is None  # not "cancelled, quit"
        assert not unlock.is_unlocked(desktop.app)
    finally:
        if desktop.app is not None:
            desktop.app.close()


def qtbot_app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def test_background_evidence_is_recorded_while_locked_in_the_app(
    locked: App, tmp_path: Path, clock: Clock
) -> None:
    """A file-activity span that would sign a checkpoint: the CLI fails as before; the
    desktop app (``sign_later``) records it and signs at the next checkpoint."""
    from hourproof.core.activity import ActivitySpan
    from hourproof.services import evidence

    folder = tmp_path / "work"
    folder.mkdir()
    watch = evidence.add_watch(locked, str(folder), "website", "Acme")
    clock.now += timedelta(hours=3)  # the last checkpoint is old: this span would sign one
    end = locked.clock() - timedelta(minutes=5)
    span = ActivitySpan(end - timedelta(minutes=20), end, ("index.html",), 4)
    before = _size(locked)
    with pytest.raises(keyfile.KeyLocked):
        evidence.record_span(locked, watch, span)
    assert _size(locked) == before  # the CLI: nothing half-done
    locked.sign_later = True
    seq = evidence.record_span(locked, watch, span)
    assert _size(locked) == before + 1 and seq == before
    assert not unlock.is_unlocked(locked)


def test_another_error_after_the_passphrase_closes_the_dialog(
    gui: tuple[Controller, MainWindow, KeyUnlocker], locked: App, qtbot: Any
) -> None:
    """The passphrase fits but the job fails for another reason: the error is reported
    and the dialog does not stay open on "Checking…"."""
    controller, _window, unlocker = gui
    errors: list[str] = []

    def job(app: App) -> None:
        _ = app.key
        raise ServiceError("the disk is full")

    controller.write("x", job, on_error=errors.append)
    _wait_dialog(qtbot, unlocker)
    assert unlocker.dialog is not None
    unlocker.dialog.passphrase.setText(RIGHT)
    unlocker.dialog.ok.click()
    qtbot.waitUntil(lambda: bool(errors))
    settle(controller)
    assert errors == ["the disk is full"]
    qtbot.waitUntil(lambda: unlocker.dialog is None)
    assert not unlocker.locked


def test_cancel_while_checking_cancels_the_job(
    gui: tuple[Controller, MainWindow, KeyUnlocker], locked: App, qtbot: Any
) -> None:
    controller, _window, unlocker = gui
    errors: list[str] = []
    end = controller.now() - timedelta(hours=1)
    controller.add_entry("api", end - timedelta(hours=1), end, Details(), on_error=errors.append)
    _wait_dialog(qtbot, unlocker)
    dialog = unlocker.dialog
    assert dialog is not None
    dialog.passphrase.setText("wrong")
    dialog.ok.click()  # handed to the worker …
    dialog.reject()  # … and cancelled before it answers
    qtbot.waitUntil(lambda: bool(errors))
    settle(controller)
    assert "stayed locked" in errors[0] and unlocker.dialog is None and unlocker.locked
    assert [e.project for e in tracking.entries(locked)] == ["website"]
