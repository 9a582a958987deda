"""Measure `hourproof git scan` on a generated 100,000-commit repository.

Prints: a bare `git log --all --format=%H --shortstat` (the yardstick), a first
full scan_commits (all fields, every author: the worst case, and the user's
commits only), a rescan with nothing new from remembered tips, the ratio to the
yardstick, peak RSS of the Python process and of its largest git child, and how
long the post-commit hook takes. Targets (from the issue): ratio <= 1.5, peak
memory <= 200 MB, rescan <= 0.5 s, hook <= 100 ms.

The repository is generated once with git fast-import and cached under
/tmp/hourproof-bench. Git there never reads your ~/.gitconfig.

Usage: python benchmarks/bench_git_scan.py [--commits N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "src"), str(HERE)]

from make_git_repo import USER, git_env, make_repo  # noqa: E402

from hourproof.sources.git import branch_tips, inspect_repo, scan_commits  # noqa: E402
from hourproof.sources.githook import install_hook  # noqa: E402

CACHE = Path("/tmp/hourproof-bench")


def _peak_kb() -> int:
    """This process's peak RSS. VmHWM, unlike ru_maxrss, does not inherit the parent's."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _timed(cmd: list[str], keep_output: bool = True) -> tuple[float, int, str, float]:
    """Wall seconds, peak RSS (KiB) of that one process, its stdout, CPU seconds."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE if keep_output else subprocess.DEVNULL)
    out = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed: {cmd}")
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - t0, usage.ru_maxrss, out.decode(), cpu


def _child_scan(repo: str, who: str) -> None:
    authors = None if who == "all" else [USER[1]]
    t0 = time.perf_counter()
    count = sum(1 for _ in scan_commits(repo, authors))
    seconds = time.perf_counter() - t0
    self_kb = _peak_kb()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    me = resource.getrusage(resource.RUSAGE_SELF)
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    result = {"count": count, "seconds": seconds, "self_kb": self_kb, "git_kb": kids.ru_maxrss}
    print(json.dumps({**result, "cpu": cpu}))


def _child_rescan(repo: str) -> None:
    remembered = branch_tips(repo)
    times, found = [], 0
    for _ in range(7):
        t0 = time.perf_counter()
        inspect_repo(repo, with_roots=False)
        tips = branch_tips(repo)
        found += sum(
            1
            for _ in scan_commits(
                repo, [USER[1]], tips=tips.values(), exclude_tips=remembered.values()
            )
        )
        times.append(time.perf_counter() - t0)
    print(json.dumps({"median": statistics.median(times), "max": max(times), "found": found}))


def _repo(commits: int) -> Path:
    repo = CACHE / f"repo-{commits}"
    done = CACHE / f"repo-{commits}.ok"
    if not done.exists():
        subprocess.run(["rm", "-rf", str(repo)], check=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        t0 = time.perf_counter()
        make_repo(repo, commits)
        done.touch()
        print(f"generated {commits} commits in {time.perf_counter() - t0:.1f} s: {repo}")
    return repo


def _hook_ms(runs: int = 30) -> tuple[float, float]:
    repo = CACHE / "hook-repo"
    env = git_env(CACHE)
    if not (repo / ".git").exists():
        subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(repo)], env=env)
        ident = {"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.com"}
        ident |= {"GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.com"}
        cmd = ["git", "-C", str(repo), "commit", "-q", "--allow-empty", "-m", "x"]
        subprocess.run(cmd, check=True, env={**env, **ident})
    spool = CACHE / "hook-spool"
    hook = install_hook(repo, spool)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(hook.relative_to(repo))], cwd=repo, env=env, check=True)
        times.append((time.perf_counter() - t0) * 1000)
    for item in spool.iterdir():
        item.unlink()
    return statistics.median(times), max(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--commits", type=int, default=100_000)
    ap.add_argument("--child-scan", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--child-rescan", help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ.update(git_env(CACHE))
    if args.child_scan:
        return _child_scan(*args.child_scan)
    if args.child_rescan:
        return _child_rescan(args.child_rescan)

    repo = _repo(args.commits)
    me = [sys.executable, __file__]
    yard = ["git", "-C", str(repo), "log", "--all", "--format=%H", "--shortstat"]
    _timed(yard, keep_output=False)  # warm the page cache
    base = min((_timed(yard, keep_output=False) for _ in range(3)), key=lambda r: r[0])
    scans = {}
    for who in ("all", "user"):
        runs = [json.loads(_timed([*me, "--child-scan", str(repo), who])[2]) for _ in range(3)]
        scans[who] = min(runs, key=lambda r: r["seconds"])
    rescan = json.loads(_timed([*me, "--child-rescan", str(repo)])[2])
    hook_median, hook_max = _hook_ms()

    mb = 1024
    print(f"repository: {repo} ({args.commits} commits)")
    print(
        f"git log --all --format=%H --shortstat: {base[0]:.2f} s (CPU {base[3]:.2f} s), "
        f"peak RSS {base[1] // mb} MB"
    )
    for who, label in (("all", "every author"), ("user", "user's only")):
        s = scans[who]
        print(
            f"first scan, {label}: {s['count']} commits in {s['seconds']:.2f} s "
            f"(ratio {s['seconds'] / base[0]:.2f}; CPU {s['cpu']:.2f} s, ratio "
            f"{s['cpu'] / base[3]:.2f}), peak RSS python {s['self_kb'] // mb} MB, "
            f"largest git child {s['git_kb'] // mb} MB"
        )
    print(
        f"rescan, nothing new (inspect + branch tips + scan): median {rescan['median'] * 1000:.0f}"
        f" ms, max {rescan['max'] * 1000:.0f} ms, found {rescan['found']}"
    )
    print(f"post-commit hook: median {hook_median:.1f} ms, max {hook_max:.1f} ms")


if __name__ == "__main__":
    main()
