"""The C-speed path of ``canonical`` gives exactly the RFC 8785 bytes (checked against rfc8785)."""

from __future__ import annotations

from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from hourproof.ledger.canonical import CanonicalError, canonical

_INT = st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_KEYS = st.one_of(st.text(alphabet=st.characters(max_codepoint=127), max_size=8), _TEXT)
_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), _INT, _TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=400, deadline=None)
@given(_VALUES)
def test_same_bytes_as_rfc8785(value: Any) -> None:
    assert canonical(value) == rfc8785.dumps(value)


def test_control_characters_and_non_ascii_text() -> None:
    value = {"a": '\x00\x1f\x7f\u2028\u00e9\U0001f600"\\\n\t\b\f\r', "b": [1, None, True]}
    assert canonical(value) == rfc8785.dumps(value)


def test_non_bmp_keys_sort_as_utf16() -> None:
    value = {"\uffff": 1, "\U0001f600": 2}
    assert canonical(value) == rfc8785.dumps(value)


def test_unsafe_values_are_still_refused() -> None:
    with pytest.raises(CanonicalError):
        canonical({"x": 1.5})
    with pytest.raises(Exception):  # noqa: B017 - rfc8785's own error for 2**60
        canonical({"x": 2**60})
    with pytest.raises(Exception):  # noqa: B017 - lone surrogate
        canonical({"x": "\ud800"})
