"""Start-up and state events for benchmarks and end-to-end tests (off unless asked).

With ``HOURPROOF_GUI_TRACE=/some/file`` the app appends ``<event> <seconds>`` lines
(seconds since its process started): ``tray`` when the icon is shown, ``ready`` when
the first status is on screen, ``tray-state <running|idle> <badge>`` on each change.
"""

from __future__ import annotations

import os
import time

TRACE_ENV = "HOURPROOF_GUI_TRACE"


def _process_start() -> float:
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/self/stat") as handle:
            started = int(handle.read().rsplit(")", 1)[1].split()[19]) / ticks
        with open("/proc/uptime") as handle:
            uptime = float(handle.read().split()[0])
        return time.time() - uptime + started
    except (OSError, ValueError, IndexError, AttributeError):
        return time.time()


def tracing() -> bool:
    return bool(os.environ.get(TRACE_ENV))


def trace(event: str) -> None:
    target = os.environ.get(TRACE_ENV)
    if target:
        elapsed = time.time() - _process_start()
        with open(target, "a") as handle:
            handle.write(f"{event} {elapsed:.4f}\n")
