"""``hourproof desktop install|uninstall`` and ``hourproof completion bash|zsh|fish``."""

from __future__ import annotations

import argparse

from hourproof.commands.common import print_json
from hourproof.services.errors import ServiceError


def _xdg_only() -> None:
    import sys

    if sys.platform in ("win32", "darwin"):
        raise ServiceError(
            "desktop install writes freedesktop (XDG) files for Linux and BSD desktops; on "
            "Windows and macOS use the PyInstaller build (packaging/README.md)"
        )


def install(args: argparse.Namespace) -> int:
    from hourproof.services import desktop

    _xdg_only()
    result = desktop.install(autostart=args.autostart)
    if args.json:
        print_json({"installed": [str(p) for p in result.files], "ran": result.ran})
        return 0
    apps = desktop.xdg_data_home()
    print(f"Installed the menu entry, icons, .hproof file type and man page under {apps}")
    if args.autostart:
        print(f"hourproof starts in the tray at login ({desktop.xdg_config_home()}/autostart)")
    if result.ran:
        print(f"Refreshed with {', '.join(result.ran)}")
    return 0


def uninstall(args: argparse.Namespace) -> int:
    from hourproof.services import desktop

    _xdg_only()
    result = desktop.uninstall()
    if args.json:
        print_json({"removed": [str(p) for p in result.removed], "ran": result.ran})
        return 0
    print(f"Removed {len(result.removed)} file(s)" if result.removed else "Nothing to remove.")
    return 0


def completion(args: argparse.Namespace) -> int:
    """bash and zsh from shtab (a maintained generator); fish, which shtab lacks, from
    the same parser by :func:`hourproof.commands.docgen.fish_completion`."""
    from hourproof.cli import build_parser

    parser = build_parser()
    if args.shell == "fish":
        from hourproof.commands.docgen import fish_completion

        print(fish_completion(parser), end="")
        return 0
    try:
        import shtab
    except ImportError:
        raise ServiceError(
            "bash and zsh completion need the 'shtab' package (pip install shtab)"
        ) from None
    print(shtab.complete(parser, shell=args.shell), end="")
    return 0


def man(args: argparse.Namespace) -> int:
    from hourproof.commands.docgen import man_page

    print(man_page(), end="")
    return 0
