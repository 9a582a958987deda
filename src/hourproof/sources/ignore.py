"""Which paths under a watched root are not work: defaults plus .gitignore files.

Rules, lowest precedence first (as git orders them):

1. ``DEFAULT_IGNORES`` (VCS folders, dependency trees, virtualenvs, caches, build
   outputs, editor droppings) and the root's ``.git/info/exclude``;
2. each folder's ``.gitignore`` then ``.hourproofignore``, a deeper folder's
   file overriding a shallower one, patterns relative to their own folder.

So a project may re-include a default (``!build/`` in its .gitignore). VCS
metadata folders (``ALWAYS_IGNORED``) can never be re-included. As in git, a
file inside an ignored folder stays ignored whatever a deeper pattern says.
Patterns are gitignore syntax, matched with pathspec's ``GitIgnoreSpec``.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from pathspec import GitIgnoreSpec

ALWAYS_IGNORED = frozenset({".git", ".hg", ".svn", ".bzr", "_darcs", ".jj"})
DEFAULT_IGNORES: tuple[str, ...] = (
    *(f"{name}/" for name in sorted(ALWAYS_IGNORED)),
    # dependency trees and virtual environments
    "node_modules/",
    "bower_components/",
    ".venv/",
    "venv/",
    "env/",
    ".tox/",
    ".nox/",
    "__pypackages__/",
    # caches
    "__pycache__/",
    ".mypy_cache/",
    ".pytest_cache/",
    ".ruff_cache/",
    ".hypothesis/",
    ".cache/",
    ".gradle/",
    ".parcel-cache/",
    ".next/",
    # build outputs
    "build/",
    "dist/",
    "target/",
    "out/",
    "*.egg-info/",
    "cmake-build-*/",
    "*.pyc",
    "*.pyo",
    "*.o",
    "*.obj",
    "*.a",
    "*.so",
    "*.dylib",
    "*.dll",
    "*.class",
    # editor and OS droppings
    "*.swp",
    "*.swo",
    "*.swx",
    "*~",
    ".#*",
    "#*#",
    "4913",
    ".DS_Store",
    "Thumbs.db",
    "desktop.ini",
)
IGNORE_FILES = (".gitignore", ".hourproofignore")
_DIR_CACHE_LIMIT = 50_000

# Indirection so tests can simulate unreadable folders when running as root.
_scandir = os.scandir
WalkErrorHandler = Callable[[str, OSError], None]


def _read_lines(path: Path) -> list[str] | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:  # absent, a folder, unreadable: no rules from it
        return None


def _normalise(rel_path: str) -> str | None:
    """A clean relative POSIX path, or None for anything outside the root."""
    rel = rel_path.replace("\\", "/").strip("/")
    while rel.startswith("./"):
        rel = rel[2:]
    if rel in ("", "."):
        return ""
    parts = rel.split("/")
    if any(part in ("", ".", "..") for part in parts) or os.path.isabs(rel_path):
        return None
    return rel


class IgnoreRules:
    """Ignore decisions for relative paths under one root; thread-safe."""

    def __init__(self, root: Path, extra_patterns: tuple[str, ...] = ()) -> None:
        self.root = Path(root)
        base = list(DEFAULT_IGNORES) + list(extra_patterns)
        base += _read_lines(self.root / ".git" / "info" / "exclude") or []
        self._base = GitIgnoreSpec.from_lines(base)
        self._specs: dict[str, GitIgnoreSpec] = {}
        self._dir_cache: dict[str, bool] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_root(cls, root: Path, on_error: WalkErrorHandler | None = None) -> IgnoreRules:
        """Rules for ``root`` with every reachable nested ignore file loaded."""
        rules = cls(root)
        for _ in rules.walk("", on_error):
            pass
        return rules

    def load_dir(self, rel_dir: str) -> None:
        """(Re)read the ignore files of one folder, e.g. after one was edited."""
        rel = _normalise(rel_dir)
        if rel is None:
            return
        folder = self.root / rel if rel else self.root
        lines: list[str] = []
        for name in IGNORE_FILES:
            lines += _read_lines(folder / name) or []
        spec = GitIgnoreSpec.from_lines(lines) if lines else None
        with self._lock:
            if spec is None and rel not in self._specs:
                return
            if spec is None:
                del self._specs[rel]
            else:
                self._specs[rel] = spec
            self._dir_cache.clear()

    def ignored(self, rel_path: str, is_dir: bool) -> bool:
        """Whether a path (relative to the root, POSIX or native separators) is ignored."""
        rel = _normalise(rel_path)
        if rel is None:
            return True
        if rel == "":
            return False
        parts = rel.split("/")
        with self._lock:
            for depth in range(1, len(parts)):
                if self._dir_ignored("/".join(parts[:depth])):
                    return True
            if is_dir:
                return self._dir_ignored(rel)
            return self._match(rel, parts, is_dir=False)

    def _dir_ignored(self, rel: str) -> bool:
        cached = self._dir_cache.get(rel)
        if cached is None:
            if len(self._dir_cache) >= _DIR_CACHE_LIMIT:
                self._dir_cache.clear()
            cached = self._match(rel, rel.split("/"), is_dir=True)
            self._dir_cache[rel] = cached
        return cached

    def _match(self, rel: str, parts: list[str], *, is_dir: bool) -> bool:
        """The last decisive pattern wins, deeper ignore files last."""
        if ALWAYS_IGNORED.intersection(parts):
            return True
        suffix = "/" if is_dir else ""
        decision = self._base.check_file(rel + suffix).include
        for depth in range(len(parts)):
            folder = "/".join(parts[:depth])
            spec = self._specs.get(folder)
            if spec is None:
                continue
            verdict = spec.check_file("/".join(parts[depth:]) + suffix).include
            if verdict is not None:
                decision = verdict
        return bool(decision)

    def walk(self, rel_start: str = "", on_error: WalkErrorHandler | None = None) -> Iterator[str]:
        """Yield every readable, non-ignored folder from ``rel_start`` down (itself first).

        A folder is yielded *before* it is listed, so a caller that starts
        watching it on receipt cannot miss a subfolder created meanwhile. Each
        folder's ignore files are loaded before its children are judged. Never
        follows symlinks, so a symlink loop cannot trap it. An unreadable folder
        is reported through ``on_error(rel_dir, error)`` and skipped; a folder
        that vanished meanwhile is skipped silently.
        """
        start = _normalise(rel_start)
        if start is None or (start and self.ignored(start, is_dir=True)):
            return
        if start and os.path.islink(self.root / start):
            return
        stack = [start]
        while stack:
            rel = stack.pop()
            folder = os.path.join(self.root, rel) if rel else str(self.root)
            if not os.access(folder, os.R_OK | os.X_OK):
                if os.path.isdir(folder) and on_error is not None:
                    on_error(rel, PermissionError(errno.EACCES, os.strerror(errno.EACCES), folder))
                continue
            yield rel
            for name in self._scan(folder, rel, on_error):
                child = f"{rel}/{name}" if rel else name
                if not self.ignored(child, is_dir=True):
                    stack.append(child)

    def _scan(self, folder: str, rel: str, on_error: WalkErrorHandler | None) -> list[str]:
        """Names of real (non-symlink) subfolders of ``rel``; loads its ignore files."""
        subdirs: list[str] = []
        has_ignore_file = False
        try:
            with _scandir(folder) as entries:
                for entry in entries:
                    if entry.name in IGNORE_FILES:
                        has_ignore_file = True
                    elif entry.is_dir(follow_symlinks=False):
                        subdirs.append(entry.name)
        except OSError as exc:
            if exc.errno not in (errno.ENOENT, errno.ENOTDIR) and on_error is not None:
                on_error(rel, exc)
            return []
        if has_ignore_file or rel in self._specs:
            self.load_dir(rel)
        return sorted(subdirs, reverse=True)


def is_ignore_file(rel_path: str) -> bool:
    """Whether editing this path changes the rules (a .gitignore or .hourproofignore)."""
    return rel_path.replace("\\", "/").rsplit("/", 1)[-1] in IGNORE_FILES
