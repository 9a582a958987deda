"""The hour-proof bundle format (DESIGN §6): names, version and reader limits."""

from __future__ import annotations

import re

FORMAT = "hourproof-bundle"
FORMAT_VERSION = 2
#: Versions this verifier reads (1: no completeness data).
READ_VERSIONS = (1, 2)
NAMESPACE = "hourproof-manifest-v1"

README = "README.txt"
MANIFEST = "manifest.json"
MANIFEST_SIG = "manifest.json.sig"
ALLOWED_SIGNERS = "allowed_signers"
VKEY = "contractor.vkey"
ENTRIES = "entries.jsonl"
SUMMARY = "summary.csv"
COMPLETENESS = "completeness.json"
REPORT_PDF = "report.pdf"
REPORT_HTML = "report.html"

PROOF_RE = re.compile(r"^proofs/(0|[1-9][0-9]*)\.tlog-proof$")
CHECKPOINT_RE = re.compile(r"^anchors/(0|[1-9][0-9]*)\.checkpoint$")
TSR_RE = re.compile(r"^anchors/(0|[1-9][0-9]*)\.tsr$")
CONSISTENCY_RE = re.compile(r"^anchors/(0|[1-9][0-9]*)-([1-9][0-9]*)\.consistency\.json$")

#: Reader limits: a bundle over these is refused as malformed (zip-bomb guard).
MAX_MEMBERS = 200_000
MAX_MEMBER_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def proof_path(index: int) -> str:
    return f"proofs/{index}.tlog-proof"


def checkpoint_path(size: int) -> str:
    return f"anchors/{size}.checkpoint"


def tsr_path(size: int) -> str:
    return f"anchors/{size}.tsr"


def consistency_path(size1: int, size2: int) -> str:
    return f"anchors/{size1}-{size2}.consistency.json"
