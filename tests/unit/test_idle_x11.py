"""The real XScreenSaver idle source, against an Xvfb server this test starts."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from hourproof.sources.idle import IdleUnavailable, XScreenSaverIdle, choose
from tests.support.xserver import XServerError, start_xvfb

#: Generous: how long to wait for Xvfb to come up, or for its idle counter to reach 1 s.
WAIT_S = 30.0


def _missing() -> str | None:
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (apt-get install xvfb)"
    if shutil.which("xdotool") is None:
        return "xdotool is not installed (apt-get install xdotool)"
    try:
        ctypes.CDLL("libXss.so.1")
    except OSError:
        return "libXss.so.1 is not installed (apt-get install libxss1)"
    if ctypes.util.find_library("X11") is None:
        return "libX11 is not installed"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A private X server, ready and connected to once (tests/support/xserver.py: a
    random high display number, -displayfd's ready signal, no race with other tests)."""
    try:
        server = start_xvfb("640x480x24")
    except XServerError as exc:
        pytest.skip(str(exc))
    try:
        yield server.display
    finally:
        server.stop()
        server.log.unlink(missing_ok=True)


def wait_for_idle(source: XScreenSaverIdle, seconds: float) -> float:
    deadline = time.monotonic() + WAIT_S
    while (idle := source.idle_seconds()) < seconds:
        if time.monotonic() > deadline:
            pytest.fail(f"the idle counter never reached {seconds} s")
        time.sleep(0.05)
    return idle


def test_xscreensaver_reads_the_servers_idle_time(display: str) -> None:
    source = XScreenSaverIdle.open(display)
    try:
        assert wait_for_idle(source, 1.0) >= 1.0
    finally:
        source.close()


def test_input_resets_the_idle_time(display: str) -> None:
    source = XScreenSaverIdle.open(display)
    try:
        before = wait_for_idle(source, 1.0)
        t0 = time.monotonic()
        subprocess.run(["xdotool", "mousemove", "17", "23"], check=True, timeout=WAIT_S,
                       env=dict(os.environ, DISPLAY=display))  # fmt: skip
        after = source.idle_seconds()
        elapsed = time.monotonic() - t0
        # Without the reset the counter would read before + elapsed; with it, at most elapsed.
        assert after <= elapsed + 0.05 < before + elapsed
    finally:
        source.close()


def test_the_chooser_picks_xscreensaver_on_x11_without_a_desktop_bus(
    display: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DISPLAY", display)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("XDG_SESSION_TYPE", raising=False)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    source, probes = choose()
    assert source is not None and source.name == "xscreensaver"
    assert [p.ok for p in probes][-1] is True


def test_a_display_that_does_not_exist_is_refused_with_a_reason() -> None:
    with pytest.raises(IdleUnavailable, match="cannot open X11 display"):
        XScreenSaverIdle.open(":987")
