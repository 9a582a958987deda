"""Extension points: a feature appears only when its service and GUI modules exist."""

from __future__ import annotations

import sys
from types import ModuleType

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from hourproof.gui.extensions import FEATURES, Feature, GuiHost, Host, install_features
from hourproof.gui.window import MainWindow

FAKE = Feature("demo", "hourproof_fake_service", "hourproof_fake_gui")


def fake_modules(monkeypatch: pytest.MonkeyPatch, install: object) -> None:
    gui = ModuleType(FAKE.gui)
    gui.install = install  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, FAKE.service, ModuleType(FAKE.service))
    monkeypatch.setitem(sys.modules, FAKE.gui, gui)


def test_nothing_is_installed_while_the_services_do_not_exist(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    for feature in FEATURES:  # as if none of them were written yet
        monkeypatch.setitem(sys.modules, feature.service, None)
    before = [a.text() for a in window.menus["file"].actions()]
    host = GuiHost(window.controller, window)
    assert install_features(host) == []
    assert [a.text() for a in window.menus["file"].actions()] == before
    assert host.tray_actions == []


def test_an_available_feature_adds_its_action_tab_and_tray_entry(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def install(host: Host) -> None:
        action = QAction("Export proof…", host.window)
        host.add_action("file", action, toolbar=True)
        host.add_tray_action(QAction("Export proof…", host.window))
        host.add_tab("Evidence", QLabel("commits"))

    fake_modules(monkeypatch, install)
    host = GuiHost(window.controller, window)
    assert install_features(host, [FAKE]) == ["demo"]
    file_menu = [a.text() for a in window.menus["file"].actions()]
    assert file_menu.index("Export proof…") < file_menu.index("&Close window")
    assert "Export proof…" in [a.text() for a in window.toolbar.actions()]
    assert [a.text() for a in host.tray_actions] == ["Export proof…"]
    assert window.tabs.count() == 2 and window.tabs.tabText(1) == "Evidence"


def test_a_feature_without_its_gui_module_stays_hidden(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, FAKE.service, ModuleType(FAKE.service))
    assert install_features(GuiHost(window.controller, window), [FAKE]) == []


def test_a_broken_feature_is_skipped_and_the_rest_installed(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def install(host: Host) -> None:
        raise RuntimeError("boom")

    fake_modules(monkeypatch, install)
    assert install_features(GuiHost(window.controller, window), [FAKE]) == []
    assert "could not install the demo feature" in caplog.text


def test_unknown_menu_names_are_refused(window: MainWindow) -> None:
    host = GuiHost(window.controller, window)
    with pytest.raises(ValueError, match="no menu"):
        host.add_action("tools", QAction("x", window))


def test_on_quit_callbacks_run_when_the_app_shuts_down(window: MainWindow) -> None:
    host = GuiHost(window.controller, window)
    stopped: list[bool] = []
    host.on_quit(lambda: stopped.append(True))
    window.controller.shutdown(wait_ms=1_000)
    assert stopped == [True]
