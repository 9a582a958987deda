"""tests/support/xserver.py: the private X server the Xvfb tests start."""

from __future__ import annotations

import shutil

import pytest

from tests.support import xserver

pytestmark = pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")


def test_a_started_server_accepts_clients_and_is_gone_after_the_block() -> None:
    with xserver.xvfb("320x240x24") as server:
        assert server.connectable()
        number = int(server.display[1:])
        assert number in xserver.DISPLAYS
    assert server.process.poll() is not None
    assert not xserver.client_connects(server.display)


def test_a_taken_display_is_tried_elsewhere_and_named_when_nothing_else_is_left(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with xserver.xvfb("320x240x24") as holder:
        taken = int(holder.display[1:])
        monkeypatch.setattr(xserver, "DISPLAYS", range(taken, taken + 1))
        monkeypatch.setattr(xserver, "looks_free", lambda number: True)  # past the lock check
        with pytest.raises(xserver.XServerError, match=f":{taken}: "):
            xserver.start_xvfb("320x240x24", attempts=2)
        assert holder.connectable()  # the holder's socket survived the failed start
