"""Moving hours in from, and out to, other time trackers.

Importers read another tool's file into :class:`Record` objects (times resolved to
UTC, one stable fingerprint per source row) and :class:`Skipped` lines; exporters
write entries in that tool's format. Pure of the store: the services decide what
is new and write the ``import`` leaves.
"""

from hourproof.interop.records import (
    IMPORT_FORMATS,
    FormatError,
    ReadOptions,
    Record,
    Skipped,
)

__all__ = ["IMPORT_FORMATS", "FormatError", "ReadOptions", "Record", "Skipped"]
