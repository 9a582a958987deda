"""The verdict's last line: verified with trusted time, or self-reported only.

Shared by ``hourproof verify`` and the desktop app's verify window, so both say the same.
"""

from __future__ import annotations

from hourproof.proof.model import Statement


def verdict_line(st: Statement) -> str:
    """The last line: verified with trusted time, or self-reported only (and for what)."""
    shown = [e for e in st.entries if not e.removed and not e.outside]
    timed = [e for e in shown if e.recorded_by is not None]
    if shown and len(timed) == len(shown):
        return ("VERIFIED, with trusted time: every check passed and a trusted timestamp "
                "covers every entry.")  # fmt: skip
    if not timed:
        return ("VERIFIED, self-reported only (no trusted timestamp covers any entry): every check "
                "passed, but every time shown is the contractor's word.")  # fmt: skip
    first = min((e for e in shown if e.recorded_by is None), key=lambda e: e.start)
    return (f"VERIFIED, with trusted time for {len(timed)} of {len(shown)} entries; self-reported "
            f"only for the rest (no trusted timestamp covers entry #{first.id} and "
            f"{len(shown) - len(timed) - 1} other(s)).")  # fmt: skip
