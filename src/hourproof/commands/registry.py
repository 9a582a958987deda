"""Registration of the subcommands that live outside the core tracking CLI."""

from __future__ import annotations

from typing import Any


def register(sub: Any, cmd: Any, range_options: Any) -> None:
    """Add proof, evidence and GUI subcommands."""
    p = cmd(sub, "export", "proofcmd:export", "write an hour-proof bundle for one client")
    p.add_argument("--client", required=True)
    p.add_argument("--project", help="only this project")
    p.add_argument("--from", dest="date_from", metavar="DATE", required=True)
    p.add_argument("--to", dest="date_to", metavar="DATE", required=True, help="inclusive")
    p.add_argument("-o", "--output", required=True, metavar="FILE.hproof")
    p.add_argument(
        "--since-bundle",
        metavar="OLD.hproof",
        help="prove consistency with the checkpoint of a bundle the client has",
    )
    p.add_argument("--identity", default="contractor", help="signer identity in allowed_signers")
    p.add_argument("--csv", metavar="FILE", help="also write the period as CSV")
    p.add_argument("--csv-format", choices=("toggl", "clockify"), default="toggl")
    p.add_argument("--no-reports", action="store_true", help="skip report.pdf/report.html")
    p.add_argument("--no-anchor", action="store_true", help="do not timestamp before export")

    p = cmd(sub, "verify", "proofcmd:verify", "verify an hour-proof bundle")
    p.add_argument("bundle", metavar="FILE.hproof")
    pin = p.add_mutually_exclusive_group()
    pin.add_argument("--allowed-signers", metavar="FILE", help="pin the signer with this file")
    pin.add_argument("--key", metavar="SHA256:…", help="pin the signer's key fingerprint")
    p.add_argument("--known-checkpoint", metavar="FILE", help="a checkpoint you saw before")
    p.add_argument("--repo", metavar="PATH", help="your clone, to check cited commits")
    p.add_argument("--tsa-root", action="append", metavar="PEM", help="also trust this TSA root")
    p.add_argument("--json", action="store_true")

    p = cmd(sub, "gui", "guicmd:run", "open the desktop app (tray)")
