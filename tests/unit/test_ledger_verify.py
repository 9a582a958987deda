"""`ledger verify` catches any change made to the database behind hourproof's back."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from hourproof.services import ledger_ops, tracking
from hourproof.services.app import App


@pytest.fixture
def filled(home):
    app = App.open(home)
    base = datetime(2026, 11, 20, 9, tzinfo=UTC)
    for i in range(4):
        tracking.add(app, f"p{i}", base + timedelta(hours=i), base + timedelta(hours=i, minutes=50))
    app.close()
    return home


def tamper(home, *statements):
    con = sqlite3.connect(home / "hourproof.db")
    for sql in statements:
        con.execute(sql)
    con.commit()
    con.close()
    app = App.open(home)
    try:
        return ledger_ops.verify_ledger(app)
    finally:
        app.close()


def test_untouched_ledger_verifies(filled):
    verdict = tamper(filled)
    assert verdict.ok and verdict.leaves == 4 and verdict.checkpoints == 4


def test_changed_leaf_is_named(filled):
    v = tamper(filled, "UPDATE leaves SET data = CAST(REPLACE(data, 'p2', 'pX') AS BLOB) "
                       "WHERE seq = 2")  # fmt: skip
    assert not v.ok and v.bad_index == 2 and "changed" in v.problem


def test_changed_leaf_with_recomputed_hash_is_caught_by_the_checkpoint(filled):
    import hashlib

    con = sqlite3.connect(filled / "hourproof.db")
    data = con.execute("SELECT data FROM leaves WHERE seq = 1").fetchone()[0]
    new = data.replace(b'"p1"', b'"pZ"')
    con.execute("UPDATE leaves SET data = ?, hash = ? WHERE seq = 1",
                (new, hashlib.sha256(b"\x00" + new).digest()))  # fmt: skip
    con.commit()
    con.close()
    v = tamper(filled)
    assert not v.ok and v.bad_index == 1 and "checkpoint" in v.problem


def test_deleted_leaf_is_named(filled):
    v = tamper(filled, "DELETE FROM leaves WHERE seq = 1")
    assert not v.ok and v.bad_index == 1 and "missing" in v.problem


def test_deleted_last_leaf_is_caught(filled):
    v = tamper(filled, "DELETE FROM leaves WHERE seq = 3")
    assert not v.ok and v.bad_index == 3 and "deleted" in v.problem


def test_reordered_leaves_are_caught(filled):
    v = tamper(
        filled,
        "UPDATE leaves SET seq = 100 WHERE seq = 1",
        "UPDATE leaves SET seq = 1 WHERE seq = 2",
        "UPDATE leaves SET seq = 2 WHERE seq = 100",
    )
    assert not v.ok and v.bad_index == 1 and "reordered" in v.problem


def test_inserted_leaf_is_caught(filled):
    v = tamper(filled, "INSERT INTO leaves SELECT 4, kind, recorded_at, data, hash "
                       "FROM leaves WHERE seq = 3")  # fmt: skip
    assert not v.ok and v.bad_index == 4


def test_text_instead_of_bytes_is_caught(filled):
    v = tamper(filled, "UPDATE leaves SET data = CAST(data AS TEXT) WHERE seq = 0")
    assert not v.ok and v.bad_index == 0


def test_forged_checkpoint_signature_is_caught(filled):
    v = tamper(filled, "UPDATE checkpoints SET note = REPLACE(note, '— ', '— x') WHERE size = 2")
    assert not v.ok and "signature" in v.problem


def test_unsigned_tail_is_parsed_strictly(filled):
    """A leaf after the newest checkpoint has no signature over it: its form is checked."""
    import hashlib

    app = App.open(filled)
    tracking.start(app, "tail")  # starting a timer signs no checkpoint
    app.close()
    con = sqlite3.connect(filled / "hourproof.db")
    data = con.execute("SELECT data FROM leaves WHERE seq = 4").fetchone()[0]
    new = data.replace(b'{"after_anchor"', b'{ "after_anchor"')
    con.execute("UPDATE leaves SET data = ?, hash = ? WHERE seq = 4",
                (new, hashlib.sha256(b"\x00" + new).digest()))  # fmt: skip
    con.commit()
    con.close()
    v = tamper(filled)
    assert not v.ok and v.bad_index == 4 and "canonical" in v.problem


def test_unsigned_tail_is_reported(filled):
    app = App.open(filled)
    tracking.start(app, "tail")
    app.close()
    v = tamper(filled)
    assert v.ok and v.unsigned_tail == 1
