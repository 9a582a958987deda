"""Generate a large git repository quickly with `git fast-import`.

The history looks like a real project's: a main branch with small commits
(one to three files, a few lines each), --no-ff merges of short feature
branches, a few branches left unmerged, and several authors. Deterministic for
a given seed. Usage: python benchmarks/make_git_repo.py DIR [COMMITS]
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

USER = ("Me Myself", "me@example.com")
OTHERS = [("Ann Other", "ann@example.org"), ("Bo Coder", "bo@example.org")]
WORDS = ("alpha", "beta", "gamma", "delta", "value", "count", "total", "index", "item", "node")


def git_env(home: Path) -> dict[str, str]:
    """An environment that never reads the real ~/.gitconfig."""
    env = dict(os.environ)
    env.update(HOME=str(home), GIT_CONFIG_GLOBAL=str(home / "gitconfig"), GIT_CONFIG_NOSYSTEM="1")
    env.update(LC_ALL="C")
    return env


class _History:
    def __init__(self, commits: int, seed: int, user_share: float) -> None:
        self.rng = random.Random(seed)
        self.total = commits
        self.user_share = user_share
        self.files: dict[str, list[str]] = {}
        self.mark = 0
        self.when = 1_600_000_000

    def _line(self) -> str:
        r = self.rng
        return f"{r.choice(WORDS)}_{r.randrange(1000)} = {r.choice(WORDS)}({r.randrange(10**6)})"

    def _edit(self, touched: dict[str, list[str] | None]) -> list[str]:
        """Change 1-3 files; remember their old content in TOUCHED; return fast-import lines."""
        r = self.rng
        ops = []
        for _ in range(r.choice((1, 1, 2, 2, 3))):
            if len(self.files) < 300 and (not self.files or r.random() < 0.08):
                name = f"src/mod{r.randrange(20):02d}/file{len(self.files):03d}.py"
                touched.setdefault(name, None)
                self.files[name] = [self._line() for _ in range(r.randrange(5, 30))]
            else:
                name = r.choice(list(self.files))
                touched.setdefault(name, list(self.files[name]))
                lines = self.files[name]
                for _ in range(r.randrange(1, 5)):
                    i = r.randrange(len(lines) + 1)
                    k = r.random()
                    if k < 0.5 or len(lines) < 5:
                        lines.insert(i, self._line())
                    elif k < 0.8 and i < len(lines):
                        lines[i] = self._line()
                    elif i < len(lines):
                        del lines[i]
                if len(lines) > 60:
                    del lines[: len(lines) - 40]
            ops.append(self._blob_op(name))
        return ops

    def _blob_op(self, name: str) -> str:
        data = "\n".join(self.files[name]) + "\n"
        return f"M 100644 inline {name}\ndata {len(data.encode())}\n{data}"

    def _commit(self, ref: str, parents: list[int], ops: list[str], msg: str) -> str:
        self.mark += 1
        self.when += self.rng.randrange(30, 3000)
        name, email = USER if self.rng.random() < self.user_share else self.rng.choice(OTHERS)
        ident = f"{name} <{email}> {self.when} +0100"
        head = [f"commit {ref}", f"mark :{self.mark}", f"author {ident}", f"committer {ident}"]
        head.append(f"data {len(msg.encode())}\n{msg}")
        head += [f"from :{parents[0]}"] if parents else []
        head += [f"merge :{p}" for p in parents[1:]]
        return "\n".join(head + ops) + "\n"

    def stream(self) -> Iterator[str]:
        main: list[int] = []
        unmerged = 0
        while self.mark < self.total:
            room = self.total - self.mark
            r = self.rng.random()
            if main and r < 0.02 and room > 45:  # a feature branch, merged with --no-ff
                base = tip = main[-1]
                changed: dict[str, list[str] | None] = {}
                for _ in range(self.rng.randrange(3, 40)):
                    ops = self._edit(changed)
                    yield self._commit("refs/heads/feature", [tip], ops, self._msg())
                    tip = self.mark
                ops = [self._blob_op(n) for n in sorted(changed)]
                yield self._commit("refs/heads/main", [base, tip], ops, "Merge branch 'feature'")
                main.append(self.mark)
            elif main and 0.02 <= r < 0.0225 and unmerged < 30 and room > 10:  # left unmerged
                unmerged += 1
                touched: dict[str, list[str] | None] = {}
                tip = main[-1]
                for _ in range(self.rng.randrange(2, 8)):
                    ops = self._edit(touched)
                    yield self._commit(f"refs/heads/wip-{unmerged}", [tip], ops, self._msg())
                    tip = self.mark
                for name, old in touched.items():  # back to main's files
                    if old is None:
                        del self.files[name]
                    else:
                        self.files[name] = old
            else:
                ops = self._edit({})
                yield self._commit("refs/heads/main", main[-1:], ops, self._msg())
                main.append(self.mark)

    def _msg(self) -> str:
        r = self.rng
        return f"{r.choice(('Fix', 'Add', 'Tidy', 'Speed up'))} {r.choice(WORDS)} handling\n"


def make_repo(path: Path, commits: int = 100_000, seed: int = 1, user_share: float = 0.7) -> None:
    """Create PATH as a repository with exactly COMMITS commits."""
    env = git_env(path.parent)
    subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "init", "-q", str(path)], check=True, env=env
    )
    proc = subprocess.Popen(
        ["git", "-C", str(path), "fast-import", "--quiet"], stdin=subprocess.PIPE, env=env
    )
    assert proc.stdin is not None
    for chunk in _History(commits, seed, user_share).stream():
        proc.stdin.write(chunk.encode())
    proc.stdin.close()
    if proc.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "main"], check=True, env=env)


if __name__ == "__main__":
    make_repo(Path(sys.argv[1]).absolute(), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
