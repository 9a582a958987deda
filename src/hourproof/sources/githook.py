"""The post-commit hook that records each commit the moment it is made.

Importing the store takes far longer than a commit should wait, so the hook is
plain POSIX sh that starts no Python: it writes "<commit id> <repo top level>\\n"
into a new file in a spool folder (written under a temporary name, then
renamed, so a reader never sees half a line) and the app or the next command
ingests the spool. It swallows every error and cannot fail the commit (git
ignores a post-commit hook's exit status anyway). An existing hook is kept as
post-commit.hourproof-prev and run after ours; uninstalling puts it back as it was.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from hourproof.sources.git import GitError, hooks_dir, inspect_repo

__all__ = [
    "SpoolContents",
    "SpoolItem",
    "hook_installed",
    "install_hook",
    "read_spool",
    "uninstall_hook",
]

HOOK = "post-commit"
PREV = "post-commit.hourproof-prev"
MARKER = "# hourproof post-commit hook v1"
_STALE_TMP_SECONDS = 600  # a hook writes its file within milliseconds
_MAX_SPOOL_FILE = 8192
_NAME = re.compile(r"([0-9a-f]{40}|[0-9a-f]{64})-[0-9]+\.commit")
_LINE = re.compile(r"([0-9a-f]{40}|[0-9a-f]{64}) (/.*)\n", re.DOTALL)

_SCRIPT = """#!/bin/sh
{marker}
# Records each new commit for hourproof: it only writes one small file into
# hourproof's spool, never fails and never slows the commit. The hook this one
# replaced (if any) is kept beside it as {prev} and runs after it;
# `hourproof git hook uninstall` puts it back.
hourproof_spool={spool}
(
  umask 077
  [ -d "$hourproof_spool" ] || exit 0
  out=$(git rev-parse HEAD --show-toplevel 2>/dev/null) || exit 0
  c=${{out%%
*}}
  t=${{out#*
}}
  case $c in ''|*[!0-9a-f]*) exit 0 ;; esac
  tmp="$hourproof_spool/.tmp-$c-$$"
  if printf '%s %s\\n' "$c" "$t" >"$tmp"; then
    mv -f "$tmp" "$hourproof_spool/$c-$$.commit" || rm -f "$tmp"
  fi
) </dev/null >/dev/null 2>&1
case $0 in
  */*) hourproof_prev=${{0%/*}}/{prev} ;;
  *) hourproof_prev={prev} ;;
esac
if [ -f "$hourproof_prev" ] && [ -x "$hourproof_prev" ]; then
  exec "$hourproof_prev" "$@"
fi
exit 0
"""


@dataclass(frozen=True)
class SpoolItem:
    path: Path  # the spool file: remove it once the commit is in the ledger
    commit: str
    repo: Path  # top level of the work tree the commit was made in

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class SpoolContents:
    items: tuple[SpoolItem, ...]  # oldest first
    malformed: tuple[Path, ...]  # files that are not spool entries (or stale temp files)


def _sh_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _is_ours(hook: Path) -> bool:
    try:
        with hook.open("rb") as f:
            return MARKER.encode() in f.read(4096)
    except OSError:
        return False


def hook_installed(repo_path: str | os.PathLike[str]) -> bool:
    return _is_ours(hooks_dir(repo_path) / HOOK)


def install_hook(repo_path: str | os.PathLike[str], spool_dir: str | os.PathLike[str]) -> Path:
    """Install (or refresh) the hook for the repository at REPO_PATH; return its path."""
    hooks = _hooks_we_may_change(repo_path)
    hook, prev = hooks / HOOK, hooks / PREV
    spool = Path(spool_dir).expanduser().absolute()
    if "\n" in str(spool):
        raise GitError(f"spool folder name contains a line break: {spool!r}")
    try:
        spool.mkdir(mode=0o700, parents=True, exist_ok=True)
        hooks.mkdir(parents=True, exist_ok=True)
        if hook.is_dir():
            raise GitError(f"cannot install the hook: {hook} is a folder")
        if (hook.exists() or hook.is_symlink()) and not _is_ours(hook):
            if prev.exists() or prev.is_symlink():
                raise GitError(f"cannot chain to {hook}: {prev} already exists; move one away")
            os.rename(hook, prev)
        _write_executable(
            hook, _SCRIPT.format(marker=MARKER, prev=PREV, spool=_sh_quote(str(spool)))
        )
    except OSError as exc:
        raise GitError(f"cannot install the hook in {hooks}: {exc.strerror or exc}") from None
    return hook


def _hooks_we_may_change(repo_path: str | os.PathLike[str]) -> Path:
    top = inspect_repo(repo_path, with_roots=False).path
    hooks = hooks_dir(top)
    if (top / "HEAD").is_file() and (top / "objects").is_dir():
        raise GitError(f"bare repository: no commits are made in it, so no hook would run: {top}")
    if hooks.is_relative_to(top) and hooks.relative_to(top).parts[:1] != (".git",):
        # core.hooksPath inside the project (husky and the like): a file there
        # could end up committed, with this machine's paths in it.
        raise GitError(
            f"the hooks folder {hooks} is part of the project (core.hooksPath); not adding "
            "a file there. `hourproof git scan` still records this repository's commits"
        )
    return hooks


def uninstall_hook(repo_path: str | os.PathLike[str]) -> bool:
    """Remove our hook and restore the one it replaced; False if ours was not there."""
    hooks = hooks_dir(repo_path)
    hook, prev = hooks / HOOK, hooks / PREV
    if not _is_ours(hook):
        return False
    try:
        if prev.exists() or prev.is_symlink():
            os.replace(prev, hook)  # a rename keeps its bytes, mode and times exactly
        else:
            hook.unlink()
    except OSError as exc:
        raise GitError(f"cannot remove the hook {hook}: {exc.strerror or exc}") from None
    return True


def _write_executable(target: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".hourproof-", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o755)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_spool(spool_dir: str | os.PathLike[str]) -> SpoolContents:
    """Spooled commits, oldest first. Never raises for bad entries: lists them as malformed."""
    spool = Path(spool_dir)
    found: list[tuple[int, str, SpoolItem]] = []
    bad: list[Path] = []
    try:
        entries = list(os.scandir(spool))
    except (FileNotFoundError, NotADirectoryError):
        return SpoolContents((), ())
    now = time.time()
    for entry in entries:
        path = spool / entry.name
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue  # removed meanwhile
        if entry.name.startswith(".tmp-"):  # a hook still writing, or one that died
            if now - st.st_mtime > _STALE_TMP_SECONDS:
                bad.append(path)
            continue
        item = _parse(path, entry, st.st_size)
        if item is None:
            bad.append(path)
        else:
            found.append((st.st_mtime_ns, entry.name, item))
    found.sort(key=lambda t: (t[0], t[1]))
    return SpoolContents(tuple(t[2] for t in found), tuple(sorted(bad)))


def _parse(path: Path, entry: os.DirEntry[str], size: int) -> SpoolItem | None:
    name = _NAME.fullmatch(entry.name)
    if not name or not entry.is_file(follow_symlinks=False) or size > _MAX_SPOOL_FILE:
        return None
    try:
        text = os.fsdecode(path.read_bytes())
    except OSError:
        return None
    line = _LINE.fullmatch(text)
    if not line or line.group(1) != name.group(1) or "\n" in line.group(2):
        return None
    return SpoolItem(path=path, commit=line.group(1), repo=Path(line.group(2)))
