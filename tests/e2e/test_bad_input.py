"""The bad-input corpus: every subcommand × odd arguments, never a traceback or a hang.

The subcommands are read from the parser itself, so a command added later is fuzzed
too. Each case fills the command's required arguments with sane values and replaces
one argument with an odd one (empty, 10,000 characters, NUL, emoji, right-to-left
text, year 0 and 9999, huge numbers, a FIFO, /dev/zero, a folder, a malformed
bundle…). The verdict per case: exit code 0, 1 or 2; no traceback; no
"unexpected <Exception>" (the CLI's catch-all, which means an unhandled bug). Most
cases run in-process (``cli.main``) to stay fast; the ones that could block (FIFOs,
/dev/zero, the GUI, stdin) run as subprocesses with a generous timeout that only
guards against a hang.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from hourproof import cli
from tests.e2e.conftest import hourproof_command

HANG_GUARD = 120  # seconds; a hang guard only, never a speed requirement

ODD_TEXT = {
    "empty": "",
    "long": "x" * 10_000,
    "nul": "a\0b",
    "emoji": "🕐💼🧾",
    "rtl": "\u202eעברית\u202c",
    "year0": "0000-01-01",
    "year1": "0001-01-01T00:00",
    "year9999": "9999-12-31T23:59:59Z",
    "negative": "-1",
    "huge": "18446744073709551616",
    "float": "1e308",
    "nan": "nan",
    "dots": "../../..",
    "newline": "line\nbreak",
    "option": "--",
}

# Sane values for required arguments, by argparse ``dest``.
SANE = {
    "project": "website",
    "client": "acme",
    "task": "build",
    "note": "n",
    "begin": "2026-03-02T09:00:00Z",
    "end": "2026-03-02T10:00:00Z",
    "entry": "0",
    "reason": "typo",
    "date_from": "2026-03-01",
    "date_to": "2026-03-31",
    "amount": "95.00",
    "currency": "EUR",
    "name": "nobody",
    "url": "http://127.0.0.1:9/tsr",
    "suggestion": "s1",
    "for_seconds": "0",
    "action": "install",
}

# Options that keep a case quick and quiet whatever is fuzzed.
ALWAYS = {
    ("export",): ["--no-reports", "--no-anchor"],
    ("watch", "run"): ["--for", "0"],
}

# Commands only run as subprocesses (they may open a window or block on a terminal).
SUBPROCESS_ONLY = {("gui",)}


def _leaf_commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs and prefix:
        yield prefix, parser
    for action in subs:
        for name, child in action.choices.items():
            yield from _leaf_commands(child, (*prefix, name))


def _value_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        a
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction) and a.nargs != 0
    ]


def _sane(action: argparse.Action, paths: dict[str, str]) -> str:
    if action.choices:
        return str(next(iter(action.choices)))
    if action.dest in paths:
        return paths[action.dest]
    return SANE.get(action.dest, "x")


def _argv(
    command: tuple[str, ...],
    parser: argparse.ArgumentParser,
    paths: dict[str, str],
    odd: tuple[argparse.Action, str] | None = None,
) -> list[str]:
    args: list[str] = [*command, *ALWAYS.get(command, [])]
    positionals: list[str] = []
    groups_done: set[int] = set()
    for action in _value_actions(parser):
        fuzzed = odd is not None and odd[0] is action
        value = odd[1] if fuzzed and odd is not None else _sane(action, paths)
        if not action.option_strings:
            if action.required or action.nargs not in ("?", "*") or fuzzed:
                positionals.append(value)
            continue
        group = _exclusive_group(parser, action)
        needed = action.required or (group is not None and group.required)
        if group is not None and id(group) in groups_done and not fuzzed:
            continue
        if fuzzed or needed:
            if group is not None:
                groups_done.add(id(group))
            if action.option_strings[-1] in args:
                continue
            args += [action.option_strings[-1], value]
    return [*args, *positionals]


def _exclusive_group(
    parser: argparse.ArgumentParser, action: argparse.Action
) -> argparse._MutuallyExclusiveGroup | None:
    for group in parser._mutually_exclusive_groups:
        if action in group._group_actions:
            return group
    return None


def _cases(paths: dict[str, str]) -> list[tuple[str, list[str]]]:
    cases: list[tuple[str, list[str]]] = []
    for command, parser in _leaf_commands(cli.build_parser()):
        if command in SUBPROCESS_ONLY:
            continue
        name = " ".join(command)
        cases.append((f"{name} [sane]", _argv(command, parser, paths)))
        for action in _value_actions(parser):
            for label, value in ODD_TEXT.items():
                odd_argv = _argv(command, parser, paths, (action, value))
                cases.append((f"{name} {action.dest}={label}", odd_argv))
    return cases


def _check(name: str, code: object, out: str, err: str) -> None:
    assert code in (0, 1, 2), f"{name}: exit {code}\n{err}"
    assert "Traceback" not in err and "Traceback" not in out, f"{name}:\n{err}"
    assert "unexpected" not in err, f"{name}: {err}"
    if code == 2:
        assert err.strip(), f"{name}: exit 2 without a message"


@pytest.fixture(scope="module")
def corpus_home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A home with an entry, a running-timer history, a bundle and odd files around it."""
    root = tmp_path_factory.mktemp("bad-input")
    home = root / "home"
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        for argv in (
            ["add", "website", "--client", "acme", "--from", "2026-03-02T09:00:00Z",
             "--to", "2026-03-02T10:00:00Z"],
            ["export", "--client", "acme", "--from", "2026-03-01", "--to", "2026-03-31",
             "-o", str(root / "good.hproof"), "--no-reports", "--no-anchor"],
        ):  # fmt: skip
            assert cli.main(["--home", str(home), *argv]) == 0, out.getvalue()
    (root / "repo").mkdir()
    fifo = root / "fifo"
    os.mkfifo(fifo)
    (root / "empty.hproof").write_bytes(b"")
    (root / "random.hproof").write_bytes(os.urandom(4096))
    with zipfile.ZipFile(root / "empty-zip.hproof", "w"):
        pass
    good = zipfile.ZipFile(root / "good.hproof").read("manifest.json")
    with zipfile.ZipFile(root / "only-manifest.hproof", "w") as zf:
        zf.writestr("manifest.json", good)
    with zipfile.ZipFile(root / "traversal.hproof", "w") as zf:
        zf.writestr("../../evil", b"x")
    with zipfile.ZipFile(root / "bad-json.hproof", "w") as zf:
        zf.writestr("manifest.json", b'{"format": 1, "format": 2')
    truncated = (root / "good.hproof").read_bytes()
    (root / "truncated.hproof").write_bytes(truncated[: len(truncated) // 2])
    return {
        "home": str(home),
        "root": str(root),
        "bundle": str(root / "good.hproof"),
        "output": str(root / "out.hproof"),
        "since_bundle": str(root / "good.hproof"),
        "path": str(root / "repo"),
        "fifo": str(fifo),
    }


def test_every_subcommand_survives_odd_arguments(corpus_home, capsys, monkeypatch):
    paths = {k: v for k, v in corpus_home.items() if k not in ("home", "root", "fifo")}
    cases = _cases(paths)
    parser = cli.build_parser()  # built once: building it is most of a case's cost
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    scratch = Path(corpus_home["root"]) / "cwd"  # odd output names land here, not in the repo
    scratch.mkdir(exist_ok=True)
    monkeypatch.chdir(scratch)
    assert len(cases) > 300  # the parser really was walked
    failures: list[str] = []
    for name, argv in cases:
        try:
            code: object = cli.main(["--home", corpus_home["home"], *argv])
        except SystemExit as exc:  # --help and friends
            code = exc.code or 0
        except BaseException as exc:  # anything escaping main is a bug
            code = f"raised {type(exc).__name__}: {exc}"
        captured = capsys.readouterr()
        try:
            _check(name, code, captured.out, captured.err)
        except AssertionError as exc:
            failures.append(str(exc).split("\n")[0][:300] + " | " + captured.err.strip()[-300:])
    assert not failures, f"{len(failures)} of {len(cases)} cases:\n" + "\n".join(failures)


MALFORMED = ["empty", "random", "empty-zip", "only-manifest", "traversal", "bad-json",
             "truncated"]  # fmt: skip


EXPORT = [
    "export",
    "--client",
    "acme",
    "--from",
    "2026-03-01",
    "--to",
    "2026-03-31",
    "--no-reports",
    "--no-anchor",
]


def _run(argv: list[str], home: str, stdin: str | None = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DISPLAY": ":99", "WAYLAND_DISPLAY": ""}
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [*hourproof_command(), "--home", home, *argv], capture_output=True, text=True,
        env=env, input=stdin, timeout=HANG_GUARD, cwd=Path(home).parent,
    )  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [
        ["verify", "{fifo}"],
        ["verify", "/dev/zero"],
        ["verify", "{root}"],
        ["verify", "{bundle}", "--allowed-signers", "{fifo}"],
        ["verify", "{bundle}", "--known-checkpoint", "/dev/zero"],
        ["verify", "{bundle}", "--tsa-root", "{fifo}"],
        ["tsa", "add", "t", "http://127.0.0.1:9/", "--root", "{fifo}"],
        [*EXPORT, "-o", "{fifo}"],
        [*EXPORT, "-o", "{out}", "--since-bundle", "{fifo}"],
        ["ledger", "restore", "{fifo}", "--yes"],
        ["ledger", "restore", "/dev/zero", "--yes"],
        ["gui"],
        [],
        *[["verify", f"{{root}}/{name}.hproof"] for name in MALFORMED],
    ],
    ids=lambda argv: " ".join(argv)[:60] or "no-arguments",
)
def test_files_that_block_or_never_end_and_no_display(corpus_home, argv):
    subst = {**corpus_home, "out": str(Path(corpus_home["root"]) / "fifo-out.hproof")}
    result = _run([a.format(**subst) for a in argv], corpus_home["home"])
    _check(" ".join(argv), result.returncode, result.stdout, result.stderr)


def _on_a_terminal(argv: list[str], home: str, prompt: bytes) -> tuple[int, str]:
    """Run on a pseudo-terminal, press Ctrl-D once ``prompt`` shows; (exit code, output).

    Ctrl-D is sent only after the prompt is seen (getpass flushes earlier input), and
    every wait is bounded by select() with the hang guard, so nothing here can hang.
    """
    import pty
    import select
    import time

    env = {k: v for k, v in os.environ.items() if k != "HOURPROOF_PASSPHRASE"}
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [*hourproof_command(), "--home", home, *argv], stdin=follower, stdout=follower,
        stderr=follower, env=env, start_new_session=True, close_fds=True, cwd=Path(home).parent,
    )  # fmt: skip
    os.close(follower)
    output, sent = b"", False
    give_up = time.monotonic() + HANG_GUARD  # a hang guard only
    try:
        while time.monotonic() < give_up:
            ready, _, _ = select.select([leader], [], [], 1.0)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            output += chunk
            if not sent and prompt in output:
                os.write(leader, b"\x04")
                sent = True
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
    return proc.wait(timeout=HANG_GUARD), output.decode("utf-8", "replace")


def test_ctrl_d_at_the_passphrase_prompt_is_a_sentence(tmp_path):
    home = str(tmp_path / "home")
    for argv in (["add", "a", "--from", "09:00", "--to", "10:00"],):
        result = subprocess.run(
            [*hourproof_command(), "--home", home, *argv], capture_output=True, text=True,
            env={**os.environ, "HOURPROOF_PASSPHRASE": "secret"}, timeout=HANG_GUARD,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    code, output = _on_a_terminal(
        ["add", "b", "--from", "11:00", "--to", "12:00"], home, b"Passphrase"
    )
    assert code == 2, output
    assert "no passphrase was typed" in output and "Traceback" not in output


def test_restore_without_a_terminal_asks_for_yes(tmp_path):
    home = str(tmp_path / "home")
    assert cli.main(["--home", home, "add", "a", "--from", "09:00", "--to", "10:00"]) == 0
    result = _run(["ledger", "restore", "--accept-loss"], home, stdin=None)
    _check("restore without a terminal", result.returncode, result.stdout, result.stderr)
    assert "--yes" in result.stderr


def test_ctrl_d_at_the_restore_question_changes_nothing(tmp_path):
    home = str(tmp_path / "home")
    assert cli.main(["--home", home, "add", "a", "--from", "09:00", "--to", "10:00"]) == 0
    code, output = _on_a_terminal(["ledger", "restore", "--accept-loss"], home, b"Restore?")
    assert code == 0 and "Nothing was changed" in output, output
