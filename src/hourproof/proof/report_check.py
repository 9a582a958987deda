"""Checking a bundle's report.html against the verified bundle (for ``hourproof verify``).

:func:`report_problems` says why a page disagrees with the bundle: its embedded data
must be exactly :func:`report_html.bundle_payload` of the bundle's members, its script
and Content-Security-Policy the shipped ones, and every figure it marks must equal the
rendering of the verified statement (docs/bundle-format.md, "report.html"). The page
itself is written by ``report_html``; this module only reads it.

The common case is fast: a genuine page's statement markup is byte for byte the
markup :func:`report_html.render_html` writes for the verified statement, and a page
whose markup is identical holds the same figures and only hourproof's elements. Only
when the markup differs (another hourproof's wording, timestamp labels the reader
trusts differently, or an edit) are the figures compared one by one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from hourproof.proof import format as f
from hourproof.proof import report_html as rh
from hourproof.proof.model import Statement
from hourproof.proof.report_html import _DATA_RE

_SCRIPT_RE = re.compile(r"<script>(.*?)</script>", re.S)
_CSP_RE = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')
#: Figures that depend on which timestamp authorities the reader trusts: the page
#: checks them against the tokens' claimed times; the verifier labels entries itself.
_ANCHOR_FIELDS = frozenset({"l", "r", "t", "z"})
#: The only elements hourproof writes in a page's body: anything else (comments,
#: templates, text areas, scripts…) could show a client something the figures below
#: do not see, so a page holding one is refused.
_BODY_TAGS = frozenset({
    "div", "header", "h1", "h2", "h3", "section", "dl", "dt", "dd", "span", "code",
    "label", "input", "details", "summary", "ol", "ul", "li", "p", "b", "i", "table",
    "colgroup", "col", "thead", "tbody", "tr", "th", "td", "br", "footer",
})  # fmt: skip
_TAG_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
_DATA_ATTR_RE = re.compile(r"""\sdata-(row|list|f)=(?:"([^"]*)"|([^\s">]+))""")
_TAG_NAME_RE = re.compile(r"<([a-z0-9]+)[\s>]")


def _body(page: str) -> str:
    """The page without its head, embedded data and script: what the statement shows."""
    body = page.split("<body>", 1)[-1]
    return _SCRIPT_RE.sub("", _DATA_RE.sub("", body))


def _figures(page: str) -> list[tuple[str, ...]]:
    """The figures of a whole page (see :func:`_figures_in`)."""
    return _figures_in(_body(page))


def _figures_in(body: str) -> list[tuple[str, ...]]:
    """The body's rows, entry tables and figures as a token list in document order,
    without what depends on the reader's trusted timestamp authorities (labels,
    "Recorded by" times, anchor rows). A scan for ``data-`` attributes (an HTML parser
    takes ~8 s on a 20,000-entry page); a figure element must hold plain text and
    close right after it, else it counts as missing. ``body`` is :func:`_body` of a page."""
    out: list[tuple[str, ...]] = []
    in_anchor = False
    from html import unescape

    for m in _DATA_ATTR_RE.finditer(body):
        kind, value = m.group(1), unescape(m.group(2) or m.group(3) or "")
        start = body.rfind("<", 0, m.start())
        tag = _TAG_NAME_RE.match(body, start)
        if tag is None or body.find(">", start, m.start()) != -1:
            continue  # not inside a tag: text that looks like an attribute
        if kind == "row":
            in_anchor = value.startswith("anchor:")
            if not in_anchor:
                out.append(("row", value))
        elif kind == "list":
            out.append(("table", value))
        else:
            close = body.find(">", m.end())
            text_end = body.find("<", close)
            if not body.startswith(f"</{tag.group(1)}>", text_end):
                continue
            if not in_anchor and value not in _ANCHOR_FIELDS:
                out.append(("figure", value, unescape(body[close + 1 : text_end])))
    return out


def _foreign_markup(page: str) -> str | None:
    """The first element of the body (outside the two scripts) hourproof does not write."""
    return _foreign_in(_body(page))


def _foreign_in(body: str) -> str | None:
    if "<!" in body:
        return "a comment or declaration"
    names = {n.lower() for n in _TAG_RE.findall(body)} - _BODY_TAGS - {"body", "html"}
    return f"<{min(names)}>" if names else None


#: The "Generated" time of the statement's header: plain text, not a figure (the export
#: may render the page a little before it stamps the manifest's created_at).
_GENERATED_RE = re.compile(r"<dt>Generated</dt><dd>([^<]*)</dd>")


def _same_markup(body: str, want: str) -> bool:
    """Whether a page's body is the body hourproof renders, but perhaps for its
    "Generated" text. Then :func:`_figures_in` and :func:`_foreign_in` give the same for
    both: that text holds no ``<``, so every tag, and every figure, is the same."""
    if body == want:
        return True
    shown, wanted = _GENERATED_RE.search(body), _GENERATED_RE.search(want)
    return (
        shown is not None and wanted is not None
        and body[: shown.start(1)] == want[: wanted.start(1)]
        and body[shown.end(1) :] == want[wanted.end(1) :]
    )  # fmt: skip


def _format_version(files: Mapping[str, bytes]) -> object:
    try:
        return json.loads(files.get(f.MANIFEST, b"{}")).get("version")
    except (ValueError, AttributeError):
        return None


def report_problems(
    page: bytes,
    files: Mapping[str, bytes],
    st: Statement,
    *,
    seqs: Sequence[int | None] | None = None,
    proofs: Mapping[int, tuple[int, list[str], str]] | None = None,
) -> list[str]:
    """Why a bundle's report.html disagrees with the verified bundle (empty: it agrees).

    ``st`` is the statement the verifier re-derived from the bundle. Checked: the page
    embeds exactly :func:`bundle_payload` of these members; its script and policy are
    the shipped ones (so the browser's verdict comes from the shipped checks); every
    figure the page marks (entry dates, spans, hours, in-period parts, projects and
    amounts; day, project and grand totals; the summary cards; client, period, log size
    and fingerprint) equals the rendering of ``st``, and the same entry and total rows
    are listed. Labels and "Recorded by" times depend on the timestamp authorities the
    reader trusts and are left to the page's own check against the tokens.

    ``seqs`` and ``proofs`` are what the caller already read from the same members
    (see :func:`report_html.bundle_payload`); they change the speed, not the result."""
    try:
        text = page.decode("utf-8")
    except UnicodeDecodeError:
        return ["report.html is not UTF-8 text"]
    if _format_version(files) == 1 and not rh.is_checked_page(text):
        return []  # a format-1 page predates the binding: nothing to compare it with
    problems: list[str] = []
    embedded = rh.embedded_payload(text)
    if embedded is None:
        problems.append("report.html does not embed readable bundle data exactly once")
    elif embedded != rh.bundle_payload(files, st, seqs=seqs, proofs=proofs):
        problems.append("report.html embeds data that is not this bundle's members")
    shipped = rh.shipped_assets()
    scripts = _SCRIPT_RE.findall(text)
    script_token = rh._csp_hash(scripts[0]) if len(scripts) == 1 else None
    if script_token not in shipped["script"]:
        problems.append("report.html's script is not hourproof's verifier script")
    policies = _CSP_RE.findall(text)
    scripts_allowed = [script_token] if script_token is not None else shipped["script"]
    if len(policies) != 1 or not any(
        policies[0] == rh._policy(script, style)
        for script in scripts_allowed
        for style in shipped["style"]
    ):
        problems.append("report.html's Content-Security-Policy is not the shipped one")
    body, want_body = _body(text), _body(rh.render_html(st))
    if _same_markup(body, want_body):
        return problems  # the very markup hourproof writes for the verified statement
    foreign = _foreign_in(body)
    if foreign is not None:
        problems.append(f"report.html contains {foreign}, which hourproof does not write")
        return problems
    shown, want = _figures_in(body), _figures_in(want_body)
    if shown != want:
        rows_of = lambda tokens: [t for t in tokens if t[0] != "figure"]  # noqa: E731
        if rows_of(shown) != rows_of(want):
            problems.append("report.html does not list the same entries and totals as the bundle")
        else:
            row = "?"
            for a, b in zip(shown, want, strict=True):
                if a[0] == "row":
                    row = a[1]
                if a != b:
                    problems.append(
                        f"report.html shows {a[1]!r} of {row} as {a[2]!r}, the verified "
                        f"entries give {b[2]!r}"
                        if a[0] == b[0] == "figure" and a[1] == b[1]
                        else f"report.html shows other figures than the bundle in row {row}"
                    )
                    break
    return problems
