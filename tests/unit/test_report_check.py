"""report_check: the fast comparison of a page with the markup hourproof renders gives
the answer the figure-by-figure comparison gives, and the verifier's hints to
bundle_payload change nothing but the speed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hourproof.proof import format as f
from hourproof.proof import report_check, report_html
from hourproof.proof.model import Statement
from hourproof.proof.report_html import bundle_payload, render_html


@pytest.fixture(scope="module")
def bundle(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[dict[str, bytes], Statement]]:
    from tests.support import bundles as b

    yield b.verified_export(tmp_path_factory.mktemp("report-check"))


def _generated(page: str) -> str:
    m = report_check._GENERATED_RE.search(page)
    assert m is not None
    return m.group(1)


def _with_generated(page: bytes, text: str) -> bytes:
    old = page.decode()
    return old.replace(f"<dd>{_generated(old)}</dd>", f"<dd>{text}</dd>", 1).encode()


def _no_slow_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(body: str) -> Any:
        raise AssertionError("the figure-by-figure comparison ran")

    monkeypatch.setattr(report_check, "_figures_in", refuse)
    monkeypatch.setattr(report_check, "_foreign_in", refuse)


def test_a_genuine_page_is_accepted_without_the_figure_scan(
    bundle: tuple[dict[str, bytes], Statement], monkeypatch: pytest.MonkeyPatch
) -> None:
    files, st = bundle
    _no_slow_path(monkeypatch)
    assert report_check.report_problems(files[f.REPORT_HTML], files, st) == []


def test_another_generated_time_is_still_the_same_markup(
    bundle: tuple[dict[str, bytes], Statement], monkeypatch: pytest.MonkeyPatch
) -> None:
    files, st = bundle
    page = _with_generated(files[f.REPORT_HTML], "2026-01-01 00:00 UTC")
    want = report_check._body(render_html(st))
    assert report_check._body(page.decode()) != want
    _no_slow_path(monkeypatch)
    assert report_check.report_problems(page, files, st) == []


def test_markup_in_the_generated_text_takes_the_full_comparison(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    page = _with_generated(files[f.REPORT_HTML], "<textarea>99:00 h</textarea>")
    problems = report_check.report_problems(page, files, st)
    assert problems and "<textarea>, which hourproof does not write" in problems[-1]
    page = _with_generated(files[f.REPORT_HTML], '<span data-f="h">1:00 h</span>')
    problems = report_check.report_problems(page, files, st)
    assert problems and "other figures than the bundle" in problems[-1], problems


def test_an_edited_figure_is_named_whatever_the_generated_text(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    from hourproof.proof.report_text import hours

    files, st = bundle
    page = _with_generated(files[f.REPORT_HTML], "2026-01-01 00:00 UTC").decode()
    shown = f'<span data-f="h">{hours(st.total_seconds)} h</span>'
    bad = page.replace(shown, '<span data-f="h">99:00 h</span>', 1).encode()
    problems = report_check.report_problems(bad, files, st)
    assert problems and "'h' of card" in problems[0] and "99:00 h" in problems[0]


def test_the_old_names_still_import_from_report_html(
    bundle: tuple[dict[str, bytes], Statement],
) -> None:
    files, st = bundle
    assert report_html.report_problems(files[f.REPORT_HTML], files, st) == []
    assert report_html._figures(render_html(st)) == report_check._figures(render_html(st))
    assert report_html.is_checked_page(files[f.REPORT_HTML].decode())


def test_the_verifiers_hints_do_not_change_the_payload(
    bundle: tuple[dict[str, bytes], Statement], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.support import bundles as b

    files, st = bundle
    seen: list[dict[str, Any]] = []
    real = report_check.report_problems

    def spy(page: bytes, members: Any, statement: Statement, **hints: Any) -> list[str]:
        seen.append(hints)
        return real(page, members, statement, **hints)

    monkeypatch.setattr(report_check, "report_problems", spy)
    assert b.check(files).ok
    (hints,) = seen
    assert hints["proofs"] and len(hints["seqs"]) == files[f.ENTRIES].count(b"\n")
    assert bundle_payload(files, st, **hints) == bundle_payload(files, st)
