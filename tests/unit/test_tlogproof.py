"""Tests for hourproof.ledger.tlogproof: C2SP tlog-proof@v1 round trips and strictness."""

from __future__ import annotations

import base64

import pytest

from hourproof.ledger.merkle import MerkleTree, leaf_hash, verify_inclusion
from hourproof.ledger.tlogproof import (
    TlogProof,
    TlogProofError,
    format_tlog_proof,
    parse_tlog_proof,
)

H1 = bytes(range(32))
H2 = bytes(range(32, 64))
B1 = base64.b64encode(H1).decode()
B2 = base64.b64encode(H2).decode()
CHECKPOINT = "hourproof.local/abcd\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n— key c2ln\n"
GOOD = f"c2sp.org/tlog-proof@v1\nindex 5\n{B1}\n{B2}\n\n{CHECKPOINT}"

# The example proof section from the C2SP tlog-proof specification.
SPEC_EXAMPLE = """c2sp.org/tlog-proof@v1
extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ
index 73894
gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=
B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=
EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=
RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=
AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=

example.com/fancylog
109482
sFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=

— example.com/fancylog hI2DJw1roloI=
"""


def test_format_writes_the_exact_layout() -> None:
    text = format_tlog_proof(TlogProof(index=5, hashes=[H1, H2], checkpoint=CHECKPOINT))
    assert text == GOOD


def test_format_writes_extra_line_after_header() -> None:
    proof = TlogProof(index=0, hashes=[], checkpoint=CHECKPOINT, extra=b"ctx")
    text = format_tlog_proof(proof)
    assert text == f"c2sp.org/tlog-proof@v1\nextra Y3R4\nindex 0\n\n{CHECKPOINT}"


def test_parse_reads_index_hashes_and_checkpoint() -> None:
    parsed = parse_tlog_proof(GOOD)
    assert parsed == TlogProof(index=5, hashes=[H1, H2], checkpoint=CHECKPOINT, extra=None)


def test_parse_accepts_the_spec_example() -> None:
    parsed = parse_tlog_proof(SPEC_EXAMPLE)
    assert parsed.index == 73894
    assert len(parsed.hashes) == 5
    assert parsed.extra is not None
    assert parsed.checkpoint.startswith("example.com/fancylog\n109482\n")


@pytest.mark.parametrize(
    "proof",
    [
        TlogProof(index=0, hashes=[], checkpoint=CHECKPOINT),
        TlogProof(index=5, hashes=[H1, H2], checkpoint=CHECKPOINT),
        TlogProof(index=2**64 - 1, hashes=[H1] * 64, checkpoint=CHECKPOINT, extra=b"\x00\xff"),
        TlogProof(index=7, hashes=[H2], checkpoint=CHECKPOINT, extra=b""),
    ],
    ids=["empty-proof", "two-hashes", "max-index-max-hashes-extra", "empty-extra"],
)
def test_round_trip_preserves_every_field(proof: TlogProof) -> None:
    assert parse_tlog_proof(format_tlog_proof(proof)) == proof


def test_round_trip_of_real_proof_still_verifies() -> None:
    leaves = [leaf_hash(bytes([i])) for i in range(11)]
    tree = MerkleTree(leaves)
    text = format_tlog_proof(
        TlogProof(index=6, hashes=tree.inclusion_proof(6), checkpoint=CHECKPOINT)
    )
    parsed = parse_tlog_proof(text)
    verify_inclusion(parsed.index, tree.size, leaves[6], parsed.hashes, tree.root())


SHORT_HASH = base64.b64encode(bytes(16)).decode()
NONCANONICAL = B1[:-2] + "B="  # same length, but non-zero padding bits

MALFORMED = {
    "wrong-version": (GOOD.replace("@v1", "@v2", 1), "first line"),
    "missing-header": (GOOD.split("\n", 1)[1], "first line"),
    "crlf-header": (GOOD.replace("@v1\n", "@v1\r\n", 1), "first line"),
    "bad-base64-hash": (GOOD.replace(B1, "not*base64*at*all*!!!!!!!!!!!!!!!!!!!!!!!=="), "base64"),
    "hash-with-space": (GOOD.replace(B1, B1[:10] + " " + B1[10:]), "base64"),
    "non-canonical-base64": (GOOD.replace(B1, NONCANONICAL), "canonical"),
    "short-hash": (GOOD.replace(B1, SHORT_HASH), "16 bytes"),
    "negative-index": (GOOD.replace("index 5", "index -5"), "decimal"),
    "leading-zero-index": (GOOD.replace("index 5", "index 05"), "leading zeros"),
    "hex-index": (GOOD.replace("index 5", "index 0x5"), "decimal"),
    "unicode-digit-index": (GOOD.replace("index 5", "index \u0665"), "decimal"),
    "empty-index": (GOOD.replace("index 5", "index "), "decimal"),
    "index-over-64-bits": (GOOD.replace("index 5", f"index {2**64}"), "64 bits"),
    "index-without-space": (GOOD.replace("index 5", "index\t5"), "index N"),
    "missing-index": (GOOD.replace("index 5\n", ""), "index N"),
    "missing-blank-line": (f"c2sp.org/tlog-proof@v1\nindex 5\n{B1}\n", "blank line"),
    "checkpoint-without-blank-line": (GOOD.replace(f"{B2}\n\n", f"{B2}\n"), "line 5"),
    "no-checkpoint": (GOOD.split("\n\n", 1)[0] + "\n\n", "checkpoint is missing"),
    "two-blank-lines": (GOOD.replace(f"{B2}\n\n", f"{B2}\n\n\n"), "more than one blank"),
    "checkpoint-without-final-newline": (GOOD[:-1], "end with a newline"),
    "trailing-garbage-in-proof": (GOOD.replace(f"{B2}\n", f"{B2}\ngarbage\n"), "line 5"),
    "extra-after-index": (GOOD.replace(f"index 5\n{B1}", f"index 5\nextra YQ==\n{B1}"), "line 3"),
    "bad-extra-base64": (GOOD.replace("index 5", "extra %%%\nindex 5"), "extra data"),
    "too-many-hashes": (GOOD.replace(f"{B1}\n", f"{B1}\n" * 64), "maximum 64"),
}


@pytest.mark.parametrize(("text", "reason"), MALFORMED.values(), ids=MALFORMED.keys())
def test_parse_rejects_malformed_proof_with_one_line_reason(text: str, reason: str) -> None:
    with pytest.raises(TlogProofError, match=reason) as info:
        parse_tlog_proof(text)
    assert "\n" not in str(info.value)


def test_parse_error_is_a_value_error() -> None:
    assert issubclass(TlogProofError, ValueError)


@pytest.mark.parametrize(
    ("proof", "reason"),
    [
        (TlogProof(index=-1, hashes=[], checkpoint=CHECKPOINT), "outside"),
        (TlogProof(index=2**64, hashes=[], checkpoint=CHECKPOINT), "outside"),
        (TlogProof(index=0, hashes=[b"short"], checkpoint=CHECKPOINT), "5 bytes"),
        (TlogProof(index=0, hashes=[H1] * 65, checkpoint=CHECKPOINT), "maximum"),
        (TlogProof(index=0, hashes=[], checkpoint=""), "missing"),
        (TlogProof(index=0, hashes=[], checkpoint="origin\n1\nroot"), "newline"),
    ],
    ids=["negative-index", "huge-index", "short-hash", "too-many-hashes", "no-checkpoint", "cut"],
)
def test_format_refuses_fields_that_would_not_parse(proof: TlogProof, reason: str) -> None:
    with pytest.raises(TlogProofError, match=reason):
        format_tlog_proof(proof)
