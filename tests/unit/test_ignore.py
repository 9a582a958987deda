"""Ignore rules for watched folders (hourproof.sources.ignore)."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from hourproof.sources import ignore
from hourproof.sources.ignore import IgnoreRules, is_ignore_file


def write(path: Path, text: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("rel", "is_dir"),
    [
        (".git", True),
        (".git/config", False),
        ("node_modules/left-pad/index.js", False),
        ("web/node_modules", True),
        (".venv/bin/python", False),
        ("venv", True),
        ("pkg/__pycache__/m.cpython-311.pyc", False),
        (".mypy_cache", True),
        (".pytest_cache/v/x", False),
        ("build/lib/a.py", False),
        ("dist/app.whl", False),
        ("target/debug/app", False),
        (".tox/py311", True),
        ("src/m.pyc", False),
        ("src/m.o", False),
        ("src/.m.py.swp", False),
        ("notes.txt~", False),
        (".DS_Store", False),
    ],
)
def test_default_ignores_cover_vcs_deps_caches_and_build_outputs(
    tmp_path: Path, rel: str, is_dir: bool
) -> None:
    assert IgnoreRules.for_root(tmp_path).ignored(rel, is_dir=is_dir)


@pytest.mark.parametrize("rel", ["src/main.py", "README.md", "docs/build.md", "env.py"])
def test_ordinary_work_files_are_not_ignored(tmp_path: Path, rel: str) -> None:
    assert not IgnoreRules.for_root(tmp_path).ignored(rel, is_dir=False)


def test_root_gitignore_patterns_apply(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.log\n/secret.txt\n")
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("logs/today.log", is_dir=False)
    assert rules.ignored("secret.txt", is_dir=False)
    assert not rules.ignored("sub/secret.txt", is_dir=False)


def test_nested_gitignore_applies_relative_to_its_folder(tmp_path: Path) -> None:
    write(tmp_path / "web" / ".gitignore", "/gen/\n*.map\n")
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("web/gen/app.js", is_dir=False)
    assert rules.ignored("web/deep/app.js.map", is_dir=False)
    assert not rules.ignored("gen/app.js", is_dir=False)
    assert not rules.ignored("app.js.map", is_dir=False)


def test_negation_re_includes_a_file(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.log\n!keep.log\n")
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("a.log", is_dir=False)
    assert not rules.ignored("keep.log", is_dir=False)


def test_deeper_gitignore_overrides_shallower(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.csv\n")
    write(tmp_path / "data" / ".gitignore", "!*.csv\n")
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("top.csv", is_dir=False)
    assert not rules.ignored("data/table.csv", is_dir=False)


def test_project_can_re_include_a_default(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "!build/\n")
    assert not IgnoreRules.for_root(tmp_path).ignored("build/notes.md", is_dir=False)


def test_vcs_folders_cannot_be_re_included(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "!.git/\n")
    assert IgnoreRules.for_root(tmp_path).ignored(".git/HEAD", is_dir=False)


def test_file_in_ignored_folder_stays_ignored_despite_negation(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "cache/\n!cache/keep.txt\n")
    assert IgnoreRules.for_root(tmp_path).ignored("cache/keep.txt", is_dir=False)


def test_hourproofignore_adds_rules_and_wins_over_gitignore(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "*.pdf\n")
    write(tmp_path / ".hourproofignore", "scratch/\n!manual.pdf\n")
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("scratch/x.py", is_dir=False)
    assert not rules.ignored("manual.pdf", is_dir=False)
    assert rules.ignored("other.pdf", is_dir=False)


def test_git_info_exclude_is_read(tmp_path: Path) -> None:
    write(tmp_path / ".git" / "info" / "exclude", "*.local\n")
    assert IgnoreRules.for_root(tmp_path).ignored("settings.local", is_dir=False)


def test_dir_only_pattern_does_not_match_a_file(tmp_path: Path) -> None:
    write(tmp_path / ".gitignore", "tmp/\n")
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("tmp", is_dir=True)
    assert not rules.ignored("tmp", is_dir=False)


def test_paths_outside_the_root_count_as_ignored(tmp_path: Path) -> None:
    rules = IgnoreRules.for_root(tmp_path)
    assert rules.ignored("../elsewhere.py", is_dir=False)
    assert rules.ignored("/etc/passwd", is_dir=False)


def test_load_dir_picks_up_an_edited_gitignore(tmp_path: Path) -> None:
    rules = IgnoreRules.for_root(tmp_path)
    assert not rules.ignored("a.tmp", is_dir=False)
    write(tmp_path / ".gitignore", "*.tmp\n")
    rules.load_dir("")
    assert rules.ignored("a.tmp", is_dir=False)
    (tmp_path / ".gitignore").unlink()
    rules.load_dir("")
    assert not rules.ignored("a.tmp", is_dir=False)


def test_walk_skips_ignored_folders_and_symlinks(tmp_path: Path) -> None:
    for folder in ("src/pkg", "node_modules/x", "docs", "src/build"):
        (tmp_path / folder).mkdir(parents=True)
    os.symlink(tmp_path, tmp_path / "src" / "loop")
    walked = sorted(IgnoreRules(tmp_path).walk())
    assert walked == ["", "docs", "src", "src/pkg"]


def test_walk_reports_unreadable_folder_and_continues(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "locked" / "inner").mkdir(parents=True)
    (tmp_path / "open").mkdir()
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(ignore, "_scandir", scandir)
    errors: list[str] = []
    walked = sorted(IgnoreRules(tmp_path).walk("", lambda rel, exc: errors.append(rel)))
    assert "locked/inner" not in walked
    assert "open" in walked
    assert errors == ["locked"]


def test_ignore_files_are_recognised() -> None:
    assert is_ignore_file("a/b/.gitignore")
    assert is_ignore_file(".hourproofignore")
    assert not is_ignore_file("gitignore.md")
