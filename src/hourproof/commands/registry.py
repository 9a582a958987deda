"""Registration of the subcommands that live outside the core tracking CLI."""

from __future__ import annotations

from argparse import BooleanOptionalAction
from typing import Any


def _session_options(p: Any) -> None:
    p.add_argument(
        "--gap",
        type=float,
        metavar="MINUTES",
        help="evidence further apart starts a new session (default 10)",
    )
    p.add_argument(
        "--allowance",
        type=float,
        metavar="MINUTES",
        help="time credited before a session's first commit (default 30)",
    )
    p.add_argument(
        "--commit-gap",
        type=float,
        metavar="MINUTES",
        help="a commit further after the session's last evidence starts a new one (default 45)",
    )


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
    p.add_argument("--csv-tz", metavar="ZONE", help="zone of the CSV's times (default UTC)")
    p.add_argument("--email", help="the CSV's Email column (default: the identity's, if one)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
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

    git = cmd(sub, "git", "", "git commits as evidence").add_subparsers(
        title="git commands", metavar="ACTION", required=True
    )
    g = cmd(git, "add", "evidencecmd:git_add", "register a repository")
    g.add_argument("path")
    g.add_argument("--project", required=True)
    g.add_argument("--client")
    g.add_argument("--author", action="append", metavar="EMAIL", help="your author email(s)")
    g.add_argument(
        "--subjects",
        action=BooleanOptionalAction,
        default=True,
        help="record commit subject lines (default: yes)",
    )
    cmd(git, "list", "evidencecmd:git_list", "list registered repositories")
    g = cmd(git, "remove", "evidencecmd:git_remove", "stop scanning a repository")
    g.add_argument("path")
    g = cmd(git, "scan", "evidencecmd:git_scan", "record new commits (incremental)")
    g.add_argument("path", nargs="?")
    g = cmd(git, "hook", "evidencecmd:git_hook", "install or remove the post-commit hook")
    g.add_argument("action", choices=("install", "uninstall"))
    g.add_argument("path")

    watch = cmd(sub, "watch", "", "file activity as evidence").add_subparsers(
        title="watch commands", metavar="ACTION", required=True
    )
    w = cmd(watch, "add", "evidencecmd:watch_add", "watch a folder")
    w.add_argument("path")
    w.add_argument("--project", required=True)
    w.add_argument("--client")
    cmd(watch, "list", "evidencecmd:watch_list", "list watched folders")
    w = cmd(watch, "remove", "evidencecmd:watch_remove", "stop watching a folder")
    w.add_argument("path")
    w = cmd(watch, "run", "evidencecmd:watch_run", "watch (headless) until Ctrl-C")
    w.add_argument("--for", dest="for_seconds", type=float, metavar="SECONDS")
    w.add_argument("--pulse", type=float, metavar="SECONDS", help="merge gap (default 180)")
    w.add_argument("--hash", action="store_true", help="record content SHA-256 of saved files")

    p = cmd(sub, "suggest", "evidencecmd:suggest", "sessions suggested by evidence")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--json", action="store_true")
    _session_options(p)
    p = cmd(sub, "accept", "evidencecmd:accept", "turn suggestions into entries")
    p.add_argument("suggestion", nargs="*", metavar="ID", help="suggestion ids (hourproof suggest)")
    p.add_argument("--all", action="store_true", help="every suggestion no entry overlaps yet")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="with --all: first day")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="with --all: last day")
    _session_options(p)

    p = cmd(sub, "idle", "idlecmd:status", "which OS idle source works here; the threshold")
    p.add_argument("--threshold", type=float, metavar="MINUTES", help="set it (default 5)")

    p = cmd(sub, "gui", "guicmd:run", "open the desktop app (tray)")
    p.add_argument("bundle", nargs="?", metavar="FILE.hproof", help="verify this proof in the app")
    p.add_argument("--hidden", action="store_true", help="start in the tray, window closed")

    from hourproof.commands import interopargs

    interopargs.register(sub, cmd)
    _register_cosign(sub, cmd)


def _register_cosign(sub: Any, cmd: Any) -> None:
    """Witnesses (C2SP tlog-witness) and client approvals."""
    witness = cmd(sub, "witness", "", "witnesses that cosign this log").add_subparsers(
        title="witness commands", metavar="ACTION", required=True
    )
    w = cmd(witness, "add", "witnesscmd:add", "add a C2SP tlog-witness")
    w.add_argument("name", help="a local label")
    w.add_argument("url", help="the witness's submission prefix (…/add-checkpoint is appended)")
    w.add_argument("vkey", help="its cosigner verifier key, name+id+base64 (type 0x04)")
    cmd(witness, "list", "witnesscmd:list_", "list witnesses and what they cosigned")
    w = cmd(witness, "remove", "witnesscmd:remove", "remove a witness")
    w.add_argument("name")
    w = cmd(witness, "submit", "witnesscmd:submit", "submit the latest checkpoint now")
    w.add_argument("--timeout", type=float, default=15.0, help="seconds per request")

    p = cmd(sub, "approve", "approvecmd:approve", "client: verify a bundle, then sign approval")
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--note", help="a note for the contractor")
    p.add_argument("-o", "--output", metavar="FILE", help="where to write the approval file")
    p = cmd(sub, "contest", "approvecmd:contest", "client: verify a bundle, sign a contest")
    p.add_argument("bundle", metavar="BUNDLE")
    p.add_argument("--reason", required=True)
    p.add_argument("--entry", type=int, action="append", metavar="ID", help="(repeatable)")
    p.add_argument("-o", "--output", metavar="FILE")
    ap = cmd(sub, "approvals", "", "approvals and contests clients sent").add_subparsers(
        title="approvals commands", metavar="ACTION", required=True
    )
    p = cmd(ap, "add", "approvecmd:add", "check and record a client's approval file")
    p.add_argument("file")
    p.add_argument("--key", metavar="SHA256:…", help="the client's key fingerprint (else TOFU)")
    p = cmd(ap, "list", "approvecmd:list_", "list recorded approvals")
    p.add_argument("--client")
    # Either is absent when the CLI builds only another command's parser (cli._parse).
    e = sub.choices.get("export")
    if e is not None:
        e.add_argument("--dispute", action="store_true", help="also write <name>.pdf for a dispute")
    v = sub.choices.get("verify")
    if v is not None:
        v.add_argument("--witness", action="append", metavar="VKEY", help="require this witness")
        v.add_argument("--witness-quorum", type=int, metavar="K", help="of the --witness keys")
        v.add_argument("--evidence-out", metavar="DIR", help="write proof of equivocation here")
