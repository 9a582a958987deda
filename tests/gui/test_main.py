"""Starting the app: a window where there is no tray, one instance per home, clean exit."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from hourproof.gui.main import LOCK_NAME, SETTINGS_NAME, run_app


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
    def close() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                widget.close()

    QTimer.singleShot(50, close)


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


def test_a_second_instance_on_the_same_home_says_so_and_leaves(
    qapp: QApplication, tmp_path: Path, boxes: list[str]
) -> None:
    (tmp_path / "home").mkdir()
    held = QLockFile(str(tmp_path / "home" / LOCK_NAME))
    assert held.tryLock(0)
    try:
        assert run_app(str(tmp_path / "home")) == 1
    finally:
        held.unlock()
    assert "already running" in boxes[0]


def test_an_unusable_home_is_reported_not_raised(
    qapp: QApplication, tmp_path: Path, boxes: list[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert run_app(str(blocker / "home")) == 2
    assert boxes and "cannot start" in boxes[0]
