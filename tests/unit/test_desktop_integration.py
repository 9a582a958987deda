"""Desktop integration, icons and AppStream/desktop files: written, valid, removable."""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from hourproof.services import desktop

ROOT = Path(__file__).resolve().parents[2]
RES = ROOT / "resources"
ICONS = ROOT / "src" / "hourproof" / "resources" / "icons"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    data, config = tmp_path / "data", tmp_path / "config"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    return data, config


def test_install_writes_entry_icons_mime_and_man_under_xdg(xdg: tuple[Path, Path]) -> None:
    data, config = xdg
    result = desktop.install()
    entry = data / "applications" / "io.hourproof.Hourproof.desktop"
    assert entry in result.files
    assert "MimeType=application/x-hourproof;" in entry.read_text()
    assert (data / "mime" / "packages" / "io.hourproof.Hourproof.xml").is_file()
    assert (data / "icons/hicolor/scalable/apps/io.hourproof.Hourproof.svg").is_file()
    for size in desktop.ICON_SIZES:
        png = data / f"icons/hicolor/{size}x{size}/apps/io.hourproof.Hourproof.png"
        assert png_size(png.read_bytes()) == (size, size)
    assert (data / "man/man1/hourproof.1").read_text().startswith(".TH HOURPROOF 1")
    assert not (config / "autostart").exists()


def test_exec_starts_this_hourproof_and_opens_bundles(xdg: tuple[Path, Path]) -> None:
    data, _ = xdg
    desktop.install()
    text = (data / "applications" / "io.hourproof.Hourproof.desktop").read_text()
    exec_line = next(line for line in text.splitlines() if line.startswith("Exec="))
    assert exec_line.endswith(" gui %f")
    first = desktop.launcher()[0]
    assert Path(first).is_absolute()


def test_autostart_entry_starts_hidden(xdg: tuple[Path, Path]) -> None:
    _, config = xdg
    desktop.install(autostart=True)
    text = (config / "autostart" / "io.hourproof.Hourproof.desktop").read_text()
    assert "gui --hidden" in text and "X-GNOME-Autostart-enabled=true" in text


def test_uninstall_removes_everything_install_wrote(xdg: tuple[Path, Path]) -> None:
    written = desktop.install(autostart=True).files
    removed = desktop.uninstall().removed
    assert sorted(removed) == sorted(written)
    assert not any(p.exists() for p in written)


def test_update_tools_register_the_mime_type(xdg: tuple[Path, Path], tmp_path: Path) -> None:
    if shutil.which("update-mime-database") is None:
        pytest.skip("update-mime-database (shared-mime-info) is not installed")
    data, _ = xdg
    result = desktop.install()
    assert "update-mime-database" in result.ran
    globs = (data / "mime" / "globs2").read_text()
    assert "application/x-hourproof:*.hproof" in globs


@pytest.mark.parametrize(
    ("arg", "quoted"),
    [("/usr/bin/hourproof", "/usr/bin/hourproof"),
     ("/home/j d/.venv/bin/hourproof", '"/home/j d/.venv/bin/hourproof"'),
     ("/opt/a$b", '"/opt/a\\\\$b"'), ("/opt/100%", "/opt/100%%")],
)  # fmt: skip
def test_exec_arguments_are_quoted_per_the_spec(arg: str, quoted: str) -> None:
    assert desktop.exec_arg(arg) == quoted


def test_exec_with_spaces_validates(tmp_path: Path) -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate (desktop-file-utils) is not installed")
    path = tmp_path / "io.hourproof.Hourproof.desktop"
    path.write_text(desktop.desktop_entry(["/home/j d/bin/hour$proof"]))
    out = subprocess.run([tool, str(path)], capture_output=True, text=True)
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout


def test_shipped_desktop_and_mime_files_are_the_generated_ones() -> None:
    assert (RES / "io.hourproof.Hourproof.desktop").read_text() == desktop.desktop_entry(
        ["hourproof"]
    )
    assert (RES / "io.hourproof.Hourproof.mime.xml").read_text() == desktop.mime_xml()


def test_desktop_file_validates() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        pytest.skip("desktop-file-validate (desktop-file-utils) is not installed")
    out = subprocess.run([tool, str(RES / "io.hourproof.Hourproof.desktop")],
                         capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 0 and not out.stdout.strip(), out.stdout


def test_metainfo_is_generated_from_changelog_and_pyproject() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_metainfo.py"), "--check"],
                         capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 0, out.stdout


def test_metainfo_validates_offline() -> None:
    tool = shutil.which("appstreamcli")
    if tool is None:
        pytest.skip("appstreamcli (appstream) is not installed")
    out = subprocess.run([tool, "validate", "--no-net", "--explain",
                          str(RES / "io.hourproof.Hourproof.metainfo.xml")],
                         capture_output=True, text=True)  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert "E:" not in out.stdout and "W:" not in out.stdout, out.stdout


def test_metainfo_releases_match_the_changelog() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import gen_metainfo
    finally:
        sys.path.pop(0)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    versions = [v for v, _, _ in gen_metainfo.releases(changelog)]
    text = (RES / "io.hourproof.Hourproof.metainfo.xml").read_text()
    for version in versions:
        assert f'<release version="{version}"' in text
    assert text.count("<release ") == len(versions) >= 1


def test_shipped_pngs_have_their_sizes() -> None:
    for size in desktop.ICON_SIZES:
        assert png_size((ICONS / f"io.hourproof.Hourproof-{size}.png").read_bytes()) == (
            size, size,
        )  # fmt: skip


def test_ico_holds_png_images_up_to_256() -> None:
    data = (ROOT / "packaging" / "icons" / "io.hourproof.Hourproof.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind) == (0, 1) and count >= 5
    sizes = []
    for i in range(count):
        w, h, _, _, _, _, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * i : 22 + 16 * i]
        )
        assert png_size(data[offset : offset + length]) == ((w or 256), (h or 256))
        sizes.append(w or 256)
    assert 16 in sizes and 256 in sizes


def test_icns_entries_are_pngs_of_their_declared_sizes() -> None:
    data = (ROOT / "packaging" / "icons" / "io.hourproof.Hourproof.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    expected = {b"icp4": 16, b"icp5": 32, b"icp6": 64, b"ic07": 128, b"ic08": 256,
                b"ic09": 512, b"ic10": 1024}  # fmt: skip
    pos, seen = 8, {}
    while pos < len(data):
        kind, length = data[pos : pos + 4], struct.unpack(">I", data[pos + 4 : pos + 8])[0]
        seen[kind] = png_size(data[pos + 8 : pos + length])[0]
        pos += length
    assert seen == expected
