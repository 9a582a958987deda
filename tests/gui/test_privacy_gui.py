"""DESIGN §8: the desktop app never imports screen-capture, camera, microphone or
input-hook APIs. Checked on the source text of every GUI module."""

from __future__ import annotations

import re
from pathlib import Path

import hourproof.gui

GUI_SOURCES = sorted(Path(hourproof.gui.__file__).parent.glob("*.py"))
FORBIDDEN = re.compile(
    r"grabWindow|QScreen|QtMultimedia|QCamera|QMediaCapture|QAudioInput|QMediaRecorder|"
    r"QImageCapture|QScreenCapture|QWindowCapture|ImageGrab|grabKeyboard|grabMouse|XRecord|"
    r"(?:import|from)\s+(?:pynput|keyboard|mouse|mss|pyautogui|Xlib|evdev|cv2|sounddevice)\b"
)


def test_gui_modules_are_found() -> None:
    assert len(GUI_SOURCES) >= 10


def test_no_capture_or_input_hook_api_in_gui_sources() -> None:
    hits = [
        f"{path.name}:{number}: {line.strip()}"
        for path in GUI_SOURCES
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert hits == []
