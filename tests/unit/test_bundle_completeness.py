"""Bundle v2 completeness: the contractor, re-signing with their own key, cannot leave a
leaf about the client out, pass another client's leaf off as the client's, or drop
what an earlier bundle showed; moves between clients show up and leak nothing; a new
key after trust on first use fails loudly."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.core import leaves as lk
from hourproof.ledger import clientmap
from hourproof.proof import format as f
from hourproof.services import tracking
from hourproof.services.app import App
from hourproof.services.verifying import VerifyRequest, verify
from tests.support import bundles as b


@dataclass
class World:
    root: Path
    home: b.Home
    first: Path  # the first bundle for A
    second: Path  # the next bundle for A, since the first


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("complete")
    home = b.build_home(root, with_evidence=False)
    first = root / "first.hproof"
    b.export(home, first, reports=False)
    home.clock.advance(hours=2)
    late = tracking.add(
        home.app, "website", b._at(20, 9), b._at(20, 11), tracking.Details(client=b.CLIENT_A)
    )
    home.clock.advance(minutes=5)
    tracking.remove(home.app, late.id, "speculative")
    home.clock.advance(minutes=5)
    november = datetime(2026, 11, 3, 9, tzinfo=UTC)
    tracking.add(home.app, "api", november, november + timedelta(hours=1),
                 tracking.Details(client=b.CLIENT_A))  # fmt: skip
    second = root / "second.hproof"
    b.export(home, second, reports=False)
    yield World(root, home, first, second)
    home.close()


def client_app(path: Path) -> App:
    return App.open(path)


def run(app: App, bundle: Path | bytes, tmp: Path, **kw: object) -> object:
    if isinstance(bundle, bytes):
        path = tmp / "x.hproof"
        path.write_bytes(bundle)
        bundle = path
    return verify(app, VerifyRequest(bundle=bundle, **kw))  # type: ignore[arg-type]


def lines_without(files: dict[str, bytes], seq: int) -> dict[str, bytes | None]:
    lines = [ln for ln in b.entry_lines(files) if json.loads(ln)["seq"] != seq]
    return {f.ENTRIES: b.jsonl(lines), f.proof_path(seq): None}


def test_genuine_bundles_verify_in_order_and_say_from_where(world: World, tmp_path: Path) -> None:
    app = client_app(tmp_path / "client")
    r1 = run(app, world.first, tmp_path)
    assert r1.ok, r1.steps  # type: ignore[attr-defined]
    step = next(s for s in r1.steps if s.name == "completeness")  # type: ignore[attr-defined]
    assert "from the start of the log" in step.detail
    r2 = run(app, world.second, tmp_path)
    assert r2.ok, r2.steps  # type: ignore[attr-defined]
    step = next(s for s in r2.steps if s.name == "completeness")  # type: ignore[attr-defined]
    assert "since your bundle at size" in step.detail
    app.close()


def test_every_leaf_about_the_client_is_required(world: World) -> None:
    files = b.unzip(world.second.read_bytes())
    chained = [lf["seq"] for lf in b.leaves_of(files) if "chain" in lf]
    manifest = b.manifest_of(files)
    since = json.loads(files[f.COMPLETENESS])["since"]["size"]
    assert chained
    for seq in chained:
        if seq < since:
            continue
        result = b.check(b.resign(files, world.home.key, lines_without(files, seq)))
        assert not result.ok and result.failure is not None, seq
        assert result.steps[-1].name == "completeness", (seq, result.steps[-1])
        assert "omits a leaf about its client" in result.failure.reason
    assert manifest["version"] == 2


def test_leaf_of_another_client_shown_as_this_clients_fails(world: World, tmp_path: Path) -> None:
    out = tmp_path / "b.hproof"
    b.export(world.home, out, client=b.CLIENT_B, reports=False)
    theirs = b.unzip(out.read_bytes())
    ours = b.unzip(world.first.read_bytes())
    b_leaf = next(ln for ln in b.entry_lines(theirs) if b'"chain"' in ln)
    seq = json.loads(b_leaf)["seq"]
    lines = sorted([*b.entry_lines(ours), b_leaf], key=lambda ln: json.loads(ln)["seq"])
    disclosed = {json.loads(ln)["seq"]: ln for ln in lines}
    forged = b.forge(ours, world.home.key, disclosed)
    result = b.check(forged)
    assert not result.ok and result.failure is not None
    assert result.steps[-1].name in ("completeness", "totals"), result.steps[-1]
    assert str(seq) in result.failure.reason or "chain" in result.failure.reason


def test_map_proof_of_another_size_fails(world: World) -> None:
    files = b.unzip(world.second.read_bytes())
    body = json.loads(files[f.COMPLETENESS])
    body["maps"][-1]["count"] += 1
    edited = b.resign(files, world.home.key, {f.COMPLETENESS: b.canonical(body)})
    result = b.check(edited)
    assert not result.ok and result.steps[-1].name == "completeness"


def test_wrong_secret_fails(world: World) -> None:
    files = b.unzip(world.first.read_bytes())
    body = json.loads(files[f.COMPLETENESS])
    body["client"]["secret"] = "A" * 43 + "="
    result = b.check(b.resign(files, world.home.key, {f.COMPLETENESS: b.canonical(body)}))
    assert not result.ok and "client.id" in (result.failure.reason if result.failure else "")


def test_dropping_a_removal_an_earlier_bundle_showed_fails(world: World, tmp_path: Path) -> None:
    app = client_app(tmp_path / "client")
    assert run(app, world.first, tmp_path).ok  # type: ignore[attr-defined]
    files = b.unzip(world.second.read_bytes())
    removal = next(
        lf for lf in b.leaves_of(files) if lf["kind"] == lk.ENTRY_REMOVE and lf["seq"] < 14
    )
    edits = lines_without(files, removal["seq"])
    stripped = {k: v for k, v in edits.items() if v is not None}
    leaves = {json.loads(ln)["seq"]: ln for ln in b.entry_lines({**files, **stripped})}
    from hourproof.proof.statement import build_statement

    parsed = {s: json.loads(d) for s, d in leaves.items()}
    _, rows = build_statement(
        parsed, [], contractor=b.IDENTITY, fingerprint="", client=b.CLIENT_A, project=None,
        period_start=b.PERIOD_FROM, period_end=b.PERIOD_TO, generated_at=b.PERIOD_TO,
        tree_size=b.export_size(files),
    )  # fmt: skip
    from hourproof.core.summary import to_csv

    edits[f.SUMMARY] = to_csv(rows)
    forged = b.rezip(b.resign(files, world.home.key, edits))
    result = run(app, forged, tmp_path)
    assert not result.ok  # type: ignore[attr-defined]
    assert "an earlier bundle" in result.failure.reason  # type: ignore[attr-defined]
    app.close()


def test_other_key_after_trust_on_first_use_fails_loudly(world: World, tmp_path: Path) -> None:
    app = client_app(tmp_path / "client")
    assert run(app, world.first, tmp_path).ok  # type: ignore[attr-defined]
    other = Ed25519PrivateKey.generate()
    files = b.unzip(world.first.read_bytes())
    forged = b.rezip(b.resign(files, other, adopt=True))
    result = run(app, forged, tmp_path)
    assert not result.ok  # type: ignore[attr-defined]
    assert "KEY CHANGED" in result.failure.reason  # type: ignore[attr-defined]
    app.close()


def test_move_shows_a_removal_to_the_old_client_and_nothing_of_it_to_the_new(
    tmp_path: Path,
) -> None:
    home = b.build_home(tmp_path, with_evidence=False)
    entry = tracking.add(
        home.app, "website", b._at(12, 9), b._at(12, 10),
        tracking.Details(client=b.CLIENT_A, note="moved note"),
    )  # fmt: skip
    home.clock.advance(minutes=3)
    moved = tracking.amend(home.app, entry.id, "wrong client", tracking.Details(client=b.CLIENT_B))
    assert moved.client == b.CLIENT_B and moved.id != entry.id
    a = b.unzip(b.export(home, tmp_path / "a.hproof", reports=False))
    bb = b.unzip(b.export(home, tmp_path / "b.hproof", client=b.CLIENT_B, reports=False))
    assert b.check(a).ok and b.check(bb).ok
    removal = [lf for lf in b.leaves_of(a) if lf["kind"] == lk.ENTRY_REMOVE
               and lf["entry"] == entry.id]  # fmt: skip
    assert removal and removal[0]["reason"] == lk.MOVED_REASON
    assert b.CLIENT_B.encode() not in a[f.ENTRIES]
    new = [lf for lf in b.leaves_of(bb) if lf["seq"] == moved.id]
    assert new and "entry" not in new[0] and new[0]["client"] == b.CLIENT_B
    assert b.CLIENT_A.encode() not in bb[f.ENTRIES]
    home.close()


def test_map_helpers_reject_a_changed_entry() -> None:
    ids = [bytes([i]) * 32 for i in range(1, 6)]
    entries = {i: clientmap.MapEntry(n + 1, bytes([n]) * 32) for n, i in enumerate(ids)}
    root = clientmap.map_root(entries)
    for i in ids:
        clientmap.verify_map_proof(root, i, entries[i], clientmap.map_proof(entries, i))
        with pytest.raises(clientmap.MapError):
            clientmap.verify_map_proof(
                root, i, clientmap.MapEntry(entries[i].count + 1, entries[i].head),
                clientmap.map_proof(entries, i),
            )  # fmt: skip
    absent = bytes([9]) * 32
    proof = clientmap.map_absence(entries, absent)
    clientmap.verify_map_absence(root, absent, proof.proof, proof.other)
    with pytest.raises(clientmap.MapError):
        clientmap.verify_map_absence(root, ids[0], proof.proof, proof.other)


def test_leaves_outside_the_period_are_disclosed_and_not_counted(world: World) -> None:
    result = b.check(b.unzip(world.second.read_bytes()))
    assert result.ok and result.statement is not None
    outside = [e for e in result.statement.entries if e.outside]
    assert [e.start.month for e in outside] == [11]
    assert all(r.day.startswith("2026-10") for r in result.summary)


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[b.Home, dict[str, bytes]]]:
    root = tmp_path_factory.mktemp("reports")
    home = b.build_home(root, with_evidence=False)
    files = b.unzip(b.export(home, root / "r.hproof"))
    yield home, files
    home.close()


def test_reports_of_a_genuine_bundle_are_checked(
    reported: tuple[b.Home, dict[str, bytes]],
) -> None:
    result = b.check(reported[1])
    assert result.ok, result.steps
    assert "report.html and report.pdf show these figures" in result.steps[-1].detail


def test_changed_total_in_report_html_fails_even_resigned(
    reported: tuple[b.Home, dict[str, bytes]],
) -> None:
    home, files = reported
    page = files[f.REPORT_HTML]
    total = b'data-f="h">8:45 h'
    assert total in page
    edited = b.resign(files, home.key, {f.REPORT_HTML: page.replace(total, b'data-f="h">18:45 h')})
    result = b.check(edited)
    assert not result.ok and result.failure is not None
    assert result.failure.file == f.REPORT_HTML and result.steps[-1].name == "totals"


def test_changed_figures_in_report_pdf_fail_even_resigned(
    reported: tuple[b.Home, dict[str, bytes]],
) -> None:
    import base64
    import gzip
    import re

    home, files = reported
    pdf = files[f.REPORT_PDF]
    match = re.search(rb"<hourproof:statement>([^<]*)</hourproof:statement>", pdf)
    assert match is not None
    body = json.loads(gzip.decompress(base64.b64decode(match.group(1))))
    body["total_seconds"] += 3600
    packed = base64.b64encode(gzip.compress(b.canonical(body), mtime=0))
    forged = pdf.replace(match.group(1), packed)
    for bad in (forged, pdf.replace(b"<hourproof:statement>", b"<hourproof:other>")):
        result = b.check(b.resign(files, home.key, {f.REPORT_PDF: bad}))
        assert not result.ok and result.failure is not None
        assert result.failure.file == f.REPORT_PDF


def test_version_1_bundle_still_verifies_with_a_note(world: World) -> None:
    files = b.unzip(world.first.read_bytes())
    legacy = {n: d for n, d in files.items() if n != f.COMPLETENESS}
    disclosed = {}
    for leaf in b.leaves_of(files):
        leaf.pop("chain", None)
        disclosed[leaf["seq"]] = b.canonical(leaf)
    forged = b.forge(legacy, world.home.key, disclosed)
    v1 = b.resign(forged, world.home.key, manifest={"version": 1})
    result = b.check(v1)
    assert result.ok, result.steps
    assert any("version 1" in w for w in result.warnings)
    step = next(s for s in result.steps if s.name == "completeness")
    assert "version 1" in step.detail


def test_version_2_bundle_without_completeness_data_fails(world: World) -> None:
    files = b.unzip(world.first.read_bytes())
    result = b.check(b.resign(files, world.home.key, {f.COMPLETENESS: None}))
    assert not result.ok and result.failure is not None
    assert result.failure.file == f.COMPLETENESS


def test_non_ascii_byte_in_the_vkey_is_a_failed_step_naming_it(world: World) -> None:
    files = b.unzip(world.first.read_bytes())
    vkey = files[f.VKEY]
    bad = vkey[:5] + "é".encode() + vkey[5:]
    result = b.check(b.resign(files, world.home.key, {f.VKEY: bad}))
    assert not result.ok and result.failure is not None
    assert result.failure.file == f.VKEY and "ASCII" in result.failure.reason
    assert result.steps[-1].name == "manifest signature"


def test_verdict_line_tells_trusted_time_from_self_reported(world: World) -> None:
    from hourproof.proof.verdict import verdict_line

    result = b.check(b.unzip(world.first.read_bytes()))
    assert result.statement is not None
    assert verdict_line(result.statement).startswith(
        "VERIFIED, self-reported only (no trusted timestamp covers any entry)"
    )
