"""Arguments of the interop commands: import, desktop integration, shell completion."""

from __future__ import annotations

from typing import Any

from hourproof.interop.records import IMPORT_FORMATS


def register(sub: Any, cmd: Any) -> None:
    p = cmd(sub, "import", "importcmd:run", "bring in entries from another time tracker")
    p.add_argument("format", choices=tuple(IMPORT_FORMATS), help="the file's tool")
    p.add_argument("file", metavar="FILE", help="the exported file ('-': standard input)")
    p.add_argument("--commit", action="store_true", help="write the entries (default: dry run)")
    p.add_argument(
        "--tz",
        metavar="ZONE",
        help="zone of the file's local times (Toggl, Clockify, floating iCalendar times); "
        "default: this computer's zone",
    )
    p.add_argument("--project", help="project for rows that name none")
    p.add_argument("--client", help="client for rows that name none")
    order = p.add_mutually_exclusive_group()
    order.add_argument(
        "--day-first", dest="day_first", action="store_true", default=None,
        help="Clockify dates are DD/MM/YYYY",
    )  # fmt: skip
    order.add_argument(
        "--month-first", dest="day_first", action="store_false",
        help="Clockify dates are MM/DD/YYYY",
    )  # fmt: skip
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    desk = cmd(sub, "desktop", "", "menu entry, icons and .hproof file type").add_subparsers(
        title="desktop commands", metavar="ACTION", required=True
    )
    d = cmd(desk, "install", "desktopcmd:install", "add hourproof to the desktop (XDG)")
    d.add_argument("--autostart", action="store_true", help="also start in the tray at login")
    d.add_argument("--json", action="store_true")
    d = cmd(desk, "uninstall", "desktopcmd:uninstall", "remove what 'desktop install' added")
    d.add_argument("--json", action="store_true")

    p = cmd(sub, "completion", "desktopcmd:completion", "print a shell completion script")
    p.add_argument("shell", choices=("bash", "zsh", "fish"))
    cmd(sub, "man", "desktopcmd:man", "print the manual page (roff)")


def log_options(p: Any) -> None:
    """``log --format … [-o FILE]``: entries for other tools."""
    p.add_argument(
        "--format",
        choices=("json", "toggl", "clockify", "ics", "watson", "timew"),
        help="write the entries for another tool instead of a table",
    )
    p.add_argument(
        "-o", "--output", metavar="FILE", help="with --format: write here (default: stdout)"
    )
    p.add_argument(
        "--tz", metavar="ZONE",
        help="with --format toggl/clockify: zone of the times (default: this computer's)",
    )  # fmt: skip
    p.add_argument(
        "--user", help="with --format toggl/clockify: the User column (default: git user.name)"
    )
    p.add_argument(
        "--email", help="with --format toggl/clockify: the Email column (default: git user.email)"
    )
    p.add_argument(
        "--no-zone-column", action="store_true",
        help="with --format toggl/clockify: leave out the last 'Time zone' column",
    )  # fmt: skip
