"""Which trusted time covers a leaf: "Recorded by" is the earliest token over a
checkpoint whose size exceeds the leaf's index (issue 4)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from hourproof.proof.model import LATE_AFTER_SECONDS, RECORDED_BY, SELF_REPORTED


def recorded_by(index: int, anchors: Iterable[tuple[int, datetime]]) -> datetime | None:
    """Earliest token time among anchored sizes that include leaf ``index``."""
    times = [when for size, when in anchors if size > index]
    return min(times) if times else None


def label_for(
    last_leaf: int, end: datetime, source: str, anchors: Sequence[tuple[int, datetime]]
) -> tuple[str, datetime | None, int | None, bool]:
    """(label, recorded_by, lag seconds, late) for an entry whose newest leaf is ``last_leaf``.

    Imported entries stay Self-reported whatever their timestamps: the other tracker's
    times were never anchored when they were made.
    """
    when = recorded_by(last_leaf, anchors)
    if when is None:
        return SELF_REPORTED, None, None, False
    lag = int((when - end).total_seconds())
    label = SELF_REPORTED if source == "imported" else RECORDED_BY
    return label, when, lag, lag > LATE_AFTER_SECONDS
