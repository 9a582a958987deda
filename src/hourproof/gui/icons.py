"""Icons from package data (importlib.resources), rendered crisp at every tray size.

The SVGs are read as bytes, so this works from a wheel, a zip or a frozen build;
they are rasterised once per size with QtSvg rather than relying on an icon theme.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

APP_ID = "io.hourproof.Hourproof"
TRAY_STATES = ("idle", "running", "warning")
_SIZES = (16, 20, 22, 24, 32, 48, 64, 128, 256)


def resource_bytes(name: str) -> bytes:
    """The bytes of a file shipped in ``hourproof/resources``."""
    return files("hourproof.resources").joinpath(name).read_bytes()


def _render(data: bytes, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(data))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@cache
def svg_icon(name: str) -> QIcon:
    """A QIcon with pixmaps rendered from the SVG resource ``name`` at common sizes."""
    data = resource_bytes(name)
    icon = QIcon()
    for size in _SIZES:
        icon.addPixmap(_render(data, size))
    return icon


def app_icon() -> QIcon:
    return svg_icon(f"{APP_ID}.svg")


def tray_icon(state: str) -> QIcon:
    """The tray icon for ``idle``, ``running`` or ``warning``."""
    if state not in TRAY_STATES:
        raise ValueError(f"unknown tray state {state!r}")
    return svg_icon(f"hourproof-tray-{state}.svg")
