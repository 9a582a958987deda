"""The file-activity watcher on real temporary folders (hourproof.sources.watcher)."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.core.activity import ActivitySpan
from hourproof.sources import ignore, watcher
from hourproof.sources.watcher import FolderWatcher, sha256_of_file

DEADLINE = 60.0  # a hang guard only: a loaded machine may be slow, never wrong


def wait_for(condition: Callable[[], object], timeout: float = DEADLINE) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("condition not met before the deadline")
        time.sleep(0.02)


def write(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


class Rig:
    """A watcher on ``root`` collecting spans and warnings."""

    def __init__(self, root: Path, **options: object) -> None:
        self.root = root
        self.spans: list[ActivitySpan] = []
        options.setdefault("tick_seconds", None)
        self.watcher = FolderWatcher(root, self.spans.append, **options)  # type: ignore[arg-type]

    def settle(self) -> None:
        """Wait until every event so far was handled (a write is create + close): the
        watcher's own barrier, not a quiet period that a slow machine could outlast."""
        assert self.watcher.sync(DEADLINE), "the watcher's event pipeline did not drain"

    def seen(self, rel: str) -> bool:
        span = self.watcher.current()
        return any(rel in s.files for s in [*self.spans, *([span] if span else [])])

    def files(self) -> list[str]:
        return sorted({f for s in self.spans for f in s.files})


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / "src").mkdir(parents=True)
    return root


@pytest.fixture
def rig(project: Path) -> Iterator[Rig]:
    r = Rig(project)
    yield r
    r.watcher.stop()


def test_write_becomes_a_span_with_a_relative_path_on_stop(rig: Rig) -> None:
    rig.watcher.start()
    write(rig.root / "src" / "main.py")
    wait_for(lambda: rig.seen("src/main.py"))
    rig.watcher.stop()
    [span] = rig.spans
    assert span.files == ("src/main.py",)
    assert span.events == 1
    assert str(rig.root) not in repr(span)


def test_stop_handles_every_write_made_just_before_it(rig: Rig) -> None:
    """No wait between the writes and the stop: stop itself drains the pipeline."""
    rig.watcher.start()
    wanted = {f"src/f{i}.py" for i in range(30)}
    for rel in sorted(wanted):
        write(rig.root / rel)
    rig.watcher.stop()
    assert set(rig.files()) == wanted


def test_sync_returns_once_earlier_writes_are_handled(rig: Rig) -> None:
    rig.watcher.start()
    write(rig.root / "src" / "a.py")
    assert rig.watcher.sync(DEADLINE)
    assert rig.seen("src/a.py")
    # a file moved out of the tree (an unpaired move, held back 0.5 s) does not block it
    outside = rig.root.parent / "outside.py"
    os.replace(write(rig.root / "src" / "b.py"), outside)
    write(rig.root / "src" / "c.py")
    assert rig.watcher.sync(DEADLINE)
    assert rig.seen("src/c.py")
    rig.watcher.stop()
    # the marker is no file; b.py existed between two scans only for inotify (on a
    # machine out of inotify instances the watcher polls, and never saw it)
    between_scans = ["src/b.py"] if rig.watcher.mode == "inotify" else []
    assert rig.files() == sorted(["src/a.py", "src/c.py", *between_scans])
    assert not rig.watcher.sync(DEADLINE)  # stopped: nothing to wait for


def test_sync_without_a_temporary_folder_waits_for_the_queue(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hourproof.sources import pruned_inotify

    def no_tmp(**kwargs: object) -> str:
        raise OSError(errno.EROFS, "read-only file system")

    monkeypatch.setattr(pruned_inotify.tempfile, "mkdtemp", no_tmp)
    rig.watcher.start()
    write(rig.root / "src" / "a.py")
    wait_for(lambda: rig.seen("src/a.py"))
    assert rig.watcher.sync(DEADLINE)
    rig.watcher.stop()
    assert rig.files() == ["src/a.py"]


def test_file_in_a_new_folder_is_seen(rig: Rig) -> None:
    rig.watcher.start()
    write(rig.root / "src" / "new" / "deeper" / "a.txt")
    wait_for(lambda: rig.seen("src/new/deeper/a.txt"))


def test_burst_of_new_nested_folders_loses_no_file(rig: Rig) -> None:
    rig.watcher.start()
    wanted = {f"src/gen{i}/sub/f{j}.py" for i in range(50) for j in range(3)}
    for rel in sorted(wanted):
        write(rig.root / rel)
    wait_for(lambda: (span := rig.watcher.current()) is not None and span.file_count == 150)
    rig.watcher.stop()
    assert set(rig.files()) == wanted


def test_atomic_save_by_rename_counts_as_a_write(rig: Rig) -> None:
    rig.watcher.start()
    tmp = write(rig.root / "src" / ".main.py.swp", "new")
    os.replace(tmp, rig.root / "src" / "main.py")
    wait_for(lambda: rig.seen("src/main.py"))
    rig.watcher.stop()
    assert rig.files() == ["src/main.py"]


def test_ignored_paths_produce_nothing(rig: Rig) -> None:
    write(rig.root / ".gitignore", "*.log\n")
    rig.watcher.start()
    for rel in ("node_modules/x/index.js", "build/out.o", "src/m.pyc", ".git/index", "run.log"):
        write(rig.root / rel)
    write(rig.root / "src" / "sentinel.py")
    wait_for(lambda: rig.seen("src/sentinel.py"))
    rig.watcher.stop()
    assert rig.files() == ["src/sentinel.py"]


def test_edited_gitignore_applies_while_watching(rig: Rig) -> None:
    rig.watcher.start()
    write(rig.root / "src" / ".gitignore", "*.tmp\n")
    wait_for(lambda: rig.seen("src/.gitignore"))
    write(rig.root / "src" / "scratch.tmp")
    write(rig.root / "src" / "sentinel.py")
    wait_for(lambda: rig.seen("src/sentinel.py"))
    rig.watcher.stop()
    assert rig.files() == ["src/.gitignore", "src/sentinel.py"]


def test_ignored_folders_get_no_inotify_watch(project: Path) -> None:
    (project / "node_modules" / "pkg" / "lib").mkdir(parents=True)
    rig = Rig(project)
    rig.watcher.start()
    try:
        if rig.watcher.mode != "inotify":
            pytest.skip("pruned watches exist only with inotify")
        observer = rig.watcher._observer
        assert observer is not None
        [emitter] = observer.emitters
        watched = {os.fsdecode(p) for p in emitter._inotify._active_callbacks_by_path}  # type: ignore[attr-defined]
        assert watched == {str(project), str(project / "src")}
    finally:
        rig.watcher.stop()


def test_folder_reported_twice_is_watched_once(rig: Rig) -> None:
    """A new folder's own IN_CREATE can arrive after the walk already watched it."""
    rig.watcher.start()
    if rig.watcher.mode != "inotify":
        pytest.skip("pruned watches exist only with inotify")
    observer = rig.watcher._observer
    assert observer is not None
    [emitter] = observer.emitters
    group = emitter._inotify  # type: ignore[attr-defined]
    before = dict(group._active_callbacks_by_path)
    group._add_all_callbacks(os.fsencode(rig.root / "src"))  # warns (an error here) if re-added
    assert group._active_callbacks_by_path == before


def test_idle_span_is_reported_when_poll_sees_pulse_passed(project: Path) -> None:
    now = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    rig = Rig(project, pulse=timedelta(minutes=3), clock=lambda: now[0])
    rig.watcher.start()
    write(project / "src" / "a.py")
    wait_for(lambda: rig.seen("src/a.py"))
    rig.settle()  # under load the close event can trail the create by a while
    now[0] += timedelta(minutes=2)
    rig.watcher.poll()
    assert rig.spans == []
    now[0] += timedelta(minutes=1)
    rig.watcher.poll()
    assert [s.files for s in rig.spans] == [("src/a.py",)]
    rig.watcher.stop()
    assert len(rig.spans) == 1


def test_timer_thread_closes_idle_spans(project: Path) -> None:
    """A settable clock: the span goes idle only once both events of the write were
    handled (a real 0.2 s pulse could close it between the create and the close on a
    slow machine, and the late close would open a second span)."""
    now = [datetime(2026, 3, 2, 9, 0, tzinfo=UTC)]
    rig = Rig(project, pulse=timedelta(minutes=3), tick_seconds=0.05, clock=lambda: now[0])
    rig.watcher.start()
    write(project / "src" / "a.py")
    rig.settle()
    assert rig.spans == []
    now[0] += timedelta(minutes=4)  # the timer thread's next poll sees the pulse passed
    wait_for(lambda: rig.spans)
    rig.watcher.stop()
    assert [s.files for s in rig.spans] == [("src/a.py",)]


def test_deleted_watched_folder_warns_once_and_flushes_the_span(rig: Rig) -> None:
    rig.watcher.start()
    write(rig.root / "src" / "a.py")
    wait_for(lambda: rig.seen("src/a.py"))
    shutil.rmtree(rig.root)
    wait_for(lambda: not rig.watcher.watching)
    assert [s.files for s in rig.spans] == [("src/a.py",)]
    rig.watcher.poll()
    rig.watcher.stop()
    assert len(rig.spans) == 1
    assert sum("deleted or moved" in w for w in rig.watcher.warnings) == 1


def test_watched_folder_moved_away_is_noticed_by_poll(rig: Rig, tmp_path: Path) -> None:
    rig.watcher.start()
    write(rig.root / "src" / "a.py")
    wait_for(lambda: rig.seen("src/a.py"))
    rig.root.rename(tmp_path / "renamed")
    rig.watcher.poll()
    assert not rig.watcher.watching
    assert [s.files for s in rig.spans] == [("src/a.py",)]
    assert any("deleted or moved" in w for w in rig.watcher.warnings)


def test_unreadable_subfolder_warns_and_the_rest_is_watched(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "secret" / "inner").mkdir(parents=True)
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if os.path.basename(path) == "secret":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(ignore, "_scandir", scandir)
    rig = Rig(project)
    rig.watcher.start()
    try:
        assert any("'secret'" in w and "Permission denied" in w for w in rig.watcher.warnings)
        write(project / "src" / "a.py")
        wait_for(lambda: rig.seen("src/a.py"))
    finally:
        rig.watcher.stop()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder; simulated in the test above")
def test_really_unreadable_subfolder_warns(project: Path) -> None:
    locked = project / "locked"
    locked.mkdir()
    locked.chmod(0)
    try:
        rig = Rig(project)
        rig.watcher.start()
        rig.watcher.stop()
        assert any("'locked'" in w for w in rig.watcher.warnings)
    finally:
        locked.chmod(0o700)


def test_symlink_loops_do_not_hang_the_watcher(project: Path) -> None:
    os.symlink(project, project / "src" / "loop")
    os.symlink("..", project / "src" / "up")
    rig = Rig(project)
    starter = threading.Thread(target=rig.watcher.start, daemon=True)
    starter.start()
    starter.join(DEADLINE)
    assert not starter.is_alive()
    try:
        write(project / "src" / "a.py")
        wait_for(lambda: rig.seen("src/a.py"))
    finally:
        rig.watcher.stop()


def test_inotify_watch_limit_on_a_subfolder_is_reported_and_the_rest_watched(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if watcher.PrunedInotifyObserver is None:
        pytest.skip("needs the inotify observer")
    from watchdog.observers.inotify_c import InotifyFD

    (project / "big" / "deep").mkdir(parents=True)
    real_add = InotifyFD.add_callback

    def add_callback(self: InotifyFD, path: bytes, *args: object) -> object:
        if b"/big" in path:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")
        return real_add(self, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(InotifyFD, "add_callback", add_callback)
    rig = Rig(project)
    rig.watcher.start()
    try:
        assert rig.watcher.mode == "inotify"
        assert any("max_user_watches" in w for w in rig.watcher.warnings)
        assert rig.watcher.unwatched_folders == 2
        write(project / "src" / "a.py")
        wait_for(lambda: rig.seen("src/a.py"))
    finally:
        rig.watcher.stop()


def test_inotify_limit_at_start_falls_back_to_ignore_aware_polling(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def exhausted(hooks: object) -> object:
        raise OSError(errno.EMFILE, "inotify instance limit reached")

    monkeypatch.setattr(watcher, "_native_observer", exhausted)
    rig = Rig(project, polling_seconds=0.05)
    rig.watcher.start()
    try:
        assert rig.watcher.mode == "polling"
        assert any("polling" in w and "max_user_watches" in w for w in rig.watcher.warnings)
        write(project / "node_modules" / "x.js")
        write(project / "src" / "a.py")
        wait_for(lambda: rig.seen("src/a.py"))
        rig.settle()  # one more full scan: the ignored file must still not appear
    finally:
        rig.watcher.stop()
    assert rig.files() == ["src/a.py"]


def test_polling_watcher_records_a_write_made_just_before_stop(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Polling every 30 s, a write right before the stop is still recorded: stopping
    scans once more first."""

    def exhausted(hooks: object) -> object:
        raise OSError(errno.EMFILE, "inotify instance limit reached")

    monkeypatch.setattr(watcher, "_native_observer", exhausted)
    rig = Rig(project, polling_seconds=30.0)
    rig.watcher.start()
    assert rig.watcher.mode == "polling"
    write(project / "src" / "late.py")
    rig.watcher.stop()
    assert rig.files() == ["src/late.py"]


def test_events_lost_to_queue_overflow_are_recovered_by_rescan(rig: Rig) -> None:
    write(rig.root / "src" / "missed.py")  # before start: no event will come for it
    rig.watcher.start()
    if rig.watcher.mode == "inotify":
        from watchdog.observers.inotify_c import InotifyConstants, InotifyEvent

        overflow = InotifyEvent(-1, InotifyConstants.IN_Q_OVERFLOW, 0, b"")  # type: ignore[arg-type]
        rig.watcher._observer._inotify_fd.handle_event(overflow)  # type: ignore[union-attr]
    else:
        rig.watcher._overflowed()
    rig.watcher.poll()
    assert rig.seen("src/missed.py")
    assert any("rescanning" in w for w in rig.watcher.warnings)


def test_events_lost_to_an_overflow_just_before_stop_are_rescanned_at_stop(rig: Rig) -> None:
    write(rig.root / "src" / "missed.py")  # before start: no event will come for it
    rig.watcher.start()
    rig.watcher._overflowed()  # as the inotify thread reports IN_Q_OVERFLOW
    rig.watcher.stop()  # no poll in between: the stop rescans
    assert rig.files() == ["src/missed.py"]


def test_content_hash_of_saved_file_is_reported(project: Path) -> None:
    rig = Rig(project, hash_content=True)
    rig.watcher.start()
    write(project / "src" / "a.py", "print(1)\n")
    wait_for(lambda: rig.seen("src/a.py"))
    rig.watcher.stop()
    expected = hashlib.sha256(b"print(1)\n").hexdigest()
    assert rig.spans[0].content_sha256 == {"src/a.py": expected}


def test_file_above_hash_limit_keeps_its_heartbeat_but_no_hash(project: Path) -> None:
    rig = Rig(project, hash_content=True, max_hash_bytes=4)
    rig.watcher.start()
    write(project / "src" / "big.bin", "0123456789")
    wait_for(lambda: rig.seen("src/big.bin"))
    rig.watcher.stop()
    assert rig.spans[0].files == ("src/big.bin",)
    assert rig.spans[0].content_sha256 == {}


def test_on_span_failure_is_warned_and_watching_goes_on(project: Path) -> None:
    def broken(span: ActivitySpan) -> None:
        raise RuntimeError("database is locked")

    w = FolderWatcher(project, broken, tick_seconds=None)
    w.start()
    write(project / "src" / "a.py")
    wait_for(lambda: w.current() is not None)
    w.stop()
    assert any("database is locked" in msg for msg in w.warnings)


def test_warnings_reach_the_callback(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(hooks: object) -> object:
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watcher, "_native_observer", exhausted)
    heard: list[str] = []
    w = FolderWatcher(project, lambda s: None, on_warning=heard.append, tick_seconds=None)
    w.start()
    w.stop()
    assert heard == w.warnings and heard


def test_starting_on_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NotADirectoryError, match="not a folder"):
        FolderWatcher(tmp_path / "nope", lambda s: None).start()


def test_sha256_of_file_matches_hashlib(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "hello")
    assert sha256_of_file(str(path)) == hashlib.sha256(b"hello").hexdigest()


def test_sha256_of_file_gives_none_when_replaced_mid_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.txt", "old content")
    real_read = os.read
    swapped: list[bool] = []

    def read(fd: int, n: int) -> bytes:
        if not swapped:
            swapped.append(True)
            os.replace(write(tmp_path / "new.txt", "new content"), path)
        return real_read(fd, n)

    monkeypatch.setattr(os, "read", read)
    assert sha256_of_file(str(path)) is None


def test_sha256_of_file_gives_none_for_missing_files_and_fifos(tmp_path: Path) -> None:
    assert sha256_of_file(str(tmp_path / "gone")) is None
    os.mkfifo(tmp_path / "pipe")
    assert sha256_of_file(str(tmp_path / "pipe")) is None


def test_sha256_of_file_does_not_follow_symlinks(tmp_path: Path) -> None:
    target = write(tmp_path / "outside.txt", "x")
    os.symlink(target, tmp_path / "link")
    assert sha256_of_file(str(tmp_path / "link")) is None
