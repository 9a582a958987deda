"""'Recorded by' comes only from a tree that holds the leaf: a checkpoint of size s
holds leaves 0 … s-1, so a token over size s covers index i only when s > i."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hourproof.proof.labels import label_for, recorded_by
from hourproof.proof.model import RECORDED_BY, SELF_REPORTED

T0 = datetime(2026, 10, 2, 12, tzinfo=UTC)


def test_a_tree_of_exactly_index_leaves_does_not_hold_the_leaf() -> None:
    assert recorded_by(5, [(5, T0)]) is None
    assert recorded_by(5, [(6, T0)]) == T0


def test_earliest_covering_token_wins() -> None:
    later = T0 + timedelta(hours=1)
    assert recorded_by(3, [(10, later), (4, T0), (3, T0 - timedelta(days=1))]) == T0


def test_label_uses_the_entrys_newest_leaf_and_flags_late() -> None:
    end = T0 - timedelta(hours=25)
    label, when, lag, late = label_for(7, end, "manual", [(7, T0), (8, T0)])
    assert (label, when, lag, late) == (RECORDED_BY, T0, 25 * 3600, True)
    assert label_for(7, end, "manual", [(7, T0)]) == (SELF_REPORTED, None, None, False)
    assert label_for(7, end, "imported", [(8, T0)])[0] == SELF_REPORTED
