"""Screenshots of client approvals (issue 12), called by scripts/screenshots.py.

The client opens the bundle the export screenshot just wrote, in a home of their own
(their own key), sees it verified with Approve… and Contest… enabled, fills in the
approve dialog and signs; the contractor's window then shows the entries the approval
covers as Approved and the approval line under the totals. Everything goes through
the same widgets and services as in the app.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from scripts.shots import save, settle, wait_for

from hourproof.gui.approval_dialogs import ApprovalsFeature, ApproveDialog
from hourproof.gui.controller import Controller
from hourproof.gui.export_dialog import ExportFeature
from hourproof.gui.verify_window import VerifyWindow
from hourproof.gui.window import MainWindow
from hourproof.services import approvals
from hourproof.services.startup import open_home


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
        wait_for(qapp, lambda: bool(done))
        settle(qapp)
        if not verify.approve_button.isEnabled():
            raise SystemExit(f"the bundle did not verify: {verify.detail.text()}")
        verify.tabs.setCurrentWidget(verify.entries)
        verify.approve_button.setFocus()
        save(verify, out / "verify-approve.png")

        dialog = ApproveDialog(bundle, verify._contractor(), verify)
        dialog.note.setText("Approved for invoice 2026-11; thanks!")
        dialog.show()
        wait_for(qapp, lambda: True)
        settle(qapp)
        save(dialog, out / "approve-dialog.png")
        note, target = dialog.values()
        dialog.close()

        signed: list[bool] = []
        verify.sign_finished.connect(lambda: signed.append(True))
        verify.start_approve(note, target)
        wait_for(qapp, lambda: bool(signed))
        settle(qapp)
        if verify.signed is None:
            raise SystemExit(f"approving failed: {verify.sign_error}")
        save(verify, out / "verify-approved.png")
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
    wait_for(qapp, lambda: bool(added) and not controller.busy)
    settle(qapp)
    controller.refresh()
    wait_for(qapp, lambda: window.entries.approval_line.isVisible() and not controller.busy)
    settle(qapp)
    save(window, out / "main-window-approved.png")
