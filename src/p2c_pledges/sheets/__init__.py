"""Spreadsheets people hold: workbooks (.xlsx, .xlsm, .ods) and CSV in their dialects.

:func:`read` imports the pledges of a sheet through a declared :class:`Mapping`,
reconciles every cell that is not taken literally by a documented rule, records
each decision in the import log (:class:`LogEntry`) and locates every issue by
sheet cell. :func:`suggest_mapping` writes a starter mapping from the sheet alone.
The "Importing spreadsheets" page of the documentation is the reference.

Layer 5: this package uses the model, ``io``, ``countries``, ``money`` and ``l10n``.

.. versionadded:: 0.2
"""

from __future__ import annotations

from ._codes import ISSUE_CODES, LOG_RULES
from ._import import MAX_ISSUES, Imported, ImportLog, LogEntry, read
from ._mapping import FIELDS, TARGETS, Column, Mapping
from ._suggest import Suggestion, suggest, suggest_mapping


__all__ = [
    "FIELDS",
    "ISSUE_CODES",
    "LOG_RULES",
    "MAX_ISSUES",
    "TARGETS",
    "Column",
    "ImportLog",
    "Imported",
    "LogEntry",
    "Mapping",
    "Suggestion",
    "read",
    "suggest",
    "suggest_mapping",
]
