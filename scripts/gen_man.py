"""Write a man page from the argument parser (``hourproof man`` prints the same).

    python scripts/gen_man.py [OUT]        # default packaging/hourproof.1 (not checked in)

For distribution packages; ``hourproof desktop install`` and the Flatpak build write
the page themselves. It is dated from the newest dated CHANGELOG release, so the same
tree always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "packaging" / "hourproof.1"
sys.path.insert(0, str(ROOT / "src"))


def page() -> str:
    from hourproof.commands.docgen import man_page

    found = re.search(r"^## \[\d+\.\d+\.\d+\] - (\d{4}-\d{2}-\d{2})", (ROOT / "CHANGELOG.md")
                      .read_text(encoding="utf-8"), re.MULTILINE)  # fmt: skip
    day = dt.date.fromisoformat(found.group(1)) if found else dt.date(2026, 1, 1)
    return man_page(day)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else OUT
    out.write_text(page(), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
