"""Desktop integration for pip and PyInstaller installs (XDG): menu entry, icons, MIME type.

``install`` writes, under ``$XDG_DATA_HOME`` (default ``~/.local/share``):

* ``applications/io.hourproof.Hourproof.desktop`` — the menu entry, opening ``.hproof``
  files (``hourproof gui %f``);
* ``icons/hicolor/scalable/apps/io.hourproof.Hourproof.svg`` and ``NxN`` PNGs (16–512),
  the same under ``mimetypes/application-x-hourproof`` for bundle files;
* ``mime/packages/io.hourproof.Hourproof.xml`` — ``application/x-hourproof`` for
  ``*.hproof`` (a subclass of ``application/zip``);
* ``man/man1/hourproof.1`` — the manual page, generated from the argument parser;

and with ``autostart`` ``$XDG_CONFIG_HOME/autostart/io.hourproof.Hourproof.desktop``
(``hourproof gui --hidden``). Then it runs ``update-mime-database``,
``update-desktop-database`` and ``gtk-update-icon-cache`` where they exist. The
entries start the very hourproof that ran the command (absolute path), so a
virtualenv or a frozen build works without being on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from hourproof.store.durable import atomic_write

APP_ID = "io.hourproof.Hourproof"
MIME_TYPE = "application/x-hourproof"
MIME_ICON = "application-x-hourproof"
ICON_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
_EXEC_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass
class DesktopResult:
    files: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)


def xdg_data_home() -> Path:
    value = os.environ.get("XDG_DATA_HOME")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def xdg_config_home() -> Path:
    value = os.environ.get("XDG_CONFIG_HOME")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".config"


def launcher() -> list[str]:
    """The command that starts this hourproof: the frozen binary, the script, or ``-m``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = Path(sys.executable).with_name("hourproof")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("hourproof")
    return [found] if found else [sys.executable, "-m", "hourproof"]


def exec_arg(arg: str) -> str:
    """One argument of an ``Exec`` key, quoted as the Desktop Entry spec asks."""
    if arg and not (_EXEC_RESERVED & set(arg)):
        return arg.replace("%", "%%")
    inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg).replace("%", "%%")
    # The desktop file's own string escaping doubles each backslash once more.
    return '"' + inner.replace("\\", "\\\\") + '"'


def desktop_entry(command: list[str], autostart: bool = False) -> str:
    """The .desktop text; ``Exec`` runs ``command`` (``hourproof`` for distro packages)."""
    args = [exec_arg(a) for a in command]
    exec_line = " ".join([*args, "gui", "--hidden"] if autostart else [*args, "gui", "%f"])
    lines = [
        "[Desktop Entry]",
        "Type=Application",
        "Name=hourproof",
        "GenericName=Time Tracker",
        "Comment=Track work hours and prove them with signatures and trusted timestamps",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Office;ProjectManagement;Qt;",
        "Keywords=time;tracker;timesheet;hours;invoice;contractor;proof;",
        f"MimeType={MIME_TYPE};",
        "StartupNotify=true",
        "StartupWMClass=hourproof",
    ]
    if autostart:
        lines = [ln for ln in lines if not ln.startswith(("MimeType=", "Keywords="))]
        lines += ["X-GNOME-Autostart-enabled=true", "NoDisplay=true"]
    return "\n".join(lines) + "\n"


def mime_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">\n'
        f'  <mime-type type="{MIME_TYPE}">\n'
        "    <comment>hourproof hour-proof bundle</comment>\n"
        '    <sub-class-of type="application/zip"/>\n'
        f'    <icon name="{MIME_ICON}"/>\n'
        '    <glob pattern="*.hproof"/>\n'
        "  </mime-type>\n"
        "</mime-info>\n"
    )


def _resource(name: str) -> bytes:
    return resources.files("hourproof.resources").joinpath(name).read_bytes()


def _targets(data: Path, config: Path, autostart: bool) -> dict[Path, Callable[[], bytes]]:
    """Every file ``install`` writes, with a function giving its bytes."""
    hicolor = data / "icons" / "hicolor"
    svg = f"{APP_ID}.svg"
    out: dict[Path, Callable[[], bytes]] = {
        data / "applications" / f"{APP_ID}.desktop": lambda: desktop_entry(launcher()).encode(),
        data / "mime" / "packages" / f"{APP_ID}.xml": lambda: mime_xml().encode(),
        hicolor / "scalable" / "apps" / svg: lambda: _resource(svg),
        hicolor / "scalable" / "mimetypes" / f"{MIME_ICON}.svg": lambda: _resource(svg),
        data / "man" / "man1" / "hourproof.1": _manpage,
    }
    for size in ICON_SIZES:
        png = f"icons/{APP_ID}-{size}.png"
        base = hicolor / f"{size}x{size}"
        out[base / "apps" / f"{APP_ID}.png"] = lambda png=png: _resource(png)  # type: ignore[misc]
        out[base / "mimetypes" / f"{MIME_ICON}.png"] = lambda png=png: _resource(png)  # type: ignore[misc]
    if autostart:
        out[config / "autostart" / f"{APP_ID}.desktop"] = lambda: desktop_entry(
            launcher(), autostart=True
        ).encode()
    return out


def _manpage() -> bytes:
    from hourproof.commands.docgen import man_page

    return man_page().encode()


def _refresh(data: Path, result: DesktopResult) -> None:
    """Let the desktop notice (each tool only where installed; failures are not fatal)."""
    jobs = [
        ("update-mime-database", [str(data / "mime")]),
        ("update-desktop-database", ["-q", str(data / "applications")]),
        ("gtk-update-icon-cache", ["-q", "-t", "-f", str(data / "icons" / "hicolor")]),
    ]
    for tool, args in jobs:
        exe = shutil.which(tool)
        if exe is None:
            continue
        try:
            done = subprocess.run([exe, *args], capture_output=True, timeout=120)
        except (OSError, subprocess.SubprocessError):
            continue
        if done.returncode == 0:
            result.ran.append(tool)


def install(autostart: bool = False, data: Path | None = None,
            config: Path | None = None) -> DesktopResult:  # fmt: skip
    data, config = data or xdg_data_home(), config or xdg_config_home()
    result = DesktopResult()
    for path, content in _targets(data, config, autostart).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, content(), 0o644)
        result.files.append(path)
    _refresh(data, result)
    return result


def uninstall(data: Path | None = None, config: Path | None = None) -> DesktopResult:
    """Remove every file ``install`` writes (the autostart entry too)."""
    data, config = data or xdg_data_home(), config or xdg_config_home()
    result = DesktopResult()
    for path in _targets(data, config, autostart=True):
        if path.is_file():
            path.unlink()
            result.removed.append(path)
    _refresh(data, result)
    return result
