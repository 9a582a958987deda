"""Witnessing over C2SP tlog-witness against a loopback witness (tests/support/witness.py)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import pytest
import requests

from hourproof.ledger import cosignature as cs
from hourproof.ledger.keys import log_origin
from hourproof.ledger.merkle import MerkleTree
from hourproof.services import tracking, witnessing
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.store.ledger import CheckpointTable, LeafTable
from tests.support.witness import TestWitness


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(home, clock):
    opened = App.open(home)
    opened.clock = clock
    yield opened
    opened.close()


@pytest.fixture
def witness(tmp_path, app):
    with TestWitness(tmp_path / "witness-state.json") as w:
        w.trust(log_origin(app.key.public_key()), app.key.public_key())
        yield w


def _work(app: App, clock: Clock, n: int = 1) -> None:
    for _ in range(n):
        start = clock.now
        clock.now += timedelta(minutes=30)
        tracking.add(app, "site", start, clock.now, tracking.Details(client="acme"))


def _latest(app: App):
    with app.read_db() as db:
        return CheckpointTable(db).latest()


def test_first_submission_sends_old_0_and_no_proof(app, clock, witness):
    _work(app, clock)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    results = witnessing.drain(app, timeout=30)
    assert [r.ok for r in results] == [True]
    seen = witness.requests_seen[0]
    assert seen.path == "/add-checkpoint"
    head, note = seen.body.decode().split("\n\n", 1)
    assert head == "old 0"
    assert note == _latest(app).note


def test_request_wire_format_follows_the_spec(app, clock, witness):
    _work(app, clock)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    witnessing.drain(app, timeout=30)
    _work(app, clock, 4)
    witnessing.drain(app, timeout=30)
    body = witness.requests_seen[-1].body.decode()
    lines = body.split("\n")
    assert lines[0] == "old 1"  # "old", one space, decimal without leading zeroes
    proof_lines = lines[1 : lines.index("")]
    assert 0 < len(proof_lines) <= 63
    hashes = [base64.b64decode(p, validate=True) for p in proof_lines]
    with app.read_db() as db:
        tree = MerkleTree(LeafTable(db).all_hashes())
    assert hashes == tree.consistency_proof(1, tree.size)
    # then the checkpoint note exactly, each line newline-terminated
    assert body.endswith(_latest(app).note) and body.endswith("\n")


def test_cosignature_is_stored_and_verifies_with_the_witness_vkey(app, clock, witness):
    _work(app, clock)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    witnessing.drain(app, timeout=30)
    [row] = witnessing.cosignatures(app)
    cp = _latest(app)
    assert row.size == cp.size and row.cosigner == "witness.test/w1"
    body, _ = cs.split_note(cp.note)
    who = cs.parse_cosigner_vkey(witness.vkey)
    assert cs.verified_cosigners(row.line, body, [who]) == {"witness.test/w1": row.timestamp}
    # The response is note signature lines: em dash, name, base64 (4 + 8 + 64 bytes), newline.
    answer = witness.requests_seen[0].response.decode()
    assert answer.startswith("\u2014 witness.test/w1 ") and answer.endswith("\n")
    assert len(base64.b64decode(answer.split(" ")[2])) == 76


def test_witness_state_is_persisted_and_survives_a_restart(app, clock, witness, tmp_path):
    _work(app, clock, 2)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    witnessing.drain(app, timeout=30)
    assert witness.state()[log_origin(app.key.public_key())]["size"] == _latest(app).size
    again = TestWitness(witness.state_file, key=witness.key)
    assert again.state() == witness.state()


def test_409_teaches_the_known_size_and_the_client_resends(app, clock, witness):
    _work(app, clock, 3)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    witnessing.drain(app, timeout=30)
    # The client forgets what the witness knows (e.g. a restored backup).
    from hourproof.store.witnesses import WitnessTable

    with app.write() as txn:
        WitnessTable(txn.db).set_known_size("w1", 0)
    _work(app, clock, 2)
    [result] = witnessing.drain(app, timeout=30, force=True)
    assert result.ok, result.detail
    statuses = [s.status for s in witness.requests_seen[1:]]
    assert statuses == [409, 200]
    conflict = witness.requests_seen[1]
    assert conflict.content_type == "text/x.tlog.size"
    assert conflict.response == b"3\n"
    assert witness.requests_seen[2].body.startswith(b"old 3\n")


def test_422_for_a_proof_that_does_not_verify(app, clock, witness):
    _work(app, clock, 3)
    origin = log_origin(app.key.public_key())
    note = _latest(app).note
    # pretend the witness had seen a different size-2 tree
    witness._save({origin: {"size": 2, "root": base64.b64encode(b"\x01" * 32).decode()}})
    with app.read_db() as db:
        tree = MerkleTree(LeafTable(db).all_hashes())
    body = (
        "old 2\n"
        + "".join(base64.b64encode(h).decode() + "\n" for h in tree.consistency_proof(2, 3))
        + "\n"
        + note
    )
    resp = requests.post(witness.url + "/add-checkpoint", data=body.encode(), timeout=30)
    assert resp.status_code == 422
    assert witness.state()[origin]["size"] == 2  # not cosigned, not updated


def test_client_records_422_and_backs_off(app, clock, witness):
    _work(app, clock, 3)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    origin = log_origin(app.key.public_key())
    witness._save({origin: {"size": 2, "root": base64.b64encode(b"\x01" * 32).decode()}})
    from hourproof.store.witnesses import WitnessTable

    with app.write() as txn:
        WitnessTable(txn.db).set_known_size("w1", 2)
    [result] = witnessing.drain(app, timeout=30)
    assert not result.ok and "consistency proof" in result.detail
    [row] = witnessing.list_witnesses(app)
    assert row.attempts == 1 and row.next_try > clock.now.isoformat()
    seen = len(witness.requests_seen)
    assert witnessing.drain(app, timeout=30) == []  # backing off: nothing sent
    assert len(witness.requests_seen) == seen


@pytest.mark.parametrize(("status", "word"), [(404, "404"), (403, "403")])
def test_unknown_log_or_untrusted_key(app, clock, tmp_path, status, word):
    _work(app, clock)
    with TestWitness(tmp_path / "other.json") as w:
        if status == 403:
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

            w.trust(log_origin(app.key.public_key()), Ed25519PrivateKey.generate().public_key())
        witnessing.add_witness(app, "w1", w.url, w.vkey)
        [result] = witnessing.drain(app, timeout=30)
        assert w.requests_seen[0].status == status
    assert not result.ok and word in result.detail and "origin" in result.detail


def test_same_size_other_root_is_409(witness, app, clock):
    _work(app, clock, 2)
    origin = log_origin(app.key.public_key())
    witness._save({origin: {"size": 2, "root": base64.b64encode(b"\x02" * 32).decode()}})
    resp = requests.post(
        witness.url + "/add-checkpoint",
        data=("old 2\n\n" + _latest(app).note).encode(),
        timeout=30,
    )
    assert resp.status_code == 409 and resp.text == "2\n"
    assert resp.headers["Content-Type"] == "text/x.tlog.size"


def test_old_above_checkpoint_size_is_400(witness, app, clock):
    _work(app, clock)
    resp = requests.post(
        witness.url + "/add-checkpoint",
        data=("old 9\n\n" + _latest(app).note).encode(),
        timeout=30,
    )
    assert resp.status_code == 400


def test_server_errors_back_off_and_lose_nothing(app, clock, witness):
    _work(app, clock)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    witness.force_status = 503
    [result] = witnessing.drain(app, timeout=30)
    assert not result.ok and "503" in result.detail
    witness.force_status = None
    clock.now += timedelta(minutes=5)
    [result] = witnessing.drain(app, timeout=30)
    assert result.ok
    assert len(witnessing.cosignatures(app)) == 1


def test_a_forged_cosignature_is_refused(app, clock, witness):
    _work(app, clock)
    witnessing.add_witness(app, "w1", witness.url, witness.vkey)
    witness.cosign = lambda body, t: TestWitness.cosign(witness, body + "x\n", t)  # type: ignore[method-assign]
    [result] = witnessing.drain(app, timeout=30)
    assert not result.ok and "invalid cosignature" in result.detail
    assert witnessing.cosignatures(app) == []


def test_add_validates_url_and_key(app, witness):
    with pytest.raises(ServiceError, match="http"):
        witnessing.add_witness(app, "w", "ftp://x", witness.vkey)
    with pytest.raises(ServiceError, match="cosigner key"):
        witnessing.add_witness(app, "w", witness.url, "nonsense")
    witnessing.add_witness(app, "w", witness.url, witness.vkey)
    with pytest.raises(ServiceError, match="exists"):
        witnessing.add_witness(
            app, "w", witness.url, cs.cosigner_vkey("x.test/2", witness.key.public_key())
        )
    witnessing.remove_witness(app, "w")
    assert witnessing.list_witnesses(app) == []
    with pytest.raises(ServiceError):
        witnessing.remove_witness(app, "w")


def test_the_stop_path_check_imports_no_crypto_or_network():
    """anchoring.kick -> witnessing.due runs on every start/stop: keep it light."""
    import subprocess
    import sys

    code = (
        "import sys; import hourproof.services.witnessing as w; "
        "print(sorted(m for m in sys.modules if m.startswith(('requests', 'cryptography', "
        "'hourproof.ledger.cosignature'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout  # fmt: skip
    assert out.strip() == "[]", out
