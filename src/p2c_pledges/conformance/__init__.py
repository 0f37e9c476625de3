"""Conformance examples: inputs with the verdict that the library gives on them.

The cases are package data (``cases/<VERSION>/``): a ``manifest.json`` and the
input files it names. Another implementation (a JavaScript validator, a
database loader) reads the same files and checks that it reaches the same
verdicts; the library's own tests check that it does. The layout and the
meaning of each kind of case are in the Interoperability page of the
documentation (``docs/interop.md``).

This package reads package data only; it imports :mod:`p2c_pledges.io` and
:mod:`p2c_pledges.rules` for :data:`ALL_CODES`, the registry of every issue code
the library can raise.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

from attrs import define, field

from ..errors import Severity, codes_of


__all__ = ["ALL_CODES", "KINDS", "VERSION", "Case", "ExpectedIssue", "cases"]

#: The version of the case set: the ``schema_version`` of the documents it holds.
VERSION: str = "1.0"

#: What a case exercises, and so how it is run:
#:
#: - ``document``: a JSON document or JSON Lines, read by :func:`p2c_pledges.io.loads`;
#: - ``tables``: CSV tables (and maybe a ``datapackage.json``), read by :func:`p2c_pledges.load`;
#: - ``write``: a document that reads, but that the writer refuses;
#: - ``rate_table``: a CSV rate table, read by :meth:`p2c_pledges.fx.RateTable.from_csv`;
#: - ``conversion``: an amount, a value date and a policy, converted by
#:   :func:`p2c_pledges.to_usd` with the case's rate table;
#: - ``money_parse``: a text read by :meth:`p2c_pledges.Money.parse`;
#: - ``money``: an amount and a currency given to :class:`p2c_pledges.Money`.
Kind = Literal["document", "tables", "write", "rate_table", "conversion", "money_parse", "money"]
KINDS: tuple[Kind, ...] = (
    "document",
    "tables",
    "write",
    "rate_table",
    "conversion",
    "money_parse",
    "money",
)

#: The format of a case's main input.
CaseFormat = Literal["json", "jsonl", "csv", "datapackage", "text"]


#: Every issue code the library can raise outside the sheet import, with what it
#: means: a view of :data:`p2c_pledges.errors.CODES` (the readers', the rules', and
#: those of the model, of money, of units, of countries and of exchange rates). The
#: tests fail when the source raises a code that is not here, or that no case shows.
#:
#: .. versionadded:: 0.1.0
#: .. versionchanged:: 0.2
#:    Drawn from :data:`p2c_pledges.errors.CODES`; the rules' codes have their meanings.
ALL_CODES: Mapping[str, str] = MappingProxyType(
    dict(sorted(codes_of("read", "workbook", "rule", "model", "money", "rate").items()))
)


@define(frozen=True, kw_only=True)
class ExpectedIssue:
    """One issue a case expects: its code and where it is.

    ``file`` is a file name of the case (a key of :attr:`Case.files`); ``row`` and
    ``column`` are those of a CSV file or the line of a JSON file. ``None`` means
    the issue has none.

    .. versionadded:: 0.1.0
    """

    code: str
    path: str = "$"
    severity: Severity = Severity.ERROR
    file: str | None = None
    row: int | None = None
    column: str | None = None


def _frozen(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@define(frozen=True, kw_only=True)
class Case:
    """One conformance case: an input and the verdict that the library gives on it.

    Attributes:
        name: A short name, unique within its kind (``currency-unknown``).
        kind: What the case exercises (one of :data:`KINDS`).
        format: The format of the main input (``json``, ``jsonl``, ``csv``,
            ``datapackage`` or ``text``).
        valid: Whether the input is valid: it reads (or converts, or parses)
            without an error. A valid case may still expect warnings.
        description: What the case shows, in a sentence.
        main: The name of the main input file.
        input: The bytes of the main input file.
        files: Every input file of the case by name, the main one included
            (CSV child tables, a rate table beside a conversion request).
        options: The arguments of the call beyond the input (``unknown``,
            ``max_issues``, ``invalid``, ``locale``, ``default_currency``; for
            ``write`` cases, ``write`` names the format written).
        expected: The issues expected: the errors of an invalid case, the
            warnings of a valid one. The verdict matches when the sets of
            (code, path, severity, file, row, column) are equal.
        result: For a valid ``conversion``, ``money_parse`` or ``money`` case,
            the values expected (amounts as decimal strings, dates ISO 8601).

    .. versionadded:: 0.1.0
    """

    name: str
    kind: Kind
    format: CaseFormat
    valid: bool
    description: str
    main: str
    input: bytes
    files: Mapping[str, bytes] = field(converter=_frozen)
    options: Mapping[str, Any] = field(converter=_frozen)
    expected: tuple[ExpectedIssue, ...]
    result: Mapping[str, Any] | None = None

    @property
    def codes(self) -> set[str]:
        """The codes of the expected issues."""
        return {issue.code for issue in self.expected}


def _case(entry: Mapping[str, Any], root: Any) -> Case:
    files = {name: root.joinpath(path).read_bytes() for name, path in entry["files"].items()}
    return Case(
        name=entry["name"],
        kind=entry["kind"],
        format=entry["format"],
        valid=entry["valid"],
        description=entry["description"],
        main=entry["main"],
        input=files[entry["main"]],
        files=files,
        options=entry["options"],
        expected=tuple(
            ExpectedIssue(
                code=issue["code"],
                path=issue["path"],
                severity=Severity(issue["severity"]),
                file=issue["file"],
                row=issue["row"],
                column=issue["column"],
            )
            for issue in entry["expected"]
        ),
        result=None if entry["result"] is None else _frozen(entry["result"]),
    )


def cases(kind: Kind | None = None, *, valid: bool | None = None) -> Iterator[Case]:
    """Yield the conformance cases of :data:`VERSION`, in the manifest's order.

    Args:
        kind: Only the cases of this kind (see :data:`KINDS`).
        valid: Only the valid (``True``) or only the invalid (``False``) cases.

    Returns:
        An iterator of :class:`Case`.

    Raises:
        ValueError: ``kind`` is not one of :data:`KINDS`.

    .. versionadded:: 0.1.0
    """
    if kind is not None and kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r} (known: {', '.join(KINDS)})")
    root = resources.files(__name__) / "cases" / VERSION
    manifest = json.loads(root.joinpath("manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["cases"]:
        if (kind is None or entry["kind"] == kind) and (valid is None or entry["valid"] is valid):
            yield _case(entry, root)
