"""Screenshots of report.html verifying itself: docs/screenshots/report-verified.png and
report-failed.png, and the first two pages of the same bundle's report.pdf
(report-pdf-1.png, report-pdf-2.png, rendered by poppler's pdftoppm) — a dev tool, not
shipped.

    PYTHONPATH=src:. .venv/bin/python scripts/report_screenshots.py [--out docs/screenshots]

A throwaway home (the test suite's two-client home: timer and manual entries, an
amendment, a removal, an entry across midnight, evidence, a rate) is anchored with the
suite's throwaway RFC 3161 TSA on 127.0.0.1 and exported. The genuine report.html is
shot as the client sees it after opening it; the failed one is the same page with its
grand total edited (what a contractor trying it in a text editor would do). Chromium
runs headless from file:// with --screenshot; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def shoot(page: Path, png: Path, width: int, height: int) -> None:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise SystemExit("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="hp-shot-") as profile:
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=30000",
             f"--window-size={width},{height}", f"--screenshot={png}", page.as_uri()],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1180)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()

    from tests.support import bundles as b
    from tests.support.tsa import TestTsa

    from hourproof.proof import format as f

    with tempfile.TemporaryDirectory(prefix="hp-report-shots-") as tmp:
        root = Path(tmp)
        with TestTsa() as tsa:
            home = b.build_home(root / "demo", tsa.url, tsa.root_pem)
            data = b.export(home, root / "demo.hproof")
        home.close()
        page = b.unzip(data)[f.REPORT_HTML].decode("utf-8")
        genuine = root / "report.html"
        genuine.write_text(page, encoding="utf-8")
        marker = '<tr class="total" data-row="total"><td>Total</td><td class="num" data-f="h">'
        at = page.index(marker) + len(marker)
        end = page.index("</td>", at)
        failed = root / "report-failed.html"
        failed.write_text(page[:at] + "11:45" + page[end:], encoding="utf-8")
        args.out.mkdir(parents=True, exist_ok=True)
        shoot(genuine, args.out / "report-verified.png", args.width, args.height)
        shoot(failed, args.out / "report-failed.png", args.width, args.height)
        pdf = root / "report.pdf"
        pdf.write_bytes(b.unzip(data)[f.REPORT_PDF])
        pages(pdf, args.out / "report-pdf")
    print(f"wrote {args.out / 'report-verified.png'}, {args.out / 'report-failed.png'}, "
          f"{args.out / 'report-pdf-1.png'} and {args.out / 'report-pdf-2.png'}")  # fmt: skip


def pages(pdf: Path, stem: Path) -> None:
    """Pages 1 and 2 of ``pdf`` as ``stem-1.png`` and ``stem-2.png`` (90 dpi)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise SystemExit("pdftoppm is not installed (apt-get install poppler-utils)")
    subprocess.run([exe, "-r", "90", "-f", "1", "-l", "2", "-png", str(pdf), str(stem)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    for n in (1, 2):  # pdftoppm pads the page number to the page count's width
        found = sorted(stem.parent.glob(f"{stem.name}-*{n}.png"))
        target = stem.parent / f"{stem.name}-{n}.png"
        if found and found[0] != target:
            found[0].replace(target)


if __name__ == "__main__":
    main()
