"""The PDF's content chunks and how they stack onto pages (no Qt needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hourproof.proof.model import (
    PROVES,
    SELF_REPORTED,
    Amendment,
    ReportEntry,
    Statement,
    TotalLine,
)
from hourproof.proof.report_chunks import (
    BREAK,
    END,
    FLOW,
    HEAD,
    HEADING,
    ROW,
    Placement,
    Run,
    paginate,
    statement_chunks,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _statement(note: str = "ok", removed: bool = False) -> Statement:
    e = ReportEntry(
        id=7, project="<b>Web</b>", client="Acme", task=None, tags=(), note=note, start=T0,
        end=T0 + timedelta(hours=1), seconds=3600, source="manual", amount_minor=None,
        currency=None, label=SELF_REPORTED, recorded_by=None, lag_seconds=None, late=False,
        removed=removed, amendments=(Amendment(9, "entry.remove", T0, "<dup>", {}),),
    )  # fmt: skip
    return Statement(
        contractor="ada", fingerprint="SHA256:abc", client="Acme", project=None,
        period_start=T0, period_end=T0 + timedelta(days=1), generated_at=T0, tree_size=3,
        entries=[e], total_seconds=0 if removed else 3600,
    )  # fmt: skip


def _html(st: Statement) -> str:
    return "".join(c.html for c in statement_chunks(st))


def _texts(st: Statement) -> list[Run]:
    """Every run of every entry row (what report_pdf paints as plain text)."""
    out: list[Run] = []
    for chunk in statement_chunks(st):
        if chunk.spec is not None:
            out += [run for cell in chunk.spec.cells for line in cell for run in line]
            out += [run for _bg, line in chunk.spec.extras for run in line]
    return out


def test_chunks_escape_user_strings() -> None:
    st = _statement(note="<script>x</script>")
    st.contractor, st.client = "<i>ada</i>", "Acme & <Co>"
    st.by_project = [TotalLine("<b>Web</b>", 3600, {})]
    out = _html(st)
    assert "<script>" not in out and "<b>Web" not in out and "<i>" not in out
    assert "&lt;i&gt;ada&lt;/i&gt;" in out and "Acme &amp; &lt;Co&gt;" in out
    assert "&lt;b&gt;Web&lt;/b&gt;" in out


def test_entry_rows_are_plain_text_runs_not_rich_text() -> None:
    """Entry rows carry no HTML at all: their strings are painted as written."""
    chunks = statement_chunks(_statement(note="<script>x</script>"))
    rows = [c for c in chunks if c.kind == ROW and c.spec is not None]
    assert len(rows) == 1 and rows[0].html == ""
    texts = [run.text for run in _texts(_statement(note="<script>x</script>"))]
    assert "<script>x</script>" in texts and "<b>Web</b>" in texts
    assert any("reason: “<dup>”" in t for t in texts)


def test_entry_row_cells_in_column_order() -> None:
    (row,) = [c.spec for c in statement_chunks(_statement()) if c.spec is not None]
    cells = [[" ".join(run.text for run in line) for line in cell] for cell in row.cells]
    assert cells == [
        ["2026-03-02", "09:00–10:00", "#7"], ["1:00"], ["<b>Web</b>", "ok"], ["manual"],
        [f" {SELF_REPORTED} ", "lag: —"], ["none"], ["—"],
    ]  # fmt: skip
    assert [a for a, _w in row.columns] == ["left", "right", "left", "left", "left", "left",
                                            "right"]  # fmt: skip
    assert sum(w for _a, w in row.columns) == 100
    ((bg, line),) = row.extras
    assert bg and [r.text for r in line][1] == "Removed" and line[1].bold


def test_equal_cells_are_shared_between_rows() -> None:
    st = _statement()
    st.entries = [replace(st.entries[0], id=n, note=f"n{n}") for n in range(3)]
    rows = [c.spec for c in statement_chunks(st) if c.spec is not None]
    assert len(rows) == 3
    assert rows[0].cells[1] is rows[2].cells[1] and rows[0].cells[3] is rows[1].cells[3]
    assert rows[0].cells[0] != rows[1].cells[0] and rows[0].cells[2] != rows[1].cells[2]


def test_chunks_carry_the_proof_box_and_fingerprint() -> None:
    out = _html(_statement())
    assert "What this proves" in out and "What this does not prove" in out
    assert "SHA256:abc" in out
    assert all(p.replace("'", "&#x27;") in out for p in PROVES)


def test_entries_start_on_a_new_page_and_each_entry_is_one_row() -> None:
    kinds = [c.kind for c in statement_chunks(_statement())]
    entries = kinds.index(BREAK)
    assert kinds[entries + 1 : entries + 5] == [HEADING, HEAD, ROW, END]


def test_removed_entries_are_struck_through() -> None:
    st = _statement(removed=True)
    assert "Amended and removed" in _html(st)
    struck = {run.text for run in _texts(st) if run.strike}
    assert struck == {"2026-03-02", "09:00–10:00", "1:00", "<b>Web</b>", "ok", "—"}
    assert not any(run.strike for run in _texts(_statement()))


def test_chunks_that_fit_share_a_page() -> None:
    pages = paginate([FLOW, FLOW, FLOW], [100, 100, 100], 400)
    assert pages == [[Placement(0, 0), Placement(1, 100), Placement(2, 200)]]


def test_a_row_that_does_not_fit_moves_with_its_table_header() -> None:
    kinds = [HEAD, ROW, ROW, ROW, END]
    pages = paginate(kinds, [20, 100, 100, 100, 0], 250)
    assert pages == [
        [Placement(0, 0), Placement(1, 20), Placement(2, 120)],
        [Placement(0, 0), Placement(3, 20)],
    ]


def test_no_header_repeats_after_its_table_ends() -> None:
    kinds = [HEAD, ROW, END, FLOW]
    pages = paginate(kinds, [20, 100, 0, 200], 250)
    assert pages == [[Placement(0, 0), Placement(1, 20)], [Placement(3, 0)]]


def test_a_heading_stays_with_the_header_and_first_row_below_it() -> None:
    kinds = [FLOW, HEADING, HEAD, ROW, END]
    pages = paginate(kinds, [150, 30, 20, 60, 0], 250)
    assert pages == [[Placement(0, 0)], [Placement(1, 0), Placement(2, 30), Placement(3, 50)]]


def test_a_break_starts_a_new_page_unless_the_page_is_empty() -> None:
    assert paginate([BREAK, FLOW, BREAK, FLOW], [0, 10, 0, 10], 100) == [
        [Placement(1, 0)],
        [Placement(3, 0)],
    ]


def test_a_chunk_taller_than_a_page_gets_pages_of_its_own() -> None:
    pages = paginate([FLOW, FLOW, FLOW], [50, 250, 20], 100)
    assert pages == [
        [Placement(0, 0)],
        [Placement(1, 0, 0)],
        [Placement(1, 0, 1)],
        [Placement(1, 0, 2), Placement(2, 50)],
    ]


def test_every_chunk_with_content_is_placed_once() -> None:
    st = _statement()
    chunks = statement_chunks(st)
    pages = paginate([c.kind for c in chunks], [40.0] * len(chunks), 300)
    placed = [p.chunk for page in pages for p in page]
    heads = {i for i, c in enumerate(chunks) if c.kind == HEAD}
    wanted = [i for i, c in enumerate(chunks) if c.kind not in (END, BREAK)]
    assert [i for i in placed if i not in heads] == [i for i in wanted if i not in heads]
