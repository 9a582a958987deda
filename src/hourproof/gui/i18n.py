"""Translations: the app's .qm for the user's language, and Qt's own for its dialogs.

English is the source language, yet ``hourproof_en.qm`` is loaded whenever no closer
language exists: it holds the English plural forms ("1 entry", "2 entries") of the
``%n`` texts (scripts/update_translations.py writes it).
"""

from __future__ import annotations

from importlib.resources import files

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # (the name lupdate reads)
    """Marks ``text`` for translation in ``context``; typed ``str``, unlike Qt's own
    (gui/periods.py has the same, to stay free of Qt)."""
    return text


def translations_dir() -> str:
    """The packaged folder of ``hourproof_<lang>.qm`` files."""
    return str(files("hourproof.resources").joinpath("translations"))


def install_translators(
    app: QCoreApplication, locale: QLocale | None = None, directory: str | None = None
) -> list[QTranslator]:
    """Install the translators for ``locale`` (default: the system's) from ``directory``
    (default: the packaged one); returns them (keep them for as long as the app runs)."""
    locale = locale or QLocale.system()
    directory = directory or translations_dir()
    installed = []
    ours = QTranslator(app)
    if ours.load(locale, "hourproof", "_", directory) or ours.load("hourproof_en", directory):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)  # QDialogButtonBox's "Cancel", QFileDialog, …
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(locale, "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed
