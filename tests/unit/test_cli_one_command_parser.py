"""``cli.main`` first builds only the parser of the command being run (cold start);
help, usage and every error still come from the whole parser, byte for byte, and a
parse that succeeds gives the namespace the whole parser gives."""

from __future__ import annotations

import argparse
from typing import Any

import pytest

from hourproof import cli
from hourproof.commands.docgen import subcommands

FULL = cli.build_parser()
PATHS = [path for path, _ in subcommands(FULL)]
PARSERS = dict(subcommands(FULL))
TOP = [path for path in PATHS if " " not in path]


def _shape(parser: argparse.ArgumentParser) -> list[Any]:
    """Everything about a parser that parsing or its help reads (sub-parsers by name)."""
    actions = []
    for a in parser._actions:
        choices = sorted(a.choices) if isinstance(a, argparse._SubParsersAction) else a.choices
        actions.append((type(a).__name__, a.option_strings, a.dest, a.nargs, a.const,
                        a.default, a.type, choices, a.required, a.help, a.metavar))  # fmt: skip
    groups = [([a.dest for a in g._group_actions], g.required)
              for g in parser._mutually_exclusive_groups]  # fmt: skip
    return [parser.prog, parser.usage, parser.description,
            parser.epilog, parser.formatter_class, parser._defaults, actions, groups,
            parser.prefix_chars, parser.allow_abbrev, parser.add_help]  # fmt: skip


def test_the_walk_sees_every_command():
    assert len(TOP) >= 30 and len(PATHS) >= 60
    assert {"verify", "status", "start", "stop", "ledger", "git"} <= set(TOP)


@pytest.mark.parametrize("name", TOP)
def test_the_one_command_parser_is_that_command_of_the_whole_parser(name):
    lean = cli._build_parser(only=name)
    top = [a for a in lean._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(top) == 1 and list(top[0].choices) == [name]  # the others were not built
    full_top = [a for a in FULL._actions if not isinstance(a, argparse._SubParsersAction)]
    lean_top = [a for a in lean._actions if not isinstance(a, argparse._SubParsersAction)]
    assert [_shape_of(a) for a in lean_top] == [_shape_of(a) for a in full_top]
    lean_tree = [(name, top[0].choices[name]), *subcommands(top[0].choices[name], name)]
    full_tree = [(name, PARSERS[name]), *subcommands(PARSERS[name], name)]
    assert [p for p, _ in lean_tree] == [p for p, _ in full_tree]
    for (path, mine), (_, whole) in zip(lean_tree, full_tree, strict=True):
        assert _shape(mine) == _shape(whole), path
        assert mine.format_help() == whole.format_help(), path
        assert mine.format_usage() == whole.format_usage(), path


def _shape_of(a: argparse.Action) -> tuple[Any, ...]:
    return (a.option_strings, a.dest, a.nargs, a.default, a.help, a.metavar)


@pytest.mark.parametrize("path", ["", *PATHS])
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_is_the_whole_parsers(path, flag, capsys):
    whole = PARSERS.get(path, FULL)
    for argv in ([*path.split(), flag], ["--home", "/nonexistent/h", *path.split(), flag]):
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 0
        out, err = capsys.readouterr()
        assert out == whole.format_help() and err == ""


def _whole_parsers_error(argv: list[str]) -> str:
    with pytest.raises(cli.UsageError) as exc:
        cli.build_parser().parse_args(cli._join_relative_times(argv))
    return f"hourproof: error: {exc.value}\n"


def _usage_errors() -> list[list[str]]:
    cases = [["nosuchcommand"], ["--home"], ["--bogus", "status"], ["verify"],
             ["show", "abc"], ["show", "1", "2"], ["report", "--by", "year"],
             ["rate", "95", "EUR"], ["rate", "--client", "a", "--project", "b", "1", "EUR"],
             ["verify", "b.hproof", "--key", "k", "--allowed-signers", "f"],
             ["verify", "b.hproof", "--json", "--witness-quorum", "x"],
             ["start", "--at", "-15m"], ["git", "hook", "sideways", "p"], ["ledger"]]  # fmt: skip
    for path in PATHS:
        cases.append([*path.split(), "--no-such-option"])
        try:  # a command without its required arguments
            FULL.parse_args(path.split())
        except cli.UsageError:
            cases.append(path.split())
    return cases


@pytest.mark.parametrize("argv", _usage_errors(), ids=" ".join)
def test_usage_errors_are_the_whole_parsers(argv, capsys):
    expected = _whole_parsers_error(argv)
    assert cli.main(argv) == cli.EXIT_USAGE
    out, err = capsys.readouterr()
    assert err == expected
    if "--json" in argv:  # the JSON error body on stdout carries the same sentence
        assert expected.removeprefix("hourproof: error: ").strip() in out
    else:
        assert out == ""


VALID = [
    ["--home", "/h", "verify", "b.hproof"],
    ["--home=/h", "verify", "b.hproof", "--json", "--key", "SHA256:x", "--repo", "r",
     "--tsa-root", "a.pem", "--tsa-root", "b.pem", "--witness", "w", "--witness-quorum", "1",
     "--evidence-out", "d", "--known-checkpoint", "c"],
    ["verify", "b.hproof", "--allowed-signers", "f", "--kn", "c"],  # an abbreviation
    ["status"], ["status", "--json"], ["stop", "--at", "17:45", "--note", "n"],
    ["start", "site", "--at=-15m", "--client", "c", "--tag", "a", "--tag", "b", "--json"],
    ["add", "p", "--from", "2026-01-01 09:00", "--to", "2026-01-01 10:00"],
    ["amend", "4", "--reason", "r", "--project", "q"], ["show", "7"], ["rate", "--clear",
     "--client", "c"], ["rate", "--client", "c", "95.00", "EUR", "--json"],
    ["log", "--format", "toggl", "-o", "x.csv", "--no-zone-column"],
    ["report", "--by", "week"], ["key", "show", "--json"], ["ledger", "restore", "b", "--yes"],
    ["ledger", "verify", "--json"], ["tsa", "add", "n", "https://t.example", "--root", "r"],
    ["export", "--client", "c", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "o.hproof",
     "--dispute", "--no-reports"],
    ["git", "add", "p", "--project", "x", "--no-subjects", "--author", "a@b"],
    ["watch", "run", "--for", "3"], ["accept", "1", "2", "--gap", "5"],
    ["import", "clockify", "f.csv", "--month-first"], ["desktop", "install", "--autostart"],
    ["completion", "fish"], ["man"], ["witness", "submit"], ["approvals", "add", "f"],
    ["contest", "b.hproof", "--reason", "r", "--entry", "1", "--entry", "2"],
    ["gui", "--hidden"], ["idle", "--threshold", "4"], ["projects", "--add", "x"],
]  # fmt: skip


@pytest.mark.parametrize("argv", VALID, ids=" ".join)
def test_a_parse_gives_the_whole_parsers_namespace(argv, monkeypatch):
    built: list[str | None] = []
    real = cli._build_parser
    monkeypatch.setattr(cli, "_build_parser", lambda only=None: built.append(only) or real(only))
    name = cli._command_name(argv)
    assert name is not None
    assert vars(cli._parse(argv)) == vars(FULL.parse_args(argv))
    assert built == [name]  # the one-command parser settled it: nothing else was built


def test_the_command_word_is_only_taken_where_it_is_plain():
    assert cli._command_name(["verify", "b"]) == "verify"
    assert cli._command_name(["--home", "--x", "verify"]) == "verify"
    assert cli._command_name(["--home=h", "ledger", "verify"]) == "ledger"
    for argv in ([], ["--home"], ["--home", "h"], ["--version"], ["--ho", "h", "verify"],
                 ["-h"], ["--", "verify"]):  # fmt: skip
        assert cli._command_name(argv) is None, argv
