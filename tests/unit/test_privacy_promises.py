"""DESIGN §8: the privacy promises are product features, and these tests guard them."""

from __future__ import annotations

import ast
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "hourproof"

FORBIDDEN_MODULES = (
    "PySide6.QtMultimedia", "PySide6.QtMultimediaWidgets", "PySide6.QtScreenCapture",
    "pynput", "keyboard", "mouse", "pyautogui", "mss", "PIL.ImageGrab", "cv2",
    "pyscreenshot", "sounddevice", "pyaudio", "Xlib", "evdev",
)  # fmt: skip
FORBIDDEN_CALLS = ("grabWindow", "QScreenCapture", "QCamera", "QMediaCaptureSession",
                   "QAudioInput", "QWindowCapture", "grabKeyboard", "grabMouse",
                   "installNativeEventFilter")  # fmt: skip
NETWORK_MODULES = ("requests", "urllib.request", "http.client", "socket", "urllib3", "httpx")
#: The only modules allowed to talk to the network: the RFC 3161 client and the witness client.
NETWORK_ALLOWED = {
    SRC / "timestamp" / "client.py",
    SRC / "services" / "witnessing.py",  # C2SP tlog-witness add-checkpoint (configured witnesses)
}


def _sources() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _imports(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _matches(name: str, banned: str) -> bool:
    return name == banned or name.startswith(banned + ".")


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_capture_or_input_hook_api_is_imported_or_called(path):
    text = path.read_text()
    tree = ast.parse(text)
    imported = _imports(tree)
    assert not [n for n in imported for b in FORBIDDEN_MODULES if _matches(n, b)]
    called = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)} | {
        node.id for node in ast.walk(tree) if isinstance(node, ast.Name)
    }
    assert not called & set(FORBIDDEN_CALLS)


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(SRC)))
def test_only_the_timestamp_client_imports_network_modules(path):
    if path in NETWORK_ALLOWED:
        return
    imported = _imports(ast.parse(path.read_text()))
    assert not [n for n in imported for b in NETWORK_MODULES if _matches(n, b)], path


def test_tracking_exporting_and_verifying_open_no_socket(home, tmp_path, monkeypatch):
    """A full day of tracking, evidence and a bundle with no TSA configured: no connection."""
    attempts: list[object] = []

    def refuse(self, address):
        attempts.append(address)
        raise OSError("network use is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    from hourproof.services import ledger_ops, tracking
    from hourproof.services.app import App
    from hourproof.services.export import ExportRequest, export_bundle
    from hourproof.services.verifying import VerifyRequest, verify

    app = App.open(home)
    now = datetime.now(UTC).replace(microsecond=0)
    tracking.add(app, "web", now - timedelta(hours=3), now - timedelta(hours=2),
                 tracking.Details(client="acme"))  # fmt: skip
    tracking.start(app, "web")
    tracking.stop(app)
    ledger_ops.verify_ledger(app)
    out = tmp_path / "b.hproof"
    export_bundle(app, ExportRequest("acme", now - timedelta(days=1), now + timedelta(days=1),
                                     out, reports=False))  # fmt: skip
    assert verify(None, VerifyRequest(out)).ok
    assert attempts == []
