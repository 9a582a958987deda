"""The entries and totals table models: structure (qtmodeltester), contents, resets, ticks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from hourproof.core.entries import Entry
from hourproof.core.money import Rate
from hourproof.core.totals import grand_total, totals
from hourproof.gui.entry_model import ENTRY_ROLE, HEADERS, SORT_ROLE, Column, EntryTableModel
from hourproof.gui.totals_model import TOTALS_HEADERS, TotalsColumn, TotalsTableModel

NOW = datetime(2026, 11, 25, 15, 0, 0, tzinfo=UTC)
Display = Qt.ItemDataRole.DisplayRole


def make_entry(entry_id: int, start: datetime, end: datetime | None, **kw: object) -> Entry:
    fields: dict[str, object] = {
        "project": "website", "client": "Acme", "task": "css", "tags": ("frontend",),
        "note": "header layout", "source": "manual",
    }  # fmt: skip
    fields.update(kw)
    return Entry(id=entry_id, start=start, end=end, leaves=(entry_id,), **fields)  # type: ignore[arg-type]


@pytest.fixture
def rows() -> list[Entry]:
    return [
        make_entry(1, NOW - timedelta(hours=5), NOW - timedelta(hours=3, minutes=45)),
        make_entry(4, NOW - timedelta(hours=3), NOW - timedelta(hours=2), amended=True,
                   project="api", client=None, task=None, tags=(), note=None),
        make_entry(7, NOW - timedelta(minutes=20), None, source="timer"),
    ]  # fmt: skip


@pytest.fixture
def model(rows: list[Entry], qtbot: object) -> EntryTableModel:
    m = EntryTableModel()
    m.set_entries(rows, NOW)
    return m


def cell(model: EntryTableModel, row: int, column: Column, role: int = Display) -> object:
    return model.data(model.index(row, column), role)


def test_entry_model_passes_the_model_tester(model: EntryTableModel, qtmodeltester: object) -> None:
    qtmodeltester.check(model, force_py=True)  # type: ignore[attr-defined]


def test_entry_model_passes_qts_own_model_tester(
    model: EntryTableModel, qtmodeltester: object
) -> None:
    qtmodeltester.check(model, force_py=False)  # type: ignore[attr-defined]


def test_empty_entry_model_passes_the_model_tester(qtmodeltester: object) -> None:
    qtmodeltester.check(EntryTableModel(), force_py=True)  # type: ignore[attr-defined]


def test_rows_and_columns_match_entries_and_headers(model: EntryTableModel) -> None:
    assert model.rowCount() == 3
    assert model.columnCount() == len(Column) == len(HEADERS)
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0


def test_headers_name_every_column_in_order(model: EntryTableModel) -> None:
    names = [model.headerData(c, Qt.Orientation.Horizontal, Display) for c in range(len(Column))]
    assert names == [
        "Date", "Start", "End", "Duration", "Project", "Client", "Task", "Tags", "Note",
        "Source", "Edited", "Approval",
    ]  # fmt: skip
    assert model.headerData(0, Qt.Orientation.Vertical, Display) is None
    assert model.headerData(len(Column), Qt.Orientation.Horizontal, Display) is None


def test_finished_entry_shows_local_times_duration_and_details(model: EntryTableModel) -> None:
    start = (NOW - timedelta(hours=5)).astimezone()
    assert cell(model, 0, Column.DATE) == start.strftime("%a %d %b")
    assert cell(model, 0, Column.START) == start.strftime("%H:%M")
    assert cell(model, 0, Column.DURATION) == "1:15"
    assert cell(model, 0, Column.PROJECT) == "website"
    assert cell(model, 0, Column.CLIENT) == "Acme"
    assert cell(model, 0, Column.TASK) == "css"
    assert cell(model, 0, Column.TAGS) == "frontend"
    assert cell(model, 0, Column.NOTE) == "header layout"
    assert cell(model, 0, Column.SOURCE) == "manual"
    assert cell(model, 0, Column.AMENDED) == ""


def test_missing_details_show_as_empty_text(model: EntryTableModel) -> None:
    assert [cell(model, 1, c) for c in (Column.CLIENT, Column.TASK, Column.TAGS, Column.NOTE)] == [
        "", "", "", "",
    ]  # fmt: skip


def test_amended_entry_carries_a_marker_with_a_tooltip(model: EntryTableModel) -> None:
    assert cell(model, 1, Column.AMENDED) == "✎"
    tip = cell(model, 1, Column.AMENDED, Qt.ItemDataRole.ToolTipRole)
    assert isinstance(tip, str) and "history" in tip


def test_running_entry_says_running_and_is_bold(model: EntryTableModel) -> None:
    assert cell(model, 2, Column.END) == "running"
    assert cell(model, 2, Column.DURATION) == "0:20"
    font = cell(model, 2, Column.PROJECT, Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert cell(model, 0, Column.PROJECT, Qt.ItemDataRole.FontRole) is None


def test_entry_ending_on_a_later_day_says_so(qtbot: object) -> None:
    start = datetime(2026, 11, 24, 12, 0, tzinfo=UTC).astimezone().replace(hour=22, minute=0)
    m = EntryTableModel()
    m.set_entries([make_entry(1, start, start + timedelta(hours=3))], NOW)
    assert cell(m, 0, Column.END) == (start + timedelta(hours=3)).strftime("%H:%M") + " +1d"


def test_times_and_durations_are_right_aligned(model: EntryTableModel) -> None:
    align = Qt.ItemDataRole.TextAlignmentRole
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert cell(model, 0, Column.DURATION, align) == right
    assert cell(model, 0, Column.START, align) == right
    assert cell(model, 0, Column.PROJECT, align) != right


def test_entry_role_gives_the_entry_and_sort_role_a_natural_key(
    model: EntryTableModel, rows: list[Entry]
) -> None:
    assert cell(model, 1, Column.NOTE, ENTRY_ROLE) is rows[1]
    assert cell(model, 0, Column.DURATION, SORT_ROLE) == 75 * 60
    assert cell(model, 0, Column.DATE, SORT_ROLE) < cell(model, 2, Column.DATE, SORT_ROLE)  # type: ignore[operator]


def test_invalid_and_out_of_range_indexes_give_no_data(model: EntryTableModel) -> None:
    assert model.data(QModelIndex(), Display) is None
    assert model.data(model.index(3, 0), Display) is None
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags


def test_rows_are_selectable_but_not_editable(model: EntryTableModel) -> None:
    flags = model.flags(model.index(0, 0))
    assert flags & Qt.ItemFlag.ItemIsSelectable
    assert not flags & Qt.ItemFlag.ItemIsEditable


def test_set_entries_resets_the_model(model: EntryTableModel, qtbot: object) -> None:
    with qtbot.waitSignals([model.modelAboutToBeReset, model.modelReset], timeout=1000):  # type: ignore[attr-defined]
        model.set_entries([], NOW)
    assert model.rowCount() == 0


def test_tick_repaints_only_the_running_duration(model: EntryTableModel, qtbot: object) -> None:
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda a, b, roles: changed.append((a.row(), a.column(), b.row(), b.column()))
    )
    model.tick(NOW + timedelta(minutes=10))
    assert changed == [(2, Column.DURATION, 2, Column.DURATION)]
    assert cell(model, 2, Column.DURATION) == "0:30"
    assert cell(model, 0, Column.DURATION) == "1:15"


def test_row_of_finds_an_entry_by_id(model: EntryTableModel) -> None:
    assert model.row_of(4) == 1
    assert model.row_of(99) is None


# -- totals -------------------------------------------------------------------------


@pytest.fixture
def totals_model(rows: list[Entry], qtbot: object) -> TotalsTableModel:
    rated = [rows[0], replace(rows[1], rate=Rate(9500, "EUR"))]
    found = totals(rated, "project", NOW)
    m = TotalsTableModel()
    m.set_totals(found, grand_total(found))
    return m


def test_totals_model_passes_the_model_tester(
    totals_model: TotalsTableModel, qtmodeltester: object
) -> None:
    qtmodeltester.check(totals_model, force_py=True)  # type: ignore[attr-defined]


def test_totals_list_projects_then_a_bold_total(totals_model: TotalsTableModel) -> None:
    def text(row: int, column: TotalsColumn) -> object:
        return totals_model.data(totals_model.index(row, column), Display)

    assert [text(r, TotalsColumn.PROJECT) for r in range(3)] == ["api", "website", "Total"]
    assert [text(r, TotalsColumn.HOURS) for r in range(3)] == ["1:00", "1:15", "2:15"]
    assert text(0, TotalsColumn.AMOUNT) == "95.00 EUR"
    assert text(1, TotalsColumn.AMOUNT) == "—"
    assert text(2, TotalsColumn.AMOUNT) == "95.00 EUR"
    font = totals_model.data(totals_model.index(2, 0), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()


def test_totals_headers(totals_model: TotalsTableModel) -> None:
    names = [
        totals_model.headerData(c, Qt.Orientation.Horizontal, Display)
        for c in range(len(TotalsColumn))
    ]
    assert names == list(TOTALS_HEADERS.values()) == ["Project", "Entries", "Hours", "Amount"]


def test_no_totals_means_no_rows_not_even_a_total(qtbot: object) -> None:
    m = TotalsTableModel()
    m.set_totals([], grand_total([]))
    assert m.rowCount() == 0
    assert m.total() is None


def test_a_paged_model_fetches_more_rows_on_demand_and_passes_the_tester(
    rows: list[Entry], qtmodeltester: object
) -> None:
    from hourproof.store.gui_queries import EntryQuery

    asked: list[tuple[int, int]] = []
    pages = [rows[:1], rows[1:]]

    def fetch(query: EntryQuery, offset: int, limit: int, deliver: object) -> None:
        asked.append((offset, limit))
        deliver(pages[len(asked)] if len(asked) < len(pages) else [])  # type: ignore[operator]

    m = EntryTableModel(fetch=fetch)
    m.set_page(EntryQuery(), len(rows), pages[0], NOW)
    assert m.rowCount() == 1 and m.canFetchMore()
    m.fetchMore()
    assert m.rowCount() == len(rows) and not m.canFetchMore()
    assert asked[0][0] == 1
    qtmodeltester.check(m, force_py=True)  # type: ignore[attr-defined]


def test_sorting_asks_for_a_new_query_instead_of_sorting_rows(model: EntryTableModel) -> None:
    asked: list[tuple[str, bool]] = []
    model.sort_requested.connect(lambda key, desc: asked.append((key, desc)))
    model.sort(Column.DURATION, Qt.SortOrder.AscendingOrder)
    assert asked == [("duration", False)]
