"""Starting the desktop app: QApplication, single instance, tray or window, signals.

Settings (window geometry, chosen period) live in ``gui.ini`` inside the hourproof
home, never in the user's global Qt settings, so ``--home`` gives a separate app.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from PySide6.QtCore import QLockFile, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from hourproof.gui.controller import Controller
from hourproof.gui.extensions import GuiHost, install_features
from hourproof.gui.icons import APP_ID, app_icon
from hourproof.gui.tray import TrayController
from hourproof.gui.window import MainWindow
from hourproof.services.app import App
from hourproof.services.errors import ServiceError

LOCK_NAME = "gui.lock"
SETTINGS_NAME = "gui.ini"


def _qapplication() -> QApplication:
    existing = QApplication.instance()
    qapp = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    qapp.setApplicationName("hourproof")
    qapp.setApplicationDisplayName("hourproof")
    qapp.setDesktopFileName(APP_ID)
    qapp.setWindowIcon(app_icon())
    qapp.setQuitOnLastWindowClosed(False)
    return qapp


def _handle_signals(qapp: QApplication) -> QTimer:
    """Quit cleanly on SIGINT/SIGTERM; the timer lets Python run its handlers."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: qapp.quit())
    wake = QTimer(qapp)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    return wake


def _open(home: str | None) -> App:
    app = App.open(home)
    _ = app.key  # load (or make) the signing key now: a passphrase problem shows at start
    from hourproof.services import anchoring

    anchoring.retry_now(app)  # queued requests are retried at every start, backoff or not
    return app


def run_app(home: str | None = None, hidden: bool = False) -> int:
    """Run the tray app on ``home`` (default: HOURPROOF_HOME or the per-user folder)."""
    qapp = _qapplication()
    try:
        app = _open(home)
    except ServiceError as exc:
        QMessageBox.critical(None, "hourproof", f"hourproof cannot start: {exc}")
        return 2
    lock = QLockFile(str(app.home.root / LOCK_NAME))
    if not lock.tryLock(200):
        print("hourproof: the desktop app is already running for this home", file=sys.stderr)
        QMessageBox.information(
            None, "hourproof",
            "hourproof is already running. Look for its icon in the system tray.",
        )  # fmt: skip
        app.close()
        return 1
    settings = QSettings(str(app.home.root / SETTINGS_NAME), QSettings.Format.IniFormat)
    controller = Controller(app)
    window = MainWindow(controller, settings)
    host = GuiHost(controller, window)
    install_features(host)
    tray: TrayController | None = None
    if QSystemTrayIcon.isSystemTrayAvailable():
        tray = TrayController(controller, window, qapp.quit, host.tray_actions)
        tray.show()
        if not hidden:
            window.show()
    else:
        window.closed.connect(qapp.quit)  # no tray: the window is the app
        window.show()
    wake = _handle_signals(qapp)
    controller.start()
    try:
        code = qapp.exec()
    finally:
        wake.stop()
        wake.deleteLater()
        if window.isVisible():
            window.save_settings()
        if tray is not None:
            tray.hide()
        controller.shutdown()
        lock.unlock()
        app.close()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hourproof-gui", description="the hourproof tray app")
    parser.add_argument("--home", metavar="DIR", help="state folder (default: per-user data dir)")
    parser.add_argument("--hidden", action="store_true", help="start in the tray, window closed")
    args = parser.parse_args(argv)
    return run_app(args.home, args.hidden)


if __name__ == "__main__":
    raise SystemExit(main())
