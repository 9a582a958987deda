"""Screenshots of client approvals (issue 12), called by scripts/screenshots.py.

The client opens the bundle the export screenshot just wrote, in a home of their own
(their own key), sees it verified with Approve… and Contest… enabled, fills in the
approve dialog and signs; the contractor's window then shows the entries the approval
covers as Approved and the approval line under the totals. Everything goes through
the same widgets and services as in the app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

from hourproof.gui.approval_dialogs import ApprovalsFeature, ApproveDialog
from hourproof.gui.controller import Controller
from hourproof.gui.export_dialog import ExportFeature
from hourproof.gui.verify_window import VerifyWindow
from hourproof.gui.window import MainWindow
from hourproof.services import approvals
from hourproof.services.startup import open_home


def _wait(qapp: QApplication, done: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.02)
    if not done():
        raise SystemExit("timed out waiting for background work")
    for _ in range(12):
        qapp.processEvents()
        time.sleep(0.02)


def _save(widget: QWidget, path: Path) -> None:
    if not widget.grab().save(str(path)):
        raise SystemExit(f"could not write {path}")
    print(f"wrote {path}")


def shoot_approvals(qapp: QApplication, demo_root: Path, window: MainWindow, out: Path) -> None:
    """verify-approve.png, approve-dialog.png, verify-approved.png, main-window-approved.png."""
    export = window.findChild(ExportFeature)
    if export is None or export.dialog is None or export.dialog.outcome is None:
        raise SystemExit("no exported bundle to approve (run the export screenshot first)")
    bundle = export.dialog.outcome.path
    client_app = open_home(demo_root / "client-home")
    client = Controller(client_app, watch=False)
    try:
        verify = VerifyWindow(bundle, client.write)
        verify.resize(1000, 640)
        done: list[bool] = []
        verify.finished.connect(lambda: done.append(True))
        verify.show()
        _wait(qapp, lambda: bool(done))
        if not verify.approve_button.isEnabled():
            raise SystemExit(f"the bundle did not verify: {verify.detail.text()}")
        verify.tabs.setCurrentWidget(verify.entries)
        verify.approve_button.setFocus()
        _save(verify, out / "verify-approve.png")

        dialog = ApproveDialog(bundle, verify._contractor(), verify)
        dialog.note.setText("Approved for invoice 2026-11; thanks!")
        dialog.show()
        _wait(qapp, lambda: True)
        _save(dialog, out / "approve-dialog.png")
        note, target = dialog.values()
        dialog.close()

        signed: list[bool] = []
        verify.sign_finished.connect(lambda: signed.append(True))
        verify.start_approve(note, target)
        _wait(qapp, lambda: bool(signed))
        if verify.signed is None:
            raise SystemExit(f"approving failed: {verify.sign_error}")
        _save(verify, out / "verify-approved.png")
        verify.close()
    finally:
        client.shutdown()
        client_app.close()

    feature = window.findChild(ApprovalsFeature)
    if feature is None:
        raise SystemExit("the approvals feature did not install")
    controller = window.controller
    added: list[object] = []
    controller.write(
        "approval", lambda app: approvals.add_approval(app, target), added.append, print
    )
    _wait(qapp, lambda: bool(added) and not controller.busy)
    controller.refresh()
    _wait(qapp, lambda: window.entries.approval_line.isVisible() and not controller.busy)
    _save(window, out / "main-window-approved.png")
