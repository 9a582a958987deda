"""End to end under a real X server and system tray: Xvfb + trayer + xdotool.

The app runs as its own process (QT_QPA_PLATFORM=xcb) and docks its icon in trayer;
xdotool right-clicks the icon and picks "Start website (Beta & Co)" with the
keyboard; the test sees the timer in the store and the tray's running state
(reported through HOURPROOF_GUI_TRACE), then right-clicks again and picks "Stop",
sees the tray go idle, and sees it follow a ``hourproof start`` from the CLI (the WAL
watch, no polling). Skips, saying why, where the tools are missing (.ci/run
installs them).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from hourproof.core.entries import Entry
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.tracking import Details
from tests.support.xserver import ATTEMPTS, XServer, XServerError, start_xvfb, stop_process

TOOLS = ("Xvfb", "trayer", "xdotool")
#: Generous limits for a loaded CI machine; they only stop a hung run.
LIMIT = 90.0
#: Where, inside the 22-px icon, successive right-clicks land. Qt (xcb) takes a second
#: press of the same button within the double-click interval and distance (5 px) as a
#: double-click, and its XEmbed tray icon opens the menu only on a plain press: two
#: quick right-clicks on one spot open the menu once. Alternating spots >5 px apart
#: (with a motion to the new spot first) makes every press a fresh one, without
#: waiting out the interval.
SPOTS = ((4, 4), (16, 18))

pytestmark = pytest.mark.skipif(
    any(shutil.which(t) is None for t in TOOLS),
    reason="needs Xvfb, trayer and xdotool (apt install xvfb trayer xdotool)",
)


def wait_for(what: str, check: Callable[[], object], limit: float = LIMIT) -> object:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"gave up waiting for {what}")


#: trayer starts tried on one server before it is replaced (see `session`).
TRAYER_STARTS = 3


def start_trayer(server: XServer, log: Path) -> subprocess.Popen[bytes] | None:
    """trayer docked on ``server``; None when it exited unable to open the display
    (the server's socket was lost); any other exit fails the test with its output."""
    with log.open("wb") as out:
        tray = subprocess.Popen(
            ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel",
             "--width", "240", "--height", "32"],
            env=server.env(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def docked() -> bool:
        return tray.poll() is not None or bool(xdo(server.env(), "search", "--class", "trayer"))

    try:
        wait_for("trayer's window", docked)
    except BaseException:
        stop_process(tray)
        raise
    if tray.poll() is None:
        return tray
    said = log.read_text(errors="replace")
    if "cannot open display" in said:
        return None
    raise AssertionError(f"trayer exited ({tray.returncode}): {said}")


def session(log: Path) -> tuple[XServer, subprocess.Popen[bytes]]:
    """A ready Xvfb with trayer docked on it: trayer is started only once a client has
    connected to the server, again (bounded) if it still cannot open the display,
    and on a new server if this one stopped accepting clients."""
    failures: list[str] = []
    for _ in range(ATTEMPTS):
        try:
            server = start_xvfb("1366x768x24")
        except XServerError as exc:
            pytest.skip(str(exc))
        try:
            for _ in range(TRAYER_STARTS):
                tray = start_trayer(server, log)
                if tray is not None:
                    return server, tray
                failures.append(f"{server.display}: {log.read_text(errors='replace').strip()}")
                if not server.connectable():
                    break
        except BaseException:
            server.stop()
            raise
        server.stop()
    raise AssertionError("trayer never opened a display: " + " | ".join(failures))


@pytest.fixture
def display(tmp_path: Path) -> Iterator[dict[str, str]]:
    server, tray = session(tmp_path / "trayer.log")
    try:
        yield server.env(QT_QPA_PLATFORM="xcb")
    finally:  # also when the test failed: nothing of it outlives the test
        stop_process(tray)
        server.stop()
        server.log.unlink(missing_ok=True)


def xdo(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def trace_events(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.rsplit(" ", 1)[0] for line in path.read_text().splitlines()]


def visible(env: dict[str, str], pid: int) -> list[str]:
    return xdo(env, "search", "--onlyvisible", "--pid", str(pid)).splitlines()


def choose_from_menu(
    env: dict[str, str], trace: Path, pid: int, icon: str, downs: int,
    done: Callable[[], bool],
) -> None:  # fmt: skip
    """Right-click the tray icon; once the app says its menu is about to show, press
    Down ``downs`` times and Return. Again (bounded) until ``done()``: a key pressed
    while the popup was still mapping goes nowhere."""
    for _ in range(5):
        menus = trace_events(trace).count("tray-menu-open")
        if len(visible(env, pid)) > 1:
            xdo(env, "key", "Escape")  # a menu left open by a lost key
            wait_for("the old menu to close", lambda: len(visible(env, pid)) == 1)
        icon = visible(env, pid)[0]  # Qt may re-embed the icon when it changes
        xdo(env, "mousemove", "300", "300")  # leave and re-enter: a fresh press on the icon
        x, y = SPOTS[menus % len(SPOTS)]
        xdo(env, "mousemove", "--window", icon, str(x), str(y))
        xdo(env, "mousedown", "3")
        xdo(env, "mouseup", "3")

        def opened(n: int = menus) -> bool:
            return trace_events(trace).count("tray-menu-open") > n

        wait_for("the tray menu on screen", opened)
        for _ in range(downs):
            xdo(env, "key", "Down")
        xdo(env, "key", "Return")
        try:
            wait_for("the choice to take effect", done, limit=40.0)
            return
        except AssertionError:
            continue
    raise AssertionError("the tray menu never took the choice")


def running(home: Path) -> Entry | None:
    """The running entry as a fresh process would read it."""
    app = App.open(home)
    try:
        return tracking.status(app).running
    finally:
        app.close()


def test_tray_menu_starts_and_stops_a_timer_and_shows_the_running_state(
    display: dict[str, str], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    seed = App.open(home)
    try:
        end = seed.clock() - timedelta(hours=1)
        tracking.add(seed, "website", end - timedelta(hours=1), end, Details(client="Beta & Co"))
    finally:
        seed.close()
    trace = tmp_path / "trace"
    env = dict(display, HOURPROOF_GUI_TRACE=str(trace), HOURPROOF_HOME=str(home))
    app_log = (tmp_path / "app.log").open("wb")  # a file: a full pipe can never block it
    app_proc = subprocess.Popen(
        [sys.executable, "-m", "hourproof.gui.main", "--home", str(home), "--hidden"],
        env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=app_log,
    )  # fmt: skip
    try:
        wait_for("the app to be ready", lambda: "ready" in trace_events(trace))
        icon = str(
            wait_for(
                "the tray icon window",
                lambda: xdo(env, "search", "--onlyvisible", "--pid", str(app_proc.pid)),
            )
        ).splitlines()[0]
        # Menu when idle: "Start website (Beta & Co)" is the first item.
        choose_from_menu(env, trace, app_proc.pid, icon, 1, lambda: running(home) is not None)
        entry = running(home)
        assert entry is not None and entry.project == "website"
        wait_for("the running icon", lambda: "tray-state running False" in trace_events(trace))
        # Menu when running: a disabled label, then "Stop".
        choose_from_menu(env, trace, app_proc.pid, icon, 1, lambda: running(home) is None)
        assert running(home) is None
        wait_for(
            "the idle icon",
            lambda: trace_events(trace)[-1:] == ["tray-state idle False"],
        )
        # Started from the command line: the tray follows within moments (WAL watch,
        # no polling).
        started = subprocess.run(
            [sys.executable, "-m", "hourproof.cli", "--home", str(home), "start", "website"],
            env=env, capture_output=True, text=True,
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        wait_for(
            "the running icon after a CLI start",
            lambda: trace_events(trace)[-1:] == ["tray-state running False"],
        )
    finally:
        stop_process(app_proc)
        app_log.close()
