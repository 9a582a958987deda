"""Render the app icon from its SVG: PNGs for hicolor, a Windows .ico and a macOS .icns.

    python scripts/make_icons.py

Reads resources/io.hourproof.Hourproof.svg (the one source artwork) and writes

* src/hourproof/resources/icons/io.hourproof.Hourproof-<N>.png for N in SIZES
  (package data: ``hourproof desktop install`` copies them into hicolor, so a pip
  install needs no renderer);
* packaging/icons/io.hourproof.Hourproof.ico (PNG-compressed entries 16–256 px, as
  Windows Vista and later read them) and packaging/icons/io.hourproof.Hourproof.icns
  (``icp4``–``ic10`` PNG entries, 16–1024 px) for the PyInstaller builds.

Rendering uses QtSvg (offscreen), the same renderer the app draws its icons with.
The output is deterministic for a given Qt version, so re-running it leaves git clean.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "io.hourproof.Hourproof.svg"
PNG_DIR = ROOT / "src" / "hourproof" / "resources" / "icons"
PKG_DIR = ROOT / "packaging" / "icons"
APP_ID = "io.hourproof.Hourproof"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: icns entry types holding PNG data, by pixel size.
ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08",
              512: b"ic09", 1024: b"ic10"}  # fmt: skip


def render_png(svg: bytes, size: int) -> bytes:
    """The SVG drawn on a transparent ``size``×``size`` canvas, as PNG bytes."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    del _app
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """An ICO file whose images are PNG streams (ICONDIR + ICONDIRENTRY per image)."""
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for size in sizes:
        data = pngs[size]
        dim = 0 if size >= 256 else size  # 0 means 256 in ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(pngs: dict[int, bytes]) -> bytes:
    """An ICNS file of PNG entries: 'icns', total length, then (type, length, data)."""
    body = b"".join(
        ICNS_TYPES[size] + struct.pack(">I", 8 + len(data)) + data
        for size, data in sorted(pngs.items())
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    svg = SVG.read_bytes()
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    PKG_DIR.mkdir(parents=True, exist_ok=True)
    rendered = {size: render_png(svg, size) for size in sorted({*SIZES, *ICO_SIZES, 1024})}
    for size in SIZES:
        (PNG_DIR / f"{APP_ID}-{size}.png").write_bytes(rendered[size])
    (PKG_DIR / f"{APP_ID}.ico").write_bytes(ico({s: rendered[s] for s in ICO_SIZES}))
    (PKG_DIR / f"{APP_ID}.icns").write_bytes(icns({s: rendered[s] for s in ICNS_TYPES}))
    print(f"wrote {len(SIZES)} PNGs to {PNG_DIR.relative_to(ROOT)}, .ico and .icns to "
          f"{PKG_DIR.relative_to(ROOT)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
