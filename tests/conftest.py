"""Test-wide safety: no test touches the real home, the real keyring or a public TSA."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Set before anything imports Qt or opens a home.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HOURPROOF_DEFAULT_TSAS"] = "none"
os.environ["HOURPROOF_PASSPHRASE"] = ""
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
_SANDBOX = Path(tempfile.mkdtemp(prefix="hourproof-tests-"))
os.environ["HOURPROOF_HOME"] = str(_SANDBOX / "default-home")
os.environ["XDG_DATA_HOME"] = str(_SANDBOX / "xdg-data")
os.environ["XDG_CONFIG_HOME"] = str(_SANDBOX / "xdg-config")

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_MERKLE = REPO_ROOT.parent / "shared" / "testdata" / "merkle"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A fresh hourproof home folder path (not yet created)."""
    return tmp_path / "home"
