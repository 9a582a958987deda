"""The real XScreenSaver idle source read on the sampler's thread (Xvfb started here)."""

from __future__ import annotations

import ctypes
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from hourproof.gui.idle_sampler import IdleSampler
from hourproof.sources.idle import XScreenSaverIdle
from tests.support.xserver import XServerError, start_xvfb


def _missing() -> str | None:
    if shutil.which("Xvfb") is None:
        return "Xvfb is not installed (apt-get install xvfb)"
    try:
        ctypes.CDLL("libXss.so.1")
    except OSError:
        return "libXss.so.1 is not installed (apt-get install libxss1)"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=_missing() or "")


@pytest.fixture
def x_source() -> Iterator[XScreenSaverIdle]:
    try:
        server = start_xvfb("640x480x24")
    except XServerError as exc:
        pytest.skip(str(exc))
    source = XScreenSaverIdle.open(server.display)
    try:
        yield source
    finally:
        source.close()
        server.stop()
        server.log.unlink(missing_ok=True)


class Recording:
    """Wraps a source and notes the thread each read ran on."""

    def __init__(self, source: XScreenSaverIdle) -> None:
        self.source = source
        self.name = source.name
        self.threads: list[threading.Thread] = []

    def idle_seconds(self) -> float:
        self.threads.append(threading.current_thread())
        return self.source.idle_seconds()


def test_the_x_servers_idle_time_is_read_on_the_samplers_thread(x_source, qtbot) -> None:
    recording = Recording(x_source)
    sampler = IdleSampler(recording, lambda: datetime.now(UTC))
    try:
        for _ in range(2):  # the thread serves one request after another
            with qtbot.waitSignal(sampler.sampled, timeout=60_000) as got:
                assert sampler.request()
            seconds, when = got.args
            assert seconds >= 0 and when.tzinfo is UTC
        assert len(recording.threads) == 2
        assert threading.main_thread() not in recording.threads
        assert not sampler.pending
    finally:
        sampler.close()
