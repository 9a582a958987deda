"""Screenshots of the client's verify window (verified and failed) and of Settings.

Called by scripts/screenshots.py with the demo app's controller and the bundle its
export step wrote; the failed case is that bundle with one entry's bytes changed
and the manifest signed again with the contractor's own key (the strongest
attacker), so the verifier fails a later step, not only a file hash.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication
from scripts.shots import save, settle, wait_for

from hourproof.gui.settings_dialog import SettingsDialog
from hourproof.gui.verify_window import VerifyWindow


def _tampered(bundle: Path, key: Any, out: Path) -> Path:
    from tests.support import bundles as b

    files = b.unzip(bundle.read_bytes())
    lines = b.entry_lines(files)
    leaf = json.loads(lines[0])
    leaf["end"] = leaf.get("end") or leaf.get("start")
    leaf["note"] = "padded by two hours"
    changed = json.dumps(leaf, separators=(",", ":"), sort_keys=True).encode()
    forged = b.resign(files, key, {"entries.jsonl": b.jsonl([changed, *lines[1:]])})
    path = out / "tampered.hproof"
    path.write_bytes(b.rezip(forged))
    return path


def shoot_verify_and_settings(
    qapp: QApplication, controller: Any, bundle: Path, work: Path, out: Path
) -> None:
    for name, path in (
        ("verify-window.png", bundle),
        ("verify-window-failed.png", _tampered(bundle, controller.app.key, work)),
    ):
        window = VerifyWindow(path, controller.write)
        done: list[bool] = []
        window.finished.connect(lambda d=done: d.append(True))
        window.resize(980, 640)
        window.show()
        wait_for(qapp, lambda d=done: bool(d))
        settle(qapp, 10)
        if name == "verify-window.png":
            window.tabs.setCurrentIndex(1)  # the entries with their labels
        settle(qapp, 10)
        save(window, out / name)
        window.close()
    settings = SettingsDialog(controller)
    settings.show()
    wait_for(qapp, lambda: bool(settings.fingerprint.text()))
    settle(qapp, 10)
    save(settings, out / "settings.png")
    settings.close()
