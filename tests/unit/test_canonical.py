from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hourproof.ledger.canonical import CanonicalError, canonical, nfc, parse_canonical


def test_round_trip():
    value = {"b": "é", "a": [1, None, True], "c": {"z": -3, "y": "\n"}}
    assert parse_canonical(canonical(value)) == value


def test_keys_are_sorted_and_compact():
    assert canonical({"b": 1, "a": 2}) == b'{"a":2,"b":1}'


def test_duplicate_keys_are_rejected():
    with pytest.raises(CanonicalError, match="duplicate"):
        parse_canonical(b'{"a":1,"a":1}')


def test_whitespace_makes_json_non_canonical():
    with pytest.raises(CanonicalError, match="canonical"):
        parse_canonical(b'{"a": 1}')


def test_unsorted_keys_are_non_canonical():
    with pytest.raises(CanonicalError, match="canonical"):
        parse_canonical(b'{"b":1,"a":2}')


def test_floats_are_refused_both_ways():
    with pytest.raises(CanonicalError):
        canonical({"a": 1.5})
    with pytest.raises(CanonicalError):
        parse_canonical(b'{"a":1.5}')


def test_unneeded_escapes_are_non_canonical():
    with pytest.raises(CanonicalError):
        parse_canonical(b'{"a":"\\u00e9"}')


def test_invalid_utf8_and_garbage():
    with pytest.raises(CanonicalError):
        parse_canonical(b'{"a":"\xff"}')
    with pytest.raises(CanonicalError):
        parse_canonical(b"{")


def test_nfc_normalizes_keys_and_values():
    assert nfc({"e\u0301": ["e\u0301"]}) == {"\u00e9": ["\u00e9"]}


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(json_values)
def test_any_canonical_bytes_parse_back_to_the_same_value(value):
    data = canonical(value)
    assert parse_canonical(data) == value
    assert canonical(parse_canonical(data)) == data


def test_integers_beyond_ijson_range_are_a_canonical_error():
    with pytest.raises(CanonicalError):
        parse_canonical(b'{"a":9007199254740993}')
