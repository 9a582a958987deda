"""CLI conventions: help with examples/exit codes/environment, completion, man, version."""

from __future__ import annotations

import json
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.e2e.conftest import Run

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("command", [("import",), ("start",), ("tsa", "list"), ("verify",)])
def test_help_has_examples_exit_codes_and_environment(run: Run, command: tuple[str, ...]) -> None:
    out = run(*command, "--help")
    assert out.returncode == 0
    for heading in ("examples:", "exit codes:", "environment:", "HOURPROOF_HOME"):
        assert heading in out.stdout


def test_version_is_the_one_in_pyproject(run: Run) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert run("--version").stdout.strip() == f"hourproof {version}"


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_completion_scripts_parse_in_their_shell(run: Run, shell: str, tmp_path: Path) -> None:
    out = run("completion", shell)
    assert out.returncode == 0, out.stderr
    assert "import" in out.stdout and "timewarrior" in out.stdout
    exe = shutil.which(shell)
    if exe is None:
        pytest.skip(f"{shell} is not installed to check the script's syntax")
    script = tmp_path / f"hourproof.{shell}"
    script.write_text(out.stdout)
    check = subprocess.run([exe, "-n", str(script)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_fish_completion_covers_commands_and_choices(run: Run) -> None:
    out = run("completion", "fish")
    assert out.returncode == 0
    assert "complete -c hourproof -n '__fish_use_subcommand' -a import" in out.stdout
    assert "toggl clockify watson timewarrior ics" in out.stdout
    exe = shutil.which("fish")
    if exe is not None:
        check = subprocess.run([exe, "--no-execute"], input=out.stdout, text=True,
                               capture_output=True)  # fmt: skip
        assert check.returncode == 0, check.stderr


def test_man_page_lists_every_command_and_renders(run: Run, tmp_path: Path) -> None:
    out = run("man")
    assert out.returncode == 0
    for name in ("hourproof import", "hourproof desktop install", "hourproof tsa list",
                 "EXIT STATUS", "ENVIRONMENT"):  # fmt: skip
        assert name in out.stdout
    man = shutil.which("man")
    if man is None:
        pytest.skip("man is not installed to render the page")
    page = tmp_path / "hourproof.1"
    page.write_text(out.stdout)
    shown = subprocess.run([man, "-l", str(page)], capture_output=True, text=True,
                           env={"MANWIDTH": "80", "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert shown.returncode == 0 and "hourproof import" in shown.stdout


def test_export_identity_with_a_space_is_one_sentence(run: Run, tmp_path: Path) -> None:
    run("add", "web", "--client", "Acme", "--from", "2026-11-23 09:00", "--to", "2026-11-23 10:00")
    out = run("export", "--client", "Acme", "--from", "2026-11-01", "--to", "2026-11-30",
              "-o", str(tmp_path / "b.hproof"), "--identity", "Jane Doe",
              "--no-anchor")  # fmt: skip
    assert out.returncode == 2
    assert "unexpected" not in out.stderr and "--identity 'Jane Doe'" in out.stderr
    assert "Traceback" not in out.stderr


def test_export_json_reports_the_bundle(run: Run, tmp_path: Path) -> None:
    run("add", "web", "--client", "Acme", "--from", "2026-11-23 09:00", "--to", "2026-11-23 10:00")
    out = run("export", "--client", "Acme", "--from", "2026-11-01", "--to", "2026-11-30",
              "-o", str(tmp_path / "b.hproof"), "--no-anchor", "--no-reports",
              "--json")  # fmt: skip
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["entries"] == 1 and result["path"].endswith("b.hproof")


@pytest.mark.parametrize(
    "command",
    [("key", "show"), ("ledger", "rebuild"), ("git", "list"), ("watch", "list"),
     ("tsa", "list"), ("anchor", "--status"), ("rate", "--client", "Acme", "95.00", "EUR"),
     ("status",), ("log",), ("report",)],
)  # fmt: skip
def test_reporting_commands_speak_json(run: Run, command: tuple[str, ...]) -> None:
    out = run(*command, "--json")
    assert out.returncode == 0, out.stderr
    json.loads(out.stdout)


def test_desktop_install_and_uninstall_from_the_command_line(run: Run, tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    out = run("desktop", "install", "--autostart", "--json", env=env)
    assert out.returncode == 0, out.stderr
    installed = [Path(p) for p in json.loads(out.stdout)["installed"]]
    assert all(p.is_file() for p in installed)
    assert (tmp_path / "cfg" / "autostart" / "io.hourproof.Hourproof.desktop") in installed
    out = run("desktop", "uninstall", env=env)
    assert out.returncode == 0 and not any(p.exists() for p in installed)
