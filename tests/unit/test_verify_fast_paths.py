"""The verifier's fast paths agree with the reference code they stand in for.

Each fast path may only say "accepted, with this result" where the reference says the
same; everything else goes to the reference, which decides and names the error. These
tests feed both the genuine input and many broken variants and compare.
"""

from __future__ import annotations

import base64
import io
import json
import random
import struct
import zipfile
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as s

from hourproof.ledger.canonical import CanonicalError, canonical, parse_canonical
from hourproof.ledger.merkle import MerkleTree, ProofError, leaf_hash, verify_inclusion
from hourproof.ledger.tlogproof import (
    TlogProof,
    TlogProofError,
    format_tlog_proof,
    parse_tlog_proof,
)
from hourproof.proof import zipread
from hourproof.proof.inclusion import (
    ProofCache,
    Walk,
    exact_proof,
    included,
    leaf_hashes,
    parse_proof,
    split_proof,
)
from hourproof.proof.verify import _quick_leaves
from hourproof.proof.zipread import MalformedBundle, read_bundle

# --- zip members -----------------------------------------------------------------------


def _zip(members: dict[str, tuple[bytes, int]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, (data, method) in members.items():
            zf.writestr(zipfile.ZipInfo(name, (2026, 1, 1, 0, 0, 0)), data, compress_type=method)
    return buf.getvalue()


MEMBERS = {
    "manifest.json": (b'{"a":1}' * 50, zipfile.ZIP_DEFLATED),
    "README.txt": (b"stored text\n", zipfile.ZIP_STORED),
    "proofs/1.tlog-proof": (bytes(range(256)) * 4, zipfile.ZIP_DEFLATED),
    "report.pdf": (b"%PDF-1.4 " * 100, zipfile.ZIP_BZIP2),  # not a fast-path method
    "empty": (b"", zipfile.ZIP_DEFLATED),
}


def _read(data: bytes) -> dict[str, bytes] | str:
    try:
        return read_bundle(data)
    except MalformedBundle as exc:
        return f"malformed: {exc}"


def _reference(data: bytes) -> dict[str, bytes] | str:
    """What read_bundle gave before the fast path: every member through zipfile."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(zipread, "_fast_member", lambda *_: None)
        return _read(data)


def test_fast_zip_reading_gives_zipfiles_bytes() -> None:
    data = _zip(MEMBERS)
    assert read_bundle(data) == {name: content for name, (content, _) in MEMBERS.items()}


def test_damaged_zips_read_as_zipfile_reads_them() -> None:
    data = _zip(MEMBERS)
    rng = random.Random(8)
    checked = 0
    for _ in range(400):
        pos = rng.randrange(len(data))
        bad = data[:pos] + bytes([data[pos] ^ (1 << rng.randrange(8))]) + data[pos + 1 :]
        ref = _reference(bad)
        if isinstance(ref, str) and "the zip cannot be read" in ref:
            continue  # the central directory itself: refused before any member is read
        checked += 1
        assert _read(bad) == ref, pos
    assert checked > 100


def _central(data: bytes, name: str) -> int:
    """Where the central directory record of ``name`` starts."""
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        (length,) = struct.unpack_from("<H", data, pos + 28)
        if data[pos + 46 : pos + 46 + length] == name.encode():
            return pos
        pos = data.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(name)


def _local_offset(data: bytes, name: str) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.getinfo(name).header_offset


def test_a_wrong_crc_a_renamed_local_header_and_encryption_are_malformed() -> None:
    data = _zip(MEMBERS)
    # The central directory's CRC of one member is wrong: content no longer matches.
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("README.txt")
    central = _central(data, "README.txt")
    crc_at = central + 16
    bad = data[:crc_at] + struct.pack("<L", info.CRC ^ 1) + data[crc_at + 4 :]
    with pytest.raises(MalformedBundle, match=r"README\.txt"):
        read_bundle(bad)
    # The local header names another file than the central directory.
    at = _local_offset(data, "README.txt") + 30
    bad = data[:at] + b"READMX" + data[at + 6 :]
    with pytest.raises(MalformedBundle, match=r"README\.txt"):
        read_bundle(bad)
    # The encryption flag (in the central directory) is set: zipfile wants a password.
    flags_at = central + 8
    (flags,) = struct.unpack_from("<H", data, flags_at)
    bad = data[:flags_at] + struct.pack("<H", flags | 1) + data[flags_at + 2 :]
    with pytest.raises(MalformedBundle, match=r"README\.txt"):
        read_bundle(bad)


def test_a_deflated_member_with_more_data_than_stated_is_malformed() -> None:
    content = b"x" * 1000
    data = _zip({"a": (content, zipfile.ZIP_DEFLATED)})
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo("a")
    central = _central(data, "a")
    size_at = central + 24  # uncompressed size in the central directory
    bad = data[:size_at] + struct.pack("<L", 999) + data[size_at + 4 :]
    crc_at = central + 16
    bad = bad[:crc_at] + struct.pack("<L", zlib.crc32(content[:999])) + bad[crc_at + 4 :]
    assert info.file_size == 1000
    assert _read(bad) == _reference(bad)


# --- canonical entry lines -------------------------------------------------------------

LEAF = {
    "v": 1, "kind": "entry.add", "seq": 17, "salt": "Cn6cgLfhr1MgiJACVifzLw==",
    "recorded_at": "2026-03-01T01:00:01Z", "after_anchor": None, "note": "work item",
    "tags": ["dev", "x"], "rate": {"currency": "EUR", "minor": 9500},
}  # fmt: skip


def _line_variants() -> list[bytes]:
    good = canonical(LEAF)
    text = good.decode()
    out = [
        good,
        canonical(dict(LEAF, note='Müller – ☃ \u2028 \x1f \\ "q"')),
        canonical(dict(LEAF, note="digits 1234567890123456789 in text")),
        canonical(dict(LEAF, seq=2**53 - 1)),
        canonical(dict(LEAF, rate={"currency": "EUR", "minor": -(2**53 - 1)})),
        canonical(dict(LEAF, **{"ключ": 1})),  # a non-ASCII key
        canonical(dict(LEAF, **{"\U0001f600": 1, "\ue000": 2})),  # UTF-16 vs code point order
        text.replace('"seq":17', '"seq":9007199254740993').encode(),  # beyond 2^53
        text.replace('"seq":17', '"seq":1e1').encode(),
        text.replace('"seq":17', '"seq":17.0').encode(),
        text.replace('"seq":17', '"seq":-0').encode(),
        text.replace('"seq":17', '"seq":NaN').encode(),
        text.replace('"seq":17', '"seq":017').encode(),
        text.replace('"seq":17', '"seq":17,"seq":17').encode(),  # duplicate key
        text.replace('"v":1}', '"v":1,"v":1}').encode(),
        text.replace('{"after', '{"zz":1,"after').encode(),  # unsorted
        text.replace(",", ", ", 1).encode(),
        text.replace('"work item"', '"w\\u006frk item"').encode(),  # escaped letter
        text.replace('"work item"', '"\\ud800"').encode(),  # lone surrogate
        text.replace('"work item"', '"\\/"').encode(),
        b"9007199254740993",
        b"12345678901234567",
        b"[1,2]",
        b'"x"',
        b"",
        b" {}",
        b"{}",
        good[:-1],
        good + b" ",
    ]
    rng = random.Random(8)
    for _ in range(300):
        pos = rng.randrange(len(good))
        extra = rng.choice([b'"', b",", b"1", b"{", b"\\", b"e", b" "])
        out.append(good[:pos] + extra + good[pos:])
    return out


def _strict(line: bytes) -> object:
    try:
        return ("ok", parse_canonical(line))
    except (CanonicalError, ValueError) as exc:
        return ("error", str(exc))


def test_quick_leaves_only_accepts_what_parse_canonical_accepts() -> None:
    lines = _line_variants()
    quick = _quick_leaves(b"".join(line + b"\n" for line in lines), len(lines))
    assert len(quick) == len(lines)
    accepted = 0
    for line, value in zip(lines, quick, strict=True):
        if value is not None:
            accepted += 1
            assert _strict(line) == ("ok", value), line
    assert accepted >= 5


def test_quick_leaves_each_line_alone_matches_the_whole_file() -> None:
    for line in _line_variants():
        if b"\n" in line:
            continue
        (alone,) = _quick_leaves(line + b"\n", 1)
        if alone is not None:
            assert _strict(line) == ("ok", alone)


def test_quick_leaves_of_a_file_that_is_not_utf8_leaves_it_to_the_strict_path() -> None:
    assert _quick_leaves(b'{"a":1}\n\xff\n', 2) == [None, None]


@settings(max_examples=300, deadline=None)
@given(
    s.recursive(
        s.none() | s.booleans() | s.integers() | s.text(max_size=8),
        lambda inner: (
            s.lists(inner, max_size=4) | s.dictionaries(s.text(max_size=5), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_quick_leaves_agrees_on_generated_values(value: object) -> None:
    try:
        line = canonical(value)
    except (ValueError, TypeError):
        return
    for candidate in (line, json.dumps(value, ensure_ascii=True).encode()):
        if b"\n" in candidate:
            continue
        (quick,) = _quick_leaves(candidate + b"\n", 1)
        if quick is not None:
            assert _strict(candidate) == ("ok", quick)


# --- tlog-proofs -----------------------------------------------------------------------


def _tree(n: int) -> MerkleTree:
    return MerkleTree.from_leaves(leaf_hash(str(i).encode()) for i in range(n))


def _proof_variants() -> list[str]:
    tree = _tree(1000)
    note = "example.com/log\n1000\nAAAA\n\n— example.com/log sig\n"
    genuine = format_tlog_proof(TlogProof(index=417, hashes=tree.inclusion_proof(417),
                                          checkpoint=note))  # fmt: skip
    variants = [genuine, genuine.replace("\n\n", "\n"), genuine.replace("index ", "index 0"),
                genuine.replace("index 417", "index 0"), genuine.replace("index 417", "index "),
                genuine.replace("index 417", "index ٤١٧"),
                genuine.replace("index 417", f"index {2**64}"),
                genuine.replace("index 417", f"index {2**64 - 1}"),
                genuine + "\n", genuine.replace("c2sp.org", "c2sp.net"),
                genuine.replace("index ", "extra AAAA\nindex "),
                genuine.replace("index 417\n", "index 417\n" + "A" * 43 + "=\n" * 1),
                genuine.replace("index 417\n", "index 417\n" + ("A" * 43 + "=\n") * 60),
                genuine.replace(note, ""), genuine.replace(note, "\n" + note), "x", ""]  # fmt: skip
    rng = random.Random(8)
    for _ in range(400):
        pos = rng.randrange(len(genuine))
        variants.append(genuine[:pos] + rng.choice("=+/AB\n x0-_") + genuine[pos + 1 :])
    return variants


def test_parse_proof_agrees_with_parse_tlog_proof() -> None:
    cache = ProofCache()  # shared across variants, as across one bundle's proofs
    for text in _proof_variants():
        try:
            want: object = parse_tlog_proof(text)
        except TlogProofError as exc:
            want = ("error", str(exc))
        try:
            got: object = parse_proof(text, cache)
        except TlogProofError as exc:
            got = ("error", str(exc))
        assert got == want, text


def test_the_proof_cache_applies_tlogprofs_base64_rule() -> None:
    cache = ProofCache()
    good = base64.b64encode(bytes(range(32))).decode()
    assert cache.decode(good) == bytes(range(32))
    assert cache.decode(good[:-2] + "B=") is None  # trailing bits set: not canonical
    assert cache.decode(base64.b64encode(bytes(31)).decode()) is None
    assert cache.decode(good + "\r") is None


@settings(max_examples=200, deadline=None)
@given(s.integers(min_value=1, max_value=70), s.data())
def test_included_agrees_with_verify_inclusion(size: int, data: s.DataObject) -> None:
    tree = _tree(size)
    index = data.draw(s.integers(min_value=0, max_value=size - 1))
    proof = tree.inclusion_proof(index)
    leaf, root = tree.leaf_hash(index), tree.root()
    other = leaf_hash(b"other")
    cases = [
        (index, size, leaf, proof, root),
        (index, size, other, proof, root),
        (index, size, leaf, proof, other),
        (index, size, leaf, proof[:-1], root),
        (index, size, leaf, [*proof, other], root),
        (index, size, leaf, proof[::-1], root),
        (data.draw(s.integers(min_value=-1, max_value=size + 1)), size, leaf, proof, root),
        (index, data.draw(s.integers(min_value=0, max_value=size + 3)), leaf, proof, root),
        (index, size, leaf[:31], proof, root),
    ]
    if proof:
        k = data.draw(s.integers(min_value=0, max_value=len(proof) - 1))
        cases.append((index, size, leaf, [*proof[:k], other, *proof[k + 1 :]], root))
    for case in cases:
        try:
            verify_inclusion(*case)
            want = True
        except ProofError:
            want = False
        assert included(*case) == want, case


def test_leaf_hashes_are_rfc6962_leaf_hashes() -> None:
    leaves = [b"", b"a", b"{}" * 100]
    assert leaf_hashes(leaves) == [leaf_hash(x) for x in leaves]


@settings(max_examples=150, deadline=None)
@given(s.integers(min_value=1, max_value=300), s.data())
def test_the_walk_agrees_with_verify_inclusion_over_a_run_of_proofs(
    size: int, data: s.DataObject
) -> None:
    tree = _tree(size)
    root, other = tree.root(), leaf_hash(b"other")
    indexes = sorted(data.draw(s.sets(s.integers(min_value=0, max_value=size - 1), max_size=40)))
    walk = Walk(size, root)
    for index in indexes:
        proof, leaf = tree.inclusion_proof(index), tree.leaf_hash(index)
        kind = data.draw(s.sampled_from(["genuine"] * 4 + ["leaf", "sibling", "short", "long",
                                                           "index"]))  # fmt: skip
        if kind == "leaf":
            leaf = other
        elif kind == "sibling" and proof:
            k = data.draw(s.integers(min_value=0, max_value=len(proof) - 1))
            proof = [*proof[:k], other, *proof[k + 1 :]]
        elif kind == "short":
            proof = proof[:-1]
        elif kind == "long":
            proof = [*proof, other]
        elif kind == "index":
            index = data.draw(s.integers(min_value=0, max_value=size))
        try:
            verify_inclusion(index, size, leaf, proof, root)
            want = True
        except ProofError:
            want = False
        assert walk.check(index, leaf, proof) == want, (index, kind)


def test_exact_proof_agrees_with_the_full_parse() -> None:
    cache = ProofCache()
    note = "example.com/log\n1000\nAAAA\n\n— example.com/log sig\n"
    for text in _proof_variants():
        raw = text.encode()
        quick = exact_proof(raw, note.encode(), cache)
        if quick is None:
            continue
        proof, lines = split_proof(text, cache)
        assert (proof.index, proof.hashes, proof.checkpoint, proof.extra) == (
            quick[0],
            quick[1],
            note,
            None,
        ), text
        assert lines == [line.decode() for line in quick[2]] == cache.texts(quick[2])
    genuine = _proof_variants()[0].encode()
    assert exact_proof(genuine, note.encode(), cache) is not None
    assert exact_proof(genuine, note.encode()[1:], cache) is None  # another checkpoint
    assert exact_proof(genuine.replace(b"\n\n", b"\n\n\n"), note.encode(), cache) is None


@pytest.mark.parametrize(
    "name",
    ["a", "a/b", "proofs/17.tlog-proof", "", "/a", "a/", "a//b", "./a", "a/./b", "a/..", "../a",
     "a/../b", "..", ".", "c:/x", "c:", "a/c:", "a\\b", "...", "a/...", "..a", "a..", ":", "a:b"],
)  # fmt: skip
def test_member_names_are_refused_as_before(name: str) -> None:
    from pathlib import PurePosixPath

    path = PurePosixPath(name)
    before = (
        not name or name.startswith("/") or "\\" in name or ".." in path.parts
        or any(part in ("", ".") for part in name.split("/")) or ":" in path.parts[0]
    )  # fmt: skip
    try:
        zipread._check_name(name)
        refused = False
    except MalformedBundle:
        refused = True
    assert refused == before
