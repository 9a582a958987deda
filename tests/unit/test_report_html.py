"""report.html: self-contained, escaped, truthful about labels, lateness and totals."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from hourproof.ledger.tlogproof import TlogProof, format_tlog_proof, parse_tlog_proof
from hourproof.proof import format as f
from hourproof.proof.model import (
    DOES_NOT_PROVE,
    PROVES,
    RECORDED_BY,
    SELF_REPORTED,
    VERIFIED,
    Amendment,
    ReportEntry,
    Statement,
    TotalLine,
)
from hourproof.proof.report_html import (
    _figures,
    bundle_payload,
    csp,
    embedded_payload,
    render_html,
    report_problems,
    script_text,
)
from hourproof.proof.report_text import hours, human_duration, lag_text

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FINGERPRINT = "SHA256:q3Nf0pWz8dJ1kX7bV5mYt2cR9aL4eH6sG0uI1oP3zQw"


def entry(n: int, **changes: object) -> ReportEntry:
    start = T0 + timedelta(days=n)
    base = ReportEntry(
        id=10 + n, project="Website", client="Acme", task="Design", tags=("billable",),
        note=f"work item {n}", start=start, end=start + timedelta(hours=2), seconds=7200,
        source="timer", amount_minor=19000, currency="EUR", label=RECORDED_BY,
        recorded_by=start + timedelta(hours=2, minutes=125), lag_seconds=125 * 60, late=False,
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def statement(entries: list[ReportEntry], **changes: object) -> Statement:
    """A statement whose totals are the sums of its counted entries."""
    counted = [e for e in entries if not e.removed]
    days: dict[str, TotalLine] = {}
    for e in counted:
        key = e.start.date().isoformat()
        old = days.get(key, TotalLine(key, 0, {}))
        days[key] = TotalLine(
            key, old.seconds + e.seconds, {"EUR": old.amounts.get("EUR", 0) + 19000}
        )
    total_seconds = sum(e.seconds for e in counted)
    amounts = {"EUR": sum(e.amount_minor or 0 for e in counted)} if counted else {}
    st = Statement(
        contractor="ada@example.org", fingerprint=FINGERPRINT, client="Acme", project=None,
        period_start=datetime(2026, 3, 1, tzinfo=UTC), period_end=datetime(2026, 4, 1, tzinfo=UTC),
        generated_at=datetime(2026, 4, 2, 8, 30, tzinfo=UTC), tree_size=512, entries=entries,
        by_day=[days[k] for k in sorted(days)],
        by_project=[TotalLine("Website", total_seconds, amounts)] if counted else [],
        total_seconds=total_seconds, total_amounts=amounts,
        anchors=[(500, datetime(2026, 4, 1, 0, 0, 5, tzinfo=UTC), "FreeTSA")],
    )  # fmt: skip
    return replace(st, **changes)  # type: ignore[arg-type]


def test_hostile_strings_are_escaped() -> None:
    hostile = entry(
        0, note="<script>alert(1)</script>", project='<img src=x onerror="alert(2)">',
        tags=("<b>t</b>",), task="a & b",
    )  # fmt: skip
    out = render_html(statement([hostile], client="</title><script>x()</script>"))
    assert "<script" not in out
    assert "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in out
    assert "a &amp; b" in out


def test_amendment_reason_is_escaped() -> None:
    change = Amendment(3, "entry.amend", T0, "<iframe>", {"note": "<svg onload=x>"})
    out = render_html(statement([entry(0, amendments=(change,))]))
    assert "<iframe" not in out and "<svg" not in out
    assert "&lt;iframe&gt;" in out


def test_has_strict_content_security_policy_meta() -> None:
    out = render_html(statement([entry(0)]))
    policy = csp()
    assert f'<meta http-equiv="Content-Security-Policy" content="{policy}">' in out
    assert policy.startswith("default-src 'none'; script-src 'sha256-")
    assert "unsafe" not in policy and "http" not in policy
    assert "base-uri 'none'" in policy and "form-action 'none'" in policy


def _policy_hash(policy: str, directive: str) -> str:
    part = next(p for p in policy.split(";") if p.strip().startswith(directive))
    return part.split("'sha256-")[1].rstrip("' ")


def test_the_policy_allows_exactly_the_inline_script_and_style() -> None:
    out = render_html(statement([entry(0)]), bundle={})
    policy = csp()
    script = re.findall(r"<script>(.*?)</script>", out, re.S)
    style = re.findall(r"<style>(.*?)</style>", out, re.S)
    assert len(script) == 1 and len(style) == 1
    digest = lambda t: base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()  # noqa: E731
    assert _policy_hash(policy, "script-src") == digest(script[0])
    assert _policy_hash(policy, "style-src") == digest(style[0])
    assert ' style="' not in out  # inline style attributes would need 'unsafe-inline'
    assert not re.search(r"\son[a-z]+=", out)  # no inline event handlers either


def test_loads_nothing_from_anywhere() -> None:
    out = render_html(statement([entry(0, note="see https://evil.example/x")]))
    out_without_user_text = out.replace("see https://evil.example/x", "")
    assert not re.search(r"https?://", out_without_user_text)
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", out, re.IGNORECASE)
    assert "url(" not in out and "@import" not in out and "@font-face" not in out


def test_the_verifier_script_fetches_nothing() -> None:
    js = script_text()
    for needle in (
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "import(",
        "src=",
        "href",
        "eval(",
        "Function(",
        "innerHTML",
        "http://",
        "https://",
        "<script",
        "</script",
    ):
        assert needle not in js, needle  # fmt: skip


def test_page_one_says_what_it_proves_and_does_not_before_the_entries() -> None:
    out = render_html(statement([entry(0)]))
    for text in (*PROVES, *DOES_NOT_PROVE):
        assert html.escape(text) in out
    assert out.index("What this proves") < out.index("What this does not prove")
    assert out.index("What this does not prove") < out.index("<h2>Entries</h2>")


def test_header_names_contractor_fingerprint_client_period_and_log_size() -> None:
    out = render_html(statement([entry(0)], project="Website"))
    assert "Statement of hours" in out
    assert "ada@example.org" in out and FINGERPRINT in out and "Acme" in out
    assert "2026-03-01 00:00 UTC up to (not including) 2026-04-01 00:00 UTC" in out
    assert "2026-04-02 08:30 UTC" in out
    assert "512 leaves" in out
    assert "All times in this statement are in UTC" in out


def test_each_entry_carries_its_label_and_trusted_time() -> None:
    entries = [
        entry(0, label=VERIFIED),
        entry(1, label=RECORDED_BY),
        entry(2, label=SELF_REPORTED, recorded_by=None, lag_seconds=None),
    ]
    out = render_html(statement(entries))
    assert f">{VERIFIED}</span>" in out
    assert f">{RECORDED_BY}</span>" in out
    assert "2026-03-03 13:05 UTC" in out  # entry 1's recorded_by
    assert f">{SELF_REPORTED}</span>" in out


def test_recording_lag_is_shown_for_people() -> None:
    out = render_html(statement([entry(0)]))
    assert "lag: 2 h 5 min after end" in out


def test_late_entries_get_a_visible_late_flag() -> None:
    late = entry(1, late=True, lag_seconds=30 * 3600)
    out = render_html(statement([entry(0), late]))
    assert out.count(">LATE</span>") == 1
    assert "1 d 6 h after end" in out


def test_no_late_flag_without_late_entries() -> None:
    assert ">LATE</span>" not in render_html(statement([entry(0), entry(1)]))


def test_amendments_are_listed_under_their_entry_with_reasons() -> None:
    change = Amendment(41, "entry.amend", T0 + timedelta(days=1), "Forgot to stop", {"end": "X"})
    out = render_html(statement([entry(0, amendments=(change,)), entry(1)]))
    assert "Forgot to stop" in out
    assert "Amended</b> 2026-03-03 09:00 UTC (leaf 41)" in out
    assert "end → X" in out
    assert out.index("work item 0") < out.index("Forgot to stop") < out.index("work item 1")


def test_removed_entries_are_struck_through_and_not_counted() -> None:
    gone = entry(1, removed=True, note="duplicate", amendments=(
        Amendment(50, "entry.remove", T0, "Entered twice", {}),
    ))  # fmt: skip
    out = render_html(statement([entry(0), gone]))
    section = out[out.index("Amended and removed") :]
    assert "<tr data-row=e11 class=removed>" in section and "<p>duplicate</p>" in section
    assert "Entered twice" in section
    assert "duplicate" not in out[: out.index("Amended and removed")]
    assert "Totals check failed" not in out
    assert ">2:00 h<" in out  # the grand total counts only entry 0


def test_totals_show_the_sum_of_entries_with_amounts() -> None:
    out = render_html(statement([entry(0), entry(1), entry(2)]))
    assert "6:00 h" in out
    assert "570.00 EUR" in out
    assert "Totals check failed" not in out


def test_totals_per_day_and_per_project_are_listed() -> None:
    out = render_html(statement([entry(0), entry(1)]))
    assert "Totals per day" in out and "Totals per project" in out
    assert ">2026-03-02</td>" in out and ">2026-03-03</td>" in out
    assert ">Website</td>" in out


def test_totals_that_do_not_match_the_entries_are_called_out() -> None:
    st = statement([entry(0)], total_seconds=9999, total_amounts={"EUR": 1})
    out = render_html(st)
    assert "Totals check failed" in out
    assert "is not the sum of the entries listed" in out


def test_evidence_counts_and_corroborated_time_are_shown() -> None:
    e = entry(0, evidence_commits=3, evidence_spans=1, corroborated_seconds=5400)
    out = render_html(statement([e]))
    assert "3 commits, 1 activity span; 1:30 h corroborated" in out


def test_anchors_are_listed_at_the_end() -> None:
    out = render_html(statement([entry(0)]))
    assert out.index("Anchors (trusted timestamps)") > out.index("<h2>Entries</h2>")
    assert "FreeTSA" in out and "2026-04-01 00:00 UTC" in out


def test_prints_on_a4() -> None:
    out = render_html(statement([entry(0)]))
    assert "@media print" in out and "size:A4" in out


def test_output_does_not_depend_on_the_local_time_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    st = statement([entry(0), entry(1, start=T0 + timedelta(hours=23))])
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    in_utc = render_html(st)
    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    time.tzset()
    try:
        assert render_html(st) == in_utc
    finally:
        monkeypatch.undo()
        time.tzset()


def test_an_empty_period_renders() -> None:
    out = render_html(statement([]))
    assert "No entries in this period." in out and "0:00 h" in out


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(30, "under 1 min"), (45 * 60, "45 min"), (7500, "2 h 5 min"), (7200, "2 h"),
     (3 * 86400 + 4 * 3600 + 59, "3 d 4 h"), (86400, "1 d")],
)  # fmt: skip
def test_human_duration(seconds: int, text: str) -> None:
    assert human_duration(seconds) == text


def test_lag_before_the_claimed_end_says_so() -> None:
    assert lag_text(entry(0, lag_seconds=-600)) == "10 min before end"
    assert lag_text(entry(0, lag_seconds=None)) == "—"


def test_an_entry_reaching_outside_the_period_counts_only_its_inside_part() -> None:
    early = entry(0, start=datetime(2026, 2, 28, 23, 0, tzinfo=UTC),
                  end=datetime(2026, 3, 1, 1, 0, tzinfo=UTC))  # fmt: skip
    st = statement([early], total_seconds=3600)
    st = replace(st, by_day=[TotalLine("2026-03-01", 3600, {"EUR": 19000})],
                 by_project=[TotalLine("Website", 3600, {"EUR": 19000})])  # fmt: skip
    out = render_html(st)
    assert "1:00 in period" in out
    assert "Totals check failed" not in out


def test_a_cent_of_rounding_between_entry_and_day_amounts_is_not_a_failure() -> None:
    st = statement([entry(0), entry(1)])
    halves = [TotalLine(t.key, t.seconds, {"EUR": 19001}) for t in st.by_day]
    st = replace(st, by_day=halves, by_project=[TotalLine("Website", 14400, {"EUR": 38002})],
                 total_amounts={"EUR": 38002})  # fmt: skip
    assert "Totals check failed" not in render_html(st)


# --- the embedded bundle data and the verifier's check (real bundles) --------------------


@pytest.fixture(scope="module")
def bundle(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, bytes], Statement]]:
    from tests.support import bundles as b

    yield b.verified_export(tmp_path_factory.mktemp("report-html"))


def test_the_payload_carries_the_exact_leaf_bytes_and_every_proof_hash(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    data = bundle_payload(files, st)
    assert "".join(line + "\n" for line in data["leaves"]).encode() == files[f.ENTRIES]
    nodes = base64.b64decode(data["nodes"])
    pos = 0
    for line, n, index in zip(data["leaves"], data["path_len"], data["proof_index"], strict=True):
        seq = json.loads(line)["seq"]
        proof = parse_tlog_proof(files[f.proof_path(seq)].decode())
        refs = data["paths"][pos : pos + n]
        pos += n
        assert [nodes[32 * r : 32 * r + 32] for r in refs] == proof.hashes
        assert index == proof.index == seq
    assert pos == len(data["paths"])
    assert len(set(data["paths"])) * 32 == len(nodes)  # each distinct hash once
    assert data["proof_checkpoint"] == {} and data["extra_proofs"] == []
    assert data["vkey"].encode() == files[f.VKEY]
    assert set(data["checkpoints"]) == {
        n.split("/")[1].split(".")[0] for n in files if f.CHECKPOINT_RE.match(n)
    }
    assert data["completeness"] == files[f.COMPLETENESS].decode()


def test_the_payload_carries_broken_members_as_they_are(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    seqs = [json.loads(x)["seq"] for x in files[f.ENTRIES].split(b"\n")[:-1]]
    changed = dict(files)
    del changed[f.proof_path(seqs[0])]
    changed[f.proof_path(seqs[1])] = b"not a tlog proof"
    other = parse_tlog_proof(files[f.proof_path(seqs[2])].decode())
    changed[f.proof_path(seqs[2])] = format_tlog_proof(
        TlogProof(other.index + 1, other.hashes, other.checkpoint)
    ).encode()
    changed[f.proof_path(10_000)] = files[f.proof_path(seqs[3])]
    data = bundle_payload(changed, st)
    assert data["path_len"][:2] == [-1, -1]
    assert data["proof_index"][2] == seqs[2] + 1
    assert data["extra_proofs"] == [10_000]


def test_the_page_embeds_the_payload_as_base64_that_cannot_end_its_element(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    page = render_html(st, files)
    assert page == render_html(st, files)  # deterministic
    block = re.search(r'id="hp-data" data-encoding="gzip\+base64">([^<]*)</script>', page)
    assert block and re.fullmatch(r"[A-Za-z0-9+/=]+", block.group(1))
    assert embedded_payload(page) == bundle_payload(files, st)
    assert page.count("<script") == 2


def test_report_problems_accepts_the_exported_page(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    assert report_problems(files[f.REPORT_HTML], files, st) == []


def _edit(page: bytes, old: str, new: str) -> bytes:
    text = page.decode()
    assert old in text, old
    return text.replace(old, new, 1).encode()


def test_report_problems_names_an_edited_figure(bundle: tuple[dict[str, bytes], Statement]) -> None:
    files, st = bundle
    shown = f'<span data-f="h">{hours(st.total_seconds)} h</span>'
    bad = _edit(files[f.REPORT_HTML], shown, '<span data-f="h">99:00 h</span>')
    problems = report_problems(bad, files, st)
    assert problems and "'h' of card" in problems[0] and "99:00 h" in problems[0]


def test_report_problems_catches_a_dropped_row(bundle: tuple[dict[str, bytes], Statement]) -> None:
    files, st = bundle
    page = files[f.REPORT_HTML].decode()
    e = next(x for x in st.entries if not x.removed)
    start = page.index(f"<tr data-row=e{e.id}>")
    bad = page[:start] + page[page.index("</tr>", start) + 5 :]
    assert report_problems(bad.encode(), files, st) == [
        "report.html does not list the same entries and totals as the bundle"
    ]


def test_report_problems_catches_foreign_data_a_changed_script_and_policy(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    page = files[f.REPORT_HTML]
    lines = files[f.ENTRIES].split(b"\n")
    other = dict(files, **{f.ENTRIES: b"\n".join(lines[1:])})
    foreign = render_html(st, other).encode()
    assert report_problems(foreign, files, st) == [
        "report.html embeds data that is not this bundle's members"
    ]
    script = script_text()
    bad = _edit(page, script, script.replace("Verified in this browser", "Verified"))
    assert "report.html's script is not hourproof's verifier script" in report_problems(
        bad, files, st
    )
    bad = _edit(page, "base-uri 'none'", "base-uri *")
    assert "report.html's Content-Security-Policy is not the shipped one" in report_problems(
        bad, files, st
    )
    assert report_problems(b"\xff", files, st) == ["report.html is not UTF-8 text"]


def test_the_shipped_assets_file_lists_the_current_script_and_stylesheet() -> None:
    from importlib import resources

    from hourproof.proof import report_html

    listed = (resources.files("hourproof.proof") / "web" / "shipped-assets.txt").read_text()
    token = lambda t: "'sha256-" + base64.b64encode(hashlib.sha256(t.encode()).digest()).decode()  # noqa: E731
    assert f"script {token(script_text())}'" in listed, (
        "web/*.js changed: append its hash to web/shipped-assets.txt (never remove lines)"
    )
    assert f"style {token(report_html.css_text())}'" in listed


def test_a_page_made_by_an_earlier_shipped_script_still_passes(
    bundle: tuple[dict[str, bytes], Statement], monkeypatch: pytest.MonkeyPatch
) -> None:
    from hourproof.proof import report_html

    files, st = bundle
    page = files[f.REPORT_HTML]
    script = script_text()
    older = script.replace("Verified in this browser", "Verified here")
    assert older != script
    older_page = _edit(page, script, older)
    token = report_html._csp_hash
    older_page = _edit(
        older_page, csp(), report_html._policy(token(older), token(report_html.css_text()))
    )
    assert "report.html's script is not hourproof's verifier script" in report_problems(
        older_page, files, st
    )
    shipped = report_html.shipped_assets()
    monkeypatch.setattr(
        report_html,
        "shipped_assets",
        lambda: {"script": shipped["script"] | {token(older)}, "style": shipped["style"]},
    )
    assert report_problems(older_page, files, st) == []


def test_a_format_1_page_without_data_is_not_held_against_its_bundle(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    old = dict(files)
    manifest = json.loads(files[f.MANIFEST])
    old[f.MANIFEST] = json.dumps(dict(manifest, version=1)).encode()
    plain = render_html(st).encode()  # what hourproof wrote before pages checked themselves
    assert report_problems(plain, old, st) == []
    assert report_problems(plain, files, st) == [
        "report.html does not embed readable bundle data exactly once",
        "report.html's script is not hourproof's verifier script",
    ]


def test_anchor_times_are_shown_as_claims_to_check() -> None:
    out = render_html(statement([entry(0)]))
    assert "Timestamped at (claimed)" in out
    assert (
        "present — check with <code>openssl ts -verify</code> or <code>hourproof verify</code>"
        in out
    )


def test_the_fast_proof_reader_agrees_with_the_reference_parser(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    import random

    from hourproof.ledger.tlogproof import TlogProofError
    from hourproof.proof.report_html import _read_proof

    files, _ = bundle
    genuine = next(d for n, d in sorted(files.items()) if f.PROOF_RE.match(n)).decode()
    variants = [genuine, genuine.replace("\n\n", "\n"), genuine.replace("index ", "index 0"),
                genuine + "\n", genuine.replace("c2sp.org", "c2sp.net"),
                genuine.replace("index ", "extra AAAA\nindex "), "x", ""]  # fmt: skip
    rng = random.Random(8)
    for _ in range(300):
        pos = rng.randrange(len(genuine))
        variants.append(genuine[:pos] + rng.choice("=+/A\n x0") + genuine[pos + 1 :])
    for text in variants:
        try:
            ref = parse_tlog_proof(text)
            want = (ref.index, [base64.b64encode(h).decode() for h in ref.hashes], ref.checkpoint)
        except TlogProofError:
            want = None
        assert _read_proof(text.encode(), {}) == want, text


@pytest.mark.parametrize(
    "markup",
    ["<!-- hidden -->", "<template><span>1</span></template>", "<noscript>x</noscript>",
     "<textarea>x</textarea>", "<svg></svg>"],
)  # fmt: skip
def test_report_problems_refuses_markup_hourproof_does_not_write(
    bundle: tuple[dict[str, bytes], Statement], markup: str
) -> None:
    files, st = bundle
    bad = _edit(files[f.REPORT_HTML], "<footer>", markup + "<footer>")
    problems = report_problems(bad, files, st)
    assert problems and "which hourproof does not write" in problems[-1], problems


def test_figure_lookalikes_in_contractor_text_are_not_figures() -> None:
    st = statement([entry(0, note='x data-f=h data-row=e1 <span data-f="h">9:99</span>')])
    assert "9:99" not in [t[-1] for t in _figures(render_html(st)) if t[0] == "figure"]
