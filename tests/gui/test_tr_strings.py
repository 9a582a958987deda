"""Every user-visible string in gui/ goes through Qt's translation.

An AST scan of ``src/hourproof/gui/*.py``: a str literal (or an f-string, a ``+``
concatenation or a ``"...".format()`` of one) with words in it, passed straight to a Qt
text setter or constructor, is a string a translator never sees. Wrapping it in
``self.tr(...)`` / ``QCoreApplication.translate(...)`` makes the argument a call, which
the scan accepts. Product names, currency codes, URLs and bare HTML markup are not
words to translate.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

GUI = Path(__file__).parents[2] / "src" / "hourproof" / "gui"

#: Methods whose string arguments a user sees (the position checked; None: every one).
SETTERS: dict[str, tuple[int, ...] | None] = {
    **dict.fromkeys(
        (
            "setText", "setWindowTitle", "setToolTip", "setStatusTip", "setWhatsThis",
            "setPlaceholderText", "setTitle", "setLabelText", "setInformativeText",
            "setDetailedText", "setAccessibleName", "setAccessibleDescription", "setPrefix",
            "setSuffix", "setSpecialValueText", "addMenu", "setTabText", "setTabToolTip",
            "setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setHeaderLabels",
            "addItems", "setButtonText", "setWindowIconText", "showMessage", "addAction",
        ),
        None,
    ),
    "addItem": (0,), "insertItem": (1,), "setItemText": (1,), "addRow": (0,),
    "addTab": (1,), "insertTab": (2,),
}  # fmt: skip
#: Widgets and actions whose constructor takes a visible text.
CONSTRUCTORS = {
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu",
    "QToolButton", "QCommandLinkButton", "QMessageBox", "QWidgetAction",
}  # fmt: skip
#: Static dialogs: class → method → checked argument positions (caption, text, filter).
STATIC = {
    "QMessageBox": dict.fromkeys(("information", "warning", "critical", "question", "about"),
                                 (1, 2)),
    "QFileDialog": dict.fromkeys(("getOpenFileName", "getSaveFileName", "getOpenFileNames",
                                  "getExistingDirectory"), (1, 3)),
    "QInputDialog": dict.fromkeys(("getText", "getInt", "getItem", "getDouble"), (1, 2)),
}  # fmt: skip
#: Literal texts that are names or codes, the same in every language.
NOT_WORDS = {"hourproof", "EUR", "USD", "GBP", "CHF", "JPY"}


def _words(text: str) -> bool:
    text = re.sub(r"<[^>]*>", "", text)  # markup only: "<b>{0}</b>"
    text = re.sub(r"https?://\S*", "", text)
    return text.strip() not in NOT_WORDS and any(c.isalpha() for c in text)


def untranslated(node: ast.expr) -> bool:
    """True when ``node`` is literal text with words, not a translation call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        return _words(literal)
    if isinstance(node, ast.BinOp):
        return untranslated(node.left) or untranslated(node.right)
    if isinstance(node, ast.IfExp):
        return untranslated(node.body) or untranslated(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple)):
        return any(untranslated(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in ("format", "join", "replace") and untranslated(node.func.value)
    return False


def _checked(call: ast.Call) -> list[ast.expr] | None:
    """The arguments of ``call`` that a user reads, or None when it is no text call."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    positions: tuple[int, ...] | None
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        owner = STATIC.get(func.value.id)
        if owner is not None and name in owner:
            positions = owner[name]
            return [a for i, a in enumerate(call.args) if i in positions]
    if name in CONSTRUCTORS:
        positions = None
    elif name in SETTERS:
        positions = SETTERS[name]
    else:
        return None
    args = [a for i, a in enumerate(call.args) if positions is None or i in positions]
    return args + [k.value for k in call.keywords if k.arg in ("text", "title", "toolTip")]


def scan(source: str, name: str = "<source>") -> list[str]:
    """``file:line: call(argument)`` for each untranslated text passed to Qt."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            for arg in _checked(node) or ():
                if untranslated(arg):
                    found.append(f"{name}:{node.lineno}: {ast.unparse(node)[:90]}")
                    break
    return found


def test_every_gui_text_passed_to_qt_is_translated() -> None:
    found = [hit for path in sorted(GUI.glob("*.py")) for hit in scan(path.read_text(), path.name)]
    assert found == [], "untranslated user-visible strings:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "seeded",
    [
        "label = QLabel('Project')",
        "self.button.setText('Start')",
        "w.setToolTip(f'Stop the timer {key}')",
        "menu.addAction('&Quit', self.quit)",
        "bar.showMessage('Recorded ' + name)",
        "QMessageBox.warning(self, 'hourproof', 'Could not save {0}'.format(path))",
        "QFileDialog.getSaveFileName(self, 'Save the proof bundle', '', '*.hproof')",
        "form.addRow('&Client:', self.client)",
        "box.addItem('This month', 'this_month')",
        "w.setPlaceholderText('optional' if a else 'required')",
        "tabs.addTab(page, 'Entries')",
        "header.setHorizontalHeaderLabels(['Leaf', 'Recorded'])",
    ],
)
def test_scan_catches_a_seeded_untranslated_string(seeded: str) -> None:
    assert scan(seeded), seeded


@pytest.mark.parametrize(
    "fine",
    [
        "label = QLabel(self.tr('Project'))",
        "self.button.setText(QCoreApplication.translate('timer', 'Start'))",
        "w.setText(self.tr('%n entries', '', n))",
        "w.setText(f'<b>{total}</b>')",
        "w.setWindowTitle('hourproof')",
        "w.setPlaceholderText('https://freetsa.org/tsr')",
        "box.addItem(self.tr('This month'), 'this_month')",
        "w.setText(fmt.hours(seconds) + ' · ')",
        "w.setText('')",
        "w.setObjectName('startButton')",
    ],
)
def test_scan_accepts_translated_or_wordless_text(fine: str) -> None:
    assert scan(fine) == [], fine
