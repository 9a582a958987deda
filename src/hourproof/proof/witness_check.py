"""Witness cosignatures in a bundle: ``anchors/<size>.cosignatures`` members.

Each member holds C2SP cosignature/v1 lines (one a line, newline-terminated) on the
checkpoint ``anchors/<size>.checkpoint`` of the same bundle. The verifier counts a
witness when one of its lines verifies on a checkpoint the bundle proves to be a
prefix of the export checkpoint (every bundle checkpoint is, or verification has
failed before). ``--witness VKEY … --witness-quorum K`` then requires K witnesses.
Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hourproof.ledger import cosignature as cs

COSIGNATURES_RE = re.compile(r"^anchors/(0|[1-9][0-9]*)\.cosignatures$")


def cosignatures_path(size: int) -> str:
    return f"anchors/{size}.cosignatures"


class WitnessCheckFailed(Exception):
    def __init__(self, file: str, reason: str) -> None:
        super().__init__(f"{file}: {reason}")
        self.file, self.reason = file, reason


@dataclass
class WitnessReport:
    lines: int = 0
    #: witness name -> (largest size it cosigned here, its timestamp)
    cosigned: dict[str, tuple[int, int]] = field(default_factory=dict)
    required: int = 0
    configured: int = 0


def check_witnesses(
    files: dict[str, bytes],
    bodies: dict[int, str],
    witnesses: list[cs.Cosigner],
    quorum: int | None,
) -> WitnessReport:
    """``bodies``: size -> checkpoint note text (without signatures) of the bundle."""
    report = WitnessReport(configured=len(witnesses))
    for name in sorted(files):
        match = COSIGNATURES_RE.match(name)
        if not match:
            continue
        size = int(match.group(1))
        if size not in bodies:
            raise WitnessCheckFailed(name, "no checkpoint of that size in the bundle")
        try:
            text = files[name].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise WitnessCheckFailed(name, "not UTF-8 text") from exc
        if text and not text.endswith("\n"):
            raise WitnessCheckFailed(name, "last line is not terminated")
        try:
            parsed = [cs.parse_cosignature_line(line) for line in text.splitlines()]
            valid = cs.verified_cosigners(text, bodies[size], witnesses)
        except cs.CosignatureError as exc:
            raise WitnessCheckFailed(name, str(exc)) from exc
        report.lines += len(parsed)
        for who, stamp in valid.items():
            if who not in report.cosigned or report.cosigned[who][0] < size:
                report.cosigned[who] = (size, stamp)
    report.required = len(witnesses) if quorum is None else quorum
    if report.required > len(witnesses):
        raise WitnessCheckFailed(
            "--witness-quorum", f"asks for {report.required} of {len(witnesses)} witnesses"
        )
    if len(report.cosigned) < report.required:
        missing = [w.name for w in witnesses if w.name not in report.cosigned]
        raise WitnessCheckFailed(
            "anchors/*.cosignatures",
            f"only {len(report.cosigned)} of the {report.required} required witnesses "
            f"cosigned this log (missing: {', '.join(missing)})",
        )
    return report
