from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from hourproof.services import ledger_ops, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.store import tables
from hourproof.store.migrations import SCHEMA_VERSION


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: int) -> None:
        self.now += timedelta(**kw)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(home, clock) -> App:
    opened = App.open(home)
    opened.clock = clock
    yield opened
    opened.close()


def test_home_is_private(app, home):
    assert (home.stat().st_mode & 0o777) == 0o700
    assert (app.home.database.stat().st_mode & 0o077) == 0


def test_schema_tables_match_the_migrations(app):
    insp = inspect(app.engine)
    for table in tables.metadata.tables.values():
        found = {c["name"] for c in insp.get_columns(table.name)}
        assert found == {c.name for c in table.columns}, table.name


def test_database_is_in_wal_mode_with_foreign_keys(app):
    with app.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA user_version").scalar() == SCHEMA_VERSION


def test_newer_database_is_refused(home):
    App.open(home).close()
    con = sqlite3.connect(home / "hourproof.db")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(ServiceError, match="newer than this hourproof"):
        App.open(home)


def test_start_then_stop_records_a_signed_session(app, clock):
    tracking.start(app, "site", tracking.Details(client="acme"))
    clock.advance(minutes=90)
    entry = tracking.stop(app)
    assert entry.seconds() == 5400 and entry.client == "acme"
    verdict = ledger_ops.verify_ledger(app)
    assert verdict.ok and verdict.leaves == 2 and verdict.checkpoints == 1


def test_starting_while_running_stops_the_running_timer(app, clock):
    first = tracking.start(app, "a")
    clock.advance(minutes=10)
    tracking.start(app, "b")
    stopped = tracking.entries(app)[0]
    assert stopped.id == first.id and stopped.seconds() == 600
    assert tracking.status(app).running.project == "b"


def test_stop_without_timer_is_refused(app):
    with pytest.raises(ServiceError, match="no timer is running"):
        tracking.stop(app)


def test_add_with_end_before_start_is_refused(app, clock):
    with pytest.raises(ServiceError, match="after the start"):
        tracking.add(app, "a", clock.now, clock.now - timedelta(hours=1))


def test_project_remembers_its_client_and_rate(app, clock):
    tracking.add(app, "site", clock.now - timedelta(hours=2), clock.now - timedelta(hours=1),
                 tracking.Details(client="acme"))  # fmt: skip
    from hourproof.core.money import Rate

    tracking.set_rate(app, "client", "acme", Rate(9500, "EUR"))
    entry = tracking.add(app, "site", clock.now - timedelta(hours=1), clock.now)
    assert entry.client == "acme" and entry.rate == Rate(9500, "EUR")
    _rows, total = tracking.report(app, "client")
    assert total.amounts == {"EUR": 9500}


def test_amend_keeps_history_and_needs_a_reason(app, clock):
    entry = tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    with pytest.raises(ServiceError, match="reason"):
        tracking.amend(app, entry.id, "  ", tracking.Details(note="x"))
    tracking.amend(app, entry.id, "wrong project", tracking.Details(project="b"))
    current, versions = tracking.history(app, entry.id)
    assert current.project == "b" and current.amended
    assert [v.kind for v in versions] == ["entry.add", "entry.amend"]
    assert versions[1].leaf["reason"] == "wrong project"


def test_removed_entries_leave_reports_but_not_the_ledger(app, clock):
    entry = tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    tracking.remove(app, entry.id, "duplicate")
    assert tracking.entries(app) == []
    assert len(tracking.history(app, entry.id)[1]) == 2
    with pytest.raises(ServiceError, match="removed"):
        tracking.remove(app, entry.id, "again")


def test_unknown_entry_is_refused(app):
    with pytest.raises(ServiceError, match="no entry 42"):
        tracking.amend(app, 42, "r", tracking.Details(note="n"))


def test_backwards_clock_is_recorded_and_never_negative(app, clock):
    tracking.start(app, "a")
    clock.advance(hours=-1)
    entry = tracking.stop(app)
    assert entry.seconds() == 0
    with app.read() as conn:
        kinds = [r[0] for r in conn.exec_driver_sql("SELECT kind FROM leaves ORDER BY seq")]
    assert kinds == ["entry.start", "clock.jump", "entry.stop"]


def test_running_timer_survives_reopening(home, clock):
    first = App.open(home)
    first.clock = clock
    tracking.start(first, "a")
    first.close()
    again = App.open(home)
    assert tracking.status(again).running.project == "a"
    again.close()


def test_rebuild_reproduces_the_projection(app, clock):
    tracking.add(app, "a", clock.now - timedelta(hours=3), clock.now - timedelta(hours=2))
    e = tracking.add(app, "b", clock.now - timedelta(hours=2), clock.now - timedelta(hours=1))
    tracking.amend(app, e.id, "typo", tracking.Details(task="t"))
    tracking.start(app, "c")
    before = tracking.entries(app)
    with app.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM entries")
    assert tracking.entries(app) == []
    assert ledger_ops.rebuild(app) == 3
    assert tracking.entries(app) == before
    assert tracking.status(app).running.project == "c"


def test_text_is_nfc_normalized(app, clock):
    entry = tracking.add(app, "cafe\u0301", clock.now - timedelta(hours=1), clock.now)
    assert entry.project == "caf\u00e9"


def test_multiline_note_is_refused(app, clock):
    with pytest.raises(ServiceError, match="one line"):
        tracking.start(app, "a", tracking.Details(note="a\nb"))


def test_checkpoint_every_30_minutes_while_running(app, clock):
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    tracking.start(app, "b")
    assert not tracking.checkpoint_if_due(app)  # checkpoint from add is fresh
    clock.advance(minutes=31)
    assert tracking.checkpoint_if_due(app)


def test_sqlalchemy_and_dbapi_share_one_transaction(app, clock):
    """One way to open a home: SQLAlchemy runs over the thread's own connection."""
    with app.write() as txn:
        txn.append("entry.add", {"project": "a", "start": "2026-11-23T08:00:00Z",
                                 "end": "2026-11-23T09:00:00Z", "source": "manual"})  # fmt: skip
        seen = txn.conn.exec_driver_sql("SELECT count(*) FROM leaves").scalar()
        assert seen == 1  # the uncommitted leaf is visible: same transaction
    with app.read() as conn, app.read_db() as db:
        assert conn.exec_driver_sql("SELECT count(*) FROM leaves").scalar() == 1
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 1


def test_a_failed_write_rolls_back_both_layers(app, clock):
    with pytest.raises(ServiceError), app.write() as txn:
        txn.conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        txn.db.execute("INSERT INTO meta (key, value) VALUES ('z', 'w')")
        raise ServiceError("boom")
    with app.read_db() as db:
        assert db.execute("SELECT count(*) FROM meta").fetchone()[0] == 0
    tracking.start(app, "b")  # the connection is usable again
    assert tracking.status(app).running.project == "b"


def test_lean_is_accepted_and_gives_the_same_app(home, clock):
    full = App.open(home)
    full.clock = clock
    tracking.add(full, "a", clock.now - timedelta(hours=1), clock.now)
    lean = App.open(home, lean=True)
    lean.clock = clock
    assert [e.project for e in tracking.entries(lean)] == ["a"]
    tracking.start(lean, "b")
    assert tracking.status(full).running.project == "b"
    with lean.write() as txn:
        assert txn.conn.exec_driver_sql("SELECT count(*) FROM entries").scalar() == 2
    assert ledger_ops.verify_ledger(lean).ok
    lean.close()
    full.close()


def test_a_write_cannot_be_nested(app):
    with pytest.raises(RuntimeError, match="nested"), app.write(), app.write():
        pass


def test_threads_that_come_and_go_leave_no_connections_behind(app, clock):
    """GUI workers are short-lived threads: connections are pooled per use, not kept
    per thread (at most IDLE_CONNECTIONS stay open)."""
    import threading

    def work(i: int) -> None:
        tracking.add(app, f"p{i}", clock.now - timedelta(hours=1), clock.now)
        assert len(tracking.entries(app)) >= 1

    for batch in range(4):
        threads = [threading.Thread(target=work, args=(batch * 8 + i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(tracking.entries(app)) == 32
    assert len(app._connections) <= App.IDLE_CONNECTIONS


def test_sqlalchemy_in_a_worker_thread_uses_that_threads_transaction(app, clock):
    import threading

    seen: list[int] = []

    def work() -> None:
        with app.write() as txn:
            txn.db.execute("INSERT INTO meta (key, value) VALUES ('w', '1')")
            seen.append(txn.conn.exec_driver_sql("SELECT count(*) FROM meta").scalar())

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert seen == [1]
    with app.read() as conn:
        assert conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'w'").scalar() == "1"


def test_a_zero_second_entry_can_be_amended_but_not_given_a_new_empty_interval(app, clock):
    """A stop in the second the timer started records a 0-second entry; its client,
    project and note can still be amended (the recorded interval is not re-checked),
    while a new time obeys `add`'s rule (end after start)."""
    tracking.start(app, "a")
    entry = tracking.stop(app)
    assert entry.seconds() == 0
    moved = tracking.amend(app, entry.id, "billed to acme", tracking.Details(client="acme"))
    assert moved.client == "acme" and moved.seconds() == 0
    renamed = tracking.amend(app, moved.id, "typo", tracking.Details(project="b", note="call"))
    assert (renamed.project, renamed.note, renamed.seconds()) == ("b", "call", 0)
    with pytest.raises(ServiceError, match="after the start"):
        tracking.amend(app, renamed.id, "still empty", begin=renamed.start, end=renamed.start)
    with pytest.raises(ServiceError, match="after the start"):
        tracking.add(app, "c", clock.now, clock.now)
    longer = tracking.amend(app, renamed.id, "it lasted", end=renamed.start + timedelta(minutes=5))
    assert longer.seconds() == 300
    assert ledger_ops.verify_ledger(app).ok
