"""Starting the desktop app: QApplication, single instance, tray first, then the rest.

Start-up order keeps the tray icon quick: only QtWidgets is imported before the icon
shows; the store, the services and the main window load after it (the tooltip says
"starting…" meanwhile). One instance per home: a second launch — or ``hourproof gui
FILE.hproof`` — hands its request to the running one over a QLocalSocket and exits 0
(the running app shows its window or opens the verify window).

Settings (window geometry, chosen period) live in ``gui.ini`` inside the hourproof
home, never in the user's global Qt settings, so ``--home`` gives a separate app.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QLockFile, QTimer
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from hourproof.gui.trace import trace as _trace

LOCK_NAME = "gui.lock"
SETTINGS_NAME = "gui.ini"
APP_ID = "io.hourproof.Hourproof"
#: Milliseconds a second launch waits for the running instance to answer.
HANDOVER_MS = 2_000


def server_name(home_root: Path) -> str:
    """The local socket name of the instance running on this home (per user)."""
    digest = hashlib.sha256(str(home_root.resolve()).encode()).hexdigest()[:16]
    return f"hourproof-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"


def hand_over(name: str, request: dict[str, str], timeout_ms: int = HANDOVER_MS) -> bool:
    """Send ``request`` to a running instance; True when one took it."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(json.dumps(request).encode() + b"\n")
    socket.flush()
    if socket.bytesToWrite():
        socket.waitForBytesWritten(timeout_ms)
    # wait for the answer, so the caller knows the request was read
    ok = socket.waitForReadyRead(timeout_ms) and bytes(socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return bool(ok)


class InstanceServer(QLocalServer):
    """Listens for second launches; each sends one JSON line, handled by ``dispatch``."""

    def __init__(
        self, name: str, dispatch: Callable[[dict[str, Any]], None], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.dispatch = dispatch
        self.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.listen(name):
            QLocalServer.removeServer(name)  # a stale socket left by a crash
            self.listen(name)
        self.newConnection.connect(self._accept)

    def _accept(self) -> None:
        while self.hasPendingConnections():
            socket = self.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        line = bytes(socket.readLine().data())
        try:
            request = json.loads(line)
        except ValueError:
            socket.write(b"error\n")
            return
        socket.write(b"ok\n")
        socket.flush()
        if isinstance(request, dict):
            self.dispatch(request)


def _qapplication() -> QApplication:
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qapp.setApplicationName("hourproof")
    qapp.setApplicationDisplayName("hourproof")
    qapp.setDesktopFileName(APP_ID)
    qapp.setQuitOnLastWindowClosed(False)
    if existing is None:  # the user's language (else English plural forms), Qt's own too
        from hourproof.gui.i18n import install_translators

        install_translators(qapp)  # (parented to qapp: they live as long as it does)
    return qapp


def _handle_signals(qapp: QApplication) -> QTimer:
    """Quit cleanly on SIGINT/SIGTERM; the timer lets Python run its handlers."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: qapp.quit())
    wake = QTimer(qapp)
    wake.timeout.connect(lambda: None)
    wake.start(500)
    return wake


def _request_for(bundle: str | None) -> dict[str, str]:
    return {"verify": str(Path(bundle).resolve())} if bundle else {"show": "window"}


class DesktopApp:
    """Everything after the tray icon: the store, controller, window, extensions."""

    def __init__(self, qapp: QApplication, home: Path, tray: QSystemTrayIcon | None) -> None:
        self.qapp = qapp
        self.home = home
        self.early_tray = tray
        self.app: Any = None
        self.controller: Any = None
        self.window: Any = None
        self.tray: Any = None
        self.verify_windows: list[Any] = []
        self.quit_requested = False
        self.lock: QLockFile | None = None

    def prepare(self) -> None:
        """Import what ``open`` and ``build`` need on a thread, while the UI thread keeps
        handling events (the tray icon paints); see gui/staging.py."""
        from hourproof.gui import staging

        staging.in_background(_preload_build_modules)

    def open(self) -> str | None:
        """Open the store and unlock the key: None when done (also when the user
        cancelled the passphrase dialog: the key stays locked until something needs
        it, gui/passphrase_dialog.py), else the reason it cannot start."""
        from hourproof.gui.passphrase_dialog import ask_unlock
        from hourproof.services.errors import ServiceError
        from hourproof.services.startup import open_home

        try:
            self.app = open_home(self.home)  # with the anchoring hook and default TSAs
            if ask_unlock(self.app):  # Cancel: the app opens with the key locked
                _ = self.app.key  # a missing or foreign key shows here, at start
        except ServiceError as exc:
            return str(exc)
        return None

    def build(self, hidden: bool) -> None:
        """The controller, window, extensions and tray, with the UI thread never busy for
        long: the modules are imported on a thread first, then everything is built in
        short steps, one event-loop turn each (gui/staging.py)."""
        from hourproof.gui import staging

        self.prepare()  # nothing left to import when run_app prepared already
        from PySide6.QtCore import QSettings

        from hourproof.gui.controller import Controller
        from hourproof.gui.extensions import FEATURES, GuiHost, install_features
        from hourproof.gui.icons import app_icon
        from hourproof.gui.window import MainWindow

        settings = QSettings(str(self.app.home.root / SETTINGS_NAME), QSettings.Format.IniFormat)
        staging.in_turns(
            [lambda: self.qapp.setWindowIcon(app_icon()),
             lambda: setattr(self, "controller", Controller(self.app))]
        )  # fmt: skip
        window = MainWindow(self.controller, settings, staged=True)
        staging.in_turns(window.build_steps())
        window.verify_requested.connect(self.verify)
        host = GuiHost(self.controller, window)
        staging.in_turns(
            [lambda f=feature: install_features(host, [f]) for feature in FEATURES]
            + [lambda: self._show(window, host, hidden)]
        )
        self.window = window  # complete: a second launch may now show it

    def _show(self, window: Any, host: Any, hidden: bool) -> None:
        from hourproof.gui.tray import TrayController

        if self.early_tray is not None:
            self.tray = TrayController(
                self.controller, window, self.quit, host.tray_actions,
                icon=self.early_tray,
            )  # fmt: skip
            self.tray.show()
            if not hidden:
                window.show()
        else:
            window.closed.connect(self.quit)  # no tray: the window is the app
            window.show()
        self.controller.status_changed.connect(self._first_status)
        self.controller.start()

    def quit(self) -> None:
        """Quit, also when asked before the main event loop runs (the window can be
        closed while it is still being built in a local loop)."""
        self.quit_requested = True
        self.qapp.quit()

    def _first_status(self, *_: object) -> None:
        self.controller.status_changed.disconnect(self._first_status)
        _trace("ready")

    def dispatch(self, request: dict[str, Any]) -> None:
        """A second launch asked for something."""
        if self.window is None:
            QTimer.singleShot(200, lambda: self.dispatch(request))  # still starting
            return
        if "verify" in request:
            self.verify(Path(str(request["verify"])))
        else:
            self.window.showNormal()
            self.window.raise_()
            self.window.activateWindow()

    def verify(self, bundle: Path) -> Any:
        from hourproof.gui.verify_window import VerifyWindow

        window = VerifyWindow(bundle, self.controller.write)
        self.verify_windows.append(window)
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def close(self) -> None:
        if self.window is not None and self.window.isVisible():
            self.window.save_settings()
        if self.tray is not None:
            self.tray.hide()
        elif self.early_tray is not None:
            self.early_tray.hide()
        if self.controller is not None:
            self.controller.shutdown()
        if self.app is not None:
            self.app.close()


#: What ``DesktopApp.open`` and ``build`` import, preloaded on a thread (see gui/staging.py).
BUILD_MODULES = (
    "hourproof.services.startup",
    "hourproof.gui.passphrase_dialog",
    "hourproof.gui.controller",
    "hourproof.gui.window",
    "hourproof.gui.extensions",
    "hourproof.gui.tray",
    "hourproof.gui.verify_window",
)


def _preload_build_modules() -> None:
    """The window's, the tray's and every extension's modules (run on a thread)."""
    from hourproof.gui import staging

    staging.preload(BUILD_MODULES)
    from hourproof.gui.extensions import FEATURES

    staging.preload(name for f in FEATURES for name in (f.service, f.gui))


def _early_tray() -> QSystemTrayIcon | None:
    """The tray icon, shown before anything heavy is imported."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    from hourproof.gui.icons import tray_icon

    icon = QSystemTrayIcon()
    icon.setIcon(tray_icon("idle"))
    icon.setToolTip(QCoreApplication.translate("main", "hourproof — starting…"))
    icon.show()
    _trace("tray")
    return icon


def run_app(home: str | None = None, hidden: bool = False, bundle: str | None = None) -> int:
    """Run the tray app on ``home`` (default: HOURPROOF_HOME or the per-user folder);
    ``bundle`` opens a verify window (in the running instance, if there is one)."""
    from hourproof.home import HomeError, resolve_home

    try:
        root = resolve_home(home)
    except HomeError as exc:
        print(f"hourproof: {exc}", file=sys.stderr)
        return 2
    if bundle is not None and not Path(bundle).is_file():
        print(f"hourproof: no such file: {bundle}", file=sys.stderr)
        return 2
    qapp = _qapplication()
    name = server_name(root)
    if hand_over(name, _request_for(bundle), 500):
        return 0
    desktop = DesktopApp(qapp, root, _early_tray())
    server = InstanceServer(name, desktop.dispatch, qapp)
    desktop.prepare()
    error = desktop.open()
    if error is not None:
        if error:
            text = QCoreApplication.translate("main", "hourproof cannot start: {0}")
            QMessageBox.critical(None, "hourproof", text.format(error))
        desktop.close()
        server.close()
        return 2 if error else 1
    lock = QLockFile(str(desktop.app.home.root / LOCK_NAME))
    if not lock.tryLock(200):
        print("hourproof: the desktop app is already running for this home", file=sys.stderr)
        desktop.close()
        server.close()
        return 1
    desktop.build(hidden or bundle is not None)
    if bundle is not None:
        desktop.verify(Path(bundle))
    wake = _handle_signals(qapp)
    try:
        code = 0 if desktop.quit_requested else qapp.exec()
    finally:
        wake.stop()
        desktop.close()
        server.close()
        lock.unlock()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hourproof-gui", description="the hourproof tray app")
    parser.add_argument("--home", metavar="DIR", help="state folder (default: per-user data dir)")
    parser.add_argument("--hidden", action="store_true", help="start in the tray, window closed")
    parser.add_argument("bundle", nargs="?", help="a .hproof bundle to verify")
    args = parser.parse_args(argv)
    return run_app(args.home, args.hidden, args.bundle)


if __name__ == "__main__":
    raise SystemExit(main())
