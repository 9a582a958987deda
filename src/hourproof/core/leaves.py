"""The ledger's leaf vocabulary: kinds, common fields and per-kind validation.

A leaf is one JSON object (DESIGN §3). This module builds and checks the objects;
serializing them to canonical bytes is the ledger's job.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from hourproof.core.timeparse import TimeParseError, from_rfc3339

LEAF_VERSION = 1

ENTRY_START = "entry.start"
ENTRY_STOP = "entry.stop"
ENTRY_ADD = "entry.add"
ENTRY_AMEND = "entry.amend"
ENTRY_REMOVE = "entry.remove"
GIT_COMMIT = "git.commit"
FILE_ACTIVITY = "file.activity"
IDLE = "idle"
CLOCK_JUMP = "clock.jump"
KEY_ROTATE = "key.rotate"
IMPORT = "import"
RATE_SET = "rate.set"
#: A client's signed approval or contest of a bundle (services/approvals.py).
APPROVAL = "approval"

#: Leaves that create an entry; the entry's id is the creating leaf's index.
CREATING_KINDS = frozenset({ENTRY_START, ENTRY_ADD, IMPORT})
#: Leaves that change an entry created earlier; they cite it in ``entry``.
CHANGING_KINDS = frozenset({ENTRY_STOP, ENTRY_AMEND, ENTRY_REMOVE})
EVIDENCE_KINDS = frozenset({GIT_COMMIT, FILE_ACTIVITY})
#: Leaves that are "about" a client and carry a ``chain`` field in a v2 home (bundle
#: format §6.1). Other helpers may add kinds that name a ``client`` field directly.
CHAINED_KINDS: set[str] = {*CREATING_KINDS, *CHANGING_KINDS, "rate.set", "approval"}
#: The fixed reason of the entry.remove that moves an entry to another client.
MOVED_REASON = "moved to another client"

#: Fields an ``entry.amend`` may change.
AMENDABLE = ("project", "client", "task", "tags", "note", "start", "end")

_COMMON = {"v", "kind", "seq", "recorded_at", "salt", "after_anchor"}

_REQUIRED: dict[str, set[str]] = {
    ENTRY_START: {"project", "start", "source"},
    ENTRY_STOP: {"entry", "end"},
    ENTRY_ADD: {"project", "start", "end", "source"},
    ENTRY_AMEND: {"entry", "reason", "changes"},
    ENTRY_REMOVE: {"entry", "reason"},
    GIT_COMMIT: {"repo", "project", "commit", "object_format", "object_sha256", "author_date"},
    FILE_ACTIVITY: {"watch", "project", "start", "end", "files"},
    IDLE: {"start", "end"},
    CLOCK_JUMP: {"previous", "now"},
    KEY_ROTATE: {"old_key", "new_key"},
    IMPORT: {"project", "start", "end", "tool"},
    RATE_SET: {"scope", "name"},
    APPROVAL: {"client", "approval"},
}

KINDS = frozenset(_REQUIRED)

_TIME_FIELDS = ("recorded_at", "start", "end", "author_date", "committer_date", "previous", "now")


class LeafError(ValueError):
    """A leaf object that does not follow the hourproof leaf format."""


def make_leaf(
    kind: str,
    seq: int,
    recorded_at: str,
    salt: bytes,
    after_anchor: str | None,
    fields: Mapping[str, Any],
) -> dict[str, Any]:
    """Build and validate one leaf object."""
    if len(salt) != 16:
        raise LeafError("salt must be 16 bytes")
    leaf: dict[str, Any] = {
        "v": LEAF_VERSION,
        "kind": kind,
        "seq": seq,
        "recorded_at": recorded_at,
        "salt": base64.b64encode(salt).decode("ascii"),
        "after_anchor": after_anchor,
    }
    for key, value in fields.items():
        if key in _COMMON:
            raise LeafError(f"field {key!r} is reserved")
        leaf[key] = value
    validate_leaf(leaf)
    return leaf


def validate_leaf(leaf: Mapping[str, Any], expected_seq: int | None = None) -> None:
    """Check the common fields and the kind's required fields; raise LeafError."""
    missing = _COMMON - leaf.keys()
    if missing:
        raise LeafError(f"missing field(s) {', '.join(sorted(missing))}")
    if leaf["v"] != LEAF_VERSION:
        raise LeafError(f"unknown leaf version {leaf['v']!r}")
    kind = leaf["kind"]
    if kind not in KINDS:
        raise LeafError(f"unknown leaf kind {kind!r}")
    seq = leaf["seq"]
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise LeafError("seq must be a non-negative integer")
    if expected_seq is not None and seq != expected_seq:
        raise LeafError(f"seq {seq} found at index {expected_seq}")
    try:
        salt = base64.b64decode(leaf["salt"], validate=True)
    except (ValueError, TypeError) as exc:
        raise LeafError("salt is not base64") from exc
    if len(salt) != 16:
        raise LeafError("salt must be 16 bytes")
    anchor = leaf["after_anchor"]
    if anchor is not None and (
        not isinstance(anchor, str) or len(anchor) != 64 or anchor.strip("0123456789abcdef")
    ):
        raise LeafError("after_anchor must be null or a hex SHA-256")
    missing = {name for name in _REQUIRED[kind] if leaf.get(name) is None}
    if missing:
        raise LeafError(f"{kind} leaf lacks {', '.join(sorted(missing))}")
    for name in _TIME_FIELDS:
        value = leaf.get(name)
        if value is not None:
            if not isinstance(value, str):
                raise LeafError(f"{name} must be an RFC 3339 string")
            try:
                from_rfc3339(value)
            except TimeParseError as exc:
                raise LeafError(str(exc)) from exc
    if "entry" in leaf and (not isinstance(leaf["entry"], int) or leaf["entry"] < 0):
        raise LeafError("entry must cite a leaf index")
    if "chain" in leaf:
        _validate_chain(leaf["chain"])
    if kind == ENTRY_AMEND:
        changes = leaf["changes"]
        if not isinstance(changes, dict) or not changes:
            raise LeafError("entry.amend needs a non-empty changes object")
        unknown = set(changes) - set(AMENDABLE)
        if unknown:
            raise LeafError(f"entry.amend cannot change {', '.join(sorted(unknown))}")


def _validate_chain(value: Any) -> None:
    if not isinstance(value, dict) or set(value) != {"n", "prev"}:
        raise LeafError("chain must be an object with exactly n and prev")
    n, prev = value["n"], value["prev"]
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise LeafError("chain.n must be a positive integer")
    if (prev is None) != (n == 1):
        raise LeafError("chain.prev is null exactly when chain.n is 1")
    if prev is not None and (
        not isinstance(prev, str) or len(prev) != 64 or prev.strip("0123456789abcdef")
    ):
        raise LeafError("chain.prev must be null or a lowercase hex SHA-256")
