"""Concurrent writers on one home: CLI-style adds, start/stop, a large git scan and
``watch run`` at once, for a bounded count. Every reported leaf is there exactly once,
no writer dies, and the longest single wait is printed (docs/reliability.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time

import pytest

from tests.e2e.conftest import hourproof_command
from tests.e2e.test_crash import _repo_with_commits, _verify
from tests.support import crashwork

HANG_GUARD = 300  # seconds; a hang guard only


def test_writers_at_once_lose_nothing_and_none_dies(tmp_path):
    import multiprocessing

    from hourproof.services import evidence
    from hourproof.services.app import App

    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    home, watched = tmp_path / "home", tmp_path / "watched"
    watched.mkdir()
    repo = tmp_path / "repo"
    _repo_with_commits(repo, 2000)
    app = App.open(home)
    evidence.add_repo(app, str(repo), "backend", authors=("me@example.com",))
    evidence.add_watch(app, str(watched), "docs")
    app.close()
    ctx = multiprocessing.get_context("forkserver")
    writers = [
        ctx.Process(target=crashwork.timed, args=(op, str(home), str(tmp_path / f"r-{n}"),
                                                   first, count))
        for n, (op, first, count) in enumerate(
            [("appends", 0, 40), ("appends", 1000, 40), ("start_stop", 2000, 20),
             ("git_scan", 0, 1)]
        )
    ]  # fmt: skip
    watcher = subprocess.Popen(
        [*hourproof_command(), "--home", str(home), "watch", "run", "--for", "20",
         "--pulse", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    stop_touching = threading.Event()

    def touch() -> None:
        i = 0
        while not stop_touching.wait(0.05):
            (watched / f"f{i % 5}.txt").write_text(str(i))
            i += 1

    toucher = threading.Thread(target=touch, daemon=True)
    toucher.start()
    t0 = time.perf_counter()
    for w in writers:
        w.start()
    for w in writers:
        w.join(HANG_GUARD)
    stop_touching.set()
    _, err = watcher.communicate(timeout=HANG_GUARD)
    elapsed = time.perf_counter() - t0
    assert [w.exitcode for w in writers] == [0] * len(writers)
    assert watcher.returncode == 0, err
    assert "Traceback" not in err
    reported: list[int] = []
    waits: list[float] = []
    for n in range(len(writers)):
        for line in (tmp_path / f"r-{n}").read_text().splitlines():
            kind, value = line.split()[:2]
            if kind == "leaf":
                reported.append(int(value))
            elif kind == "wait":
                waits.append(float(value))
    assert len(reported) == len(set(reported)) == 40 + 40 + 20
    _verify(home)
    app = App.open(home)
    with app.read_db() as db:
        kinds = [r[0] for r in db.execute("SELECT kind FROM leaves")]
        seqs = {r[0] for r in db.execute("SELECT seq FROM leaves")}
    app.close()
    assert set(reported) <= seqs
    assert kinds.count("git.commit") == 2000
    print(json.dumps({"writers": len(writers) + 1, "seconds": round(elapsed, 1),
                      "longest_wait_s": round(max(waits), 3),
                      "file_activity_leaves": kinds.count("file.activity"),
                      "load": os.getloadavg()[0]}))  # fmt: skip
