"""The import service: batched transactions, one checkpoint, resumable, never twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hourproof.core import leaves as lk
from hourproof.interop.records import ReadOptions
from hourproof.ledger.canonical import parse_canonical
from hourproof.services import importing, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.store import imports
from hourproof.store.ledger import CheckpointTable, LeafTable

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture
def app(home: Path) -> Iterator[App]:
    opened = App.open(home)
    yield opened
    opened.close()


def leaves_of(app: App) -> list[dict[str, object]]:
    with app.read_db() as db:
        return [parse_canonical(data) for _, data, _ in LeafTable(db).iter_rows()]


def test_small_batches_write_every_record_and_sign_once_at_the_end(app: App) -> None:
    summary = importing.run_import(app, "watson", DATA / "watson_frames.json", ReadOptions(),
                                   commit=True, batch_size=1)  # fmt: skip
    assert summary.imported == 3 and summary.committed
    kinds = [leaf["kind"] for leaf in leaves_of(app)]
    assert kinds == [lk.IMPORT] * 3
    with app.read_db() as db:
        assert [cp.size for cp in CheckpointTable(db).all()] == [3]
        assert imports.count(db) == 3


def test_a_dry_run_writes_nothing(app: App) -> None:
    summary = importing.run_import(app, "timewarrior", DATA / "timew_export.json", ReadOptions())
    assert (summary.entries, summary.new, summary.committed) == (4, 4, False)
    assert leaves_of(app) == []


def test_an_interrupted_import_resumes_without_doubling(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    real = importing._write

    def fail_second(*args: object, **kw: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(importing, "_write", fail_second)
    with pytest.raises(RuntimeError):
        importing.run_import(app, "toggl", DATA / "toggl_detailed.csv", ReadOptions(),
                             commit=True, batch_size=3)  # fmt: skip
    assert len(leaves_of(app)) == 3  # the first batch stayed, the second rolled back
    monkeypatch.setattr(importing, "_write", real)
    summary = importing.run_import(app, "toggl", DATA / "toggl_detailed.csv", ReadOptions(),
                                   commit=True)  # fmt: skip
    assert (summary.duplicates, summary.imported) == (3, 5)
    assert len(leaves_of(app)) == 8


def test_keys_another_process_imported_meanwhile_are_skipped_in_the_write(app: App) -> None:
    from datetime import UTC, datetime

    from hourproof.interop.records import Record

    record = Record(row=1, key="ab" * 32, project="web",
                    start=datetime(2024, 1, 1, 9, tzinfo=UTC),
                    end=datetime(2024, 1, 1, 10, tzinfo=UTC))  # fmt: skip
    with app.write() as txn:  # what a concurrent import committed after this one read
        imports.add_keys(txn.db, [(record.key, 0)])
    summary = importing.ImportSummary("toggl", "x.csv", entries=1, new_seconds=3600)
    importing._write(app, [record], importing._Fields("toggl"), summary, last=True)
    assert (summary.imported, summary.duplicates, summary.new_seconds) == (0, 1, 0)
    assert leaves_of(app) == []


def test_imported_entries_are_entries_with_source_imported(app: App) -> None:
    importing.run_import(app, "ics", DATA / "calendar.ics", ReadOptions(project="Meetings"),
                         commit=True)  # fmt: skip
    entries = tracking.entries(app, None, None, None, None)
    assert entries and {e.source for e in entries} == {"imported"}
    assert {e.project for e in entries} == {"Meetings"}


def test_leaf_carries_tool_row_key_and_the_project_client(app: App) -> None:
    tracking.add(app, "website", *_span(), tracking.Details(client="Acme"))
    importing.run_import(app, "watson", DATA / "watson_frames.json", ReadOptions(),
                         commit=True)  # fmt: skip
    leaf = next(lf for lf in leaves_of(app) if lf["kind"] == lk.IMPORT)
    assert (leaf["tool"], leaf["row"], leaf["project"]) == ("watson", 1, "website")
    assert leaf["client"] == "Acme"  # the project's known client fills a missing one
    assert isinstance(leaf["key"], str) and len(leaf["key"]) == 64


def test_missing_file_is_a_service_error(app: App, tmp_path: Path) -> None:
    with pytest.raises(ServiceError, match="no such file"):
        importing.run_import(app, "toggl", tmp_path / "nope.csv", ReadOptions())


def _span() -> tuple[object, object]:
    from datetime import UTC, datetime

    return datetime(2024, 1, 1, 9, tzinfo=UTC), datetime(2024, 1, 1, 10, tzinfo=UTC)
