"""GUI test setup: offscreen Qt, no public TSAs, a fresh home per test, Qt warnings fail.

The environment is set at import time, before pytest-qt creates the QApplication.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HOURPROOF_DEFAULT_TSAS"] = "none"

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from hourproof.gui.controller import Controller
from hourproof.gui.main import SETTINGS_NAME
from hourproof.gui.window import MainWindow
from hourproof.services.app import App
from hourproof.services.startup import open_home

GUI_DIR = Path(__file__).parent


#: Said by the offscreen platform plugin itself (it has no window manager); not ours.
OFFSCREEN_NOISE = r"This plugin does not support (propagateSizeHints|raise)\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Any Qt warning logged during a GUI test fails it (pytest-qt's log capture)."""
    for item in items:
        if GUI_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


def settle(controller: Controller, refresh: bool = True, limit: float = 30.0) -> None:
    """Let the controller's background reads and writes finish and their results show.

    (``limit`` only stops a hung test; nothing here asserts on how long it took.)"""
    if refresh:
        controller.refresh()
    deadline = time.monotonic() + limit
    while controller.busy:
        QCoreApplication.processEvents()
        if time.monotonic() > deadline:
            raise AssertionError("background store work did not finish")
        time.sleep(0.002)
    QCoreApplication.processEvents()


class Clock:
    """A settable clock for the App (whole seconds, UTC)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="session", autouse=True)
def translators(qapp: QCoreApplication) -> object:
    """The translators the app installs at start (English plural forms: "1 entry")."""
    from PySide6.QtCore import QLocale

    from hourproof.gui.i18n import install_translators

    return install_translators(qapp, QLocale("en_US"))


#: A Wednesday afternoon: "this week" has room on both sides in every time zone.
WEDNESDAY = datetime(2026, 11, 25, 15, 0, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(WEDNESDAY)


@pytest.fixture
def app(tmp_path: Path, clock: Clock) -> Iterator[App]:
    """An App on a fresh home in tmp_path, with a settable clock."""
    opened = open_home(tmp_path / "home")
    opened.clock = clock
    yield opened
    opened.close()


@pytest.fixture
def controller(app: App, qtbot: object) -> Iterator[Controller]:
    ctl = Controller(app)
    yield ctl
    ctl.shutdown(wait_ms=5_000)


@pytest.fixture
def settings(app: App) -> QSettings:
    return QSettings(str(app.home.root / SETTINGS_NAME), QSettings.Format.IniFormat)


@pytest.fixture
def window(controller: Controller, settings: QSettings, qtbot: object) -> MainWindow:
    win = MainWindow(controller, settings)
    qtbot.addWidget(win)  # type: ignore[attr-defined]
    win.show()
    settle(controller)
    return win
