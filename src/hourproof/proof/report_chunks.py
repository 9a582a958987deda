"""The statement as chunks of Qt rich text, and how the chunks stack onto pages.

QTextDocument understands only a subset of HTML and CSS (tables, colours, bold, font
sizes; no flexbox, grid or rounded boxes), so report.pdf gets its own variant of
report.html's content, in report_text's words. Qt would split a table row across two
pages, so the statement is cut into chunks (a heading, a table header, one entry with
its amendments…) that report_pdf lays out one by one; ``paginate`` stacks them onto
pages, keeping rows whole, repeating a table's header on every page it spans and
keeping headings with what follows. Entry rows (nearly all of a long statement) are
not rich text but styled text lines (``RowSpec``, ``Run``) that report_pdf draws
directly. No Qt here: plain strings and numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from hourproof.proof import report_text as rt
from hourproof.proof.model import (
    DOES_NOT_PROVE,
    PROVES,
    RECORDED_BY,
    VERIFIED,
    ReportEntry,
    Statement,
    TotalLine,
)
from hourproof.proof.report_text import esc, hours, utc

ACCENT, MUTED, LINE, SOFT, INK = "#1f3a5f", "#5b6675", "#d9dee5", "#f5f7fa", "#1b2430"
_LABEL_COLOURS = {VERIFIED: ("#e3f3e8", "#1f6b3e"), RECORDED_BY: ("#e4edf8", "#1f4f86")}
_SELF_COLOURS = ("#fff1d6", "#8a5300")
_GAP = '<td width="2%"></td>'
_SPACER = '<p style="font-size:7pt;margin:0">&nbsp;</p>'
_SIDE_BY_SIDE_ROWS = 16  # longer totals tables are stacked and may span pages

# Chunk kinds: FLOW is kept whole when it fits a page; HEADING and HEAD stay with what
# follows; a ROW that moves to a new page brings the current HEAD along; END closes a
# table; BREAK starts a new page.
FLOW, HEADING, HEAD, ROW, END, BREAK = "flow", "heading", "head", "row", "end", "break"
Columns = list[tuple[str, str, int]]  # (title, align, width %)
Row = tuple[Sequence[str], str, str]  # cells, background, extra rows


class Run(NamedTuple):
    """A piece of text in one style (the PDF draws table rows from these directly).

    A named tuple rather than a frozen dataclass: a long statement makes ~12 a row, and
    a tuple is built ~4x faster."""

    text: str
    bold: bool = False
    color: str = INK
    strike: bool = False
    badge: str = ""  # background colour of a label badge


Line = tuple[Run, ...]


@dataclass(frozen=True)
class RowSpec:
    """A table row as plain styled text: ``cells[i]`` is the lines of column ``i``;
    ``extras`` are full-width rows under it (amendments) with their background."""

    columns: tuple[tuple[str, int], ...]  # (align, width %)
    cells: tuple[tuple[Line, ...], ...]
    background: str = ""
    extras: tuple[tuple[str, Line], ...] = ()


@dataclass(frozen=True)
class Chunk:
    kind: str
    html: str = ""
    spec: RowSpec | None = None  # rows the PDF draws without laying out rich text


@dataclass(frozen=True)
class Placement:
    """Chunk ``chunk`` drawn at ``y`` on a page; ``part`` > 0 for a chunk taller than a page."""

    chunk: int
    y: float
    part: int = 0


def _note(text: str) -> str:
    return f'<p style="font-size:8pt;color:{MUTED};margin-top:2pt;margin-bottom:4pt">{text}</p>'


def _heading(title: str, note: str = "") -> Chunk:
    return Chunk(
        HEADING,
        _SPACER  # a chunk's own first margin is dropped
        + f'<p style="margin-top:0;margin-bottom:3pt;font-size:12pt;font-weight:bold;'
        f'color:{ACCENT}">{esc(title)}</p>' + (_note(note) if note else ""),
    )


def _row_table(
    columns: Columns, cells: Sequence[str], bg: str = "", extra: str = "",
    rule: str = f"border-bottom:1px solid {LINE}",
) -> str:  # fmt: skip
    """One row of a table; separate row tables line up since widths are fixed percentages."""
    shade = f' bgcolor="{bg}"' if bg else ""
    tds = "".join(
        f'<td width="{w}%" align="{a}" style="font-size:8pt;{rule}">{c}</td>'
        for (_, a, w), c in zip(columns, cells, strict=True)
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="4" style="border-collapse:collapse">'
        f"<tr{shade}>{tds}</tr>{extra}</table>"
    )


def _table(columns: Columns, rows: Sequence[Row]) -> list[Chunk]:
    """A header chunk, one chunk per row (cells, background, extra rows) and an END."""
    ths = "".join(
        f'<td width="{w}%" align="{a}" bgcolor="{ACCENT}" style="color:#ffffff;font-size:8pt;'
        f'font-weight:bold">{t}</td>'
        for t, a, w in columns
    )
    head = f'<table width="100%" cellspacing="0" cellpadding="4"><tr>{ths}</tr></table>'
    body = [Chunk(ROW, _row_table(columns, cells, bg, extra)) for cells, bg, extra in rows]
    return [Chunk(HEAD, head), *body, Chunk(END)]


def _header(st: Statement) -> str:
    project = f" · {esc(st.project)}" if st.project else ""
    return (
        '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
        f'<td valign="bottom"><span style="font-size:20pt;font-weight:bold;color:{ACCENT}">'
        f"{rt.TITLE}</span></td>"
        f'<td align="right" valign="bottom" style="font-size:8.5pt;color:{MUTED}">'
        f"{esc(st.contractor)} for {esc(st.client)}{project}<br>{esc(rt.period_text(st))}</td>"
        f'</tr><tr><td colspan="2" style="font-size:3pt;border-bottom:2.5px solid {ACCENT}">'
        "&nbsp;</td></tr></table>"
    )


def _meta(st: Statement) -> str:
    mono = f'<span style="font-family:DejaVu Sans Mono,monospace">{esc(st.fingerprint)}</span>'
    rows = [("Contractor", esc(st.contractor)), ("Key fingerprint", mono)]
    rows += [("Client", esc(st.client))] + ([("Project", esc(st.project))] if st.project else [])
    rows += [
        ("Period", esc(rt.period_text(st))),
        ("Generated", esc(utc(st.generated_at))),
        ("Log size at export", f"{st.tree_size:,} leaves"),
        ("Times", esc(rt.TIME_NOTE)),
    ]
    body = "".join(
        f'<tr><td width="24%" style="color:{MUTED}">{k}</td><td>{v}</td></tr>' for k, v in rows
    )
    return (
        f'<table width="100%" cellspacing="0" cellpadding="2" style="margin-top:8pt">{body}</table>'
    )


def _warnings(st: Statement) -> str:
    problems = rt.consistency_problems(st)
    if not problems:
        return ""
    items = "<br>".join(f"• {esc(p)}" for p in problems)
    return (
        '<table width="100%" cellpadding="6" style="margin-top:8pt;border:2px solid #b3261e">'
        f'<tr><td bgcolor="#fdecea" style="color:#7a1a14"><b>Totals check failed.</b><br>'
        f"{items}</td></tr></table>"
    )


def _summary(st: Statement) -> str:
    listed = rt.counted(st)
    late = sum(1 for e in listed if e.late)
    split = "<br>".join(
        f"{esc(label)}: {hours(s)} h ({n} {'entry' if n == 1 else 'entries'})"
        for label, s, n in rt.seconds_by_label(st)
    )
    cards = [
        ("TOTAL HOURS", f"{hours(st.total_seconds)} h", split or "no entries"),
        ("TOTAL AMOUNT", esc(rt.amounts_text(st.total_amounts, "no rate set")), "per currency"),
        ("ENTRIES", str(len(listed)),
         f"{late} recorded late (over {rt.LATE_AFTER_SECONDS // 3600} h after end)<br>"
         f"{len(rt.removed(st))} removed, not counted"),
    ]  # fmt: skip
    cells = _GAP.join(
        f'<td width="32%" bgcolor="{SOFT}" valign="top" style="border:1px solid {LINE}">'
        f'<span style="font-size:7.5pt;color:{MUTED}">{k}</span><br>'
        f'<span style="font-size:15pt;font-weight:bold">{v}</span><br>'
        f'<span style="font-size:7.5pt;color:{MUTED}">{s}</span></td>'
        for k, v, s in cards
    )
    return (
        '<table width="100%" cellspacing="0" cellpadding="7" style="margin-bottom:8pt">'
        f"<tr>{cells}</tr></table>"
    )


def _proof_box() -> str:
    def box(title: str, texts: tuple[str, ...], bg: str, edge: str) -> str:
        items = "".join(
            f'<p style="margin-top:3pt;margin-bottom:3pt">• {esc(t)}</p>' for t in texts
        )
        return (
            f'<td width="49%" valign="top" bgcolor="{bg}" style="border-left:4px solid {edge}">'
            f'<span style="font-size:10.5pt;font-weight:bold">{title}</span>{items}</td>'
        )

    legend = "<br>".join(f"<b>{esc(k)}</b>: {esc(v)}" for k, v in rt.LABEL_LEGEND)
    return (
        '<table width="100%" cellspacing="0" cellpadding="8"><tr>'
        + box("What this proves", PROVES, "#eef7f1", "#2e7d4f")
        + _GAP
        + box("What this does not prove", DOES_NOT_PROVE, "#fdf4e6", "#b26a00")
        + "</tr></table>"
        + _note(f"Every figure carries one of three labels:<br>{legend}")
    )


def _totals(st: Statement) -> list[Chunk]:
    groups = (
        ("Totals per day", "Day", st.by_day),
        ("Totals per project", "Project", st.by_project),
    )
    total = [
        "<b>Total</b>", f"<b>{hours(st.total_seconds)}</b>",
        f"<b>{esc(rt.amounts_text(st.total_amounts))}</b>",
    ]  # fmt: skip

    def chunks(title: str, key: str, lines: list[TotalLine]) -> list[Chunk]:
        cols: Columns = [(key, "left", 44), ("Hours", "right", 22), ("Amount", "right", 34)]
        rows = [([esc(t.key), hours(t.seconds), esc(rt.amounts_text(t.amounts))], "", "")
                for t in lines]  # fmt: skip
        last = _row_table(cols, total, rule=f"border-top:1.5px solid {INK}")
        return [_heading(title), *_table(cols, rows)[:-1], Chunk(ROW, last)]

    if max(len(st.by_day), len(st.by_project)) > _SIDE_BY_SIDE_ROWS:
        return [c for g in groups for c in [*chunks(*g), Chunk(END)]] + [
            Chunk(FLOW, _note(esc(rt.DAY_NOTE)))
        ]
    halves = ["".join(c.html for c in chunks(*g)) for g in groups]
    return [
        Chunk(
            FLOW,
            '<table width="100%" cellspacing="0" cellpadding="0"><tr>'
            f'<td width="48%" valign="top">{halves[0]}</td><td width="4%"></td>'
            f'<td width="48%" valign="top">{halves[1]}</td></tr></table>' + _note(esc(rt.DAY_NOTE)),
        )
    ]


_ENTRY_COLUMNS: Columns = [
    ("Date / time (UTC)", "left", 13), ("Hours", "right", 6), ("Work", "left", 29),
    ("Source", "left", 10), ("Recorded", "left", 19), ("Evidence", "left", 12),
    ("Amount", "right", 11),
]  # fmt: skip


_LATE = (Run(" "), Run(" LATE ", True, "#ffffff", False, "#b3261e"))
_ARROW, _AMEND_BG = Run("    ↳ "), "#fffbea"
_ENTRY_SPEC_COLUMNS = tuple((a, w) for _t, a, w in _ENTRY_COLUMNS)


def _badges(label: str, late: bool) -> Line:
    bg, fg = _LABEL_COLOURS.get(label, _SELF_COLOURS)
    return (Run(f" {label} ", True, fg, False, bg), *(_LATE if late else ()))


class _EntryRows:
    """Entries as table rows of styled text lines (removed entries struck through).

    Columns as in ``_ENTRY_COLUMNS``: day, span and id; hours (and the part in the
    period); project · task, note and tags; source; label badges, "Recorded by" time and
    lag; evidence; amount. Amendments follow as full-width rows. Equal cells are built
    once and shared: most entries of a long statement repeat their hours, source, label,
    evidence and amount, and report_pdf lays out each distinct cell once too."""

    def __init__(self, st: Statement) -> None:
        self.st = st
        self.memo: dict[tuple[object, ...], tuple[Line, ...]] = {}

    def spec(self, entry: ReportEntry, shade: bool) -> RowSpec:
        x, memo = entry.removed, self.memo
        part = "" if x else rt.counted_part(entry, self.st)
        key: tuple[object, ...] = ("spent", entry.seconds, x, part)
        if (spent := memo.get(key)) is None:
            spent = ((Run(hours(entry.seconds), False, INK, x),),)
            if part:
                spent += ((Run(part, False, MUTED),),)
            memo[key] = spent
        key = ("work", entry.project, entry.task, entry.note, entry.tags, x)
        if (work := memo.get(key)) is None:
            work = ((Run(rt.work_title(entry), True, INK, x),),)
            if entry.note:
                work += ((Run(entry.note, False, INK, x),),)
            if entry.tags:
                work += ((Run(f"tags: {', '.join(entry.tags)}", False, MUTED),),)
            memo[key] = work
        key = ("source", entry.source)
        if (source := memo.get(key)) is None:
            source = memo[key] = ((Run(entry.source),),)
        key = ("recorded", entry.label, entry.late, entry.recorded_by, entry.lag_seconds)
        if (recorded := memo.get(key)) is None:
            recorded = (_badges(entry.label, entry.late),)
            if entry.recorded_by is not None:
                recorded += ((Run(rt.recorded_line(entry), True),),)
            recorded += ((Run(f"lag: {rt.lag_text(entry)}", False, MUTED),),)
            memo[key] = recorded
        key = ("evidence", entry.evidence_commits, entry.evidence_spans,
               entry.corroborated_seconds)  # fmt: skip
        if (evidence := memo.get(key)) is None:
            evidence = memo[key] = ((Run(rt.evidence_text(entry), False, MUTED),),)
        key = ("amount", entry.amount_minor, entry.currency, x)
        if (amount := memo.get(key)) is None:
            amount = memo[key] = ((Run(rt.entry_amount(entry), False, INK, x),),)
        when = (
            (Run(rt.day_text(entry.start), False, INK, x),),
            (Run(rt.span_text(entry), False, INK, x),),
            (Run(f"#{entry.id}", False, MUTED),),
        )
        extras: tuple[tuple[str, Line], ...] = ()
        for change in entry.amendments:
            kind, _, rest = rt.amendment_text(change).partition(" ")
            extras += ((_AMEND_BG, (_ARROW, Run(kind, True), Run(" " + rest))),)
        cells = (when, spent, work, source, recorded, evidence, amount)
        return RowSpec(_ENTRY_SPEC_COLUMNS, cells, SOFT if shade else "", extras)


def _entries(st: Statement) -> list[Chunk]:
    note = esc(rt.TIME_NOTE) + " Amendments are listed under the entry they changed, with the "
    note += "contractor's reason."
    out = [Chunk(BREAK), _heading("Entries", note)]
    listed = rt.counted(st)
    if listed:
        out += _entry_table([(e, i % 2 == 1) for i, e in enumerate(listed)], st)
    else:
        out.append(Chunk(FLOW, f"<p>{rt.NO_ENTRIES}</p>"))
    gone = rt.removed(st)
    if gone:
        out.append(_heading("Amended and removed", rt.REMOVED_NOTE))
        out += _entry_table([(e, False) for e in gone], st)
    extra = rt.outside(st)
    if extra:
        out.append(_heading("Outside the period (not counted)", rt.OUTSIDE_NOTE))
        out += _entry_table([(e, False) for e in extra], st)
    return out


def _entry_table(rows: list[tuple[ReportEntry, bool]], st: Statement) -> list[Chunk]:
    """The entries table: a rich-text header, then ROW chunks that carry only the
    styled-text spec (report_pdf draws those without rich text), then an END."""
    head = _table(_ENTRY_COLUMNS, [])[0]
    spec = _EntryRows(st).spec
    body = [Chunk(ROW, "", spec(e, shade)) for e, shade in rows]
    return [head, *body, Chunk(END)]


def _anchors(st: Statement) -> list[Chunk]:
    rows = [
        ([f"{size:,}", esc(utc(when)), esc(tsa)], "", "")
        for size, when, tsa in sorted(st.anchors, key=lambda a: (a[0], a[1]))
    ]
    cols: Columns = [("Log size", "right", 16), ("Timestamped at", "left", 34),
                     ("Timestamp authority", "left", 50)]  # fmt: skip
    body = _table(cols, rows) if rows else [Chunk(FLOW, f"<p>{rt.NO_ANCHORS}</p>")]
    return [_heading("Anchors (trusted timestamps)", rt.ANCHORS_NOTE), *body]


def statement_chunks(st: Statement) -> list[Chunk]:
    """The statement as chunks of the HTML subset QTextDocument renders well."""
    first = _header(st) + _meta(st) + _warnings(st)
    return [
        Chunk(FLOW, first),
        Chunk(FLOW, _SPACER + _summary(st)),
        Chunk(FLOW, _proof_box()),
        *_totals(st),
        *_entries(st),
        *_anchors(st),
        Chunk(FLOW, _note(rt.FOOTER_NOTE)),
    ]


def _follow(kinds: Sequence[str], heights: Sequence[float], i: int) -> float:
    """Height that must stay on the page with chunk ``i`` (what a heading or header leads)."""
    need, j = 0.0, i + 1
    while j < len(kinds) and kinds[i] in (HEADING, HEAD):
        if kinds[j] in (END, BREAK):
            break
        need += heights[j]
        if kinds[j] not in (HEADING, HEAD):
            break
        j += 1
    return need


def paginate(kinds: Sequence[str], heights: Sequence[float], page: float) -> list[list[Placement]]:
    """Stack chunks onto pages of height ``page``; see the module docstring for the rules."""
    pages: list[list[Placement]] = [[]]
    y, head = 0.0, None

    def new_page() -> None:
        nonlocal y
        pages.append([])
        y = 0.0

    for i, (kind, height) in enumerate(zip(kinds, heights, strict=True)):
        if kind == BREAK:
            if y > 0:
                new_page()
            continue
        if kind == END:
            head = None
            continue
        if height > page:  # taller than a page: on pages of its own, cut by Qt's own layout
            if y > 0:
                new_page()
            parts = math.ceil(height / page)
            for part in range(parts):
                if part:
                    new_page()
                pages[-1].append(Placement(i, 0.0, part))
            y = height - (parts - 1) * page
            continue
        if y > 0 and y + min(height + _follow(kinds, heights, i), page) > page:
            new_page()
            if kind == ROW and head is not None and heights[head] + height <= page:
                pages[-1].append(Placement(head, 0.0))
                y = heights[head]
        if kind == HEAD:
            head = i
        pages[-1].append(Placement(i, y))
        y += height
    return [p for p in pages if p] or [[]]
