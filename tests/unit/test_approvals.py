"""Client approvals and contests: sign, record, carry in later bundles, catch equivocation."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from hourproof.ledger import cosignature as cs
from hourproof.ledger.checkpoint import open_checkpoint
from hourproof.ledger.keys import fingerprint
from hourproof.proof.approval_check import check_approval, loads
from hourproof.proof.cosign_step import APPROVED, summary_lines
from hourproof.services import approvals, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError, VerificationFailed
from hourproof.services.export import ExportRequest, export_bundle
from hourproof.services.verifying import VerifyRequest, verify

DAY = datetime(2026, 11, 2, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = DAY + timedelta(hours=9)

    def __call__(self) -> datetime:
        return self.now


def _open(path, clock) -> App:
    app = App.open(path)
    app.clock = clock
    return app


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def contractor(tmp_path, clock):
    app = _open(tmp_path / "contractor", clock)
    yield app
    app.close()


@pytest.fixture
def client(tmp_path, clock):
    app = _open(tmp_path / "client", clock)
    yield app
    app.close()


def _work(app: App, clock: Clock, n: int = 2, project: str = "site") -> None:
    for _ in range(n):
        start = clock.now
        clock.now += timedelta(hours=1)
        tracking.add(app, project, start, clock.now, tracking.Details(client="acme"))
        clock.now += timedelta(minutes=10)


def _export(app: App, path, clock: Clock):
    clock.now += timedelta(minutes=1)
    return export_bundle(app, ExportRequest(
        client="acme", lo=DAY, hi=DAY + timedelta(days=7), out=path, reports=False,
        anchor_first=False,
    ))  # fmt: skip


def test_approve_writes_a_cosignature_and_a_signed_statement(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    bundle = tmp_path / "b1.hproof"
    result = _export(contractor, bundle, clock)
    signed = approvals.approve(client, bundle, tmp_path / "a.json", note="thanks")
    obj = loads((tmp_path / "a.json").read_bytes())
    st = obj["statement"]
    assert st["kind"] == "approve" and st["recipient"] == "acme" and st["note"] == "thanks"
    assert st["tree_size"] == result.tree_size and st["total_seconds"] == 2 * 3600
    assert st["contractor"] == fingerprint(contractor.key.public_key())
    # The cosignature is a cosignature/v1 line by the client's own key (hourproof key show).
    assert signed.approval.client_fingerprint == fingerprint(client.key.public_key())
    cosigner = cs.parse_cosigner_vkey(st["cosigner"])
    body, lines = cs.split_note(obj["checkpoint"])
    assert cosigner.name in cs.verified_cosigners("\n".join(lines), body, [cosigner])
    open_checkpoint(obj["checkpoint"], contractor.key.public_key())  # still the contractor's
    assert len((tmp_path / "a.json").read_bytes()) < 4096


def test_approve_refuses_a_bundle_that_does_not_verify(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    bundle = tmp_path / "b1.hproof"
    _export(contractor, bundle, clock)
    import zipfile

    bad = tmp_path / "bad.hproof"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(bad, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "summary.csv":
                data = data.replace(b"2.00", b"3.00").replace(b"7200", b"9000")
            dst.writestr(info, data)
    with pytest.raises(VerificationFailed, match="does not verify"):
        approvals.approve(client, bad, tmp_path / "a.json")
    assert not (tmp_path / "a.json").exists()


def test_contractor_records_it_and_later_bundles_show_approved(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    seq, approval = approvals.add_approval(contractor, tmp_path / "a.json")
    assert [s for s, _ in approvals.list_approvals(contractor, "acme")] == [seq]
    _work(contractor, clock, 1)
    b2 = tmp_path / "b2.hproof"
    _export(contractor, b2, clock)
    result = verify(client, VerifyRequest(bundle=b2))
    assert result.ok, result.failure
    lines = summary_lines(result)
    assert any(line.startswith("Approved by acme (SHA256:") and "through size" in line
               for line in lines), lines  # fmt: skip
    labels = {e.id: e.label for e in result.statement.entries}
    approved = [i for i, label in labels.items() if label == APPROVED]
    assert approved and all(i < approval.tree_size for i in approved)
    assert any(label != APPROVED for label in labels.values())  # the new entry is not


def test_a_different_client_key_later_is_refused(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    approvals.add_approval(contractor, tmp_path / "a.json")
    other = _open(tmp_path / "impostor", clock)
    approvals.approve(other, b1, tmp_path / "b.json")
    with pytest.raises(VerificationFailed, match="approved before with"):
        approvals.add_approval(contractor, tmp_path / "b.json")
    other.close()


def test_pinned_key_option_and_duplicates(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    with pytest.raises(VerificationFailed, match="not by the key you gave"):
        approvals.add_approval(contractor, tmp_path / "a.json", key="SHA256:nope")
    approvals.add_approval(
        contractor, tmp_path / "a.json", key=fingerprint(client.key.public_key())
    )
    with pytest.raises(ServiceError, match="recorded already"):
        approvals.add_approval(contractor, tmp_path / "a.json")


def test_an_approval_of_another_log_is_refused(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    stranger = _open(tmp_path / "stranger", clock)
    _work(stranger, clock)
    with pytest.raises(VerificationFailed, match="not this contractor's"):
        approvals.add_approval(stranger, tmp_path / "a.json")
    stranger.close()


def test_a_tampered_statement_is_refused(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    obj = json.loads((tmp_path / "a.json").read_text())
    obj["statement"]["total_seconds"] += 3600
    (tmp_path / "t.json").write_text(json.dumps(obj))
    with pytest.raises(VerificationFailed, match="signature by the client"):
        approvals.add_approval(contractor, tmp_path / "t.json")


def test_contest_marks_entries(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    first = verify(client, VerifyRequest(bundle=b1, remember=False)).statement.entries[0].id
    with pytest.raises(ServiceError, match="no entry"):
        approvals.contest(client, b1, tmp_path / "d.json", "x", (99999,))
    signed = approvals.contest(client, b1, tmp_path / "c.json", "not agreed", (first,))
    assert signed.approval.kind == "contest" and signed.approval.entries == (first,)
    approvals.add_approval(contractor, tmp_path / "c.json")
    _work(contractor, clock, 1)
    b2 = tmp_path / "b2.hproof"
    _export(contractor, b2, clock)
    result = verify(client, VerifyRequest(bundle=b2))
    assert result.ok, result.failure
    assert {e.id: e.label for e in result.statement.entries}[first] == "Contested"
    assert any(line.startswith("Contested by acme") for line in summary_lines(result))


def test_rewriting_approved_history_is_equivocation_with_evidence(
    contractor, client, clock, tmp_path
):
    _work(contractor, clock, 1)
    home = contractor.home.root
    contractor.close()
    shutil.copytree(home, tmp_path / "fork")  # the contractor keeps an old copy…
    contractor = _open(home, clock)
    _work(contractor, clock, 1)
    b1 = tmp_path / "b1.hproof"
    r1 = _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    contractor.close()
    fork = _open(tmp_path / "fork", clock)  # …and rewrites the approved hours from it
    clock.now += timedelta(hours=3)
    tracking.add(fork, "site", clock.now - timedelta(hours=3), clock.now,
                 tracking.Details(client="acme"))  # fmt: skip
    b2 = tmp_path / "fork.hproof"
    r2 = _export(fork, b2, clock)
    assert r2.tree_size == r1.tree_size
    evidence = tmp_path / "evidence"
    result = verify(client, VerifyRequest(bundle=b2, evidence_out=evidence))
    assert not result.ok and "equivocation" in result.failure.reason
    pub = fork.key.public_key()
    a = open_checkpoint((evidence / "approved.checkpoint").read_text(), pub)
    b = open_checkpoint((evidence / "conflicting.checkpoint").read_text(), pub)
    assert a.size == b.size and a.root != b.root
    check_approval(loads((evidence / "approval.json").read_bytes()), pub)
    assert "two different logs" in (evidence / "README.txt").read_text()
    fork.close()


def test_check_approval_rejects_malformed_objects(contractor, client, clock, tmp_path):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    good = loads((tmp_path / "a.json").read_bytes())
    pub = contractor.key.public_key()
    check_approval(good, pub)
    from hourproof.proof.approval_check import ApprovalError

    def mutated(path: tuple[str, ...], value: object) -> dict:
        obj = json.loads(json.dumps(good))
        target = obj
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        return obj

    cases = [
        (("format",), "other"),
        (("statement", "kind"), "maybe"),
        (("statement", "period"), "2026"),
        (("statement", "period", "from"), 5),
        (("statement", "note"), 7),
        (("statement", "entries"), ["x"]),
        (("statement", "amounts"), {"EUR": 1.5}),
        (("statement", "cosigner"), "nope"),
        (("signature",), "!!"),
        (("checkpoint",), "not a note"),
        (("statement", "extra"), 1),
    ]
    for path, value in cases:
        with pytest.raises(ApprovalError):
            check_approval(mutated(path, value), pub)
    with pytest.raises(ApprovalError):
        check_approval(good, client.key.public_key())  # another contractor


def test_a_forged_approval_leaf_fails_verification(contractor, client, clock, tmp_path):
    """The contractor re-signs a bundle whose approval leaf claims more approved hours."""
    from hourproof.ledger.canonical import canonical
    from hourproof.proof import format as f
    from tests.support.bundles import resign, rezip, unzip

    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    approvals.add_approval(contractor, tmp_path / "a.json")
    b2 = tmp_path / "b2.hproof"
    _export(contractor, b2, clock)
    files = unzip(b2.read_bytes())
    lines = files[f.ENTRIES].split(b"\n")
    for i, line in enumerate(lines):
        if b'"kind":"approval"' in line:
            leaf = json.loads(line)
            leaf["approval"]["statement"]["total_seconds"] *= 2
            lines[i] = canonical(leaf)
    bad = tmp_path / "bad.hproof"
    bad.write_bytes(rezip(resign(files, contractor.key, {f.ENTRIES: b"\n".join(lines)})))
    result = verify(None, VerifyRequest(bundle=bad))
    assert not result.ok and result.failure.file == f.ENTRIES


def test_equivocation_shown_by_the_contractors_own_consistency_proof():
    """A later log of size 5 whose first 3 leaves differ from the approved size-3 log."""
    import hashlib
    from types import SimpleNamespace

    from hourproof.ledger.checkpoint import Checkpoint
    from hourproof.ledger.merkle import MerkleTree
    from hourproof.proof.approval_check import find_equivocation

    def h(x: bytes) -> bytes:
        return hashlib.sha256(x).digest()

    approved_tree = MerkleTree([h(b"a"), h(b"b"), h(b"c")])
    fork = MerkleTree([h(b"a"), h(b"B"), h(b"c"), h(b"d"), h(b"e")])
    approval = SimpleNamespace(tree_size=3, root=approved_tree.root())
    later = Checkpoint("o", 5, fork.root())
    proofs = {(3, 5): {"size1": 3, "size2": 5, "root1": fork.root(3), "root2": fork.root(5),
                       "proof": fork.consistency_proof(3, 5)}}  # fmt: skip
    eq = find_equivocation(approval, {5: (later, "note5")}, proofs)  # type: ignore[arg-type]
    assert eq is not None and eq.consistency is proofs[(3, 5)]
    # An honest extension of the approved log is no equivocation.
    honest = MerkleTree([h(b"a"), h(b"b"), h(b"c"), h(b"d")])
    ok = {(3, 4): {"size1": 3, "size2": 4, "root1": honest.root(3), "root2": honest.root(4),
                   "proof": honest.consistency_proof(3, 4)}}  # fmt: skip
    cp4 = Checkpoint("o", 4, honest.root())
    assert find_equivocation(approval, {4: (cp4, "n")}, ok) is None  # type: ignore[arg-type]
    # A proof that does not verify proves nothing.
    broken = {(3, 5): dict(proofs[(3, 5)], proof=[bytes(32)] * 3)}
    assert find_equivocation(approval, {5: (later, "n")}, broken) is None  # type: ignore[arg-type]


def test_dropping_the_approved_checkpoint_fails_for_the_client_who_signed(
    contractor, client, clock, tmp_path
):
    """The contractor leaves out the approval and the approved checkpoint, re-signing."""
    from hourproof.proof import format as f
    from tests.support.bundles import resign, rezip, unzip

    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    r1 = _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    _work(contractor, clock, 1)
    b2 = tmp_path / "b2.hproof"
    r2 = _export(contractor, b2, clock)
    files = unzip(b2.read_bytes())
    n, m = r1.tree_size, r2.tree_size
    drop = {f.checkpoint_path(n): None, f.consistency_path(n, m): None}
    assert f.checkpoint_path(n) in files
    bad = tmp_path / "bad.hproof"
    bad.write_bytes(rezip(resign(files, contractor.key, drop)))
    result = verify(client, VerifyRequest(bundle=bad))
    assert not result.ok
    assert "does not prove it extends the checkpoint acme" in result.failure.reason
    # Someone who never approved sees no such failure from this step.
    other = _open(tmp_path / "other", clock)
    steps = {s.name: s.ok for s in verify(other, VerifyRequest(bundle=bad)).steps}
    assert steps.get("approvals and witnesses") is True
    other.close()


def test_every_later_bundle_carries_the_approval_not_only_the_next(
    contractor, client, clock, tmp_path
):
    _work(contractor, clock)
    b1 = tmp_path / "b1.hproof"
    _export(contractor, b1, clock)
    approvals.approve(client, b1, tmp_path / "a.json")
    approvals.add_approval(contractor, tmp_path / "a.json")
    for k in (2, 3, 4):
        _work(contractor, clock, 1)
        bundle = tmp_path / f"b{k}.hproof"
        _export(contractor, bundle, clock)
        result = verify(client, VerifyRequest(bundle=bundle))
        assert result.ok, (k, result.failure)
        assert any(line.startswith("Approved by acme") for line in summary_lines(result)), k
