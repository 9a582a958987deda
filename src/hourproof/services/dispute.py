"""The dispute attachment: ``export --dispute`` writes ``<name>.pdf`` beside the bundle.

The PDF's text is derived only from the *verified* bundle (the same checks as
``hourproof verify``, with no home), so ``verify FILE.pdf`` can extract the bundle,
verify it, re-render and require identical bytes: the statement a reviewer reads
cannot disagree with the proof inside it.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from datetime import datetime
from pathlib import Path

from hourproof.core.money import format_amount
from hourproof.core.timeparse import format_duration, from_rfc3339
from hourproof.proof.dispute_pdf import DisputePdfError, extract, render
from hourproof.proof.model import DOES_NOT_PROVE, PROVES, RECORDED_BY
from hourproof.proof.verify import VerifyResult
from hourproof.services.errors import ServiceError, VerificationFailed


def _money(amounts: dict[str, int]) -> str:
    return ", ".join(format_amount(v, c) for c, v in sorted(amounts.items())) or "-"


def _lag(seconds: int | None) -> str:
    if seconds is None:
        return "-"
    sign, seconds = ("-" if seconds < 0 else ""), abs(seconds)
    days, rest = divmod(seconds, 86400)
    if days:
        return f"{sign}{days} d {rest // 3600} h"
    return f"{sign}{rest // 3600} h {rest % 3600 // 60:02d} min"


def statement_lines(result: VerifyResult, bundle_name: str) -> list[str]:
    """What the PDF says, from a verified bundle only."""
    from hourproof.proof.cosign_step import summary_lines

    st = result.statement
    assert st is not None and result.fingerprint
    m = result.manifest
    live = [e for e in st.entries if not e.removed]
    timed = sum(1 for e in live if e.recorded_by is not None)
    late = sum(1 for e in live if e.late)
    lines = [
        "# Statement of hours for a dispute",
        f"Contractor: {st.contractor}   key {result.fingerprint}",
        f"Client: {st.client}   period {st.period_start:%Y-%m-%d} to {st.period_end:%Y-%m-%d} "
        "(UTC, end exclusive)",
        f"Log size {result.tree_size}; bundle created {m.get('created_at')}; attached as "
        f"{bundle_name}",
        f"Total claimed: {format_duration(st.total_seconds)} hours   {_money(st.total_amounts)}",
        f"{len(live)} entries; {timed} with a trusted timestamp (RFC 3161), "
        f"{len(live) - timed} self-reported only; {late} recorded more than 24 h after they ended.",
        "Every signature, proof and total below was checked by hourproof verify before this",
        "statement was written; the checks can be repeated by anyone (see 'How to check').",
        "",
        "# Per day: claimed hours and what evidence corroborates",
        f"{'Day':<12}{'Claimed':>9}{'Corroborated':>14}{'Commits':>9}{'File spans':>12}"
        f"{'Entries':>9}   Amounts",
    ]
    days: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    money: dict[str, dict[str, int]] = defaultdict(dict)
    for e in live:
        row = days[f"{e.start:%Y-%m-%d}"]
        row[0] += e.seconds
        row[1] += e.corroborated_seconds
        row[2] += e.evidence_commits
        row[3] += e.evidence_spans
        row[4] += 1
        if e.amount_minor is not None and e.currency:
            bucket = money[f"{e.start:%Y-%m-%d}"]
            bucket[e.currency] = bucket.get(e.currency, 0) + e.amount_minor
    for day in sorted(days):
        c, k, commits, spans, n = days[day]
        lines.append(f"{day:<12}{format_duration(c):>9}{format_duration(k):>14}{commits:>9}"
                     f"{spans:>12}{n:>9}   {_money(money.get(day, {}))}")  # fmt: skip
    lines += ["", "# Approvals and contests by the client"]
    cosigned = [s for s in summary_lines(result) if not s.startswith("Witnessed by")]
    lines += cosigned or ["None recorded in this bundle."]
    fp = result.fingerprint
    lines += [
        "",
        "# How to check this",
        f"1. The bundle is attached to this PDF as {bundle_name} (any PDF reader lists it;",
        "   or: pdfdetach -saveall THIS.pdf).",
        f"2. Compare the key fingerprint {fp} with the one in your contract.",
        f"3. Run: hourproof verify {bundle_name} --key {fp}",
        "   (or hourproof verify THIS.pdf, which also checks that this text matches the bundle).",
        "4. Or open report.html inside the bundle in a browser: it re-checks signatures,",
        "   proofs and totals itself, offline.",
        "5. Without hourproof: README.txt in the bundle gives the ssh-keygen and openssl",
        "   commands.",
        "",
        "# What this proves",
        *(f"- {p}" for p in PROVES),
        "# What it does not prove",
        *(f"- {p}" for p in DOES_NOT_PROVE),
        "\f",
        "# Entries: when each was recorded",
        f"{'Entry':<8}{'Day':<11}{'Time (UTC)':<13}{'Hours':>7}  {'Project':<18}"
        f"{'Label':<15}{'Recorded by (trusted)':<22}Lag",
    ]
    for e in live:
        label = "Recorded by" if e.label == RECORDED_BY else e.label
        when = f"{e.recorded_by:%Y-%m-%d %H:%M}" if e.recorded_by else "-"
        flag = " LATE" if e.late else ""
        lines.append(
            f"#{e.id:<7}{e.start:%Y-%m-%d} {e.start:%H:%M}-{e.end:%H:%M}  "
            f"{format_duration(e.seconds):>7}  {e.project[:17]:<18}{label:<15}{when:<22}"
            f"{_lag(e.lag_seconds)}{flag}"
        )
    return lines


def render_for(result: VerifyResult, bundle_name: str, bundle: bytes) -> bytes:
    st = result.statement
    assert st is not None
    created: datetime = from_rfc3339(str(result.manifest["created_at"]))
    title = f"Hours of {st.contractor} for {st.client}"
    return render(statement_lines(result, bundle_name), bundle_name, bundle, title, created)


def _verify_file(path: Path) -> VerifyResult:
    from hourproof.services.verifying import VerifyRequest, verify

    result = verify(None, VerifyRequest(bundle=path, remember=False))
    if not result.ok:
        assert result.failure is not None
        raise VerificationFailed(f"{result.failure.file}: {result.failure.reason}")
    return result


def write_dispute_pdf(bundle: Path, out: Path | None = None) -> Path:
    """Verify the written bundle and put the statement PDF, with it attached, beside it."""
    out = out or bundle.with_suffix(".pdf")
    result = _verify_file(bundle)
    pdf = render_for(result, bundle.name, bundle.read_bytes())
    try:
        out.write_bytes(pdf)
    except OSError as exc:
        raise ServiceError(f"cannot write {out}: {exc.strerror}") from exc
    return out


class PdfBundle:
    """``verify FILE.pdf``: the embedded bundle as a temporary .hproof file."""

    def __init__(self, pdf_path: Path) -> None:
        try:
            self.pdf = pdf_path.read_bytes()
        except OSError as exc:
            raise ServiceError(f"cannot read {pdf_path}: {exc.strerror}") from exc
        try:
            self.name, self.bundle = extract(self.pdf)
        except DisputePdfError as exc:
            raise ServiceError(f"{pdf_path}: {exc}") from exc
        self._dir = tempfile.TemporaryDirectory(prefix="hourproof-pdf-")
        self.path = Path(self._dir.name) / Path(self.name).name
        self.path.write_bytes(self.bundle)

    def statement_matches(self, result: VerifyResult) -> bool:
        return render_for(result, self.name, self.bundle) == self.pdf

    def close(self) -> None:
        self._dir.cleanup()
