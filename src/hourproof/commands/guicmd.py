"""``hourproof gui``: the tray app, where there is a display."""

from __future__ import annotations

import argparse
import os
import sys


def display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return False
    return display_problem() is None


def _listening_unix_sockets() -> set[str] | None:
    """Paths (abstract ones with a leading '@') of bound Unix sockets, from /proc (Linux).

    Read from the kernel's table rather than by connecting: hourproof opens no sockets
    outside the timestamp and witness clients (a privacy promise, tested).
    """
    try:
        with open("/proc/net/unix", encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()[1:]
    except OSError:
        return None
    return {parts[7] for line in lines if len(parts := line.split()) >= 8}


def _listening_local_ports() -> set[int] | None:
    ports: set[int] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table, encoding="ascii", errors="replace") as fh:
                rows = fh.read().splitlines()[1:]
        except OSError:
            return None if not ports and table.endswith("tcp") else ports
        for row in rows:
            parts = row.split()
            if len(parts) > 3 and parts[3] == "0A":  # LISTEN
                ports.add(int(parts[1].rsplit(":", 1)[1], 16))
    return ports


def _socket_listening(path: str) -> bool:
    sockets = _listening_unix_sockets()
    if sockets is None:  # no /proc: the best we can do is the socket file
        return os.path.exists(path)
    return path in sockets or "@" + path in sockets


def _x11_reachable(display: str) -> bool:
    """Whether an X server listens at DISPLAY (``[host]:N[.screen]``)."""
    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if not number.isdigit():
        return False
    if host.startswith("/"):  # launchd-style path DISPLAY (macOS XQuartz)
        return os.path.exists(display)
    if host in ("", "unix"):
        return _socket_listening(f"/tmp/.X11-unix/X{number}")
    if host in ("localhost", "127.0.0.1", "::1"):  # e.g. ssh -X forwarding
        ports = _listening_local_ports()
        return ports is None or 6000 + int(number) in ports
    return True  # a remote X server: Qt will find out


def _wayland_reachable(name: str) -> bool:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not name.startswith("/") and not runtime:
        return False
    return _socket_listening(name if name.startswith("/") else os.path.join(runtime, name))


def display_problem() -> str | None:
    """Why the desktop app cannot show itself here (None: it can), checked before Qt
    starts, because Qt aborts the process when its platform plugin finds no display."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return None  # the caller chose a platform that needs no desktop session
    if sys.platform in ("darwin", "win32"):
        return None
    wayland, x11 = os.environ.get("WAYLAND_DISPLAY"), os.environ.get("DISPLAY")
    if wayland and _wayland_reachable(wayland) and platform != "xcb":
        return None
    if x11 and _x11_reachable(x11):
        return None
    if x11 or wayland:
        shown = " or ".join(
            f"{k}={v!r}" for k, v in (("DISPLAY", x11), ("WAYLAND_DISPLAY", wayland)) if v
        )
        return f"no display answers at {shown} (a stale setting from another session?)"
    return "no display is set (DISPLAY and WAYLAND_DISPLAY are empty)"


def run(args: argparse.Namespace) -> int:
    from hourproof.services.errors import ServiceError

    problem = display_problem()
    if problem is not None:
        raise ServiceError(
            f"the desktop app cannot start: {problem}; the command line works without one "
            "(hourproof start PROJECT, hourproof status, hourproof --help)"
        )
    from hourproof.gui.main import run_app

    return run_app(args.home, getattr(args, "hidden", False), getattr(args, "bundle", None))
