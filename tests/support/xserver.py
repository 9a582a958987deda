"""A private X server for tests: Xvfb on a display nobody else races for, used only
once it says it is ready and a client has really connected to it.

Why not plain ``Xvfb -displayfd``: it searches display numbers from 0 up, as every
other test (and ``xvfb-run -a`` from 99) does, so when servers start and stop at the
same moment a new server can take a number whose previous owner is still exiting —
and that owner's clean-up removes the new server's socket: the next client gets
"cannot open display :0". Here the number is picked at random far above that range
(a taken one makes Xvfb exit, and another is tried); ``-displayfd`` is still passed,
because Xvfb writes the number to it exactly when it accepts connections (the event
to wait for, no sleep); then one real connection (``xdpyinfo``) must succeed, or the
server is replaced. ``-noreset`` keeps it from resetting each time its last client
leaves (tests connect and disconnect all the time).
"""

from __future__ import annotations

import os
import random
import selectors
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

#: Display numbers to choose from: far above where -displayfd and xvfb-run -a search.
DISPLAYS = range(1000, 30000)
#: Servers tried before giving up (a collision or a lost socket costs one).
ATTEMPTS = 8
#: Hang guard only: how long one step may take on a loaded machine before it counts
#: as hung (normally a server is ready in well under a second).
LIMIT = 120.0


class XServerError(RuntimeError):
    """No usable X server could be started (the message says what was tried)."""


@dataclass
class XServer:
    process: subprocess.Popen[bytes]
    display: str
    log: Path
    tried: list[str] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        """The environment for a client of this server (never a Wayland session)."""
        env = dict(os.environ, DISPLAY=self.display, **extra)
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def connectable(self) -> bool:
        """A client can connect right now (one real connection, not a socket check)."""
        return self.process.poll() is None and client_connects(self.display)

    def stop(self) -> None:
        stop_process(self.process)


def client_connects(display: str) -> bool:
    tool = shutil.which("xdpyinfo")
    command = [tool, "-display", display] if tool else ["xdotool", "getdisplaygeometry"]
    env = dict(os.environ, DISPLAY=display)
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def stop_process(process: subprocess.Popen[bytes]) -> None:
    """Terminate, wait (bounded), kill if it will not go; never raises for a dead one."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def looks_free(number: int) -> bool:
    """No server's lock file for this display (Xvfb itself has the last word)."""
    return not os.path.exists(f"/tmp/.X{number}-lock")


def _ready_number(read_end: int, process: subprocess.Popen[bytes]) -> str:
    """What Xvfb writes to -displayfd once it accepts connections ("" if it exited)."""
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(read_end, selectors.EVENT_READ)
        while not data.endswith(b"\n"):
            if not selector.select(LIMIT):
                process.kill()  # hung: it never said ready
                return ""
            chunk = os.read(read_end, 64)
            if not chunk:
                return ""  # it exited (a taken display) before saying ready
            data += chunk
    return data.decode().strip()


def start_xvfb(screen: str = "1366x768x24", attempts: int = ATTEMPTS) -> XServer:
    """A ready X server that a client has connected to; XServerError if none would run."""
    if shutil.which("Xvfb") is None:
        raise XServerError("Xvfb is not installed (apt-get install xvfb)")
    tried: list[str] = []
    pick = random.SystemRandom()
    for _ in range(attempts):
        number = pick.choice(DISPLAYS)
        if not looks_free(number):
            continue
        fd, name = tempfile.mkstemp(prefix=f"xvfb-{number}-", suffix=".log")
        log = Path(name)
        read_end, write_end = os.pipe()
        try:
            process = subprocess.Popen(
                ["Xvfb", f":{number}", "-displayfd", str(write_end), "-screen", "0", screen,
                 "-nolisten", "tcp", "-noreset"],
                stdin=subprocess.DEVNULL, stdout=fd, stderr=fd, pass_fds=(write_end,),
            )  # fmt: skip
        finally:
            os.close(write_end)
            os.close(fd)
        try:
            said = _ready_number(read_end, process)
        finally:
            os.close(read_end)
        server = XServer(process, f":{number}", log, tried)
        if said == str(number) and server.connectable():
            return server
        server.stop()
        tail = log.read_text(errors="replace").strip().splitlines()[-1:]
        tried.append(f":{number}: " + (tail[0] if tail else "not reachable once ready"))
        log.unlink(missing_ok=True)
    raise XServerError("no Xvfb server could be used: " + "; ".join(tried or ["none tried"]))


@contextmanager
def xvfb(screen: str = "1366x768x24") -> Iterator[XServer]:
    """``start_xvfb`` for a with-block: the server is always stopped afterwards."""
    server = start_xvfb(screen)
    try:
        yield server
    finally:
        server.stop()
        server.log.unlink(missing_ok=True)
