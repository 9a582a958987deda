"""Witness cosignatures travel in bundles and `verify --witness` requires a quorum."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from hourproof.ledger import cosignature as cs
from hourproof.ledger.keys import log_origin
from hourproof.services import tracking, witnessing
from hourproof.services.errors import ServiceError
from hourproof.services.export import ExportRequest, export_bundle
from hourproof.services.verifying import VerifyRequest, verify
from tests.support.apps import Clock, opened
from tests.support.witness import TestWitness

DAY = datetime(2026, 11, 2, tzinfo=UTC)


@pytest.fixture
def clock():
    return Clock(DAY + timedelta(hours=9))


@pytest.fixture
def app(tmp_path, clock):
    with opened(tmp_path / "contractor", clock, startup=False) as app:
        yield app


@pytest.fixture
def witnesses(tmp_path, app):
    with (
        TestWitness(tmp_path / "w1.json", name="w1.test/a") as w1,
        TestWitness(tmp_path / "w2.json", name="w2.test/b") as w2,
    ):
        for w in (w1, w2):
            w.trust(log_origin(app.key.public_key()), app.key.public_key())
        yield w1, w2


def _bundle(app, clock, tmp_path, name="b.hproof"):
    start = clock.now
    clock.now += timedelta(hours=1)
    tracking.add(app, "site", start, clock.now, tracking.Details(client="acme"))
    clock.now += timedelta(minutes=1)
    out = tmp_path / name
    export_bundle(app, ExportRequest(client="acme", lo=DAY, hi=DAY + timedelta(days=7), out=out,
                                     reports=False))  # fmt: skip
    return out


def test_export_submits_and_carries_cosignatures(app, clock, tmp_path, witnesses):
    w1, w2 = witnesses
    witnessing.add_witness(app, "a", w1.url, w1.vkey)
    witnessing.add_witness(app, "b", w2.url, w2.vkey)
    out = _bundle(app, clock, tmp_path)
    with zipfile.ZipFile(out) as zf:
        names = [n for n in zf.namelist() if n.endswith(".cosignatures")]
        assert names
        text = zf.read(names[0]).decode()
    assert {cs.parse_cosignature_line(line).name for line in text.splitlines()} == {
        "w1.test/a", "w2.test/b"
    }  # fmt: skip
    result = verify(None, VerifyRequest(bundle=out, witnesses=(w1.vkey, w2.vkey)))
    assert result.ok, result.failure
    assert set(result.cosign.witness.cosigned) == {"w1.test/a", "w2.test/b"}


def test_quorum_not_met_fails(app, clock, tmp_path, witnesses):
    w1, w2 = witnesses
    witnessing.add_witness(app, "a", w1.url, w1.vkey)
    out = _bundle(app, clock, tmp_path)
    result = verify(None, VerifyRequest(bundle=out, witnesses=(w1.vkey, w2.vkey)))
    assert not result.ok and "only 1 of the 2 required witnesses" in result.failure.reason
    ok = verify(None, VerifyRequest(bundle=out, witnesses=(w1.vkey, w2.vkey), witness_quorum=1))
    assert ok.ok, ok.failure


def test_without_witness_keys_the_lines_are_only_counted(app, clock, tmp_path, witnesses):
    w1, _ = witnesses
    witnessing.add_witness(app, "a", w1.url, w1.vkey)
    out = _bundle(app, clock, tmp_path)
    result = verify(None, VerifyRequest(bundle=out))
    assert result.ok
    step = next(s for s in result.steps if s.name == "approvals and witnesses")
    assert "pass --witness" in step.detail


def test_bad_quorum_is_a_usage_error(app, clock, tmp_path, witnesses):
    w1, _ = witnesses
    out = _bundle(app, clock, tmp_path)
    with pytest.raises(ServiceError, match="quorum"):
        verify(None, VerifyRequest(bundle=out, witnesses=(w1.vkey,), witness_quorum=2))
    with pytest.raises(ServiceError, match="--witness"):
        verify(None, VerifyRequest(bundle=out, witnesses=("garbage",)))


def test_contractor_cannot_forge_or_move_a_witness_line(app, clock, tmp_path, witnesses):
    """The strongest attacker re-signs the manifest after editing cosignature members."""
    from tests.support.bundles import resign, rezip, unzip

    w1, _ = witnesses
    witnessing.add_witness(app, "a", w1.url, w1.vkey)
    out = _bundle(app, clock, tmp_path)
    files = unzip(out.read_bytes())
    [name] = [n for n in files if n.endswith(".cosignatures")]
    line = cs.parse_cosignature_line(files[name].decode())
    forged = cs.Cosignature(line.name, line.key_id, line.timestamp + 60, line.signature)
    cases = {
        "changed time": {name: forged.line.encode()},
        "moved to another size": {name: None, "anchors/999.cosignatures": files[name]},
        "not a signature line": {name: b"hello\n"},
    }
    for what, edits in cases.items():
        bad = tmp_path / f"{what}.hproof"
        bad.write_bytes(rezip(resign(files, app.key, edits)))
        result = verify(None, VerifyRequest(bundle=bad, witnesses=(w1.vkey,)))
        assert not result.ok, what
