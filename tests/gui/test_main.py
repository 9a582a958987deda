"""Starting the app: a window where there is no tray, one instance per home, clean exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hourproof.gui.main import LOCK_NAME, SETTINGS_NAME, InstanceServer, run_app, server_name


@pytest.fixture(autouse=True)
def keep_signal_handlers() -> Iterator[None]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    for name in ("information", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, *a: said.append(text))
    return said


def close_windows_soon() -> None:
    """Close the app's window once it is shown (it is built over several event-loop
    turns, so it is not there at the first one)."""
    timer = QTimer(QApplication.instance())

    def close() -> None:
        shown = [widget for widget in QApplication.topLevelWidgets() if widget.isVisible()]
        for widget in shown:
            widget.close()
        if shown:
            timer.stop()
            timer.deleteLater()

    timer.timeout.connect(close)
    timer.start(20)


def test_without_a_tray_the_window_is_the_app(qapp: QApplication, tmp_path: Path) -> None:
    close_windows_soon()  # closing the only window must end the event loop
    assert run_app(str(tmp_path / "home")) == 0
    assert (tmp_path / "home" / SETTINGS_NAME).exists()
    assert not qapp.quitOnLastWindowClosed()


def test_the_lock_is_released_on_exit(qapp: QApplication, tmp_path: Path) -> None:
    close_windows_soon()
    run_app(str(tmp_path / "home"))
    lock = QLockFile(str(tmp_path / "home" / LOCK_NAME))
    assert lock.tryLock(0)
    lock.unlock()


def test_a_locked_home_without_a_running_instance_is_refused(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "home").mkdir()
    held = QLockFile(str(tmp_path / "home" / LOCK_NAME))
    assert held.tryLock(0)
    try:
        assert run_app(str(tmp_path / "home")) == 1
    finally:
        held.unlock()
    assert "already running" in capsys.readouterr().err


def _second_launch(home: Path, *args: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.Popen(
        [sys.executable, "-m", "hourproof.gui.main", "--home", str(home), *args],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


@pytest.mark.parametrize("bundle", [False, True])
def test_a_second_launch_hands_over_to_the_running_instance(
    qapp: QApplication, tmp_path: Path, qtbot: object, bundle: bool
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    received: list[dict[str, object]] = []
    server = InstanceServer(server_name(home), received.append, qapp)  # lives with the app
    proof = tmp_path / "week.hproof"
    proof.write_bytes(b"PK")
    try:
        launch = _second_launch(home, *([str(proof)] if bundle else []))
        qtbot.waitUntil(lambda: bool(received), timeout=60_000)  # type: ignore[attr-defined]
        _out, err = launch.communicate(timeout=60)
    finally:
        server.close()
    assert launch.returncode == 0, err.decode()
    assert received == [{"verify": str(proof.resolve())} if bundle else {"show": "window"}]
    assert not (home / "hourproof.db").exists()  # the second launch opened nothing


def test_gui_refuses_a_bundle_that_does_not_exist(
    qapp: QApplication, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_app(str(tmp_path / "home"), bundle=str(tmp_path / "nope.hproof")) == 2
    assert "no such file" in capsys.readouterr().err


def test_an_unusable_home_is_reported_not_raised(
    qapp: QApplication, tmp_path: Path, boxes: list[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert run_app(str(blocker / "home")) == 2
    assert boxes and "cannot start" in boxes[0]
