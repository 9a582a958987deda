from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hourproof.core import leaves as lk
from hourproof.core.entries import ProjectionError, apply_leaf
from hourproof.core.money import MoneyError, Rate, amount_for, format_amount, parse_amount
from hourproof.core.totals import grand_total, totals

SALT = bytes(16)
T0 = "2026-11-23T09:00:00Z"


def leaf(kind, seq, **fields):
    return lk.make_leaf(kind, seq, T0, SALT, None, fields)


def test_make_leaf_has_the_common_fields():
    made = leaf(lk.ENTRY_START, 0, project="p", start=T0, source="timer")
    assert made["v"] == 1 and made["seq"] == 0 and made["after_anchor"] is None
    assert made["salt"] == "AAAAAAAAAAAAAAAAAAAAAA=="


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("bogus", {}, "unknown leaf kind"),
        (lk.ENTRY_START, {"project": "p", "source": "timer"}, "lacks start"),
        (lk.ENTRY_START, {"project": "p", "start": "09:00", "source": "timer"}, "RFC 3339"),
        (lk.ENTRY_AMEND, {"entry": 0, "reason": "r", "changes": {"salt": 1}}, "cannot change"),
        (lk.ENTRY_STOP, {"entry": -1, "end": T0}, "cite"),
    ],
)
def test_invalid_leaves_are_refused(kind, fields, message):
    with pytest.raises(lk.LeafError, match=message):
        leaf(kind, 0, **fields)


def test_validate_checks_the_index():
    made = leaf(lk.ENTRY_START, 3, project="p", start=T0, source="timer")
    with pytest.raises(lk.LeafError, match="seq 3 found at index 4"):
        lk.validate_leaf(made, expected_seq=4)


def test_start_stop_amend_remove_fold_into_one_entry():
    entry = apply_leaf(0, leaf(lk.ENTRY_START, 0, project="p", start=T0, source="timer"), None)
    assert entry is not None and entry.running
    entry = apply_leaf(1, leaf(lk.ENTRY_STOP, 1, entry=0, end="2026-11-23T10:00:00Z"), entry)
    assert entry is not None and entry.seconds() == 3600 and not entry.amended
    entry = apply_leaf(
        2, leaf(lk.ENTRY_AMEND, 2, entry=0, reason="typo", changes={"project": "q"}), entry
    )
    assert entry is not None and entry.project == "q" and entry.amended
    entry = apply_leaf(3, leaf(lk.ENTRY_REMOVE, 3, entry=0, reason="dup"), entry)
    assert entry is not None and entry.removed and entry.leaves == (0, 1, 2, 3)


def test_changing_an_unknown_entry_is_an_error():
    with pytest.raises(ProjectionError):
        apply_leaf(1, leaf(lk.ENTRY_STOP, 1, entry=0, end=T0), None)


def test_negative_duration_is_never_reported():
    entry = apply_leaf(0, leaf(lk.ENTRY_ADD, 0, project="p", start=T0,
                               end="2026-11-23T08:00:00Z", source="manual"), None)  # fmt: skip
    assert entry is not None and entry.seconds() == 0


def test_money_parsing_and_rounding():
    assert parse_amount("95", "EUR") == 9500
    assert parse_amount("95.5", "EUR") == 9550
    assert parse_amount("1000", "JPY") == 1000
    with pytest.raises(MoneyError):
        parse_amount("95.555", "EUR")
    with pytest.raises(MoneyError):
        parse_amount("-5", "EUR")
    assert amount_for(1800, Rate(9500, "EUR")) == 4750
    assert amount_for(1, Rate(9500, "EUR")) == 3  # 2.64 minor units rounds half up to 3
    assert format_amount(123456, "EUR") == "1234.56 EUR"
    assert format_amount(1000, "JPY") == "1000 JPY"


def _entry(seq, project, client, start, end, rate=None):
    fields = dict(project=project, client=client, start=start, end=end, source="manual")
    if rate:
        fields["rate"] = rate.to_json()
    made = apply_leaf(seq, leaf(lk.ENTRY_ADD, seq, **fields), None)
    assert made is not None
    return made


def test_totals_by_project_and_amounts_per_currency():
    now = datetime(2026, 11, 30, tzinfo=UTC)
    entries = [
        _entry(0, "a", "x", "2026-11-23T09:00:00Z", "2026-11-23T10:30:00Z", Rate(10000, "EUR")),
        _entry(1, "a", "x", "2026-11-24T09:00:00Z", "2026-11-24T09:30:00Z", Rate(10000, "EUR")),
        _entry(2, "b", None, "2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z", Rate(5000, "USD")),
    ]
    rows = totals(entries, "project", now)
    assert [(r.key, r.seconds, r.amounts) for r in rows] == [
        ("a", 7200, {"EUR": 20000}),
        ("b", 3600, {"USD": 5000}),
    ]
    total = grand_total(rows)
    assert total.seconds == 10800 and total.amounts == {"EUR": 20000, "USD": 5000}
    assert [r.key for r in totals(entries, "client", now)] == ["(no client)", "x"]


def test_totals_clip_to_the_period():
    now = datetime(2026, 11, 30, tzinfo=UTC)
    entries = [_entry(0, "a", None, "2026-11-23T23:00:00Z", "2026-11-24T01:00:00Z")]
    lo = datetime(2026, 11, 24, tzinfo=UTC)
    assert totals(entries, "project", now, lo=lo)[0].seconds == 3600


def test_required_fields_cannot_be_null():
    made = leaf(lk.ENTRY_START, 0, project="p", start=T0, source="timer")
    made["start"] = None
    with pytest.raises(lk.LeafError, match="lacks start"):
        lk.validate_leaf(made)
