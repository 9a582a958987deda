"""Help epilogs (examples, exit codes, environment), the man page, from one parser.

``decorate`` runs on every parse, so it only attaches text; ``man_page`` walks the
same parser, so ``--help``, the man page and shell completion never disagree.
"""

from __future__ import annotations

import argparse
import datetime as _dt
from collections.abc import Iterator

EXIT_CODES = (
    "exit codes:\n"
    "  0  success\n"
    "  1  a verification failed (verify, ledger verify)\n"
    "  2  bad input or a refused operation (one sentence on stderr; with --json also\n"
    '     {"error": ...} on stdout)\n'
    "  130 interrupted (Ctrl-C)"
)

ENVIRONMENT = (
    "environment:\n"
    "  HOURPROOF_HOME        state folder (as --home; default: the per-user data dir)\n"
    "  HOURPROOF_PASSPHRASE  the signing key's passphrase (else the keyring or a prompt)\n"
    "  HOURPROOF_NEW_PASSPHRASE  the new passphrase for 'key passphrase'\n"
    "  HOURPROOF_DEFAULT_TSAS=none  a new home gets no default timestamp authorities\n"
    "  HOURPROOF_DEBUG=1     show a traceback instead of the one-line error\n"
    "  TZ                    this computer's zone (local times typed, imported, exported)"
)

#: Examples per command path ("" is the program itself).
EXAMPLES: dict[str, list[str]] = {
    "": ["hourproof start website --client Acme", "hourproof stop",
         "hourproof log --from 2026-11-01 --to 2026-11-30",
         "hourproof export --client Acme --from 2026-11-01 --to 2026-11-30 -o nov.hproof"],
    "status": ["hourproof status", "hourproof status --json"],
    "start": ["hourproof start website --client Acme --tag design",
              "hourproof start website --at -15m", "hourproof start website --at 09:30 --json"],
    "stop": ["hourproof stop", "hourproof stop --at 17:45 --note 'header done'"],
    "add": ["hourproof add website --from '2026-11-23 09:00' --to '2026-11-23 12:30'"],
    "amend": ["hourproof amend 42 --to 18:00 --reason 'forgot to stop'"],
    "remove": ["hourproof remove 42 --reason 'tracked twice'"],
    "show": ["hourproof show 42", "hourproof show 42 --json"],
    "log": ["hourproof log --from 2026-11-01 --to 2026-11-30 --client Acme",
            "hourproof log --format toggl --tz Europe/Berlin --email me@example.com -o nov.csv",
            "hourproof log --format ics -o hours.ics",
            "hourproof log --format watson -o frames",
            "hourproof log --format timew | timew import"],
    "report": ["hourproof report --by week --from 2026-11-01",
               "hourproof report --by client --json"],
    "rate": ["hourproof rate --client Acme 95.00 EUR", "hourproof rate --project website --clear"],
    "import": ["hourproof import toggl Toggl_time_entries.csv --tz Europe/Berlin",
               "hourproof import toggl Toggl_time_entries.csv --tz Europe/Berlin --commit",
               "hourproof import clockify Clockify_Time_Report.csv --day-first --commit",
               "hourproof import watson ~/.config/watson/frames --commit",
               "timew export | hourproof import timewarrior - --commit",
               "hourproof import ics calendar.ics --project meetings --commit"],
    "export": ["hourproof export --client Acme --from 2026-11-01 --to 2026-11-30 -o nov.hproof",
               "hourproof export --client Acme --from 2026-12-01 --to 2026-12-31 "
               "--since-bundle nov.hproof -o dec.hproof --csv dec.csv"],
    "verify": ["hourproof verify nov.hproof --key SHA256:…",
               "hourproof verify nov.hproof --allowed-signers allowed_signers --repo ~/src/site",
               "hourproof verify nov.hproof --json"],
    "anchor": ["hourproof anchor", "hourproof anchor --status --json"],
    "tsa list": ["hourproof tsa list --json"],
    "tsa add": ["hourproof tsa add mytsa https://tsa.example.com/tsr --root mytsa-root.pem"],
    "key show": ["hourproof key show"],
    "git add": ["hourproof git add ~/src/site --project website --author me@example.com"],
    "watch add": ["hourproof watch add ~/src/site --project website"],
    "suggest": ["hourproof suggest --from 2026-11-23"],
    "desktop install": ["hourproof desktop install", "hourproof desktop install --autostart",
                        "XDG_DATA_HOME=/tmp/x hourproof desktop install"],
    "completion": ["hourproof completion bash > "
                   "~/.local/share/bash-completion/completions/hourproof",
                   "hourproof completion zsh > ~/.zfunc/_hourproof",
                   "hourproof completion fish > ~/.config/fish/completions/hourproof.fish"],
    "gui": ["hourproof gui", "hourproof gui --hidden", "hourproof gui nov.hproof"],
}  # fmt: skip


def subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[
    tuple[str, argparse.ArgumentParser]
]:  # fmt: skip
    """(path, parser) for every subcommand, depth first, in definition order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = f"{prefix} {name}".strip()
                yield path, sub
                yield from subcommands(sub, path)


def epilog_for(path: str) -> str:
    parts = []
    examples = EXAMPLES.get(path)
    if examples:
        parts.append("examples:\n" + "\n".join(f"  {e}" for e in examples))
    parts += [EXIT_CODES, ENVIRONMENT]
    return "\n\n".join(parts)


#: Commands whose handler prints JSON with ``--json`` but whose parser is defined
#: elsewhere without the flag; ``decorate`` adds it, so it is listed once.
JSON_COMMANDS = ("key show", "ledger checkpoint", "ledger rebuild", "tsa add", "tsa remove",
                 "git list", "watch list", "rate")  # fmt: skip


def decorate(parser: argparse.ArgumentParser) -> None:
    """Give the program and every subcommand its epilog, kept as written."""
    for path, p in [("", parser), *subcommands(parser)]:
        p.epilog = epilog_for(path)
        p.formatter_class = argparse.RawDescriptionHelpFormatter
        if path in JSON_COMMANDS and not any("--json" in a.option_strings for a in p._actions):
            p.add_argument("--json", action="store_true", help="print the result as JSON")


# --- man page ----------------------------------------------------------------------------


def _roff(text: str) -> str:
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join(("\\&" + ln) if ln.startswith((".", "'")) else ln for ln in text.split("\n"))


def _options(p: argparse.ArgumentParser) -> list[str]:
    out: list[str] = []
    for action in p._actions:
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
            continue
        if action.help == argparse.SUPPRESS:
            continue
        if action.option_strings:
            meta = "" if action.nargs == 0 else " " + str(action.metavar or action.dest.upper())
            head = ", ".join(f"\\fB{_roff(o)}\\fR" for o in action.option_strings) + _roff(meta)
        else:
            head = f"\\fI{_roff(str(action.metavar or action.dest))}\\fR"
            if action.choices:
                head += " (" + _roff("|".join(str(c) for c in action.choices)) + ")"
        out += [".TP", head, _roff(action.help or "")]
    return out


def man_page(date: _dt.date | None = None) -> str:
    """``hourproof(1)`` in roff, from the live parser."""
    from hourproof import __version__
    from hourproof.cli import build_parser

    parser = build_parser()
    day = (date or _dt.date.today()).isoformat()
    lines = [
        f'.TH HOURPROOF 1 "{day}" "hourproof {__version__}" "User Commands"',
        ".SH NAME",
        "hourproof \\- track hours and prove them with signatures and trusted timestamps",
        ".SH SYNOPSIS",
        "\\fBhourproof\\fR [\\fB\\-\\-home\\fR \\fIDIR\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        _roff(parser.description or ""),
        ".PP",
        "Without a command, the desktop app opens where there is a display.",
        ".SH OPTIONS",
        *_options(parser),
        ".SH COMMANDS",
    ]
    for path, sub in subcommands(parser):
        if any(isinstance(a, argparse._SubParsersAction) for a in sub._actions):
            continue  # a group like "key": its actions follow as "key show" …
        usage = " ".join(sub.format_usage().split()[1:])
        lines += [f".SS {_roff('hourproof ' + path)}", _roff(sub.description or ""),
                  ".PP", f"Usage: {_roff(usage)}", *_options(sub)]  # fmt: skip
        examples = EXAMPLES.get(path)
        if examples:
            lines += [".PP", "Examples:", ".RS", ".nf", *(_roff(e) for e in examples), ".fi", ".RE"]
    lines += [".SH EXIT STATUS", ".nf", _roff(EXIT_CODES.split("\n", 1)[1]), ".fi"]
    lines += [".SH ENVIRONMENT", ".nf", _roff(ENVIRONMENT.split("\n", 1)[1]), ".fi"]
    lines += [".SH FILES", "The state folder holds \\fIhourproof.db\\fR (SQLite), the signing key "
              "and backups; \\fBhourproof desktop install\\fR writes under "
              "\\fI$XDG_DATA_HOME\\fR.", ".SH SEE ALSO", "\\fBssh\\-keygen\\fR(1), "
              "\\fBopenssl\\-ts\\fR(1), \\fBtimew\\fR(1), \\fBwatson\\fR(1)"]  # fmt: skip
    return "\n".join(lines) + "\n"


# --- fish completion ---------------------------------------------------------------------


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_completion(parser: argparse.ArgumentParser) -> str:
    """``complete -c hourproof …`` lines for every command, option and choice."""
    prog = parser.prog
    lines = [f"# fish completion for {prog} (generated from its argument parser)",
             f"complete -c {prog} -f"]  # fmt: skip

    def chain(path: list[str]) -> str:
        if not path:
            return "__fish_use_subcommand"
        return " && ".join(f"__fish_seen_subcommand_from {w}" for w in path)

    def walk(p: argparse.ArgumentParser, path: list[str]) -> None:
        cond = chain(path)
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help for a in action._choices_actions}
                for name, sub in action.choices.items():
                    guard = cond if path else "__fish_use_subcommand"
                    if path:
                        names = " ".join(action.choices)
                        guard = f"{cond}; and not __fish_seen_subcommand_from {names}"
                    lines.append(f"complete -c {prog} -n {_fish_quote(guard)} -a {name} "
                                 f"-d {_fish_quote(helps.get(name) or '')}")  # fmt: skip
                    walk(sub, [*path, name])
                continue
            if isinstance(action, argparse._HelpAction) or not action.option_strings:
                if not action.option_strings and action.choices and path:
                    lines.append(f"complete -c {prog} -n {_fish_quote(cond)} -a "
                                 f"{_fish_quote(' '.join(map(str, action.choices)))}")  # fmt: skip
                continue
            parts = [f"complete -c {prog}"]
            if path:
                parts.append(f"-n {_fish_quote(cond)}")
            for opt in action.option_strings:
                parts.append(f"-l {opt[2:]}" if opt.startswith("--") else f"-s {opt[1:]}")
            if action.nargs != 0:
                parts.append("-r")
                if action.choices:
                    parts.append(f"-a {_fish_quote(' '.join(map(str, action.choices)))}")
                elif "FILE" in str(action.metavar or "").upper() or (
                    action.dest in ("output", "home", "csv", "bundle", "file")
                ):
                    parts.append("-F")
            if action.help and action.help != argparse.SUPPRESS:
                parts.append(f"-d {_fish_quote(action.help)}")
            lines.append(" ".join(parts))

    walk(parser, [])
    return "\n".join(lines) + "\n"
