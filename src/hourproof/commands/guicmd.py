"""``hourproof gui``: the tray app, where there is a display."""

from __future__ import annotations

import argparse
import os
import sys


def display_available() -> bool:
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    from hourproof.gui.main import run_app

    return run_app(args.home)
