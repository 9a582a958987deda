"""The tray: icon state, tooltip, and a menu rebuilt on show that starts and stops timers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from hourproof.gui.controller import AnchorState, Controller
from hourproof.gui.icons import app_icon, resource_bytes, tray_icon
from hourproof.gui.tray import TrayController, tray_state
from hourproof.gui.window import MainWindow
from hourproof.services import anchoring, tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details

from .conftest import Clock, settle


class Quit:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> None:
        self.calls += 1


@pytest.fixture
def quit_app() -> Quit:
    return Quit()


@pytest.fixture
def tray(controller: Controller, window: MainWindow, quit_app: Quit) -> Iterator[TrayController]:
    t = TrayController(controller, window, quit_app)
    yield t
    t.menu.deleteLater()


def fresh_menu(tray: TrayController) -> list[str]:
    tray.menu.aboutToShow.emit()
    return tray.action_texts()


def add(app: App, project: str, hours_ago: float, client: str | None = None) -> None:
    end = app.clock() - timedelta(hours=hours_ago)
    tracking.add(app, project, end - timedelta(minutes=30), end, Details(client=client))


NO_WARNING = AnchorState(stale=False, last_anchor=None, queued=0, last_error=None)


def test_state_is_idle_running_or_warning(app: App) -> None:
    idle = tracking.status(app)
    assert tray_state(idle, NO_WARNING) == ("idle", False)
    tracking.start(app, "hourproof")
    running = tracking.status(app)
    assert tray_state(running, NO_WARNING) == ("running", False)
    failing = AnchorState(stale=False, last_anchor=None, queued=1, last_error="TSA down")
    assert tray_state(running, failing) == ("running", True)  # the badge never hides it
    stale = AnchorState(stale=True, last_anchor=None, queued=1, last_error=None)
    assert tray_state(idle, stale) == ("idle", True)
    unconfigured = AnchorState(True, None, 1, "no TSA", configured=False)
    assert tray_state(running, unconfigured) == ("running", False)


def test_idle_menu_offers_start_open_anchor_and_quit(tray: TrayController) -> None:
    assert fresh_menu(tray) == [
        "Start…", "Add past entry…", "Open hourproof", "Verify a proof…", "Anchor now", "Quit",
    ]  # fmt: skip
    assert tray.state == ("idle", False)


def test_menu_offers_the_five_most_recent_projects_newest_first(
    tray: TrayController, app: App
) -> None:
    for age, name in enumerate(["six", "five", "four", "three", "two", "one"][::-1]):
        add(app, name, hours_ago=age + 1, client="Acme" if name == "one" else None)
    settle(tray.controller)
    starts = [t for t in fresh_menu(tray) if t.startswith("Start ")]
    assert starts == ["Start one (Acme)", "Start two", "Start three", "Start four", "Start five"]


def test_start_recent_project_from_the_menu(tray: TrayController, app: App) -> None:
    add(app, "website", 2)
    settle(tray.controller)
    tray.menu.aboutToShow.emit()
    action = tray.find_action("Start website")
    assert action is not None
    action.trigger()
    settle(tray.controller, refresh=False)
    running = tracking.status(app).running
    assert running is not None and running.project == "website"


def test_running_menu_shows_the_timer_and_stop_works(
    tray: TrayController, controller: Controller, app: App, clock: Clock
) -> None:
    tracking.start(app, "hourproof", Details(client="Acme"))
    settle(controller)
    clock.now += timedelta(minutes=75)
    texts = fresh_menu(tray)
    assert texts[:2] == ["hourproof (Acme) — 1:15", "Stop"]
    assert not tray.menu.actions()[0].isEnabled()
    assert "Start hourproof (Acme)" not in texts
    assert tray.state == ("running", False)
    stop = tray.find_action("Stop")
    assert stop is not None
    stop.trigger()
    settle(tray.controller, refresh=False)
    assert tracking.status(app).running is None
    assert tray.state[0] == "idle"
    assert "Stop" not in fresh_menu(tray)


def test_tooltip_names_the_project_and_elapsed_time(
    tray: TrayController, controller: Controller, app: App, clock: Clock
) -> None:
    assert tray.icon.toolTip() == "hourproof — no timer running"
    tracking.start(app, "hourproof")
    settle(controller)
    clock.now += timedelta(seconds=65)
    controller.tick()
    assert tray.icon.toolTip() == "hourproof — 0:01:05"


def test_stale_anchoring_turns_the_icon_to_warning(
    tray: TrayController, controller: Controller, app: App, clock: Clock
) -> None:
    anchoring.add_tsa(app, "local", "http://127.0.0.1:9/tsa", None)  # configured, never reached
    add(app, "website", 2)
    settle(controller)
    assert tray.state[0] == "idle"
    clock.now += timedelta(hours=25)
    settle(controller)
    assert tray.state == ("idle", True)
    assert "24 h" in tray.icon.toolTip()


def test_open_shows_the_window(tray: TrayController, window: MainWindow) -> None:
    window.hide()
    fresh_menu(tray)
    action = tray.find_action("Open hourproof")
    assert action is not None
    action.trigger()
    settle(tray.controller, refresh=False)
    assert window.isVisible()


def test_quit_asks_the_app_to_quit(tray: TrayController, quit_app: Quit) -> None:
    fresh_menu(tray)
    action = tray.find_action("Quit")
    assert action is not None
    action.trigger()
    settle(tray.controller, refresh=False)
    assert quit_app.calls == 1


def test_menu_is_rebuilt_each_time_it_is_shown(
    tray: TrayController, controller: Controller, app: App
) -> None:
    fresh_menu(tray)
    add(app, "new-project", 1)
    settle(controller)
    assert "Start new-project" in fresh_menu(tray)


def test_every_tray_state_has_an_icon_from_package_data(qtbot: object) -> None:
    for state in ("idle", "running", "warning"):
        pixmap = tray_icon(state).pixmap(22, 22)
        assert not pixmap.isNull() and pixmap.width() == 22
    assert not app_icon().isNull()
    assert resource_bytes("io.hourproof.Hourproof.svg").startswith(b"<?xml")


def test_an_ampersand_in_a_name_is_shown_not_taken_as_a_mnemonic(
    tray: TrayController, controller: Controller, app: App
) -> None:
    add(app, "site", 2, client="Beta & Co")
    settle(controller)
    assert "Start site (Beta && Co)" in fresh_menu(tray)  # Qt shows "&&" as "&"
    tracking.start(app, "site")
    settle(controller)
    assert fresh_menu(tray)[0].startswith("site (Beta && Co) — ")


def test_the_warning_badge_is_drawn_over_the_running_icon(qtbot: object) -> None:
    plain = tray_icon("running").pixmap(22, 22).toImage()
    badged = tray_icon("running", True).pixmap(22, 22).toImage()
    assert plain != badged
    assert plain.pixel(11, 4) == badged.pixel(11, 4)  # the clock face stays visible


def test_menu_offers_add_past_entry_and_verify(tray: TrayController) -> None:
    texts = fresh_menu(tray)
    assert "Add past entry…" in texts and "Verify a proof…" in texts
