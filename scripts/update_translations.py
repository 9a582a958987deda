"""Extract the desktop app's strings into .ts files and compile them to .qm.

    python scripts/update_translations.py            # update hourproof_en.ts, build .qm
    python scripts/update_translations.py --out DIR  # write into DIR instead (tests)

``pyside6-lupdate`` reads every ``self.tr(...)`` / ``QCoreApplication.translate(...)`` in
``src/hourproof/gui/*.py`` into ``src/hourproof/resources/translations/hourproof_<lang>.ts``
(a packaged folder, so the app finds the .qm from a wheel); ``pyside6-lrelease``
compiles each to ``.qm``. English is the source language, yet it needs a file too: its
plural forms. A text with ``%n`` is written once in the code, e.g. ``"%n suggestion(s)"``
or ``"%n entr(y|ies)"``; for English this script fills the forms (``1 suggestion``,
``2 suggestions``) from that notation: ``(s)`` is "" or "s", ``(a|b)`` is a or b.
lupdate's Python parser does not see the n argument of ``QCoreApplication.translate``,
so every ``%n`` message is marked numerus here (after each lupdate run).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUI = ROOT / "src" / "hourproof" / "gui"
TRANSLATIONS = ROOT / "src" / "hourproof" / "resources" / "translations"
LANGUAGES = ("en",)
_CHOICE = re.compile(r"\(([^()|]*)\|([^()|]*)\)")


def english_forms(source: str) -> tuple[str, str]:
    """The singular and plural English texts of a ``%n`` source text."""
    text = source.replace("(s)", "(|s)")
    return _CHOICE.sub(r"\1", text), _CHOICE.sub(r"\2", text)


def _tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)  # the venv's own copy first
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 (pip install 'hourproof[gui]').")
    return found


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{Path(command[0]).name} failed:\n{done.stdout}{done.stderr}")


def _mark_plurals(ts: Path, language: str) -> int:
    """Make every ``%n`` message numerus; for English fill its two forms. Returns the count."""
    tree = ET.parse(ts)
    count = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        if "%n" not in source:
            continue
        count += 1
        message.set("numerus", "yes")
        old = message.find("translation")
        kept = [f.text or "" for f in old.iter("numerusform")] if old is not None else []
        if old is not None:
            message.remove(old)
        forms = list(english_forms(source)) if language == "en" else kept
        translation = ET.SubElement(message, "translation")
        if not any(forms):
            translation.set("type", "unfinished")
        for form in forms or ["", ""]:
            ET.SubElement(translation, "numerusform").text = form
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n{body}\n')
    return count


def update(out: Path) -> list[Path]:
    """Write hourproof_<lang>.ts and .qm for each language into ``out``; the .qm paths."""
    out.mkdir(parents=True, exist_ok=True)
    sources = [str(p) for p in sorted(GUI.glob("*.py"))]
    built = []
    for language in LANGUAGES:
        ts = out / f"hourproof_{language}.ts"
        if out != TRANSLATIONS and (TRANSLATIONS / ts.name).is_file() and not ts.exists():
            shutil.copyfile(TRANSLATIONS / ts.name, ts)  # keep what translators wrote
        # (its "Removed plural forms" note is about the numerus marks it cannot see)
        options = ["-source-language", "en", "-target-language", language]
        options += ["-no-obsolete", "-locations", "none", "-silent"]
        _run(_tool("pyside6-lupdate"), *sources, "-ts", str(ts), *options)
        plurals = _mark_plurals(ts, language)
        qm = ts.with_suffix(".qm")
        # A new file swapped in: a running app (or test) has the old one mapped in memory,
        # and rewriting it in place would crash it (SIGBUS).
        fresh = qm.with_name(f".{qm.name}.{os.getpid()}")
        _run(_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(fresh))
        os.replace(fresh, qm)
        print(f"{ts.name}: {plurals} plural text(s); {qm.name} built")
        built.append(qm)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TRANSLATIONS, help="folder to write to")
    args = parser.parse_args(argv)
    update(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
