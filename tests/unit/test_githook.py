"""hourproof.sources.githook: the post-commit hook and its spool, with real `git commit`s."""

from __future__ import annotations

import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from hourproof.sources.git import GitError
from hourproof.sources.githook import (
    MARKER,
    PREV,
    hook_installed,
    install_hook,
    read_spool,
    uninstall_hook,
)

ME = "me@example.com"
CID = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture(autouse=True)
def _git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the real ~/.gitconfig; fixed identities for every commit."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Me")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", ME)


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(path)], check=True)
    return path


@pytest.fixture
def spool(tmp_path: Path) -> Path:
    return tmp_path / "spool"


def commit(repo: Path, msg: str = "work") -> subprocess.CompletedProcess[str]:
    return git(repo, "commit", "-q", "--allow-empty", "-m", msg)


def head(repo: Path) -> str:
    return git(repo, "rev-parse", "HEAD").stdout.strip()


def write_hook(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)


# --- install / uninstall ----------------------------------------------------


def test_install_writes_an_executable_sh_hook(repo: Path, spool: Path) -> None:
    hook = install_hook(repo, spool)
    assert hook == repo / ".git" / "hooks" / "post-commit"
    text = hook.read_text()
    assert text.startswith("#!/bin/sh\n") and MARKER in text
    assert hook.stat().st_mode & stat.S_IXUSR
    assert "python" not in text and spool.is_dir()
    assert hook_installed(repo)


def test_install_twice_leaves_one_hook_and_no_chain(repo: Path, spool: Path) -> None:
    first = install_hook(repo, spool).read_text()
    second = install_hook(repo, spool).read_text()
    assert first == second
    assert not (repo / ".git" / "hooks" / PREV).exists()


def test_install_keeps_an_existing_hook_and_runs_it_after_ours(repo: Path, spool: Path) -> None:
    old = repo / ".git" / "hooks" / "post-commit"
    write_hook(old, 'echo "previous hook ran" >&2')
    install_hook(repo, spool)
    install_hook(repo, spool)  # a reinstall must not chain to itself
    assert "previous hook ran" in (repo / ".git" / "hooks" / PREV).read_text()
    done = commit(repo)
    assert done.stderr.count("previous hook ran") == 1
    assert len(read_spool(spool).items) == 1


def test_uninstall_restores_the_previous_hook_exactly(repo: Path, spool: Path) -> None:
    old = repo / ".git" / "hooks" / "post-commit"
    write_hook(old, "exit 0 # mine")
    old.chmod(0o750)
    before = (old.read_bytes(), old.stat().st_mode)
    install_hook(repo, spool)
    assert uninstall_hook(repo) is True
    assert (old.read_bytes(), old.stat().st_mode) == before
    assert not (repo / ".git" / "hooks" / PREV).exists()


def test_uninstall_without_a_previous_hook_removes_ours(repo: Path, spool: Path) -> None:
    hook = install_hook(repo, spool)
    assert uninstall_hook(repo) is True
    assert not hook.exists()
    assert not hook_installed(repo)


def test_uninstall_leaves_a_foreign_hook_alone(repo: Path) -> None:
    foreign = repo / ".git" / "hooks" / "post-commit"
    write_hook(foreign, "exit 0")
    assert uninstall_hook(repo) is False
    assert foreign.exists()


def test_install_honours_core_hooks_path(repo: Path, spool: Path, tmp_path: Path) -> None:
    git(repo, "config", "core.hooksPath", str(tmp_path / "shared-hooks"))
    hook = install_hook(repo, spool)
    assert hook == tmp_path / "shared-hooks" / "post-commit"
    commit(repo)
    assert [i.commit for i in read_spool(spool).items] == [head(repo)]


def test_install_refuses_a_hooks_folder_inside_the_work_tree(repo: Path, spool: Path) -> None:
    git(repo, "config", "core.hooksPath", ".husky")
    with pytest.raises(GitError, match="part of the project"):
        install_hook(repo, spool)
    assert not (repo / ".husky").exists()


def test_install_refuses_a_bare_repository(tmp_path: Path, spool: Path) -> None:
    bare = tmp_path / "bare.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    with pytest.raises(GitError, match="bare repository"):
        install_hook(bare, spool)


def test_install_refuses_when_the_chain_name_is_taken(repo: Path, spool: Path) -> None:
    hooks = repo / ".git" / "hooks"
    write_hook(hooks / "post-commit", "exit 0")
    write_hook(hooks / PREV, "exit 0")
    with pytest.raises(GitError, match="already exists"):
        install_hook(repo, spool)


def test_install_in_a_folder_that_is_not_a_repository_fails(tmp_path: Path, spool: Path) -> None:
    (tmp_path / "plain").mkdir()
    with pytest.raises(GitError, match="not a git repository"):
        install_hook(tmp_path / "plain", spool)


# --- the hook at commit time ------------------------------------------------


def test_commit_leaves_a_spool_entry_naming_commit_and_repo(repo: Path, spool: Path) -> None:
    install_hook(repo, spool)
    (repo / "sub").mkdir()
    subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", "x"], cwd=repo / "sub", check=True
    )
    (item,) = read_spool(spool).items
    assert (item.commit, item.repo) == (head(repo), repo.resolve())
    assert item.path.parent == spool


def test_commit_in_a_linked_worktree_is_spooled_with_that_worktree(
    repo: Path, spool: Path, tmp_path: Path
) -> None:
    commit(repo)
    tree = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", "-b", "side", str(tree))
    assert install_hook(tree, spool) == repo / ".git" / "hooks" / "post-commit"
    commit(tree)
    (item,) = read_spool(spool).items
    assert (item.commit, item.repo) == (head(tree), tree.resolve())


def test_spool_path_with_spaces_and_quotes_works(repo: Path, tmp_path: Path) -> None:
    odd = tmp_path / "it's a spool"
    install_hook(repo, odd)
    commit(repo)
    assert [i.commit for i in read_spool(odd).items] == [head(repo)]


@pytest.mark.parametrize("breakage", ["removed", "a file", "read-only"])
def test_commit_succeeds_when_the_spool_is_unusable(repo: Path, spool: Path, breakage: str) -> None:
    install_hook(repo, spool)
    if breakage == "removed":
        spool.rmdir()
    elif breakage == "a file":
        spool.rmdir()
        spool.write_text("not a folder")
    else:
        if os.geteuid() == 0:
            pytest.skip("root can write to a read-only folder")
        spool.chmod(0o500)
    done = commit(repo, "still fine")
    assert done.returncode == 0 and done.stderr == ""
    assert git(repo, "log", "-1", "--format=%s").stdout.strip() == "still fine"


def test_commit_succeeds_when_the_previous_hook_fails(repo: Path, spool: Path) -> None:
    write_hook(repo / ".git" / "hooks" / "post-commit", 'echo "old hook failed" >&2; exit 1')
    install_hook(repo, spool)
    done = commit(repo, "kept")
    assert "old hook failed" in done.stderr
    assert git(repo, "log", "-1", "--format=%s").stdout.strip() == "kept"
    assert len(read_spool(spool).items) == 1


def test_each_commit_gets_its_own_spool_entry(repo: Path, spool: Path) -> None:
    install_hook(repo, spool)
    ids = []
    for n in range(3):
        commit(repo, f"c{n}")
        ids.append(head(repo))
    assert sorted(i.commit for i in read_spool(spool).items) == sorted(ids)


# --- reading the spool ------------------------------------------------------


def test_read_spool_of_a_missing_folder_is_empty(tmp_path: Path) -> None:
    contents = read_spool(tmp_path / "none")
    assert (contents.items, contents.malformed) == ((), ())


def test_read_spool_lists_oldest_first(spool: Path) -> None:
    spool.mkdir()
    other = "f" * 40
    for i, cid in enumerate((other, CID)):
        path = spool / f"{cid}-1.commit"
        path.write_text(f"{cid} /r\n")
        os.utime(path, (1000 + i, 1000 + i))
    assert [i.commit for i in read_spool(spool).items] == [other, CID]


def test_read_spool_reports_malformed_files(spool: Path) -> None:
    spool.mkdir()
    (spool / "junk.txt").write_text("hello")
    (spool / f"{CID}-1.commit").write_text("not a line")
    (spool / f"{CID}-2.commit").write_text(f"{'a' * 40} /repo\n")  # id differs from its name
    (spool / f"{CID}-3.commit").write_text(f"{CID} relative/path\n")
    (spool / f"{CID}-4.commit").write_bytes(b"\xff" * 9000)
    (spool / f"{CID}-5.commit").write_text(f"{CID} /repo/ok\n")
    contents = read_spool(spool)
    assert [i.repo for i in contents.items] == [Path("/repo/ok")]
    assert len(contents.malformed) == 5


def test_read_spool_skips_fresh_temp_files_and_reports_stale_ones(spool: Path) -> None:
    spool.mkdir()
    fresh = spool / f".tmp-{CID}-1"
    stale = spool / f".tmp-{CID}-2"
    fresh.write_text("")
    stale.write_text("")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    contents = read_spool(spool)
    assert contents.items == () and contents.malformed == (stale,)


def test_spool_item_remove_deletes_its_file(repo: Path, spool: Path) -> None:
    install_hook(repo, spool)
    commit(repo)
    (item,) = read_spool(spool).items
    item.remove()
    item.remove()  # twice is fine
    assert read_spool(spool).items == ()
