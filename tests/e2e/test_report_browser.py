"""report.html verifies itself in a real browser (issue 8, "Reports bound to verified data").

Why: a client opens report.html by double-click and reads the verdict box. Headless
Debian Chromium opens real exported reports from file:// and we read ``#verdict``:
green for a genuine bundle; red, naming the failing check, for every edit a contractor
can make with their own key (changed entry, changed total, dropped removal, proof from
another tree, re-signed checkpoint); amber where the browser lacks Ed25519; "not
checked" without JavaScript. Each attack re-renders the page from the tampered members
as the contractor's own exporter would, so only the page's checks can catch it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hourproof.ledger.canonical import canonical, parse_canonical
from hourproof.proof import format as f
from hourproof.proof import report_html
from hourproof.proof.model import Statement
from hourproof.proof.report_html import render_html, report_problems
from hourproof.proof.statement import build_statement
from hourproof.services import tracking
from tests.support import bundles as b
from tests.support.tsa import TestTsa

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; CI has it)"
)


@dataclass
class World:
    root: Path
    files: dict[str, bytes]
    key: Ed25519PrivateKey
    roots: list[x509.Certificate]
    statement: Statement
    other_files: dict[str, bytes]
    second_files: dict[str, bytes]  # the client's next bundle (completeness since the first)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("report-browser")
    with TestTsa() as tsa:
        home = b.build_home(root / "a", tsa.url, tsa.root_pem)
        data = b.export(home, root / "a.hproof")
        roots = [tsa.root_cert]
        home.clock.advance(hours=2)
        entry = tracking.add(home.app, "website", b._at(20, 9), b._at(20, 11),
                             tracking.Details(client=b.CLIENT_A, note="second month"))  # fmt: skip
        home.clock.advance(minutes=5)
        tracking.remove(home.app, entry.id, "entered twice")
        second = b.export(home, root / "b.hproof")
    other = b.build_home(root / "other", with_evidence=False)
    other_data = b.export(other, root / "other.hproof", reports=False)
    files = b.unzip(data)
    result = b.check(files, roots)
    assert result.ok and result.statement is not None, result.steps
    yield World(root, files, home.key, roots, result.statement, b.unzip(other_data),
                b.unzip(second))  # fmt: skip
    home.close()
    other.close()


def chromium(page: Path, *extra: str) -> str:
    """The DOM after the page's scripts ran, as headless Chromium dumps it."""
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="hp-chromium-") as profile:
        out = subprocess.run(
            [
                CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                "--virtual-time-budget=60000", *extra, "--dump-dom", page.as_uri(),
            ],
            capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
    return out.stdout


@dataclass
class Verdict:
    state: str
    text: str
    checks: list[str]


def verdict(dom: str) -> Verdict:
    box = re.search(
        r'<div id="verdict"[^>]*data-state="([a-z]+)"[^>]*>(.*?)</div></div>', dom, re.S
    )
    assert box, dom[:2000]
    checks = re.findall(r"<li class=\"[a-z]+\"[^>]*><b>(.*?)</li>", dom, re.S)
    text = re.sub(r"<[^>]+>", " ", box.group(2))
    return Verdict(box.group(1), re.sub(r"\s+", " ", text).strip(), checks)


def open_page(world: World, name: str, page: str | bytes, *extra: str) -> Verdict:
    path = world.root / f"{name}.html"
    path.write_bytes(page.encode() if isinstance(page, str) else page)
    return verdict(chromium(path, *extra))


def genuine(world: World) -> Path:
    """The exported report.html, as the client saves it."""
    path = world.root / "genuine.html"
    path.write_bytes(world.files[f.REPORT_HTML])
    return path


def statement_of(files: Mapping[str, bytes], st: Statement) -> Statement:
    """The statement the contractor's own exporter would print for these members."""
    leaves = {}
    for line in b.entry_lines(files):
        leaf = parse_canonical(line)
        leaves[leaf["seq"]] = leaf
    new, _ = build_statement(
        leaves, st.anchors, contractor=st.contractor, fingerprint=st.fingerprint,
        client=st.client, project=st.project, period_start=st.period_start,
        period_end=st.period_end, generated_at=st.generated_at, tree_size=st.tree_size,
    )  # fmt: skip
    return new


def attacked(world: World, edits: Mapping[str, bytes | None], **manifest: Any) -> str:
    """Members changed, the bundle re-signed with the contractor's key, and the page
    re-rendered from the changed members (figures re-summed to match)."""
    files = b.resign(world.files, world.key, edits, manifest or None)
    size = int(b.manifest_of(files)["tree_size"])
    st = replace(statement_of(files, world.statement), tree_size=size)
    return render_html(st, files)


def failed(v: Verdict, check: str, *words: str) -> None:
    assert v.state == "failed", v
    assert v.text.startswith(f"NOT VERIFIED — {check} failed"), v.text
    for word in words:
        assert word.lower() in v.text.lower(), v.text


def leaf_index(world: World, pick: Callable[[dict[str, Any]], bool]) -> int:
    lines = b.entry_lines(world.files)
    return next(i for i, line in enumerate(lines) if pick(json.loads(line)))


# --- genuine -------------------------------------------------------------------------


def test_a_genuine_exported_report_is_green(world: World) -> None:
    v = open_page(world, "genuine", world.files[f.REPORT_HTML])
    assert v.state == "verified", v
    assert v.text.startswith("Verified in this browser")
    names = [c.split(":")[0] for c in v.checks]
    for name in ("checkpoint signatures", "log consistency", "timestamp tokens",
                 "entry inclusion", "completeness", "figures"):  # fmt: skip
        assert name in names, v.checks


def test_the_clients_next_bundle_is_green_and_continues_the_first(world: World) -> None:
    completeness = json.loads(world.second_files[f.COMPLETENESS])
    assert completeness["since"] is not None  # completeness from the first bundle on
    v = open_page(world, "second", world.second_files[f.REPORT_HTML])
    assert v.state == "verified", v
    assert any("since its previous bundle" in c for c in v.checks), v.checks


def test_a_removal_dropped_from_the_next_bundle_is_red(world: World) -> None:
    files = world.second_files
    lines = b.entry_lines(files)
    i = max(n for n, x in enumerate(lines) if json.loads(x)["kind"] == "entry.remove")
    seq = json.loads(lines[i])["seq"]
    del lines[i]
    edits: dict[str, bytes | None] = {f.ENTRIES: b.jsonl(lines), f.proof_path(seq): None}
    changed = b.resign(files, world.key, edits)
    st = statement_of(changed, world.statement)
    st = replace(st, tree_size=b.export_size(changed))
    v = open_page(world, "second-dropped", render_html(st, changed))
    failed(v, "completeness", "is not disclosed")


def test_the_page_computes_the_key_fingerprint_from_the_embedded_key(world: World) -> None:
    dom = chromium(genuine(world))
    assert f"Computed by this page from the embedded key: {world.statement.fingerprint}" in dom


def test_the_exported_page_agrees_with_the_verified_bundle(world: World) -> None:
    assert report_problems(world.files[f.REPORT_HTML], world.files, world.statement) == []


def test_a_blocked_script_leaves_the_statement_readable_and_says_not_checked(
    world: World,
) -> None:
    """A page whose script does not run (here: changed by one byte, so the browser's
    policy refuses it, as it would refuse any injected script) still shows the whole
    statement and says it was not checked. (Headless Chromium cannot dump the DOM with
    JavaScript switched off entirely; the markup is the same.)"""
    page = world.files[f.REPORT_HTML].decode()
    script = report_html.script_text()
    blocked = page.replace(script, script.replace('"use strict";', '"use strict"; ', 1))
    path = world.root / "blocked.html"
    path.write_text(blocked, encoding="utf-8")
    dom = chromium(path)
    v = verdict(dom)
    assert v.state == "unchecked" and "Not checked in this browser" in v.text
    assert 'class="js"' not in dom  # the script did not run
    assert "Totals per day" in dom and world.statement.fingerprint in dom


def _with_script(
    world: World, name: str, before: str = "", after: str = "", after_approvals: str = ""
) -> Verdict:
    """The genuine page with a test shim around the shipped script (policy hash updated);
    ``after_approvals`` goes between web/approvals.js and web/verify.js (a later
    function declaration replaces the shipped hourproofApprovals)."""
    original = (
        report_html._asset("approvals.js") + after_approvals + report_html._asset("verify.js")
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report_html, "script_text", lambda: before + original + after)
        page = render_html(world.statement, world.files)
    return open_page(world, name, page)


def test_a_browser_without_ed25519_shows_amber(world: World) -> None:
    shim = (
        "crypto.subtle.importKey = () => Promise.reject("
        "new DOMException('Ed25519', 'NotSupportedError'));\n"
    )
    v = _with_script(world, "no-ed25519", before=shim)
    assert v.state == "unsupported", v
    assert "cannot check Ed25519" in v.text


def test_a_pasted_fingerprint_is_compared(world: World) -> None:
    fpr = world.statement.fingerprint
    paste = (
        "\nwindow.addEventListener('load', () => setTimeout(() => {"
        " const i = document.getElementById('fpr-input');"
        " i.value = %s; i.dispatchEvent(new Event('input'));"
        " document.body.setAttribute('data-result', document.getElementById('fpr-result')"
        ".textContent); }, 0));\n"
    )
    for given, want in ((fpr, "matches"), (fpr[:-3] + "AAA", "does not match")):
        page = world.root / "paste.html"
        script = report_html.script_text() + paste % json.dumps(given)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(report_html, "script_text", lambda s=script: s)
            page.write_text(render_html(world.statement, world.files), encoding="utf-8")
        dom = chromium(page)
        shown = re.search(r'<body data-result="([^"]*)"', dom)
        assert shown and want in shown.group(1), dom[:300]
        if want == "matches":
            assert "does not" not in shown.group(1)


def test_printing_keeps_the_statement_and_drops_the_controls(world: World) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert CHROMIUM is not None
    pdf = world.root / "print.pdf"
    with tempfile.TemporaryDirectory(prefix="hp-chromium-") as profile:
        subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", f"--user-data-dir={profile}",
             "--virtual-time-budget=60000", "--no-pdf-header-footer",
             f"--print-to-pdf={pdf}", genuine(world).as_uri()],
            capture_output=True, timeout=300, check=True,
        )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Statement of hours" in text and "Verified in this browser" in text
    assert "Totals per day" in text and "Entries" in text
    assert "Paste the fingerprint" not in text and "What this page checked" not in text
    for e in world.statement.entries:  # every entry prints, though rendered lazily on screen
        assert f"#{e.id}" in text
    assert world.statement.fingerprint in re.sub(r"\s+", "", text)


# --- attacks, each with the contractor's own key --------------------------------------


def test_a_changed_entry_is_red(world: World) -> None:
    i = leaf_index(world, lambda leaf: leaf["kind"] == "entry.add" and "end" in leaf)
    lines = b.entry_lines(world.files)
    leaf = json.loads(lines[i])
    leaf["end"] = leaf["end"][:11] + "23:59:00Z"
    lines[i] = canonical(leaf)
    v = open_page(world, "changed-entry", attacked(world, {f.ENTRIES: b.jsonl(lines)}))
    failed(v, "entry inclusion", f"leaf {leaf['seq']} is not in the signed log")


def test_a_changed_entry_duration_on_the_page_is_red(world: World) -> None:
    page = world.files[f.REPORT_HTML].decode()
    e = next(x for x in world.statement.entries if not x.removed)
    row = page.index(f"<tr data-row=e{e.id}>")
    cell = page.index("<span data-f=h>", row) + len("<span data-f=h>")
    end = page.index("</span>", cell)
    v = open_page(world, "changed-duration", page[:cell] + "9:59" + page[end:])
    failed(v, "figures", f"entry #{e.id} (hours)", "9:59")


def test_a_changed_total_is_red(world: World) -> None:
    page = world.files[f.REPORT_HTML].decode()
    total = page.index('<tr class="total" data-row="total">')
    cell = page.index('data-f="h">', total) + len('data-f="h">')
    end = page.index("</td>", cell)
    v = open_page(world, "changed-total", page[:cell] + "99:00" + page[end:])
    failed(v, "figures", "the grand total (hours)", "99:00")
    bad = report_problems(page[:cell].encode() + b"99:00" + page[end:].encode(), world.files,
                          world.statement)  # fmt: skip
    assert bad and "99:00" in bad[0]


def test_a_changed_amount_card_is_red(world: World) -> None:
    page = world.files[f.REPORT_HTML].decode()
    amount = world.statement.total_amounts
    shown = report_html.amounts_text(amount, "no rate set")
    card = page.index('<span data-f="a">' + shown)
    new = page[:card] + page[card:].replace(shown, "1.00 EUR", 1)
    failed(open_page(world, "changed-card", new), "figures", "the summary (amount)")


def test_an_entry_dropped_from_the_page_is_red(world: World) -> None:
    page = world.files[f.REPORT_HTML].decode()
    e = next(x for x in world.statement.entries if not x.removed)
    start = page.index(f"<tr data-row=e{e.id}>")
    end = page.index("</tr>", start) + len("</tr>")
    failed(open_page(world, "dropped-row", page[:start] + page[end:]), "figures",
           f"entry #{e.id}", "is not shown")  # fmt: skip


def test_a_dropped_removal_is_red(world: World) -> None:
    """Drop the entry.remove leaf and its proof: the removed entry would count again."""
    lines = b.entry_lines(world.files)
    i = leaf_index(world, lambda leaf: leaf["kind"] == "entry.remove")
    seq = json.loads(lines[i])["seq"]
    del lines[i]
    edits: dict[str, bytes | None] = {f.ENTRIES: b.jsonl(lines), f.proof_path(seq): None}
    v = open_page(world, "dropped-removal", attacked(world, edits))
    failed(v, "completeness", "is not disclosed")


def test_a_proof_from_another_tree_is_red(world: World) -> None:
    seq = json.loads(b.entry_lines(world.files)[0])["seq"]
    theirs = world.other_files.get(f.proof_path(seq))
    assert theirs is not None
    v = open_page(world, "other-tree", attacked(world, {f.proof_path(seq): theirs}))
    failed(v, "entry inclusion", f"proofs/{seq}.tlog-proof")


def test_a_rewritten_log_under_a_resigned_checkpoint_is_red(world: World) -> None:
    """The contractor rewrites an entry, rebuilds the tree and re-signs the export
    checkpoint with their own key; the timestamped older checkpoints stay."""
    lines = b.entry_lines(world.files)
    i = leaf_index(world, lambda leaf: leaf["kind"] == "entry.add" and "end" in leaf)
    leaf = json.loads(lines[i])
    leaf["end"] = leaf["end"][:11] + "23:00:00Z"
    lines[i] = canonical(leaf)
    disclosed = {json.loads(x)["seq"]: x for x in lines}
    size = b.export_size(world.files)
    forged = b.forge(world.files, world.key, disclosed, size=size)
    for name, data in world.files.items():  # keep the anchored history
        if name.startswith("anchors/") and name != f.checkpoint_path(size):
            forged[name] = data
    page = attacked(world, {n: forged.get(n) for n in set(forged) | set(world.files)})
    v = open_page(world, "resigned-checkpoint", page)
    failed(v, "log consistency", "differs from its signed checkpoint")


def test_a_checkpoint_signed_by_another_key_is_red(world: World) -> None:
    size = b.export_size(world.files)
    other = Ed25519PrivateKey.generate()
    note = b.resign_note(world.files[f.checkpoint_path(size)], other)
    v = open_page(world, "other-key", attacked(world, {f.checkpoint_path(size): note}))
    failed(v, "checkpoint signatures", "not signed by the contractor's key")


def test_a_page_whose_script_was_changed_fails_hourproof_verify(world: World) -> None:
    page = world.files[f.REPORT_HTML].decode()
    script = report_html.script_text()
    fake = page.replace(script, script.replace('"Verified in this browser"', '"Verified!"'))
    problems = report_problems(fake.encode(), world.files, world.statement)
    assert any("script" in p for p in problems), problems


@pytest.mark.parametrize("ok", [True, False])
def test_client_approvals_are_listed_and_a_bad_one_is_red(world: World, ok: bool) -> None:
    """The hook for web/approvals.js: its verdict on each approval decides this check."""
    fake = (
        "async function hourproofApprovals(leaves, lines, contractor) { return [{kind: 'approval', "
        "client: 'Acme Corp', fingerprint: 'SHA256:client', size: leaves.size, "
        f"total_seconds: 0, amounts: {{}}, note: 'ok', ok: {str(ok).lower()}, "
        "problem: ok ? null : 'bad signature by the client key'}]; }\n"
    ).replace("problem: ok ?", f"problem: {str(ok).lower()} ?")
    v = _with_script(world, f"approvals-{ok}", after_approvals=fake)
    if ok:
        assert v.state == "verified", v
        assert any("approval by SHA256:client" in c for c in v.checks), v.checks
    else:
        failed(v, "client approvals", "bad signature by the client key")


def _leaf(seq: int, kind: str, **fields: Any) -> bytes:
    from hourproof.core.leaves import make_leaf

    at = f"2026-11-0{1 + seq // 10}T0{seq % 10}:00:00Z"
    return canonical(make_leaf(kind, seq, at, bytes([seq]) * 16, None, fields))


def test_the_page_sums_like_python_across_currencies_days_and_the_period_edges(
    world: World,
) -> None:
    """Figures the browser recomputes must equal Python's to the minor unit: zero- and
    three-decimal currencies, odd seconds, entries clipped at both ends of the period,
    across midnight and over several days, amended, stopped, removed, imported, a
    backwards clock, hostile text. A self-consistent log made with the contractor's key."""
    a = {"client": b.CLIENT_A}
    jpy, bhd, eur = ({"minor": m, "currency": c} for m, c in
                     ((1234, "JPY"), (12345, "BHD"), (9999, "EUR")))  # fmt: skip
    disclosed = {
        0: _leaf(0, "entry.add", project="ünï <b>&amp;</b>", start="2026-09-30T23:30:00Z",
                 end="2026-10-01T01:15:31Z", source="manual", rate=jpy, **a),
        1: _leaf(1, "entry.add", project="api", task="t|h", tags=["x", "<y>"],
                 start="2026-10-15T10:00:07Z", end="2026-10-17T09:59:59Z", source="manual",
                 rate=bhd, note="</script><b>", **a),
        2: _leaf(2, "entry.start", project="api", start="2026-10-20T22:10:00Z",
                 source="timer", rate=eur, **a),
        3: _leaf(3, "entry.stop", entry=2, end="2026-10-21T00:20:01Z"),
        4: _leaf(4, "entry.amend", entry=2, reason="fix", changes={"project": "web",
                 "end": "2026-10-21T00:50:59Z"}),
        5: _leaf(5, "entry.add", project="web", start="2026-10-22T10:00:00Z",
                 end="2026-10-22T09:00:00Z", source="manual", rate=eur, **a),
        6: _leaf(6, "entry.add", project="web", start="2026-10-31T23:59:58Z",
                 end="2026-11-01T00:30:00Z", source="manual", rate=eur, **a),
        7: _leaf(7, "entry.add", project="web", start="2026-10-05T08:00:00Z",
                 end="2026-10-05T09:00:00Z", source="manual", rate=eur, **a),
        8: _leaf(8, "entry.remove", entry=7, reason="dup"),
        9: _leaf(9, "import", project="old", start="2026-10-06T08:00:00Z",
                 end="2026-10-06T08:00:01Z", tool="toggl", **a),
    }  # fmt: skip
    base = {n: d for n, d in world.files.items() if n != f.COMPLETENESS}
    files = b.forge(base, world.key, disclosed, size=12)
    st = replace(statement_of(files, replace(world.statement, anchors=[])), tree_size=12)
    assert st.total_amounts.keys() == {"JPY", "BHD", "EUR"}
    page = render_html(st, files)
    assert report_problems(page.encode(), files, st) == []
    v = open_page(world, "sums", page)
    assert v.state == "verified", v
    assert any(c.startswith("figures: </b>") and "of the 7 verified entries" in c
               for c in v.checks), v.checks  # fmt: skip
    for shown in ("2170 JPY", "BHD", "in period", "(+2 d)", "&lt;/script&gt;"):
        assert shown in page, shown


def test_the_page_sums_amounts_beyond_2_to_the_53_exactly(world: World) -> None:
    """The page computes amounts with plain numbers while seconds x rate stays within
    2^52 and with BigInt beyond (here an hour either side of that edge, and amounts past
    2^53 minor units), and sums both kinds. All must equal Python's integers."""
    a = {"client": b.CLIENT_A}
    huge = {"minor": 9_000_000_000_000_000, "currency": "EUR"}  # just below 2^53
    edge = {"minor": 1_250_999_896_491, "currency": "USD"}  # 3,600 s of it: just below 2^52
    disclosed = {
        0: _leaf(0, "entry.add", project="big", start="2026-10-01T08:00:00Z",
                 end="2026-10-01T18:00:01Z", source="manual", rate=huge, **a),
        1: _leaf(1, "entry.add", project="edge", start="2026-10-02T08:00:00Z",
                 end="2026-10-02T09:00:00Z", source="manual", rate=edge, **a),
        2: _leaf(2, "entry.add", project="edge", start="2026-10-02T10:00:00Z",
                 end="2026-10-02T11:00:01Z", source="manual", rate=edge, **a),
        3: _leaf(3, "entry.add", project="edge", start="2026-10-02T12:00:00Z",
                 end="2026-10-02T12:59:59Z", source="manual", rate=edge, **a),
    }  # fmt: skip
    base = {n: d for n, d in world.files.items() if n != f.COMPLETENESS}
    files = b.forge(base, world.key, disclosed, size=5)
    st = replace(statement_of(files, replace(world.statement, anchors=[])), tree_size=5)
    assert 3600 * edge["minor"] <= 2**52 < 3601 * edge["minor"]
    assert st.total_amounts["EUR"] > 2**53
    page = render_html(st, files)
    assert report_problems(page.encode(), files, st) == []
    v = open_page(world, "big-sums", page)
    assert v.state == "verified", v
    shown = report_html.amounts_text(st.total_amounts, "no rate set")
    card = page.index('<span data-f="a">' + shown)
    bumped = page[:card] + page[card:].replace(shown, shown.replace("USD", "USD ", 1), 1)
    failed(open_page(world, "big-sums-changed", bumped), "figures", "the summary (amount)")


def test_the_pages_sha256_is_checked_against_webcrypto(world: World) -> None:
    """The page hashes in JavaScript (known vectors and WebCrypto checked first): a
    WebCrypto that disagrees turns it red before anything relies on the page's hashes."""
    shim = (
        "{ const real = crypto.subtle.digest.bind(crypto.subtle);"
        " crypto.subtle.digest = async (alg, data) => {"
        " const out = new Uint8Array(await real(alg, data)); out[0] ^= 1; return out.buffer; }; }\n"
    )
    v = _with_script(world, "bad-webcrypto", before=shim)
    failed(v, "SHA-256 self-test", "disagrees with WebCrypto")
    good = open_page(world, "genuine-selftest", world.files[f.REPORT_HTML])
    assert any("known test vectors and WebCrypto" in c for c in good.checks), good.checks


def test_an_entry_listed_twice_on_the_page_is_red(world: World) -> None:
    page = world.files[f.REPORT_HTML].decode()
    e = next(x for x in world.statement.entries if not x.removed)
    start = page.index(f"<tr data-row=e{e.id}>")
    end = page.index("</tr>", start) + len("</tr>")
    twice = page[:end] + page[start:end] + page[end:]
    failed(open_page(world, "twice", twice), "figures", f"entry #{e.id}", "listed twice")


@pytest.mark.parametrize("has_selector", [True, False])
def test_a_number_cell_that_is_not_a_checked_figure_is_red(
    world: World, has_selector: bool
) -> None:
    """A number added to a totals row without a figure mark is caught by the page's last
    check (with the :has() selector, and by walking every cell where it is missing)."""
    no_has = (
        "{ const q = Document.prototype.querySelectorAll;"
        " Document.prototype.querySelectorAll = function (s) {"
        " if (s.includes(':has(')) throw new DOMException('no :has', 'SyntaxError');"
        " return q.call(this, s); }; }\n"
    )
    original = report_html._asset("approvals.js") + report_html._asset("verify.js")
    with pytest.MonkeyPatch.context() as mp:
        if not has_selector:
            mp.setattr(report_html, "script_text", lambda: no_has + original)
        page = render_html(world.statement, world.files)
    row = page.index('<tr data-row="d:')
    cell = page.index("</tr>", row)
    page = page[:cell] + '<td class="num">5:00</td>' + page[cell:]
    v = open_page(world, f"unchecked-cell-{has_selector}", page)
    failed(v, "figures", "a figure that is not checked", "5:00")


def test_a_bundle_carrying_a_client_approval_is_green(tmp_path: Path) -> None:
    """A real approval: the client approves a bundle, the contractor records it, and the
    next bundle's page checks the approval's signatures (web/approvals.js)."""
    from datetime import UTC, datetime, timedelta

    from hourproof.services import approvals
    from hourproof.services.app import App
    from hourproof.services.export import ExportRequest, export_bundle

    day = datetime(2026, 11, 2, tzinfo=UTC)
    clock = b.Clock(day + timedelta(hours=9))
    contractor, client = App.open(tmp_path / "contractor"), App.open(tmp_path / "client")
    contractor.clock = client.clock = clock
    try:

        def work(n: int) -> None:
            for _ in range(n):
                start = clock.now
                clock.advance(hours=1)
                tracking.add(contractor, "site", start, clock.now,
                             tracking.Details(client="acme"))  # fmt: skip
                clock.advance(minutes=10)

        def export(path: Path) -> dict[str, bytes]:
            clock.advance(minutes=1)
            export_bundle(contractor, ExportRequest(
                client="acme", lo=day, hi=day + timedelta(days=7), out=path, anchor_first=False,
            ))  # fmt: skip
            return b.unzip(path.read_bytes())

        work(2)
        export(tmp_path / "b1.hproof")
        approvals.approve(client, tmp_path / "b1.hproof", tmp_path / "a.json", note="thanks")
        approvals.add_approval(contractor, tmp_path / "a.json")
        work(1)
        files = export(tmp_path / "b2.hproof")
    finally:
        contractor.close()
        client.close()
    page = tmp_path / "report.html"
    page.write_bytes(files[f.REPORT_HTML])
    v = verdict(chromium(page))
    assert v.state == "verified", v
    assert any(c.startswith("client approvals: </b>") and "thanks" in c for c in v.checks), v
