"""RFC 8785 (JCS) canonical JSON: the exact bytes every leaf and manifest is hashed as.

Reading is strict: duplicate keys, floats and any byte sequence that is not the
canonical form of what it parses to are rejected, so one logical leaf has exactly
one byte representation and one hash.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import rfc8785


class CanonicalError(ValueError):
    """Bytes that are not canonical hourproof JSON."""


def _no_floats(value: Any) -> None:
    if isinstance(value, float):
        raise CanonicalError("floats are not allowed (use integers or strings)")
    if isinstance(value, dict):
        for item in value.values():
            _no_floats(item)
    elif isinstance(value, list):
        for item in value:
            _no_floats(item)


def nfc(value: Any) -> Any:
    """Return ``value`` with every string (keys too) NFC-normalized."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


def canonical(value: Any) -> bytes:
    """Serialize to RFC 8785 bytes; floats are refused.

    Float-free values with ASCII keys and I-JSON-safe integers serialize at C speed
    through ``json.dumps`` (the same equivalence ``parse_canonical`` relies on); any
    other value, or one ``json`` cannot encode, goes through the exact serializer.
    """
    if _fast_path_ok(value):  # (raises for floats, like _no_floats)
        try:
            quick = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            return quick.encode("utf-8")
        except (TypeError, ValueError):  # e.g. a lone surrogate: let rfc8785 say why
            pass
    return rfc8785.dumps(value)


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, val in pairs:
        if key in result:
            raise CanonicalError(f"duplicate JSON key {key!r}")
        result[key] = val
    return result


def _reject_float(text: str) -> Any:
    raise CanonicalError(f"floats are not allowed: {text}")


def _reject_constant(text: str) -> Any:
    raise CanonicalError(f"invalid JSON constant {text}")


def parse_canonical(data: bytes) -> Any:
    """Parse canonical JSON bytes, rejecting duplicates, floats and non-canonical forms."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CanonicalError("not UTF-8") from exc
    try:
        value = json.loads(
            text,
            object_pairs_hook=_pairs_no_duplicates,
            parse_float=_reject_float,
            parse_constant=_reject_constant,
        )
    except CanonicalError:
        raise
    except (ValueError, RecursionError) as exc:
        raise CanonicalError(f"not valid JSON ({exc.__class__.__name__})") from exc
    if _fast_canonical_match(value, text):
        return value
    try:
        exact = rfc8785.dumps(value)
    except (ValueError, TypeError) as exc:  # e.g. integers beyond 2^53, lone surrogates
        raise CanonicalError(f"not representable in RFC 8785: {exc}") from exc
    if exact != data:
        raise CanonicalError("JSON is not in RFC 8785 canonical form")
    return value


_SAFE_INT = 2**53 - 1


def _ascii_keys(value: Any) -> bool:
    """ASCII keys and I-JSON-safe integers throughout (where the fast check is exact)."""
    if isinstance(value, dict):
        return all(k.isascii() and _ascii_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_ascii_keys(v) for v in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return -_SAFE_INT <= value <= _SAFE_INT
    return True


def _fast_path_ok(value: Any) -> bool:
    """``_no_floats(value)`` and ``_ascii_keys(value)`` in one walk, dispatching on the
    exact type (this runs for every appended leaf); other types take the two checks."""
    kind = type(value)
    if kind is str or value is None:
        return True
    if kind is dict:
        ok = True
        for key, item in value.items():
            if not _fast_path_ok(item) or not key.isascii():
                ok = False  # keep walking: a float further on must still be refused
        return ok
    if kind is list:
        ok = True
        for item in value:
            if not _fast_path_ok(item):
                ok = False
        return ok
    if kind is int:
        return -_SAFE_INT <= value <= _SAFE_INT
    _no_floats(value)
    return _ascii_keys(value)


def _fast_canonical_match(value: Any, text: str) -> bool:
    """C-speed check: for float-free values with ASCII keys, RFC 8785 output equals
    ``json.dumps`` with sorted keys, no spaces and no ASCII escaping. A mismatch
    falls back to the exact (slower) serializer, so this never accepts wrongly."""
    try:
        quick = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        return False
    return quick == text and _ascii_keys(value)
