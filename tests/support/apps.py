"""An open App on a settable clock, with loopback TSAs: the set-up service tests share.

Usage (thin fixtures in the test module)::

    @pytest.fixture
    def clock():
        return wall_clock()            # anchoring: tokens are stamped at the real time

    @pytest.fixture
    def app(home, clock):
        with opened(home, clock) as app:   # open_home + clock, TSAs as configured
            yield app

    @pytest.fixture
    def tsa():
        with loopback_tsas("ok") as (server,):
            yield server

    use_tsa(app, tsa)                  # anchoring.add_tsa(app, "test", url, root)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from hourproof.services import anchoring
from hourproof.services.app import App
from hourproof.services.startup import open_home
from tests.support.bundles import Clock
from tests.support.tsa import TestTsa

__all__ = ["Clock", "loopback_tsas", "opened", "use_tsa", "wall_clock"]


def wall_clock() -> Clock:
    """A settable clock starting at the current second (TestTsa stamps the real time)."""
    return Clock(datetime.now(UTC).replace(microsecond=0))


@contextlib.contextmanager
def opened(
    root: Path, clock: Clock, *, startup: bool = True, no_tsas: bool = False
) -> Iterator[App]:
    """The home at ``root`` opened on ``clock``; closed afterwards. ``startup``: as the
    front ends open it (services.startup.open_home: anchoring hooked), else bare
    App.open. ``no_tsas``: remove every configured TSA first."""
    app = open_home(root) if startup else App.open(root)
    try:
        app.clock = clock
        if no_tsas:
            for name in [t.name for t in anchoring.list_tsas(app)]:
                anchoring.remove_tsa(app, name)
        yield app
    finally:
        app.close()


@contextlib.contextmanager
def loopback_tsas(*modes: str) -> Iterator[tuple[TestTsa, ...]]:
    """One running TestTsa per mode (each with its own root), stopped afterwards."""
    with contextlib.ExitStack() as stack:
        yield tuple(stack.enter_context(TestTsa(mode=mode)) for mode in modes)


def use_tsa(app: App, tsa: TestTsa, name: str = "test") -> None:
    """Configure the loopback ``tsa`` in ``app`` under ``name``, trusting its root."""
    anchoring.add_tsa(app, name, tsa.url, tsa.root_pem)
