"""`ledger verify` checks signed leaves a batch at a time; a bad leaf in the middle of a
batch is still named exactly (the batch is re-checked leaf by leaf)."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from hourproof.core import leaves as lk
from hourproof.services import ledger_ops, tracking
from hourproof.services.app import App

SIZE = 2600  # checkpoints at 1000, 2048 and 2600: batches of 4096 cut at each of them


@pytest.fixture(scope="module")
def master(tmp_path_factory):
    home = tmp_path_factory.mktemp("bulk") / "home"
    app = App.open(home)
    base = datetime(2026, 11, 2, 9, tzinfo=UTC)
    with app.write() as txn:
        for i in range(SIZE):
            fields = tracking._entry_fields(txn, f"p{i}", tracking.Details())
            start = base + timedelta(minutes=10 * i)
            fields.update(
                start=start.isoformat().replace("+00:00", "Z"),
                end=(start + timedelta(minutes=5)).isoformat().replace("+00:00", "Z"),
                source="manual",
            )
            txn.append(lk.ENTRY_ADD, fields)
            if i + 1 in (1000, 2048, SIZE):
                txn.checkpoint()
    app.close()
    return home


@pytest.fixture
def big(master, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(master, home)
    return home


def tamper(home, statement, args=()):
    con = sqlite3.connect(home / "hourproof.db")
    con.execute(statement, args)
    con.commit()
    con.close()
    app = App.open(home)
    try:
        return ledger_ops.verify_ledger(app)
    finally:
        app.close()


def test_untouched_big_ledger_verifies(big):
    v = tamper(big, "SELECT 1")
    assert v.ok and v.leaves == SIZE and v.checkpoints == 3 and v.unsigned_tail == 0


def test_changed_leaf_in_a_batch_is_named(big):
    v = tamper(big, "UPDATE leaves SET data = CAST(REPLACE(data, 'p1500', 'pX') AS BLOB) "
                    "WHERE seq = 1500")  # fmt: skip
    assert not v.ok and v.bad_index == 1500 and "bytes do not match its hash" in v.problem


def test_changed_stored_hash_in_a_batch_is_named(big):
    v = tamper(big, "UPDATE leaves SET hash = ? WHERE seq = 1777", (b"\x00" * 32,))
    assert not v.ok and v.bad_index == 1777 and "bytes do not match its hash" in v.problem


def test_deleted_leaf_in_a_batch_is_named(big):
    v = tamper(big, "DELETE FROM leaves WHERE seq = 1234")
    assert not v.ok and v.bad_index == 1234 and "missing" in v.problem


def test_text_leaf_in_a_batch_is_named(big):
    v = tamper(big, "UPDATE leaves SET data = CAST(data AS TEXT) WHERE seq = 2100")
    assert not v.ok and v.bad_index == 2100 and "no longer stored as bytes" in v.problem


def rewrite_with_hash(home, seq: int, old: bytes, new: bytes):
    """Replace ``old`` by ``new`` in leaf ``seq`` and store the matching leaf hash (as
    someone holding the database would), then verify."""
    con = sqlite3.connect(home / "hourproof.db")
    data = con.execute("SELECT data FROM leaves WHERE seq = ?", (seq,)).fetchone()[0]
    con.close()
    changed = data.replace(old, new)
    assert changed != data
    return tamper(home, "UPDATE leaves SET data = ?, hash = ? WHERE seq = ?",
                  (changed, hashlib.sha256(b"\x00" + changed).digest(), seq))  # fmt: skip


def test_rehashed_leaf_in_a_batch_is_caught_by_its_checkpoint(big):
    v = rewrite_with_hash(big, 1500, b'"p1500"', b'"pY"')
    assert not v.ok and v.bad_index == 1000 and "a leaf among 1000..2047" in v.problem


def test_wrong_seq_field_with_its_hash_is_named(big):
    v = rewrite_with_hash(big, 300, b'"seq":300,', b'"seq":301,')
    assert not v.ok and v.bad_index == 300 and "carries index 301" in v.problem
