"""The strings reach translators: lupdate extracts every tr() text, plurals are real, and
the app loads the .qm of the user's language."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from hourproof.gui.i18n import install_translators, translations_dir

ROOT = Path(__file__).parents[2]
GUI = ROOT / "src" / "hourproof" / "gui"
_spec = importlib.util.spec_from_file_location(
    "update_translations", ROOT / "scripts" / "update_translations.py"
)
assert _spec is not None and _spec.loader is not None
script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(script)

needs_lupdate = pytest.mark.skipif(
    not (Path(sys.executable).with_name("pyside6-lupdate").is_file()
         or shutil.which("pyside6-lupdate")),
    reason="pyside6-lupdate is not installed",
)  # fmt: skip


def translated_literals() -> set[str]:
    """The source text of every ``tr("…")`` / ``translate("ctx", "…")`` in gui/."""
    found = set()
    for path in GUI.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            index = {"tr": 0, "translate": 1}.get(node.func.attr)
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add(arg.value)
    return found


def ts_messages(ts: Path) -> dict[str, ET.Element]:
    return {m.findtext("source") or "": m for m in ET.parse(ts).getroot().iter("message")}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("translations")
    script.update(out)
    return out / "hourproof_en.ts"


@needs_lupdate
def test_lupdate_extracts_every_translated_text_of_the_gui(generated: Path) -> None:
    messages = ts_messages(generated)
    missing = sorted(translated_literals() - set(messages))
    assert missing == [], "tr() texts lupdate did not see (an expression in the call?)"
    assert "Start timer" in messages and len(messages) > 200


@needs_lupdate
def test_every_tr_text_has_its_class_as_context(generated: Path) -> None:
    """``tr = self.tr`` then ``tr("…")`` lands in a nameless context lupdate-side while
    Qt looks the text up under the class name: it would never be translated."""
    nameless = [
        m.findtext("source")
        for c in ET.parse(generated).getroot().iter("context")
        if not (c.findtext("name") or "").strip()
        for m in c.iter("message")
    ]
    assert nameless == []


@needs_lupdate
def test_every_count_text_is_a_plural_with_english_forms(generated: Path) -> None:
    plurals = {s: m for s, m in ts_messages(generated).items() if "%n" in s}
    assert "The new entry overlaps %n recorded entr(y|ies):" in plurals
    for source, message in plurals.items():
        forms = [f.text for f in message.iter("numerusform")]
        assert message.get("numerus") == "yes" and forms == list(script.english_forms(source)), (
            source
        )


@needs_lupdate
def test_the_shipped_qm_has_the_forms_of_every_plural(generated: Path) -> None:
    """Adding a ``%n`` text without running scripts/update_translations.py fails here."""
    shipped = QTranslator()
    assert shipped.load("hourproof_en", translations_dir())
    for context in ET.parse(generated).getroot().iter("context"):
        name = context.findtext("name") or ""
        for source in (m.findtext("source") or "" for m in context.iter("message")):
            if "%n" in source:
                one, other = script.english_forms(source)
                assert shipped.translate(name, source, "", 1) == one, source
                assert shipped.translate(name, source, "", 2) == other, source


def test_english_plural_forms_show_in_the_app() -> None:
    text = "The new entry overlaps %n recorded entr(y|ies):"
    assert QCoreApplication.translate("dialogs", text, "", 1).endswith("1 recorded entry:")
    assert QCoreApplication.translate("dialogs", text, "", 3).endswith("3 recorded entries:")


def test_english_forms_notation() -> None:
    assert script.english_forms("%n suggestion(s)") == ("%n suggestion", "%n suggestions")
    assert script.english_forms("%n entr(y|ies) of %1") == ("%n entry of %1", "%n entries of %1")


@needs_lupdate
def test_the_system_language_qm_is_loaded_when_one_exists(
    tmp_path: Path, qapp: QCoreApplication
) -> None:
    ts = tmp_path / "hourproof_de.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="de" sourcelanguage="en"><context><name>StartDialog</name>'
        "<message><source>Start timer</source><translation>Zeit erfassen</translation>"
        "</message></context></TS>\n"
    )
    script._run(script._tool("pyside6-lrelease"), "-silent", str(ts))
    shutil.copy(Path(translations_dir()) / "hourproof_en.qm", tmp_path)
    german = install_translators(qapp, QLocale("de_DE"), str(tmp_path))
    try:
        assert QCoreApplication.translate("StartDialog", "Start timer") == "Zeit erfassen"
    finally:
        for translator in german:
            qapp.removeTranslator(translator)
    french = install_translators(qapp, QLocale("fr_FR"), str(tmp_path))
    try:  # no French file: English (with its plural forms) instead
        assert QCoreApplication.translate("StartDialog", "Start timer") == "Start timer"
        assert french and Path(french[0].filePath()).name == "hourproof_en.qm"
    finally:
        for translator in french:
            qapp.removeTranslator(translator)
