"""Measure the file-activity watcher: a 10,000-write burst, and idle CPU over a big tree.

Run: ``/work/venv/bin/python benchmarks/bench_watcher.py [--seconds 60]`` (it finds
src/ itself). Targets (issue): the burst is handled with bounded memory and no
write to a non-ignored file is lost; idle CPU of a watcher over a 50,000-file tree
is <= 1% of one core. Writes come from this same process, which competes with the
watcher's threads for the GIL — harsher than a separate build process. Prints
figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import errno
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[1] / "src")]

from hourproof.core.activity import ActivitySpan  # noqa: E402
from hourproof.sources import watcher as watcher_module  # noqa: E402
from hourproof.sources.watcher import FolderWatcher  # noqa: E402

IGNORED_PLACES = ("node_modules/dep{n}/index.js", "build/obj{n}.txt", "src/pkg{d}/m{n}.o")


def _maxrss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _force_polling() -> None:
    def exhausted(hooks: object) -> object:
        raise OSError(errno.ENOSPC, "simulated inotify limit")

    watcher_module._native_observer = exhausted  # type: ignore[assignment]


def burst(
    root: Path, writes: int, ignored_share: float, new_folder_share: float, trace: bool
) -> None:
    """Write ``writes`` files as fast as possible; report what the watcher made of them."""
    for d in range(100):
        (root / "src" / f"pkg{d}").mkdir(parents=True)
    spans: list[ActivitySpan] = []
    watch = FolderWatcher(root, spans.append, tick_seconds=None)
    watch.start()
    if trace:
        tracemalloc.start()
    rss_before = _maxrss_mib()

    ignored = int(writes * ignored_share)
    wanted: set[str] = set()
    started = time.perf_counter()
    for n in range(writes):
        d = n % 100
        if n < ignored:
            rel = IGNORED_PLACES[n % len(IGNORED_PLACES)].format(n=n, d=d)
        elif (n - ignored) < (writes - ignored) * new_folder_share:
            rel = f"src/gen{n % 50}/sub/f{n}.py"
            wanted.add(rel)
        else:
            rel = f"src/pkg{d}/f{n}.py"
            wanted.add(rel)
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w") as handle:
            handle.write(f"// generated {n}\n")
    written = time.perf_counter() - started

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        span = watch.current()
        if span is not None and span.file_count >= len(wanted):
            break
        if any("rescanning" in w for w in watch.warnings):
            watch.poll()  # no timer thread in this run: do the rescan here
        time.sleep(0.05)
    caught_up = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    tracemalloc.stop()
    watch.stop()

    seen = {f for s in spans for f in s.files}
    counted = sum(s.file_count for s in spans)
    leaked = [f for f in seen if f not in wanted]
    print(f"burst: {writes} writes ({writes - ignored} to non-ignored files, {ignored} ignored)")
    print(f"  written in {written:.2f} s; watcher caught up after {caught_up:.2f} s")
    print(f"  spans={len(spans)} heartbeat events={sum(s.events for s in spans)}")
    print(
        f"  non-ignored files counted={counted} of {len(wanted)} -> dropped={len(wanted) - counted}"
    )
    print(
        f"  listed paths={len(seen)} (cap 1,000 per span); ignored paths that leaked={len(leaked)}"
    )
    if trace:
        print(f"  peak Python heap during burst (tracemalloc): {peak / 2**20:.1f} MiB")
    print(f"  max RSS: {rss_before:.0f} MiB before the burst, {_maxrss_mib():.0f} MiB after")
    print(f"  observer={watch.mode} warnings={watch.warnings}")


def make_tree(root: Path, files: int, ignored_share: float) -> tuple[int, int]:
    ignored = int(files * ignored_share)
    work = files - ignored
    per_dir = 50
    for n in range(work):
        folder = root / "src" / f"mod{n // (per_dir * 20)}" / f"pkg{n // per_dir}"
        if n % per_dir == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{n}.py").write_bytes(b"x = 1\n")
    for n in range(ignored):
        folder = root / "node_modules" / f"dep{n // per_dir}"
        if n % per_dir == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"i{n}.js").write_bytes(b"x\n")
    return work, ignored


def idle(root: Path, files: int, ignored_share: float, seconds: float, polling: float) -> None:
    """Idle CPU of a started watcher over a generated tree."""
    work, ignored = make_tree(root, files, ignored_share)
    watch = FolderWatcher(root, lambda span: None, polling_seconds=polling)
    started = time.perf_counter()
    watch.start()
    startup = time.perf_counter() - started
    watches = "?"
    if watch.mode == "inotify" and watch._observer is not None:
        [emitter] = watch._observer.emitters
        watches = str(len(emitter._inotify._active_callbacks_by_path))  # type: ignore[attr-defined]
    time.sleep(1.0)  # let start-up settle before measuring
    cpu_before, wall_before = _cpu_seconds(), time.perf_counter()
    time.sleep(seconds)
    cpu = _cpu_seconds() - cpu_before
    wall = time.perf_counter() - wall_before
    watch.stop()
    mode = watch.mode + (f" every {polling:g} s" if watch.mode == "polling" else "")
    print(f"idle ({mode}): tree of {work + ignored} files ({ignored} in node_modules)")
    print(f"  start-up {startup:.2f} s, inotify watches={watches}")
    print(f"  CPU {cpu:.3f} s over {wall:.1f} s = {100 * cpu / wall:.3f}% of one core")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=10_000)
    parser.add_argument("--ignored-share", type=float, default=0.3)
    parser.add_argument("--new-folder-share", type=float, default=0.1)
    parser.add_argument("--tree-files", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=60.0, help="idle measurement length")
    parser.add_argument("--polling", action="store_true", help="also measure the polling fallback")
    parser.add_argument("--polling-seconds", type=float, default=30.0)
    parser.add_argument("--no-tracemalloc", action="store_true", help="full-speed writes; RSS only")
    parser.add_argument("--skip-burst", action="store_true")
    parser.add_argument("--skip-idle", action="store_true")
    args = parser.parse_args()
    if not args.skip_burst:
        with tempfile.TemporaryDirectory(prefix="hp-burst-") as tmp:
            burst(
                Path(tmp),
                args.writes,
                args.ignored_share,
                args.new_folder_share,
                trace=not args.no_tracemalloc,
            )
    if not args.skip_idle:
        with tempfile.TemporaryDirectory(prefix="hp-idle-") as tmp:
            idle(Path(tmp), args.tree_files, 0.2, args.seconds, args.polling_seconds)
        if args.polling:
            _force_polling()
            with tempfile.TemporaryDirectory(prefix="hp-idle-poll-") as tmp:
                idle(Path(tmp), args.tree_files, 0.2, args.seconds, args.polling_seconds)
    os.sync()


if __name__ == "__main__":
    main()
