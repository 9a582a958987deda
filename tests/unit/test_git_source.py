"""hourproof.sources.git against real repositories made with the git CLI in tmp_path."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from hourproof.sources.git import (
    CommitRecord,
    GitError,
    branch_tips,
    inspect_repo,
    read_commit_objects,
    read_commits,
    scan_commits,
    verify_commits_in_clone,
)

ME = "me@example.com"


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
        monkeypatch.setenv(f"GIT_{role}_DATE", "2026-03-01T10:00:00+01:00")


def git(repo: Path, *args: str, env: dict[str, str] | None = None, input: str | None = None) -> str:
    full = {**os.environ, **(env or {})}
    done = subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env=full,
        input=input,
    )
    return done.stdout.strip()


def make_repo(path: Path, *extra: str) -> Path:
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "init", "-q", *extra, str(path)], check=True
    )
    return path


def commit(repo: Path, files: dict[str, str] | None = None, msg: str = "work", **env: str) -> str:
    for name, text in (files or {}).items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
        git(repo, "add", name)
    git(repo, "commit", "-q", "--allow-empty", "-m", msg, env=env)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "repo")


def by_id(records: Iterable[CommitRecord]) -> dict[str, CommitRecord]:
    return {r.commit: r for r in records}


# --- fields -----------------------------------------------------------------


def test_record_carries_the_commit_fields(repo: Path) -> None:
    commit(repo, {"a.txt": "one\ntwo\nthree\n"}, msg="first")
    cid = commit(
        repo,
        {"a.txt": "one\n2\nthree\nfour\n", "b.txt": "b\n"},
        msg="Second change\n\nbody text",
        GIT_AUTHOR_DATE="2026-03-02T23:30:00+02:00",
    )
    (rec,) = [r for r in scan_commits(repo, [ME]) if r.commit == cid]
    assert rec.object_format == "sha1"
    assert rec.tree == git(repo, "rev-parse", "HEAD^{tree}")
    assert rec.parents == (git(repo, "rev-parse", "HEAD~1"),)
    assert rec.author_email == ME
    assert rec.author_date == "2026-03-02T21:30:00Z"
    assert rec.committer_date == "2026-03-01T09:00:00Z"
    assert (rec.files_changed, rec.insertions, rec.deletions) == (2, 3, 1)
    assert rec.subject == "Second change"
    assert rec.shallow_boundary is False


def test_object_sha256_is_the_hash_of_cat_file_output(repo: Path) -> None:
    cid = commit(repo, {"a.txt": "x\n"}, msg="ünïcode subject")
    raw = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "commit", cid], check=True, capture_output=True
    ).stdout
    (rec,) = scan_commits(repo, [ME])
    assert rec.object_sha256 == hashlib.sha256(raw).hexdigest()
    assert rec.subject == "ünïcode subject"


def test_root_commit_counts_its_files(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n2\n", "b.txt": "3\n"})
    (rec,) = scan_commits(repo, [ME])
    assert (rec.files_changed, rec.insertions, rec.deletions) == (2, 3, 0)
    assert rec.parents == ()


def test_empty_commit_has_no_changed_files(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    cid = commit(repo, msg="nothing")
    rec = by_id(scan_commits(repo, [ME]))[cid]
    assert (rec.files_changed, rec.insertions, rec.deletions) == (0, 0, 0)


def test_merge_commit_has_two_parents_and_no_changed_files(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    git(repo, "checkout", "-q", "-b", "topic")
    side = commit(repo, {"b.txt": "b\n"})
    git(repo, "checkout", "-q", "main")
    base = commit(repo, {"c.txt": "c\n"})
    git(repo, "merge", "-q", "--no-ff", "-m", "merge topic", "topic")
    merge = git(repo, "rev-parse", "HEAD")
    rec = by_id(scan_commits(repo, [ME]))[merge]
    assert rec.parents == (base, side)
    assert rec.files_changed == 0


# --- which commits ----------------------------------------------------------


def test_only_the_users_commits_are_returned(repo: Path) -> None:
    mine = commit(repo, {"a.txt": "1\n"})
    commit(repo, {"b.txt": "2\n"}, GIT_AUTHOR_EMAIL="someone@else.org")
    assert [r.commit for r in scan_commits(repo, [ME])] == [mine]


def test_author_match_ignores_case(repo: Path) -> None:
    mine = commit(repo, {"a.txt": "1\n"}, GIT_AUTHOR_EMAIL="Me@Example.COM")
    assert [r.commit for r in scan_commits(repo, ["ME@example.com"])] == [mine]


def test_any_of_several_author_emails_matches(repo: Path) -> None:
    a = commit(repo, {"a.txt": "1\n"}, GIT_AUTHOR_EMAIL="work@corp.example")
    b = commit(repo, {"b.txt": "2\n"})
    commit(repo, {"c.txt": "3\n"}, GIT_AUTHOR_EMAIL="other@corp.example")
    found = {r.commit for r in scan_commits(repo, [ME, "work@corp.example"])}
    assert found == {a, b}


def test_email_that_merely_contains_the_users_is_not_matched(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"}, GIT_AUTHOR_EMAIL="not" + ME)
    assert list(scan_commits(repo, [ME])) == []


def test_none_means_every_author_and_empty_means_none(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"}, GIT_AUTHOR_EMAIL="x@y.org")
    assert len(list(scan_commits(repo, None))) == 1
    assert list(scan_commits(repo, [])) == []


def test_mailmap_does_not_hide_the_recorded_email(repo: Path) -> None:
    (repo / ".mailmap").write_text(f"Other <other@example.org> <{ME}>\n")
    mine = commit(repo, {".mailmap": (repo / ".mailmap").read_text()})
    assert [r.author_email for r in scan_commits(repo, [ME])] == [ME]
    assert [r.commit for r in scan_commits(repo, [ME])] == [mine]


def test_commit_on_several_branches_appears_once(repo: Path) -> None:
    shared = commit(repo, {"a.txt": "1\n"})
    for name in ("b1", "b2", "b3"):
        git(repo, "branch", name)
    ids = [r.commit for r in scan_commits(repo, [ME])]
    assert ids == [shared]


def test_all_local_branches_are_scanned(repo: Path) -> None:
    base = commit(repo, {"a.txt": "1\n"})
    git(repo, "checkout", "-q", "-b", "side")
    side = commit(repo, {"b.txt": "2\n"})
    git(repo, "checkout", "-q", "main")
    assert {r.commit for r in scan_commits(repo, [ME])} == {base, side}


def test_known_commits_are_skipped(repo: Path) -> None:
    old = commit(repo, {"a.txt": "1\n"})
    new = commit(repo, {"a.txt": "2\n"})
    assert [r.commit for r in scan_commits(repo, [ME], {old})] == [new]
    assert [r.commit for r in scan_commits(repo, [ME], lambda c: c == new)] == [old]


def test_rescan_from_remembered_tips_sees_only_new_commits(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    tips = branch_tips(repo)
    assert len(list(scan_commits(repo, [ME]))) == 1
    new = commit(repo, {"a.txt": "2\n"})
    again = [r.commit for r in scan_commits(repo, [ME], exclude_tips=tips.values())]
    assert again == [new]


def test_rescan_with_nothing_new_returns_nothing(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    tips = branch_tips(repo)
    assert list(scan_commits(repo, [ME], tips=tips.values(), exclude_tips=tips.values())) == []


def test_remembered_tip_that_no_longer_exists_is_ignored(repo: Path) -> None:
    cid = commit(repo, {"a.txt": "1\n"})
    gone = "0123456789abcdef0123456789abcdef01234567"
    assert [r.commit for r in scan_commits(repo, [ME], exclude_tips=[gone])] == [cid]


def test_rewritten_branch_yields_the_rewritten_commits(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    old = commit(repo, {"a.txt": "2\n"}, msg="before amend")
    tips = branch_tips(repo)
    git(repo, "commit", "-q", "--amend", "-m", "after amend")
    new = git(repo, "rev-parse", "HEAD")
    assert new != old
    assert [r.commit for r in scan_commits(repo, [ME], exclude_tips=tips.values())] == [new]


def test_branch_tips_lists_branches(repo: Path) -> None:
    cid = commit(repo, {"a.txt": "1\n"})
    git(repo, "branch", "other")
    assert branch_tips(repo) == {"refs/heads/main": cid, "refs/heads/other": cid}


def test_two_thousand_branches(repo: Path) -> None:
    base = commit(repo, {"a.txt": "0\n"})
    stream = []
    for i in range(2000):
        data = f"c{i}\n"
        stream.append(
            f"commit refs/heads/topic/{i:04d}\nmark :{i + 1}\n"
            f"author Me <{ME}> 1772355600 +0000\ncommitter Me <{ME}> 1772355600 +0000\n"
            f"data {len(data)}\n{data}from {base}\nM 100644 inline f{i}.txt\ndata 2\nx\n\n"
        )
    git(repo, "fast-import", "--quiet", input="".join(stream))
    tips = branch_tips(repo)
    assert len(tips) == 2001
    assert len({r.commit for r in scan_commits(repo, [ME])}) == 2001
    assert list(scan_commits(repo, [ME], exclude_tips=tips.values())) == []


def test_detached_head_is_reported_and_its_commits_scanned(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    git(repo, "checkout", "-q", "--detach")
    loose = commit(repo, {"a.txt": "2\n"})
    assert inspect_repo(repo).detached is True
    assert branch_tips(repo)["HEAD"] == loose
    assert loose in {r.commit for r in scan_commits(repo, [ME])}


def test_read_commits_returns_exactly_the_named_commits(repo: Path) -> None:
    first = commit(repo, {"a.txt": "1\n"})
    commit(repo, {"a.txt": "2\n"})
    assert [r.commit for r in read_commits(repo, [first])] == [first]


def test_read_commits_of_a_missing_id_returns_nothing(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    assert list(read_commits(repo, ["0123456789abcdef0123456789abcdef01234567"])) == []


def test_malformed_commit_id_is_refused(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    with pytest.raises(GitError, match="not a full commit id"):
        list(read_commits(repo, ["HEAD"]))


def test_git_dir_in_the_environment_does_not_redirect_the_scan(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = commit(repo, {"a.txt": "1\n"})
    other = make_repo(tmp_path / "other")
    commit(other, {"b.txt": "2\n"})
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))  # as inside another repo's hook
    assert [r.commit for r in scan_commits(repo, [ME])] == [mine]


def test_replace_refs_do_not_change_the_recorded_object(repo: Path) -> None:
    cid = commit(repo, {"a.txt": "1\n"}, msg="original")
    raw = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "commit", cid], check=True, capture_output=True
    ).stdout
    fake = git(repo, "commit-tree", git(repo, "rev-parse", "HEAD^{tree}"), "-m", "forged")
    git(repo, "replace", cid, fake)
    (rec,) = scan_commits(repo, [ME])
    assert (rec.subject, rec.object_sha256) == ("original", hashlib.sha256(raw).hexdigest())


# --- repository kinds and bad input -----------------------------------------


def test_sha256_object_format_repository(tmp_path: Path) -> None:
    repo = make_repo(tmp_path / "r256", "--object-format=sha256")
    cid = commit(repo, {"a.txt": "1\n"})
    raw = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "commit", cid], check=True, capture_output=True
    ).stdout
    (rec,) = scan_commits(repo, [ME])
    assert len(cid) == 64
    assert (rec.commit, rec.object_format) == (cid, "sha256")
    assert rec.object_sha256 == hashlib.sha256(raw).hexdigest()
    assert len(rec.tree) == 64
    assert inspect_repo(repo).object_format == "sha256"


def test_shallow_clone_is_flagged_and_its_cut_off_commit_marked(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    cut = commit(repo, {"a.txt": "2\n", "b.txt": "b\n"})
    top = commit(repo, {"a.txt": "3\n"})
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "2", f"file://{repo}", str(clone)], check=True)
    assert inspect_repo(clone).shallow is True
    recs = by_id(scan_commits(clone, [ME]))
    assert set(recs) == {cut, top}
    boundary = recs[cut]
    assert boundary.shallow_boundary is True
    assert boundary.files_changed == 0
    assert len(boundary.parents) == 1  # from the object itself
    assert recs[top].files_changed == 1


def test_inspect_repo_finds_the_top_level_from_a_subfolder(repo: Path) -> None:
    root = commit(repo, {"sub/a.txt": "1\n"})
    git(repo, "config", "user.email", "Configured@Example.com")
    info = inspect_repo(repo / "sub")
    assert info.path == repo.resolve()
    assert (info.object_format, info.shallow, info.detached) == ("sha1", False, False)
    assert info.user_email == "Configured@Example.com"
    assert info.root_commits == (root,)


def test_inspect_repo_of_an_empty_repository(repo: Path) -> None:
    info = inspect_repo(repo)
    assert (info.root_commits, info.detached, info.user_email) == ((), False, None)
    assert list(scan_commits(repo, [ME])) == []


def test_not_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(GitError, match="not a git repository"):
        inspect_repo(plain)
    with pytest.raises(GitError, match="not a git repository"):
        list(scan_commits(plain, [ME]))


def test_deleted_repository_is_a_clear_error(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    shutil.rmtree(repo)
    with pytest.raises(GitError, match="moved or deleted"):
        list(scan_commits(repo, [ME]))


def test_removed_nested_repository_does_not_fall_back_to_the_enclosing_one(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    inner = make_repo(repo / "inner")
    commit(inner, {"b.txt": "2\n"})
    shutil.rmtree(inner / ".git")
    with pytest.raises(GitError, match="not a git repository"):
        list(scan_commits(inner, [ME]))


# --- reading and verifying objects ------------------------------------------


def test_read_commit_objects_returns_raw_bytes(repo: Path) -> None:
    cid = commit(repo, {"a.txt": "1\n"})
    raw = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "commit", cid], check=True, capture_output=True
    ).stdout
    missing = "0123456789abcdef0123456789abcdef01234567"
    assert read_commit_objects(repo, [cid, missing]) == {cid: raw}


def test_verify_accepts_commits_present_with_the_same_bytes(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    recs = list(scan_commits(repo, [ME]))
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    assert verify_commits_in_clone(clone, {r.commit: r.object_sha256 for r in recs}) == []


def test_verify_names_missing_and_different_objects(repo: Path, tmp_path: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    (rec,) = scan_commits(repo, [ME])
    missing = "0123456789abcdef0123456789abcdef01234567"
    problems = verify_commits_in_clone(repo, {rec.commit: "ab" * 32, missing: "cd" * 32})
    assert len(problems) == 2
    assert any(rec.commit in p and "differs" in p for p in problems)
    assert any(missing in p and "missing" in p for p in problems)


def test_verify_rejects_ids_that_are_not_commit_ids(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    problems = verify_commits_in_clone(repo, {"HEAD\nrefs/heads/main": "00" * 32})
    assert len(problems) == 1 and "not a commit id" in problems[0]


def test_verify_names_an_object_that_is_not_a_commit(repo: Path) -> None:
    commit(repo, {"a.txt": "1\n"})
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    (problem,) = verify_commits_in_clone(repo, {tree: "00" * 32})
    assert "tree" in problem


def test_verify_reports_a_path_that_is_not_a_repository(tmp_path: Path) -> None:
    (problem,) = verify_commits_in_clone(tmp_path / "nowhere", {"ab" * 20: "00" * 32})
    assert "moved or deleted" in problem
