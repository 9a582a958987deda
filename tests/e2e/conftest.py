from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]


def hourproof_command() -> list[str]:
    exe = shutil.which("hourproof", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "hourproof"]


@pytest.fixture
def run(home: Path) -> Run:
    """Run the installed `hourproof` as a subprocess on a temp home."""

    def _run(*args: str, env: dict[str, str] | None = None, input: str | None = None,
             home_dir: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [*hourproof_command(), "--home", str(home_dir or home), *args],
            capture_output=True, text=True, env=full_env, input=input, timeout=120,
        )  # fmt: skip

    return _run
