"""report.html: the human statement of hours a client opens from a proof bundle.

One self-contained file that checks itself. The statement renders as plain HTML (so
it reads and prints without JavaScript); the bundle's verification data is embedded
(``<script id="hp-data">``, gzip'd JSON in base64: the disclosed leaves'
exact bytes, their inclusion proofs, every checkpoint, consistency proof and timestamp
token, and the log's public key), and an inline script (web/verify.js) re-checks it in
the browser: Ed25519 checkpoint signatures through WebCrypto, RFC 6962 inclusion and
consistency proofs, the tokens' message imprints, and that every figure marked
``data-f`` equals what the verified entries add up to. The verdict goes in
``#verdict`` (``data-state``: verified, failed, unsupported, or unchecked when no
script runs).

The Content-Security-Policy forbids loading anything and allows exactly this script
and this stylesheet by their SHA-256 hashes: no ``unsafe-inline``, nothing fetched,
opening it offline never phones home. Every string that came from the contractor goes
through ``html.escape`` (``esc``); the data block is base64, so it cannot end its
script element. The wording is report_text's, shared with report.pdf.

:func:`report_problems` lets ``hourproof verify`` check a bundle's report.html: its
embedded data must be the bundle's own members, its script and policy the shipped
ones, and every marked figure must equal the verified statement.
"""

from __future__ import annotations

import base64
import binascii
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC
from functools import cache
from importlib import resources
from typing import Any

from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger.tlogproof import HEADER, TlogProofError, parse_tlog_proof
from hourproof.proof import format as f
from hourproof.proof.model import (
    DOES_NOT_PROVE,
    LATE_AFTER_SECONDS,
    PROVES,
    RECORDED_BY,
    VERIFIED,
    ReportEntry,
    Statement,
    TotalLine,
)
from hourproof.proof.report_text import (
    ANCHORS_NOTE,
    DAY_NOTE,
    FOOTER_NOTE,
    LABEL_LEGEND,
    NO_ANCHORS,
    NO_ENTRIES,
    REMOVED_NOTE,
    TIME_NOTE,
    TITLE,
    amendment_text,
    amounts_text,
    consistency_problems,
    counted,
    counted_part,
    entry_amount,
    esc,
    evidence_text,
    hours,
    iso,
    lag_text,
    late_title,
    period_text,
    plural,
    recorded_line,
    removed,
    seconds_by_label,
    span_text,
    utc,
    work_title,
)

_DECIMAL_RE = re.compile(r"0|[1-9][0-9]*")
#: completeness.json (bundle format v2); named here so a v1 tree still imports this module.
_COMPLETENESS = getattr(f, "COMPLETENESS", "completeness.json")
#: Version of the embedded data (``hp-data``) layout; docs/bundle-format.md "report.html".
DATA_VERSION = 1


@cache
def _asset(name: str) -> str:
    path = resources.files("hourproof.proof") / "web" / name
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def script_text() -> str:
    """The verifier script exactly as it is inlined: the client-approval checks
    (web/approvals.js, when present) and then the page's verifier (web/verify.js)."""
    return _asset("approvals.js") + _asset("verify.js")


def css_text() -> str:
    return _asset("report.css")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def _policy(script_token: str, style_token: str) -> str:
    return (
        f"default-src 'none'; script-src {script_token}; "
        f"style-src {style_token}; base-uri 'none'; form-action 'none'"
    )


def csp() -> str:
    """The page's policy: nothing loads; only the shipped script and stylesheet run."""
    return _policy(_csp_hash(script_text()), _csp_hash(css_text()))


@cache
def shipped_assets() -> dict[str, frozenset[str]]:
    """Every verifier script and stylesheet hourproof has shipped, as CSP hash tokens.

    From ``web/shipped-assets.txt`` (``script 'sha256-…'`` / ``style 'sha256-…'``, one a
    line; ``#`` comments). A page written by an earlier hourproof keeps passing the
    script check, because its assets stay listed; a test keeps the current ones listed.
    """
    found: dict[str, set[str]] = {"script": set(), "style": set()}
    for line in _asset("shipped-assets.txt").splitlines():
        kind, _, token = line.partition(" ")
        if kind in found and token:
            found[kind].add(token.strip())
    found["script"].add(_csp_hash(script_text()))
    found["style"].add(_csp_hash(css_text()))
    return {kind: frozenset(tokens) for kind, tokens in found.items()}


# --- the embedded bundle data ------------------------------------------------------


def bundle_payload(
    files: Mapping[str, bytes],
    st: Statement,
    *,
    seqs: Sequence[int | None] | None = None,
    proofs: Mapping[int, tuple[int, list[str], str]] | None = None,
) -> dict[str, Any]:
    """What report.html embeds for the browser to check: a pure function of the
    bundle's members (and the statement's manifest fields), so the verifier can
    rebuild it and compare. Members are carried faithfully, not judged: a missing or
    broken proof is encoded as such and the page fails on it.

    A caller that already read the members may pass what it read, for speed only:
    ``seqs``, the ``seq`` of each line of entries.jsonl (as ``_seq_of`` gives it), and
    ``proofs``, for some leaves ``seq -> _read_proof(files[proof_path(seq)])``."""
    lines = files.get(f.ENTRIES, b"").split(b"\n")[:-1]
    leaves = [line.decode("utf-8", "replace") for line in lines]
    export_note = files.get(f.checkpoint_path(st.tree_size), b"").decode("utf-8", "replace")
    nodes: dict[str, int] = {}  # base64 of each distinct proof hash -> its index
    paths: list[int] = []
    path_len: list[int] = []
    proof_index: list[int] = []
    proof_checkpoint: dict[str, int] = {}
    seen: set[int] = set()
    valid: dict[str, bool] = {}
    for n, text in enumerate(leaves):
        seq = _seq_of(text) if seqs is None else seqs[n]
        proof = None
        if seq is not None:
            seen.add(seq)
            proof = proofs.get(seq) if proofs is not None else None
            if proof is None:
                raw = files.get(f.proof_path(seq))
                proof = _read_proof(raw, valid) if raw is not None else None
        if seq is None or proof is None:
            path_len.append(-1)
            proof_index.append(-1)
            continue
        index, hashes, checkpoint = proof
        path_len.append(len(hashes))
        proof_index.append(index)
        if checkpoint != export_note:
            proof_checkpoint[str(seq)] = 1
        for h in hashes:
            paths.append(nodes.setdefault(h, len(nodes)))
    extra = sorted(
        int(m.group(1)) for name in files if (m := f.PROOF_RE.match(name)) and int(m.group(1))
        not in seen
    )  # fmt: skip

    def members(regex: re.Pattern[str], key: Any, value: Any) -> dict[str, Any]:
        return {key(m): value(files[n]) for n in sorted(files) if (m := regex.match(n))}

    return {
        "v": DATA_VERSION,
        "client": st.client,
        "project": st.project,
        "from": to_rfc3339(st.period_start),
        "to": to_rfc3339(st.period_end),
        "tree_size": st.tree_size,
        "fingerprint": st.fingerprint,
        "vkey": _text(files.get(f.VKEY, b"")),
        "leaves": leaves,
        "nodes": base64.b64encode(b"".join(map(binascii.a2b_base64, nodes))).decode("ascii"),
        "paths": paths,
        "path_len": path_len,
        "proof_index": proof_index,
        "proof_checkpoint": proof_checkpoint,
        "extra_proofs": extra,
        "checkpoints": members(f.CHECKPOINT_RE, lambda m: m.group(1), _text),
        "consistency": members(f.CONSISTENCY_RE, lambda m: f"{m.group(1)}-{m.group(2)}", _text),
        "completeness": _text(files[_COMPLETENESS]) if _COMPLETENESS in files else None,
        "tokens": members(
            f.TSR_RE, lambda m: m.group(1), lambda d: base64.b64encode(d).decode("ascii")
        ),
    }


def _read_proof(raw: bytes, valid: dict[str, bool]) -> tuple[int, list[str], str] | None:
    """(index, base64 hash lines, checkpoint) of a tlog-proof, or None where
    ``parse_tlog_proof`` refuses it. The same rules, but each distinct hash line is
    decoded once (``valid`` caches the verdict): 20,000 proofs share most hashes."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    head, sep, checkpoint = text.partition("\n\n")
    lines = head.split("\n")
    if len(lines) < 2 or not lines[1].startswith("index "):
        return _parsed(text)  # an "extra" line, or malformed: the reference parser decides
    hashes = lines[2:]
    for h in hashes:
        ok = valid.get(h)
        if ok is None:
            try:
                decoded = base64.b64decode(h, validate=True)
                ok = len(decoded) == 32 and base64.b64encode(decoded).decode("ascii") == h
            except ValueError:
                ok = False
            valid[h] = ok
        if not ok:
            return None
    digits = lines[1][len("index ") :]
    if (
        not sep or lines[0] != HEADER or not _DECIMAL_RE.fullmatch(digits)
        or int(digits) > 2**64 - 1 or len(hashes) > 64
        or not checkpoint or checkpoint.startswith("\n") or not checkpoint.endswith("\n")
    ):  # fmt: skip
        return None
    return int(digits), hashes, checkpoint


def _parsed(text: str) -> tuple[int, list[str], str] | None:
    try:
        proof = parse_tlog_proof(text)
    except TlogProofError:
        return None
    hashes = [base64.b64encode(h).decode("ascii") for h in proof.hashes]
    return proof.index, hashes, proof.checkpoint


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _seq_of(line: str) -> int | None:
    try:
        seq = json.loads(line).get("seq")
    except (ValueError, AttributeError):
        return None
    return seq if isinstance(seq, int) and not isinstance(seq, bool) and seq >= 0 else None


def _data_block(payload: Mapping[str, Any]) -> str:
    """The payload as base64 of gzip'd JSON (20,000 leaves shrink from ~12 MB to ~4 MB;
    the browser inflates it with DecompressionStream). Base64 holds no ``<``, so it
    cannot end its script element. Deterministic: gzip with mtime 0, level 1 (the
    payload is mostly base64 hashes and JSON text: level 6 saved 6 % for twice the
    time at 20,000 entries; the level is not a rule, the verifier compares the JSON)."""
    data = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    packed = gzip.compress(data.encode("utf-8"), compresslevel=1, mtime=0)
    return base64.b64encode(packed).decode("ascii")


def embedded_payload(page: str) -> Any:
    """The payload a report.html embeds (None when it embeds none, or it is unreadable)."""
    found = _DATA_RE.findall(page)
    if len(found) != 1:
        return None
    try:
        return json.loads(gzip.decompress(base64.b64decode(found[0], validate=True)))
    except (ValueError, OSError, EOFError):
        return None


# --- the statement as HTML ------------------------------------------------------------


def _pill(entry: ReportEntry) -> str:
    cls = {VERIFIED: "verified", RECORDED_BY: "recorded"}.get(entry.label, "self")
    out = f'<span class="pill {cls}" data-f=l>{esc(entry.label)}</span>'
    if entry.late:
        out += f' <span class="pill late" title="{esc(late_title())}">LATE</span>'
    if entry.recorded_by is not None:
        out += f"<i class=ts data-f=r>{esc(recorded_line(entry))}</i>"
    return out


def _meta(st: Statement) -> str:
    rows = [
        ("Contractor", esc(st.contractor)),
        ("Client", f'<span data-f="client">{esc(st.client)}</span>'),
    ]
    if st.project:
        rows.append(("Project", esc(st.project)))
    rows += [
        ("Period", f'<span data-f="period">{esc(period_text(st))}</span>'),
        ("Generated", esc(utc(st.generated_at))),
        ("Log size at export", f'<span data-f="size">{st.tree_size:,} leaves</span>'),
        ("Times", esc(TIME_NOTE)),
    ]
    return (
        '<dl class="meta" data-row="meta">'
        + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
        + "</dl>"
    )


def _verdict() -> str:
    return (
        '<div id="verdict" class="verdict" data-state="unchecked" role="status" '
        'aria-live="polite"><div class="vt">Not checked in this browser</div>'
        '<div class="vd">This page checks its own proofs with JavaScript, which is off or '
        "blocked here. The statement below is still complete and readable; to check it, run "
        "<code>hourproof verify</code> on the bundle (README.txt explains how to check it "
        "with ssh-keygen and openssl alone).</div></div>"
    )


def _keybox(st: Statement) -> str:
    return (
        '<section class="keybox" data-row="meta"><div class="k">Contractor\'s key '
        "fingerprint (as <code>ssh-keygen -l</code> prints it)</div>"
        f'<div class="fpr" data-f="fpr">{esc(st.fingerprint)}</div>'
        '<div class="small js-only" id="fpr-computed"></div>'
        '<label class="js-only" for="fpr-input">Paste the fingerprint from your contract to '
        'compare: <input id="fpr-input" type="text" autocomplete="off" spellcheck="false" '
        'placeholder="SHA256:…"></label><span id="fpr-result" role="status"></span>'
        "</section>"
        '<details class="checks js-only"><summary>What this page checked</summary>'
        '<ol id="check-list"></ol><p class="note" id="ts-note" hidden>RFC 3161 timestamp '
        "tokens: present — the page checks that each one covers its checkpoint's exact "
        "bytes and shows the time it claims; check their signatures with <code>openssl ts "
        "-verify</code> or <code>hourproof verify</code>.</p></details>"
    )


def _summary(st: Statement) -> str:
    listed = counted(st)
    late = sum(1 for e in listed if e.late)
    split = "; ".join(
        f"{esc(label)}: {hours(s)} h ({plural(n, 'entry', 'entries')})"
        for label, s, n in seconds_by_label(st)
    )
    cards = [
        ("Total hours", f'<span data-f="h">{hours(st.total_seconds)} h</span>',
         split or "no entries"),
        ("Total amount",
         f'<span data-f="a">{esc(amounts_text(st.total_amounts, "no rate set"))}</span>',
         "per currency"),
        (
            "Entries",
            f'<span data-f="n">{len(listed)}</span>',
            f"{late} recorded late (over {LATE_AFTER_SECONDS // 3600} h after end); "
            f'<span data-f="r">{len(removed(st))}</span> removed, not counted',
        ),
    ]  # fmt: skip
    return (
        '<div class="summary" data-row="card">'
        + "".join(
            f'<div class="card"><div class="k">{k}</div><div class="v">{v}</div>'
            f'<div class="s">{s}</div></div>'
            for k, v, s in cards
        )
        + "</div>"
    )


def _proof_box() -> str:
    yes = "".join(f"<li>{esc(t)}</li>" for t in PROVES)
    no = "".join(f"<li>{esc(t)}</li>" for t in DOES_NOT_PROVE)
    legend = "".join(f"<li><b>{esc(k)}</b>: {esc(v)}</li>" for k, v in LABEL_LEGEND)
    return (
        '<div class="proof">'
        f'<section class="yes"><h3>What this proves</h3><ul>{yes}</ul></section>'
        f'<section class="no"><h3>What this does not prove</h3><ul>{no}</ul></section>'
        "</div>"
        f'<p class="note">Every figure carries one of three labels:</p><ul class="legend">{legend}'
        "</ul>"
    )


def _totals_table(
    title: str, head: str, prefix: str, lines: Iterable[TotalLine], st: Statement
) -> str:
    body = "".join(
        f'<tr data-row="{esc(prefix + t.key)}"><td data-f="k">{esc(t.key)}</td>'
        f'<td class="num" data-f="h">{hours(t.seconds)}</td>'
        f'<td class="num" data-f="a">{esc(amounts_text(t.amounts))}</td></tr>'
        for t in lines
    )
    body += (
        '<tr class="total" data-row="total"><td>Total</td>'
        f'<td class="num" data-f="h">{hours(st.total_seconds)}</td>'
        f'<td class="num" data-f="a">{esc(amounts_text(st.total_amounts))}</td></tr>'
    )
    return (
        f'<section><h2>{title}</h2><table class="figures"><thead><tr><th>{head}</th>'
        '<th class="num">Hours (h:mm)</th><th class="num">Amount</th></tr></thead>'
        f"<tbody>{body}</tbody></table></section>"
    )


ENTRY_COLUMNS = (
    ("Date / time (UTC)", "", 13), ("Hours", "num", 6), ("Work", "", 30), ("Source", "", 9),
    ("Recorded", "", 19), ("Evidence", "", 12), ("Amount", "num", 11),
)  # fmt: skip
_ENTRY_HEAD = (
    '<colgroup>' + "".join(f'<col class="w{w}">' for _, _, w in ENTRY_COLUMNS)
    + "</colgroup><thead><tr>"
    + "".join(f'<th class="{c}">{t}</th>' for t, c, _ in ENTRY_COLUMNS) + "</tr></thead>"
)  # fmt: skip


def _entry_rows(entry: ReportEntry, st: Statement, row_class: str = "") -> str:
    """One entry as a compact table row (20,000 of them must stay light to parse):
    short unquoted attributes, no per-cell wrappers, strike-through by CSS."""
    tags = f"<i>tags: {esc(', '.join(entry.tags))}</i>" if entry.tags else ""
    note = f"<p>{esc(entry.note)}</p>" if entry.note else ""
    day = entry.start.astimezone(UTC).date().isoformat()
    part = "" if entry.removed else counted_part(entry, st)
    part = f"<i data-f=p>{esc(part)}</i>" if part else ""
    cls = f" class={row_class}" if row_class else ""
    row = (
        f"<tr data-row=e{entry.id}{cls}><td><span data-f=d>{day}</span> "
        f"<span data-f=s>{esc(span_text(entry))}</span><i>#{entry.id}</i></td>"
        f"<td class=num><span data-f=h>{hours(entry.seconds)}</span>{part}</td>"
        f"<td><b data-f=w>{esc(work_title(entry))}</b>{note}{tags}</td>"
        f"<td>{esc(entry.source)}</td>"
        f"<td>{_pill(entry)}<i>lag: {esc(lag_text(entry))}</i></td>"
        f"<td><i>{esc(evidence_text(entry))}</i></td>"
        f"<td class=num data-f=a>{esc(entry_amount(entry))}</td></tr>"
    )
    for change in entry.amendments:
        kind, _, rest = amendment_text(change).partition(" ")
        row += f'<tr class="amend {row_class}"><td colspan="7">↳ <b>{esc(kind)}</b> '
        row += f"{esc(rest)}</td></tr>"
    return row


def _entries(st: Statement) -> str:
    rows = "".join(_entry_rows(e, st) for e in counted(st))
    if not rows:
        rows = f'<tr><td colspan="7">{NO_ENTRIES}</td></tr>'
    return (
        '<section class="entries"><h2>Entries</h2>'
        f'<p class="note">{esc(TIME_NOTE)} Amendments are listed under the entry they changed, '
        "with the contractor's reason.</p>"
        f'<table class="figures" data-list="counted">{_ENTRY_HEAD}<tbody>{rows}</tbody></table>'
        "</section>"
    )


def _removed(st: Statement) -> str:
    gone = removed(st)
    if not gone:
        return ""
    rows = "".join(_entry_rows(e, st, "removed") for e in gone)
    return (
        '<section class="removed-entries"><h2>Amended and removed</h2>'
        f'<p class="note">{esc(REMOVED_NOTE)}</p>'
        f'<table class="figures" data-list="removed">{_ENTRY_HEAD}<tbody>{rows}</tbody></table>'
        "</section>"
    )


_TOKEN_NOTE = (
    "present — check with <code>openssl ts -verify</code> or <code>hourproof verify</code>"
)


def _anchors(st: Statement) -> str:
    rows = (
        "".join(
            f'<tr data-row="anchor:{size}"><td class="num" data-f="z">{size:,}</td>'
            f'<td class="nowrap" title="{esc(iso(when))}"><span data-f="t">{esc(utc(when))}'
            f"</span><i>{_TOKEN_NOTE}</i></td><td>{esc(tsa)}</td></tr>"
            for size, when, tsa in sorted(st.anchors, key=lambda a: (a[0], a[1]))
        )
        or f'<tr><td colspan="3">{NO_ANCHORS}</td></tr>'
    )
    return (
        f'<section><h2>Anchors (trusted timestamps)</h2><p class="note">{esc(ANCHORS_NOTE)} '
        "The times are what each token claims; this page checks that each token covers its "
        "checkpoint, not who signed it.</p>"
        '<table class="anchors"><colgroup><col class="w16"><col class="w34"><col></colgroup>'
        '<thead><tr><th class="num">Log size</th><th>Timestamped at (claimed)</th>'
        f"<th>Timestamp authority</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _warnings(st: Statement) -> str:
    problems = consistency_problems(st)
    if not problems:
        return ""
    items = "".join(f"<li>{esc(p)}</li>" for p in problems)
    return f'<div class="warn"><b>Totals check failed.</b><ul>{items}</ul></div>'


def render_html(
    st: Statement,
    bundle: Mapping[str, bytes] | None = None,
    *,
    seqs: Sequence[int | None] | None = None,
    proofs: Mapping[int, tuple[int, list[str], str]] | None = None,
    page: tuple[str, str] | None = None,
) -> str:
    """The statement as one self-contained, printable HTML5 document.

    With ``bundle`` (the bundle's members; report files and manifest may be absent)
    the page embeds the verification data and the verifier script; without it, it is
    the plain statement and the verdict stays "not checked". ``seqs`` and ``proofs``
    go to :func:`bundle_payload` (what the caller knows of the members already);
    ``page`` is :func:`statement_html` of ``st`` if the caller made it already."""
    before, after = statement_html(st) if page is None else page
    checker = ""
    if bundle is not None:
        payload = bundle_payload(bundle, st, seqs=seqs, proofs=proofs)
        checker = (
            '<script type="application/octet-stream" id="hp-data" data-encoding="gzip+base64">'
            f"{_data_block(payload)}</script>"
            f"<script>{script_text()}</script>"
        )
    return before + checker + after


def statement_html(st: Statement) -> tuple[str, str]:
    """The page around the embedded data and script: everything before them (the whole
    statement) and after. A pure function of the statement, so an exporter can make
    it before the bundle's proofs exist."""
    project = f" · {esc(st.project)}" if st.project else ""
    before = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp()}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{TITLE} — {esc(st.contractor)} for {esc(st.client)}</title>"
        f'<style>{css_text()}</style></head><body><div class="page">'
        f'<header><h1>{TITLE}</h1><div class="sub">{esc(st.contractor)} for '
        f"{esc(st.client)}{project}<br>{esc(period_text(st))}</div></header>"
        f"{_verdict()}{_keybox(st)}{_meta(st)}{_warnings(st)}{_summary(st)}{_proof_box()}"
        '<div class="twocol">'
        f"{_totals_table('Totals per day', 'Day', 'd:', st.by_day, st)}"
        f"{_totals_table('Totals per project', 'Project', 'p:', st.by_project, st)}"
        f'</div><p class="note">{esc(DAY_NOTE)}</p>'
        f"{_entries(st)}{_removed(st)}{_anchors(st)}"
        f"<footer>{esc(FOOTER_NOTE)}</footer>"
        "</div>"
    )
    return before, "</body></html>\n"


# --- reading a page's embedded data (report_check.py checks pages) ----------------------

_DATA_RE = re.compile(
    r'<script type="application/octet-stream" id="hp-data" data-encoding="gzip\+base64">'
    r"([A-Za-z0-9+/=]*)</script>"
)


# The checks live in report_check; these names stay importable from here.


def report_problems(
    page: bytes,
    files: Mapping[str, bytes],
    st: Statement,
    *,
    seqs: Sequence[int | None] | None = None,
    proofs: Mapping[int, tuple[int, list[str], str]] | None = None,
) -> list[str]:
    """Why a bundle's report.html disagrees with the verified bundle (empty: it agrees);
    see :func:`hourproof.proof.report_check.report_problems`."""
    from hourproof.proof import report_check

    return report_check.report_problems(page, files, st, seqs=seqs, proofs=proofs)


def is_checked_page(page: str) -> bool:
    """Whether a report.html carries embedded data or a script (format 2 pages do)."""
    return "<script" in page


def _figures(page: str) -> list[tuple[str, ...]]:
    from hourproof.proof import report_check

    return report_check._figures(page)
