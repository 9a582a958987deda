"""``hourproof export`` and ``hourproof verify``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from hourproof.commands.common import day_range, open_app, print_json
from hourproof.core.money import format_amount
from hourproof.core.timeparse import format_duration
from hourproof.proof.verdict import verdict_line
from hourproof.services.errors import ServiceError, VerificationFailed

if TYPE_CHECKING:
    from hourproof.proof.model import ReportEntry
    from hourproof.services.export import ExportRequest


def export(args: argparse.Namespace) -> int:
    from hourproof.services.export import ExportRequest, export_bundle

    lo, hi = day_range(args)
    if lo is None or hi is None:
        raise ServiceError("give the period with --from DATE --to DATE")
    out = Path(args.output)
    if out.suffix != ".hproof":
        raise ServiceError("the bundle file name must end in .hproof")
    _check_identity(args.identity)
    app = open_app(args)
    req = ExportRequest(
        client=args.client, project=args.project, lo=lo, hi=hi, out=out,
        since_bundle=Path(args.since_bundle) if args.since_bundle else None,
        identity=args.identity, reports=not args.no_reports,
        anchor_first=not args.no_anchor,
        csv_path=Path(args.csv) if args.csv else None, csv_format=args.csv_format,
    )  # fmt: skip
    req = _with_csv_options(req, args)
    result = export_bundle(app, req)
    if getattr(args, "json", False):
        print_json({
            "path": str(result.path), "entries": result.entries, "leaves": result.leaves,
            "tree_size": result.tree_size, "anchors": result.anchors, "bytes": result.bytes,
            "warnings": result.warnings, "csv": args.csv,
        })  # fmt: skip
        return 0
    for warning in result.warnings:
        print(f"warning: {warning}")
    print(
        f"Wrote {result.path}: {result.entries} entries, {result.leaves} leaves disclosed, "
        f"log size {result.tree_size}, {result.anchors} timestamp(s), {result.bytes} bytes"
    )
    if args.csv:
        print(f"Wrote {args.csv} ({args.csv_format} CSV)")
    if getattr(args, "dispute", False):
        from hourproof.services.dispute import write_dispute_pdf

        print(f"Wrote {write_dispute_pdf(out)} (statement for a dispute, the bundle attached)")
    return 0


def _check_identity(identity: str) -> None:
    """The identity is the principal of allowed_signers, which ssh-keygen splits at spaces."""
    if not identity or any(ch.isspace() or ch in '",' or ord(ch) < 0x20 for ch in identity):
        raise ServiceError(
            f"--identity {identity!r} cannot be a signer name: ssh-keygen's allowed_signers "
            "needs one word without spaces, quotes or commas (e.g. jane@example.com or "
            "Jane.Doe)"
        )


def _with_csv_options(req: ExportRequest, args: argparse.Namespace) -> ExportRequest:
    """``--csv-tz``/``--email``: the CSV's zone (named in its last column) and Email column."""
    from dataclasses import replace

    if getattr(args, "csv_tz", None):
        from hourproof.commands.logexport import export_zone

        zone, name = export_zone(args.csv_tz)
        req = replace(req, csv_zone=zone, csv_zone_name=name)
    if getattr(args, "email", None):
        req = replace(req, csv_email=args.email)
    return req


def _label(entry: ReportEntry) -> str:
    from hourproof.proof.model import RECORDED_BY

    if entry.label == RECORDED_BY and entry.recorded_by is not None:
        return f"Recorded by {entry.recorded_by.strftime('%Y-%m-%d %H:%M UTC')}"
    return entry.label


def verify(args: argparse.Namespace) -> int:
    from hourproof.services.verifying import VerifyRequest, verify

    pdf = None
    if args.bundle.lower().endswith(".pdf"):  # a dispute PDF: verify the bundle inside it
        from hourproof.services.dispute import PdfBundle

        pdf = PdfBundle(Path(args.bundle))
        args.bundle = str(pdf.path)
    req = VerifyRequest(
        bundle=Path(args.bundle),
        allowed_signers=Path(args.allowed_signers) if args.allowed_signers else None,
        key=args.key,
        known_checkpoint=Path(args.known_checkpoint) if args.known_checkpoint else None,
        repo=Path(args.repo) if args.repo else None,
        tsa_roots=tuple(Path(p) for p in args.tsa_root or ()),
        witnesses=tuple(getattr(args, "witness", None) or ()),
        witness_quorum=getattr(args, "witness_quorum", None),
        evidence_out=Path(args.evidence_out) if getattr(args, "evidence_out", None) else None,
    )  # fmt: skip
    app = open_app(args)
    try:
        result = verify(app, req)
        if pdf is not None and result.ok:
            if not pdf.statement_matches(result):
                raise VerificationFailed(
                    "the PDF's statement differs from the verified bundle inside it"
                )
            result.warnings.append(f"the PDF's statement matches the embedded {pdf.name}")
    finally:
        if pdf is not None:
            pdf.close()
    if args.json:
        st = result.statement
        print_json({
            "ok": result.ok,
            "pinned": result.pinned,
            "fingerprint": result.fingerprint,
            "steps": [{"step": s.name, "ok": s.ok, "detail": s.detail} for s in result.steps],
            "failure": {"file": result.failure.file, "reason": result.failure.reason}
            if result.failure else None,
            "warnings": result.warnings,
            "approvals": _approvals_json(result),
            "total_seconds": st.total_seconds if st else None,
            "entries": [
                {"id": e.id, "project": e.project, "start": e.start.isoformat(),
                 "end": e.end.isoformat(), "seconds": e.seconds, "label": e.label,
                 "recorded_by": e.recorded_by.isoformat() if e.recorded_by else None,
                 "lag_seconds": e.lag_seconds, "late": e.late, "removed": e.removed,
                 "outside_period": e.outside}
                for e in (st.entries if st else [])
            ],
        })  # fmt: skip
        return 0 if result.ok else 1
    for step in result.steps:
        print(f"[{'ok' if step.ok else 'FAIL':>4}] {step.name}: {step.detail}")
    for warning in result.warnings:
        print(f"note: {warning}")
    if not result.ok:
        assert result.failure is not None
        raise VerificationFailed(f"{result.failure.file}: {result.failure.reason}")
    st = result.statement
    assert st is not None
    if not result.pinned:
        print(
            "WARNING: the signer is unpinned. Compare the fingerprint above with the one in "
            "your contract; it is remembered for the next bundle (trust on first use)."
        )
    print(
        f"\nClient {st.client}, {st.period_start:%Y-%m-%d} to {st.period_end:%Y-%m-%d} "
        "(UTC, end exclusive)"
    )
    extra = [e for e in st.entries if e.outside]
    for entry in st.entries:
        if entry.removed or entry.outside:
            continue
        late = " LATE" if entry.late else ""
        if entry.lag_seconds is not None:
            late = f" (lag {_lag(entry.lag_seconds)}){late}"
        print(
            f"  #{entry.id:<5} {entry.start:%Y-%m-%d %H:%M}–{entry.end:%H:%M} UTC "
            f"{format_duration(entry.seconds):>6}  {entry.project:<16} {_label(entry)}{late}"
        )
    if extra:
        ids = ", ".join(f"#{e.id}" for e in extra[:10]) + (" …" if len(extra) > 10 else "")
        print(f"Disclosed for completeness, outside the period (not counted): {ids}")
    print("Per day (Verified sums):")
    for line in st.by_day:
        print(f"  {line.key}  {format_duration(line.seconds):>7}  {_money(line.amounts)}")
    print("Per project (Verified sums):")
    for line in st.by_project:
        print(f"  {line.key:<20} {format_duration(line.seconds):>7}  {_money(line.amounts)}")
    print(f"Total: {format_duration(st.total_seconds)}  {_money(st.total_amounts)}")
    from hourproof.proof.cosign_step import summary_lines  # approvals, contests, witnesses

    for text in summary_lines(result):
        print(text)
    print(verdict_line(st))
    return 0


def _approvals_json(result: object) -> list[dict[str, object]]:
    from hourproof.proof.cosign_step import cosign_report

    report = cosign_report(result)  # type: ignore[arg-type]
    return [
        {"kind": a.kind, "client": a.recipient, "fingerprint": a.client_fingerprint,
         "tree_size": a.tree_size, "signed_at": a.signed_at.isoformat(),
         "total_seconds": a.total_seconds, "amounts": a.amounts, "note": a.note,
         "reason": a.reason, "entries": list(a.entries)}
        for a in (report.approvals if report else [])
    ]  # fmt: skip


def _lag(seconds: int) -> str:
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    if days:
        return f"{sign}{days} d {hours} h"
    return f"{sign}{hours} h {rest // 60} min" if hours else f"{sign}{rest // 60} min"


def _money(amounts: dict[str, int]) -> str:
    return ", ".join(format_amount(v, c) for c, v in sorted(amounts.items()))
