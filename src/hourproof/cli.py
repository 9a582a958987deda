"""The ``hourproof`` command: argument parsing and dispatch (thin, like the GUI).

Handlers live in ``hourproof.commands.*`` and are imported only for the command
that runs, so ``status``/``start``/``stop`` never pay for Qt, requests or reports.
Exit codes: 0 ok, 1 a failed verification, 2 bad input or a refused operation.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _entry_options(p: argparse.ArgumentParser, with_project: bool = False) -> None:
    if with_project:
        p.add_argument("--project", help="project name")
    p.add_argument("--client", help="client the work is for")
    p.add_argument("--task", help="task within the project")
    p.add_argument("--tag", action="append", dest="tags", metavar="TAG", help="tag (repeatable)")
    p.add_argument("--note", help="a one-line note")


def _range_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", metavar="DATE", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="last day, inclusive")
    p.add_argument("--client", help="only this client")
    p.add_argument("--project", help="only this project")


class _Unsure(Exception):
    """A parser built for one command would print help or usage, or fail: the whole
    parser parses again, so every message is the whole parser's."""


class _OneCommandParser(Parser):
    """The parser ``main`` tries first: only the command being run is built (see
    ``_parse``). It never prints: help, usage and errors are left to the whole parser."""

    def error(self, message: str) -> NoReturn:
        raise _Unsure

    def print_help(self, file: Any = None) -> None:
        raise _Unsure

    def print_usage(self, file: Any = None) -> None:
        raise _Unsure

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _Unsure


class _Skipped:
    """Stands in for the parser of a command that is not being run: every call on it
    (``add_argument``, ``add_subparsers``, …) is accepted and ignored."""

    def __getattr__(self, name: str) -> Any:
        return self._ignore

    def _ignore(self, *args: Any, **kwargs: Any) -> Any:
        return self


def _cmd(sub: argparse._SubParsersAction[Parser], name: str, handler: str, help: str) -> Parser:
    if isinstance(sub, _Skipped) or getattr(sub, "hourproof_only", None) not in (None, name):
        return _Skipped()  # type: ignore[return-value]  # a command that is not run
    p: Parser = sub.add_parser(name, help=help, description=help)
    p.set_defaults(handler=handler)
    return p


def _remember_translations() -> None:
    """argparse passes each of its few fixed strings ("show this help message and exit",
    "usage: ", …) through gettext again for every one of the ~60 parsers, and gettext
    searches the disk for message catalogs on each call (8 ms of a command's start-up).
    The answers cannot change while the process runs, so they are remembered."""
    translate = getattr(argparse, "_", None)
    if translate is not None and not hasattr(translate, "cache_info"):
        argparse._ = functools.cache(translate)  # type: ignore[attr-defined]
        argparse.ngettext = functools.cache(argparse.ngettext)  # type: ignore[attr-defined]


def build_parser() -> Parser:
    """The whole parser: every command (help, usage, errors, man page, completion)."""
    return _build_parser()


def _build_parser(only: str | None = None) -> Parser:
    """The parser; with ``only``, the top level and that one command's parser alone
    (the other commands' definitions run against ``_Skipped``)."""
    _remember_translations()
    cls = Parser if only is None else _OneCommandParser
    parser = cls(
        prog="hourproof",
        description="Track hours and prove them with signatures and trusted timestamps "
        "— no screenshots, no keystroke counts.",
    )
    parser.add_argument("--home", metavar="DIR", help="state folder (default: per-user data dir)")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=cls)
    sub.hourproof_only = only  # type: ignore[attr-defined]  # read by _cmd

    p = _cmd(sub, "status", "tracking:status", "show the running timer and today's total")
    p.add_argument("--json", action="store_true")

    p = _cmd(sub, "start", "tracking:start", "start a timer (stops a running one first)")
    p.add_argument("project")
    _entry_options(p)
    p.add_argument("--at", metavar="TIME", help="when it started (default: now)")
    p.add_argument("--json", action="store_true", help="print the entry as JSON")

    p = _cmd(sub, "stop", "tracking:stop", "stop the running timer")
    p.add_argument("--at", metavar="TIME", help="when it stopped (default: now)")
    p.add_argument("--note", help="a one-line note")
    p.add_argument("--json", action="store_true", help="print the entry as JSON")

    p = _cmd(sub, "add", "tracking:add", "record a finished interval (≤ 31 days, years 1970–2200)")
    p.add_argument("project")
    p.add_argument("--from", dest="begin", metavar="TIME", required=True)
    p.add_argument("--to", dest="end", metavar="TIME", required=True)
    _entry_options(p)
    p.add_argument("--json", action="store_true", help="print the entry as JSON")

    p = _cmd(sub, "amend", "tracking:amend", "change an entry (the old version is kept)")
    p.add_argument("entry", type=int)
    p.add_argument("--reason", required=True)
    p.add_argument("--from", dest="begin", metavar="TIME")
    p.add_argument("--to", dest="end", metavar="TIME")
    _entry_options(p, with_project=True)
    p.add_argument("--json", action="store_true", help="print the entry as JSON")

    p = _cmd(sub, "remove", "tracking:remove", "remove an entry (it stays in the ledger)")
    p.add_argument("entry", type=int)
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true", help="print the entry as JSON")

    p = _cmd(sub, "show", "tracking:show", "show every version of an entry")
    p.add_argument("entry", type=int)
    p.add_argument("--json", action="store_true")

    p = _cmd(sub, "log", "tracking:log", "list entries")
    _range_options(p)
    p.add_argument("--json", action="store_true")
    from hourproof.commands import interopargs

    interopargs.log_options(p)

    p = _cmd(sub, "report", "tracking:report", "totals per day, week, project or client")
    _range_options(p)
    p.add_argument("--by", choices=("day", "week", "project", "client"), default="day")
    p.add_argument("--json", action="store_true")

    # list, or add one before any entry names it / hide it from completion (local, unsigned)
    p = _cmd(sub, "projects", "clientscmd:projects", "list projects (or add, hide, unhide one)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--add", metavar="NAME", help="add a project no entry names yet")
    p.add_argument("--client", help="the client of the project --add makes")
    p.add_argument("--hide", metavar="NAME", help="hide it from completion")
    p.add_argument("--unhide", metavar="NAME", help="offer it in completion again")
    p = _cmd(sub, "clients", "clientscmd:clients", "list clients (or add, hide, unhide one)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--add", metavar="NAME", help="add a client no entry names yet")
    p.add_argument("--hide", metavar="NAME", help="hide it from completion")
    p.add_argument("--unhide", metavar="NAME", help="offer it in completion again")

    p = _cmd(sub, "rate", "tracking:rate", "set or clear an hourly rate")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--project")
    target.add_argument("--client")
    p.add_argument("amount", nargs="?", help="per hour, e.g. 95.00 (omit with --clear)")
    p.add_argument("currency", nargs="?", help="ISO 4217 code, e.g. EUR")
    p.add_argument("--clear", action="store_true", help="remove the rate")

    key = _cmd(sub, "key", "", "the signing key").add_subparsers(
        title="key commands", metavar="ACTION", required=True
    )
    _cmd(key, "show", "keys:show", "print fingerprint, allowed_signers line, verifier key")
    p = _cmd(key, "passphrase", "keys:passphrase", "set or change the key's passphrase")
    p.add_argument("--keyring", action="store_true", help="also keep it in the OS keyring")
    p.add_argument("--remove", action="store_true", help="store the key unencrypted")

    ledger = _cmd(sub, "ledger", "", "the signed log").add_subparsers(
        title="ledger commands", metavar="ACTION", required=True
    )
    p = _cmd(ledger, "verify", "ledgercmd:verify", "check every leaf, the tree and signatures")
    p.add_argument("--json", action="store_true")
    _cmd(ledger, "checkpoint", "ledgercmd:checkpoint", "sign a checkpoint now")
    _cmd(ledger, "rebuild", "ledgercmd:rebuild", "rebuild entries and projects from the leaves")
    p = _cmd(ledger, "backups", "ledgercmd:backups", "list the rolling backups of the database")
    p.add_argument("--json", action="store_true")
    _cmd(ledger, "backup", "ledgercmd:backup_now", "back the database up now")
    p = _cmd(ledger, "restore", "ledgercmd:restore", "put a backup back (shows what is lost)")
    p.add_argument("backup", nargs="?", metavar="BACKUP", help="a name from 'ledger backups'")
    p.add_argument(
        "--accept-loss",
        action="store_true",
        help="keep the database as it is and give up the signed leaves it lacks",
    )
    p.add_argument("--yes", action="store_true", help="do not ask")

    tsa = _cmd(sub, "tsa", "", "RFC 3161 timestamp authorities").add_subparsers(
        title="tsa commands", metavar="ACTION", required=True
    )
    p = _cmd(tsa, "list", "anchorcmd:tsa_list", "list configured TSAs")
    p.add_argument("--json", action="store_true")
    p = _cmd(tsa, "add", "anchorcmd:tsa_add", "add a TSA")
    p.add_argument("name")
    p.add_argument("url")
    p.add_argument("--root", metavar="PEM", help="trust this root certificate for it")
    p = _cmd(tsa, "remove", "anchorcmd:tsa_remove", "remove a TSA")
    p.add_argument("name")

    p = _cmd(sub, "anchor", "anchorcmd:anchor", "timestamp the log now (RFC 3161)")
    p.add_argument("--tsa", metavar="NAME", help="use only this TSA")
    p.add_argument("--status", action="store_true", help="show the queue and the last success")
    p.add_argument("--drain", action="store_true", help="send queued requests (background use)")
    p.add_argument("--timeout", type=float, default=15.0, help="seconds per request")
    p.add_argument("--json", action="store_true", help="print the result or status as JSON")

    _register_more(sub)
    from hourproof.commands import docgen

    docgen.decorate(parser)
    return parser


def _register_more(sub: argparse._SubParsersAction[Parser]) -> None:
    """Commands of the proof, evidence and GUI modules."""
    from hourproof.commands import registry

    registry.register(sub, _cmd, _range_options)


def _parse(argv: list[str]) -> argparse.Namespace:
    """Parse with only the named command's parser built (most of a cold start's parser
    cost is the ~60 others); where that parser would print or fail, or the command is
    not plain to see, the whole parser parses, so help and errors are byte-identical."""
    name = _command_name(argv)
    if name is not None:
        try:
            return _build_parser(only=name).parse_args(argv)
        except _Unsure:
            pass
    return build_parser().parse_args(argv)


def _command_name(argv: list[str]) -> str | None:
    """The command word when only ``--home DIR``/``--home=DIR`` come before it."""
    i = 0
    while i < len(argv):
        token = argv[i]
        if token == "--home":
            i += 2
            continue
        if token.startswith("--home="):
            i += 1
            continue
        return None if token.startswith("-") else token
    return None


_TIME_OPTIONS = ("--at", "--from", "--to")


def _join_relative_times(argv: list[str]) -> list[str]:
    """Let ``--at -15m`` through: argparse would take ``-15m`` for an option."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        if token in _TIME_OPTIONS and i + 1 < len(argv) and argv[i + 1].startswith("-"):
            nxt = argv[i + 1]
            if len(nxt) > 1 and nxt[1].isdigit():
                out.append(f"{token}={nxt}")
                i += 2
                continue
        out.append(token)
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    argv = _join_relative_times(list(sys.argv[1:] if argv is None else argv))
    as_json = "--json" in argv
    try:
        args = _parse(argv)
    except UsageError as exc:
        return _fail(as_json, "error", str(exc), EXIT_USAGE)
    problem = _check_arguments(args)
    if problem is not None:
        print(f"hourproof: error: {problem} (see 'hourproof --help')", file=sys.stderr)
        return EXIT_USAGE
    if args.version:
        from hourproof import __version__

        print(f"hourproof {__version__}")
        return EXIT_OK
    handler = getattr(args, "handler", None) or "tracking:default"
    module_name, func_name = handler.split(":")
    module = importlib.import_module(f"hourproof.commands.{module_name}")
    from hourproof.services.errors import ServiceError, VerificationFailed

    as_json = bool(getattr(args, "json", False))
    try:
        return int(getattr(module, func_name)(args) or 0)
    except ServiceError as exc:
        return _fail(as_json, "error", str(exc), EXIT_USAGE)
    except VerificationFailed as exc:
        return _fail(as_json, "verification failed", str(exc), EXIT_FAILED)
    except KeyboardInterrupt:
        print("hourproof: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("HOURPROOF_DEBUG"):
            raise
        return _fail(as_json, "error", _describe_unexpected(exc), EXIT_USAGE)


def _fail(as_json: bool, what: str, message: str, code: int) -> int:
    """One sentence on stderr; with ``--json`` also ``{"error": …}`` on stdout."""
    print(f"hourproof: {what}: {message}", file=sys.stderr)
    if as_json:
        import json

        body: dict[str, object] = {"error": message, "exit_code": code}
        if code == EXIT_FAILED:
            body["verification_failed"] = True
        print(json.dumps(body, ensure_ascii=False))
    return code


#: Bounds for every number an argument takes (seconds, minutes, entry numbers).
MAX_NUMBER_ARG = 10_000_000
MAX_INDEX_ARG = 2**62


def _check_arguments(args: argparse.Namespace) -> str | None:
    """One sentence for an argument no command can use: NUL, bad UTF-8, wild numbers."""
    import math

    for dest, value in vars(args).items():
        what = dest if dest in ("entry", "suggestion", "bundle", "path") else (
            "--" + dest.replace("_", "-")
        )  # fmt: skip
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                if "\0" in item:
                    return f"{what} contains a NUL character"
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    return f"{what} is not valid UTF-8 text"
            elif isinstance(item, float) and not (
                math.isfinite(item) and 0 <= item <= MAX_NUMBER_ARG
            ):
                return f"{what} must be a number from 0 to {MAX_NUMBER_ARG:,}"
            elif (
                isinstance(item, int) and not isinstance(item, bool)
                and not 0 <= item <= MAX_INDEX_ARG
            ):  # fmt: skip
                return f"{what} must be a whole number from 0 to {MAX_INDEX_ARG:,}"
    return None


def _describe_unexpected(exc: Exception) -> str:
    text = str(getattr(exc, "orig", None) or exc).splitlines()[0] if str(exc) else ""
    if "database is locked" in text:
        return "the database is busy (another hourproof is writing); try again"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.strerror}: {exc.filename}"
    if isinstance(exc, ImportError) and (exc.name or "").startswith(("PySide6", "shiboken6")):
        return (
            "this needs Qt (PySide6), which the verify-only install leaves out: "
            "pip install 'hourproof[gui]' (for export, --no-reports also works)"
        )
    known = _describe_known(exc, text)
    if known is not None:
        return known
    return f"unexpected {type(exc).__name__}: {text} (HOURPROOF_DEBUG=1 shows details)"


def _describe_known(exc: BaseException, text: str) -> str | None:
    """A sentence for failures of the machine rather than of hourproof (disk, SQLite)."""
    import sqlite3

    exc = getattr(exc, "orig", None) or exc
    if isinstance(exc, sqlite3.DatabaseError):
        low = text.lower()
        if "readonly" in low or "read-only" in low:
            return ("the database hourproof.db is read-only: check the permissions of the "
                    "home folder and of hourproof.db")  # fmt: skip
        if "disk i/o" in low:
            return (
                "the database hourproof.db could not be read or written (disk I/O error; "
                "was its -wal file deleted while in use?): run 'hourproof ledger verify'"
            )
        if "full" in low:
            return "the disk holding the database is full: free some space and try again"
        return (
            f"the database hourproof.db is damaged ({text}): run 'hourproof ledger "
            "verify', and 'hourproof ledger backups' to find a backup to restore"
        )
    if isinstance(exc, MemoryError):
        return "out of memory: the input is too large"
    if isinstance(exc, UnicodeError):
        return "an argument or file is not valid UTF-8 text"
    if isinstance(exc, OSError):
        return f"{exc.strerror or text or 'operating system error'}"
    return None


if __name__ == "__main__":
    raise SystemExit(main())
