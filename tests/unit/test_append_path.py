"""The append path's fast encoders give exactly what the general ones give."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hourproof.core.entries import Entry
from hourproof.core.money import Rate
from hourproof.core.timeparse import to_rfc3339
from hourproof.ledger.canonical import CanonicalError, canonical
from hourproof.store.projection import _ENTRY_COLUMNS, _entry_row, _utc_text

moments = st.datetimes(
    min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30), timezones=st.just(UTC)
)


@given(moments)
def test_utc_text_is_to_rfc3339(moment):
    assert _utc_text(moment) == to_rfc3339(moment)


def test_utc_text_of_another_zone_is_converted():
    moment = datetime(2026, 1, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert _utc_text(moment) == "2026-01-01T10:00:00Z"


@given(
    st.lists(st.text(), max_size=3), st.lists(st.integers(0, 10**9), max_size=4),
    st.booleans(), moments,
)  # fmt: skip
def test_entry_row_holds_the_entry_as_json_and_rfc3339(tags, evidence, with_rate, start):
    entry = Entry(
        id=7, project="p", client=None, task="t", tags=tuple(tags), note=None, start=start,
        end=None, source="manual", rate=Rate(9500, "EUR") if with_rate else None,
        evidence=tuple(evidence), leaves=(7, 9),
    )  # fmt: skip
    row = dict(zip(_ENTRY_COLUMNS, _entry_row(entry), strict=True))
    assert json.loads(row["tags"]) == tags
    assert json.loads(row["evidence"]) == evidence
    assert json.loads(row["leaves"]) == [7, 9]
    assert row["start"] == to_rfc3339(start) and row["end"] is None
    assert (row["rate_minor"], row["currency"]) == ((9500, "EUR") if with_rate else (None, None))


def test_a_float_is_refused_even_after_a_non_ascii_key():
    with pytest.raises(CanonicalError, match="floats"):
        canonical({"é": 1, "z": [1, {"x": 0.5}]})
