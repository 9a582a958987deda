"""report.html: the human statement of hours a client opens from a proof bundle.

One self-contained file: inline CSS, no scripts, no fonts, images or links to fetch,
and a Content-Security-Policy that forbids loading anything, so opening it offline
never phones home. Every string that came from the contractor (project, note, tag,
reason…) goes through ``html.escape`` (``esc``). The wording is report_text's, shared
with report.pdf; the output depends on the Statement alone, so the verifier can
re-render the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

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

CSP = "default-src 'none'; style-src 'unsafe-inline'"


_CSS = """
:root{--ink:#1b2430;--muted:#5b6675;--line:#d9dee5;--soft:#f5f7fa;--accent:#1f3a5f}
*{box-sizing:border-box}
body{margin:0;background:#e9ecf0;color:var(--ink);
 font:14px/1.45 "Helvetica Neue",Helvetica,Arial,"Liberation Sans","DejaVu Sans",sans-serif}
.page{max-width:1080px;margin:24px auto;background:#fff;padding:40px 48px;
 box-shadow:0 1px 4px rgba(0,0,0,.12)}
header{display:flex;justify-content:space-between;align-items:flex-end;
 border-bottom:3px solid var(--accent);padding-bottom:12px;margin-bottom:20px}
h1{margin:0;font-size:28px;letter-spacing:.3px;color:var(--accent)}
header .sub{color:var(--muted);font-size:13px;text-align:right}
h2{font-size:17px;color:var(--accent);margin:28px 0 8px;padding-bottom:4px;
 border-bottom:1px solid var(--line)}
.meta{display:grid;grid-template-columns:170px 1fr;gap:4px 16px;margin:0 0 16px}
.meta dt{color:var(--muted)} .meta dd{margin:0}
.mono{font-family:"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12.5px;
 overflow-wrap:anywhere}
.summary{display:flex;gap:16px;margin:16px 0}
.card{flex:1;border:1px solid var(--line);border-radius:6px;padding:12px 16px;
 background:var(--soft)}
.card .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.6px}
.card .v{font-size:24px;font-weight:700;margin-top:2px}
.card .s{font-size:12.5px;color:var(--muted)}
.proof{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin:16px 0}
.proof section{border:1px solid var(--line);border-radius:6px;padding:10px 16px 4px}
.proof .yes{border-left:5px solid #2e7d4f} .proof .no{border-left:5px solid #b26a00}
.proof h3{margin:2px 0 6px;font-size:15px} .proof ul{margin:0 0 8px;padding-left:18px}
.proof li{margin:0 0 5px}
.legend{font-size:12.5px;color:var(--muted);margin:4px 0 0;padding-left:18px}
.note{font-size:12.5px;color:var(--muted);margin:4px 0}
.warn{border:2px solid #b3261e;background:#fdecea;color:#7a1a14;border-radius:6px;
 padding:8px 14px;margin:12px 0} .warn ul{margin:4px 0;padding-left:18px}
table{border-collapse:collapse;width:100%;font-size:13px}
.entries table,.removed-entries table{table-layout:fixed} .entries th{white-space:normal}
th{text-align:left;background:var(--accent);color:#fff;font-weight:600;padding:6px 8px;
 font-size:12px;white-space:nowrap}
td{padding:6px 8px;border-bottom:1px solid var(--line);vertical-align:top}
tbody tr:nth-child(even) td{background:#fafbfc}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.nowrap{white-space:nowrap}
tr.total td{font-weight:700;border-top:2px solid var(--ink);background:#fff}
.twocol{display:grid;grid-template-columns:1fr 1fr;gap:24px}
.pill{display:inline-block;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;
 white-space:nowrap}
.verified{background:#e3f3e8;color:#1f6b3e} .recorded{background:#e4edf8;color:#1f4f86}
.self{background:#fff1d6;color:#8a5300}
.late{background:#b3261e;color:#fff;margin-left:4px}
.small{font-size:11.5px;color:var(--muted)}
.ts{font-size:12px;font-weight:600;white-space:nowrap;margin-top:2px} .work{font-weight:600}
.entry-note{color:#333;overflow-wrap:anywhere}
tr.amend td{background:#fffbea!important;font-size:12px;border-bottom:1px solid var(--line);
 padding:4px 8px 6px 32px}
tr.removed td{color:#7a828c} .strike{text-decoration:line-through}
footer{margin-top:32px;border-top:1px solid var(--line);padding-top:8px;font-size:11.5px;
 color:var(--muted)}
@media print{
 @page{size:A4;margin:14mm 12mm 16mm}
 body{background:#fff;font-size:9pt} table{font-size:8.5pt} th{font-size:8pt}
 h1{font-size:20pt} h2{font-size:12pt;margin:14px 0 6px} header{margin-bottom:12px}
 .summary,.proof{margin:10px 0} .card .v{font-size:16pt} .proof li{margin:0 0 3px}
 .meta{gap:1px 16px} td{padding:4px 6px} .twocol section{break-inside:avoid}
 .pill{font-size:7.5pt} .ts,.small{font-size:7.5pt;white-space:normal}
 .page{max-width:none;margin:0;padding:0;box-shadow:none}
 th{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .pill,.card,tr.amend td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 thead{display:table-header-group} tr{break-inside:avoid} h2{break-after:avoid}
 .entries{break-before:page}
}
"""


def _pill(entry: ReportEntry) -> str:
    cls = {VERIFIED: "verified", RECORDED_BY: "recorded"}.get(entry.label, "self")
    out = f'<span class="pill {cls}">{esc(entry.label)}</span>'
    if entry.late:
        out += f' <span class="pill late" title="{esc(late_title())}">LATE</span>'
    if entry.recorded_by is not None:
        out += (
            f'<div class="ts" title="{esc(iso(entry.recorded_by))}">'
            f"{esc(recorded_line(entry))}</div>"
        )
    return out


def _meta(st: Statement) -> str:
    rows = [
        ("Contractor", esc(st.contractor)),
        ("Key fingerprint", f'<span class="mono">{esc(st.fingerprint)}</span>'),
        ("Client", esc(st.client)),
    ]
    if st.project:
        rows.append(("Project", esc(st.project)))
    rows += [
        ("Period", esc(period_text(st))),
        ("Generated", esc(utc(st.generated_at))),
        ("Log size at export", f"{st.tree_size:,} leaves"),
        ("Times", esc(TIME_NOTE)),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows) + "</dl>"


def _summary(st: Statement) -> str:
    listed = counted(st)
    late = sum(1 for e in listed if e.late)
    split = "; ".join(
        f"{esc(label)}: {hours(s)} h ({plural(n, 'entry', 'entries')})"
        for label, s, n in seconds_by_label(st)
    )
    cards = [
        ("Total hours", f"{hours(st.total_seconds)} h", split or "no entries"),
        ("Total amount", esc(amounts_text(st.total_amounts, "no rate set")), "per currency"),
        (
            "Entries",
            str(len(listed)),
            f"{late} recorded late (over {LATE_AFTER_SECONDS // 3600} h after end); "
            f"{len(removed(st))} removed, not counted",
        ),
    ]
    return (
        '<div class="summary">'
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


def _totals_table(title: str, head: str, lines: Iterable[TotalLine], st: Statement) -> str:
    body = "".join(
        f'<tr><td>{esc(t.key)}</td><td class="num">{hours(t.seconds)}</td>'
        f'<td class="num">{esc(amounts_text(t.amounts))}</td></tr>'
        for t in lines
    )
    body += (
        f'<tr class="total"><td>Total</td><td class="num">{hours(st.total_seconds)}</td>'
        f'<td class="num">{esc(amounts_text(st.total_amounts))}</td></tr>'
    )
    return (
        f"<section><h2>{title}</h2><table><thead><tr><th>{head}</th>"
        '<th class="num">Hours (h:mm)</th><th class="num">Amount</th></tr></thead>'
        f"<tbody>{body}</tbody></table></section>"
    )


ENTRY_COLUMNS = (
    ("Date / time (UTC)", "", 13), ("Hours", "num", 6), ("Work", "", 30), ("Source", "", 9),
    ("Recorded", "", 19), ("Evidence", "", 12), ("Amount", "num", 11),
)  # fmt: skip
_ENTRY_HEAD = (
    '<colgroup>' + "".join(f'<col style="width:{w}%">' for _, _, w in ENTRY_COLUMNS)
    + "</colgroup><thead><tr>"
    + "".join(f'<th class="{c}">{t}</th>' for t, c, _ in ENTRY_COLUMNS) + "</tr></thead>"
)  # fmt: skip


def _entry_rows(entry: ReportEntry, st: Statement, row_class: str = "") -> str:
    s = (lambda t: f'<span class="strike">{t}</span>') if entry.removed else (lambda t: t)
    tags = f'<div class="small">tags: {esc(", ".join(entry.tags))}</div>' if entry.tags else ""
    note = f'<div class="entry-note">{s(esc(entry.note))}</div>' if entry.note else ""
    when = f"{iso(entry.start)} – {iso(entry.end)}"
    day = entry.start.astimezone(UTC).date().isoformat()
    part = "" if entry.removed else counted_part(entry, st)
    part = f'<div class="small">{esc(part)}</div>' if part else ""
    row = (
        f'<tr class="{row_class}"><td title="{esc(when)}">{s(day)}<br>{s(esc(span_text(entry)))}'
        f'<div class="small">#{entry.id}</div></td>'
        f'<td class="num">{s(hours(entry.seconds))}{part}</td>'
        f'<td><div class="work">{s(esc(work_title(entry)))}</div>{note}{tags}</td>'
        f"<td>{esc(entry.source)}</td>"
        f'<td>{_pill(entry)}<div class="small">lag: {esc(lag_text(entry))}</div></td>'
        f'<td class="small">{esc(evidence_text(entry))}</td>'
        f'<td class="num">{s(esc(entry_amount(entry)))}</td></tr>'
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
        f'<p class="note">{esc(TIME_NOTE)} Hover a time for its exact value. Amendments are '
        "listed under the entry they changed, with the contractor's reason.</p>"
        f"<table>{_ENTRY_HEAD}<tbody>{rows}</tbody></table></section>"
    )


def _removed(st: Statement) -> str:
    gone = removed(st)
    if not gone:
        return ""
    rows = "".join(_entry_rows(e, st, "removed") for e in gone)
    return (
        '<section class="removed-entries"><h2>Amended and removed</h2>'
        f'<p class="note">{esc(REMOVED_NOTE)}</p>'
        f"<table>{_ENTRY_HEAD}<tbody>{rows}</tbody></table></section>"
    )


def _anchors(st: Statement) -> str:
    rows = (
        "".join(
            f'<tr><td class="num">{size:,}</td><td class="nowrap" title="{esc(iso(when))}">'
            f"{esc(utc(when))}</td><td>{esc(tsa)}</td></tr>"
            for size, when, tsa in sorted(st.anchors, key=lambda a: (a[0], a[1]))
        )
        or f'<tr><td colspan="3">{NO_ANCHORS}</td></tr>'
    )
    return (
        f'<section><h2>Anchors (trusted timestamps)</h2><p class="note">{esc(ANCHORS_NOTE)}</p>'
        '<table><colgroup><col style="width:16%"><col style="width:34%"><col></colgroup>'
        '<thead><tr><th class="num">Log size</th><th>Timestamped at</th>'
        f"<th>Timestamp authority</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _warnings(st: Statement) -> str:
    problems = consistency_problems(st)
    if not problems:
        return ""
    items = "".join(f"<li>{esc(p)}</li>" for p in problems)
    return f'<div class="warn"><b>Totals check failed.</b><ul>{items}</ul></div>'


def render_html(st: Statement) -> str:
    """The statement as one self-contained, printable HTML5 document."""
    project = f" · {esc(st.project)}" if st.project else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{TITLE} — {esc(st.contractor)} for {esc(st.client)}</title>"
        f'<style>{_CSS}</style></head><body><div class="page">'
        f'<header><h1>{TITLE}</h1><div class="sub">{esc(st.contractor)} for '
        f"{esc(st.client)}{project}<br>{esc(period_text(st))}</div></header>"
        f"{_meta(st)}{_warnings(st)}{_summary(st)}{_proof_box()}"
        '<div class="twocol">'
        f"{_totals_table('Totals per day', 'Day', st.by_day, st)}"
        f"{_totals_table('Totals per project', 'Project', st.by_project, st)}"
        f'</div><p class="note">{esc(DAY_NOTE)}</p>'
        f"{_entries(st)}{_removed(st)}{_anchors(st)}"
        f"<footer>{esc(FOOTER_NOTE)}</footer>"
        "</div></body></html>\n"
    )
