"""``hourproof import`` and ``hourproof log --format``: a year of history in, and out again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Run

DATA = Path(__file__).resolve().parents[1] / "data"


def log_json(run: Run, home: Path | None = None) -> list[dict[str, object]]:
    out = run("log", "--json", home_dir=home)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_dry_run_summarises_and_writes_nothing(run: Run) -> None:
    out = run("import", "toggl", str(DATA / "toggl_detailed.csv"), "--tz", "Europe/Berlin")
    assert out.returncode == 0, out.stderr
    assert "8 entries totalling 32:40; 8 new" in out.stdout
    assert "Europe/Berlin (--tz)" in out.stdout
    assert "skipped row 7: bad Start date" in out.stdout
    assert "clients: Müller & Söhne 26:30" in out.stdout
    assert "Dry run: nothing written" in out.stdout
    assert log_json(run) == []


def test_commit_writes_self_reported_entries_and_a_second_import_adds_nothing(run: Run) -> None:
    args = ("import", "toggl", str(DATA / "toggl_detailed.csv"), "--tz", "Europe/Berlin")
    first = run(*args, "--commit")
    assert first.returncode == 0, first.stderr
    assert "Imported 8 entries" in first.stdout
    entries = log_json(run)
    assert len(entries) == 8 and {e["source"] for e in entries} == {"imported"}
    text = run(*args, "--commit")
    assert "Nothing imported: every entry in the file was imported before." in text.stdout
    again = run(*args, "--commit", "--json")
    summary = json.loads(again.stdout)
    assert (summary["new"], summary["duplicates"], summary["imported"]) == (0, 8, 0)
    assert len(log_json(run)) == 8


def test_import_leaf_names_tool_row_and_key(run: Run) -> None:
    run("import", "watson", str(DATA / "watson_frames.json"), "--commit")
    shown = json.loads(run("show", "0", "--json").stdout)
    fields = shown["versions"][0]["fields"]
    assert fields["kind"] == "import"
    assert (fields["tool"], fields["row"]) == ("watson", 1)
    assert len(fields["key"]) == 64


def test_a_file_of_another_format_is_refused_naming_it(run: Run) -> None:
    out = run("import", "toggl", str(DATA / "clockify_detailed.csv"))
    assert out.returncode == 2
    assert "looks like a Clockify detailed CSV" in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_file_and_unknown_zone_are_one_sentence(run: Run, tmp_path: Path) -> None:
    out = run("import", "ics", str(tmp_path / "nope.ics"))
    assert out.returncode == 2 and "no such file" in out.stderr
    out = run("import", "toggl", str(DATA / "toggl_detailed.csv"), "--tz", "Mars/Base")
    assert out.returncode == 2 and "unknown time zone" in out.stderr


def test_json_summary_lists_skipped_rows(run: Run) -> None:
    out = run("import", "timewarrior", str(DATA / "timew_export.json"), "--json")
    summary = json.loads(out.stdout)
    assert summary["entries"] == 4 and not summary["committed"]
    assert {s["row"] for s in summary["skipped"]} == {5, 6}


def test_errors_are_json_on_stdout_with_json(run: Run) -> None:
    out = run("import", "toggl", str(DATA / "calendar.ics"), "--json")
    assert out.returncode == 2
    assert "iCalendar" in json.loads(out.stdout)["error"]
    out = run("verify", "/etc/passwd", "--json")
    assert out.returncode == 2 and json.loads(out.stdout)["error"]
    out = run("stop", "--json")
    assert out.returncode == 2 and "no timer" in json.loads(out.stdout)["error"]


def _comparable(
    entries: list[dict[str, object]], fields: tuple[str, ...]
) -> list[tuple[object, ...]]:
    return sorted(tuple(e[f] for f in fields) for e in entries)


ROUND_TRIP = {
    "toggl": ("toggl", ("project", "client", "task", "tags", "note", "start", "end")),
    "clockify": ("clockify", ("project", "client", "task", "tags", "note", "start", "end")),
    "ics": ("ics", ("project", "client", "task", "tags", "note", "start", "end")),
    "watson": ("watson", ("project", "tags", "start", "end")),
    "timew": ("timewarrior", ("project", "tags", "note", "start", "end")),
}


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIP))
def test_export_then_import_gives_the_same_entries(run: Run, tmp_path: Path, fmt: str) -> None:
    for args in (
        ("add", "Web, site", "--from", "2024-03-30 22:00", "--to", "2024-04-01 01:30",
         "--client", "Müller & Söhne", "--task", "Build", "--tag", "a,b", "--tag", "ops",
         "--note", "=1+2, quoted \"things\""),
        ("add", "Support", "--from", "2024-04-02 09:00", "--to", "2024-04-02 09:45"),
    ):  # fmt: skip
        assert run(*args).returncode == 0
    target = tmp_path / f"out.{fmt}"
    out = run("log", "--format", fmt, "-o", str(target), "--tz", "Europe/Berlin")
    assert out.returncode == 0, out.stderr
    tool, fields = ROUND_TRIP[fmt]
    other = tmp_path / "other-home"
    imported = run("import", tool, str(target), "--commit", home_dir=other)
    assert imported.returncode == 0, imported.stderr
    assert _comparable(log_json(run, other), fields) == _comparable(log_json(run), fields)


def test_toggl_export_has_bom_zone_and_email(run: Run, tmp_path: Path) -> None:
    run("add", "Web", "--from", "2024-01-15 09:00", "--to", "2024-01-15 10:00")
    target = tmp_path / "t.csv"
    run("log", "--format", "toggl", "-o", str(target), "--tz", "Asia/Tokyo",
        "--email", "jane@example.com", "--user", "Jane Doe")  # fmt: skip
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfUser,Email,")
    header, row = raw.decode("utf-8-sig").splitlines()[:2]
    assert header.endswith(",Amount (),Time zone")
    assert row.startswith("Jane Doe,jane@example.com,") and row.endswith(",Asia/Tokyo")


def test_ics_export_uids_are_stable(run: Run, tmp_path: Path) -> None:
    run("add", "Web", "--from", "2024-01-15 09:00", "--to", "2024-01-15 10:00")
    uids = []
    for n in (1, 2):
        target = tmp_path / f"{n}.ics"
        run("log", "--format", "ics", "-o", str(target))
        text = target.read_text(encoding="utf-8")
        uids.append([line for line in text.splitlines() if line.startswith("UID:")])
    assert uids[0] == uids[1] and len(uids[0]) == 1


def test_import_reads_standard_input(run: Run) -> None:
    data = (DATA / "timew_export.json").read_text(encoding="utf-8")
    out = run("import", "timewarrior", "-", "--commit", input=data)
    assert out.returncode == 0, out.stderr
    assert "Timewarrior export JSON: -" in out.stdout and "Imported 4 entries" in out.stdout
    again = run("import", "timewarrior", "-", "--commit", input=data)
    assert "Nothing imported" in again.stdout
