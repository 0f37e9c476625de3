"""The mapping: which heading feeds which field, and how the sheet's words are read.

A mapping is a TOML file (read with :mod:`tomllib`) or the same thing as a Python
mapping; the "Importing spreadsheets" page is its reference. Every problem of a
mapping is a ``mapping.*`` issue located in the mapping file (its line, found by
the key it is about).
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import re
import tomllib
import typing
from collections.abc import Mapping as MappingABC
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, get_args, get_origin

import attrs
from attrs import define, field

from ..errors import Issue, PledgeDataError
from ..io._fields import file_keys
from ..l10n import LOCALES
from ..model import Pledge, Pledger, Target
from ..money import Money, is_currency
from ._values import DateOrder, QualifierRule, RangeRule


#: What happens to a heading that the mapping does not name.
Unmapped = Literal["error", "extras", "ignore"]


__all__ = ["FIELDS", "TARGETS", "Column", "Mapping", "field_kind"]

#: What a column may feed besides a field: the amount's currency, a column that mixes
#: countries, regions and country groups, the pledge's extras, or nothing.
SPECIAL_TARGETS = ("amount.currency", "beneficiaries", "extras", "ignore")
_OPTIONS = {
    "sheet": "the sheet's name, or its index from 0",
    "header_row": "the row of the headings, counted from 1 (found when absent)",
    "locale": f"the language of the sheet's words: one of {', '.join(LOCALES)}",
    "date_order": "day_first or month_first, for all-digit dates",
    "month_precision": "true to read 'June 2022' as 2022-06-01 (recorded as imprecise)",
    "ranges": "error, low, high or mid: how 'USD 1.5-2 million' is read",
    "qualifiers": "keep or error: whether 'approx. USD 3 million' is read (kept in extras)",
    "default_currency": "the ISO 4217 currency of amounts that name none",
    "separator": "the separator of list cells (default ';')",
    "unmapped": "error, extras or ignore: what happens to headings the mapping does not name",
    "encoding": "a CSV file's encoding when it is not UTF-8 (e.g. cp1252)",
    "delimiter": "a CSV file's separator when it is not detected: ',', ';' or '\\t'",
    "columns": "a table: heading = field, or heading = { field = ..., separator = ... }",
    "constants": "a table: field = value for every row",
}


def _model_fields() -> dict[str, Any]:
    """Field name → resolved type, for the fields a column may feed (derived from the model)."""
    hints = typing.get_type_hints(Pledge)
    pledger = typing.get_type_hints(Pledger)
    found: dict[str, Any] = {}
    for attribute in attrs.fields(Pledge):
        if attribute.name == "pledger":
            found.update(
                {f"pledger.{key}": pledger[name] for name, key in file_keys(Pledger).items()}
            )
        elif attribute.name not in {"co_pledgers", "extras"}:
            found[attribute.name] = hints[attribute.name]
    return found


#: Every field a column or a constant may feed, with its type.
FIELDS: MappingABC[str, Any] = MappingProxyType(_model_fields())

#: Every name a column may feed: the fields, then the special targets.
TARGETS: tuple[str, ...] = (*FIELDS, *SPECIAL_TARGETS)

#: The fields every pledge needs (no default on the model); the id is made from the
#: row when no column feeds it.
REQUIRED = tuple(
    [f"pledger.{a.name}" for a in attrs.fields(Pledger) if a.default is attrs.NOTHING]
    + [
        a.name
        for a in attrs.fields(Pledge)
        if a.default is attrs.NOTHING and a.name not in {"id", "pledger"}
    ]
)


def field_kind(name: str) -> tuple[str, type | None]:  # noqa: C901, PLR0911 - one answer per type
    """Say how a field's cells are read: (``kind``, vocabulary) from the field's type.

    Kinds: ``text``, ``country``, ``countries``, ``date``, ``vocab``, ``vocabs``,
    ``amount``, ``currency``, ``decimal``, ``targets``, ``beneficiaries``.
    """
    if name == "amount.currency":
        return "currency", None
    if name == "beneficiaries":
        return "beneficiaries", None
    kind = FIELDS[name]
    args = [a for a in get_args(kind) if a is not type(None)]
    base = args[0] if args and get_origin(kind) is not tuple else kind
    if get_origin(kind) is tuple:
        item = get_args(kind)[0]
        if isinstance(item, type) and issubclass(item, enum.Enum):
            return "vocabs", item
        if item is Target:
            return "targets", None
        return "countries", None
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return "vocab", base
    if base is dt.date:
        return "date", None
    if base is Money:
        return "amount", None
    if base is Decimal:
        return "decimal", None
    if name.endswith("country"):
        return "country", None
    return "text", None


@define(frozen=True, kw_only=True)
class Column:
    """One heading of the sheet and what it feeds."""

    heading: str
    field: str
    separator: str | None = None


@define(frozen=True, kw_only=True)
class Mapping:
    """A declared mapping from a sheet's headings to pledge fields.

    Build it with :meth:`from_toml` or :meth:`from_dict`; the constructor checks nothing.

    .. versionadded:: 0.2
    """

    columns: tuple[Column, ...] = ()
    constants: MappingABC[str, Any] = field(factory=dict)
    sheet: str | int | None = None
    header_row: int | None = None
    locale: str = "en"
    date_order: DateOrder | None = None
    month_precision: bool = False
    ranges: RangeRule = "error"
    qualifiers: QualifierRule = "keep"
    default_currency: str | None = None
    separator: str = ";"
    unmapped: Unmapped = "error"
    encoding: str | None = None
    delimiter: str | None = None
    source: str | None = None

    @classmethod
    def from_toml(cls, path: str | os.PathLike[str]) -> Mapping:
        """Read a mapping file.

        Raises:
            PledgeDataError: ``mapping.syntax`` or any ``mapping.*`` issue, located by line.
        """
        path = Path(path)
        text = path.read_text(encoding="utf-8")
        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise PledgeDataError.single(
                code="mapping.syntax",
                message=f"the mapping is not valid TOML: {error}",
                file=str(path),
                row=_error_line(error),
            ) from None
        return cls.from_dict(document, source=str(path), text=text)

    @classmethod
    def from_dict(  # noqa: C901, PLR0912 - every problem of the document, at once
        cls, document: MappingABC[str, Any], *, source: str | None = None, text: str | None = None
    ) -> Mapping:
        """Build a mapping from a Python mapping of the same shape as the TOML file.

        Raises:
            PledgeDataError: every ``mapping.*`` issue of the document.
        """
        problems: list[Issue] = []

        def problem(code: str, message: str, value: object, key: str, table: str = "") -> None:
            problems.append(
                Issue(
                    code=code,
                    message=message,
                    value=value,
                    path=f"$.{table}.{key}" if table else f"$.{key}",
                    file=source,
                    row=_line_of(text, key, table),
                )
            )

        if not isinstance(document, MappingABC):
            raise PledgeDataError.single(
                code="mapping.type", message="a mapping is a table of options", value=document
            )
        options: dict[str, Any] = {}
        for key, value in document.items():
            if key not in _OPTIONS:
                problem(
                    "mapping.option_unknown",
                    f"{key!r} is not a mapping option (options: {', '.join(_OPTIONS)})",
                    key,
                    key,
                )
            elif key not in {"columns", "constants"}:
                why = _option_problem(key, value)
                if why:
                    problem("mapping.option_invalid", f"{key} = {value!r}: {why}", value, key)
                else:
                    options[key] = value
        columns = []
        raw_columns = document.get("columns", {})
        if not isinstance(raw_columns, MappingABC):
            problem("mapping.option_invalid", "columns must be a table", raw_columns, "columns")
            raw_columns = {}
        for heading, spec in raw_columns.items():
            target, separator = (
                (spec, None)
                if isinstance(spec, str)
                else (
                    (spec.get("field"), spec.get("separator"))
                    if isinstance(spec, MappingABC)
                    else (None, None)
                )
            )
            if not isinstance(target, str):
                problem(
                    "mapping.option_invalid",
                    f"the column {heading!r} needs a field name or {{ field = ..., separator = ... }}",
                    spec,
                    heading,
                    "columns",
                )
            elif target not in FIELDS and target not in SPECIAL_TARGETS:
                problem(
                    "mapping.field_unknown",
                    f"{target!r} is not a field (fields: {', '.join(TARGETS)})",
                    target,
                    heading,
                    "columns",
                )
            elif separator is not None and (not isinstance(separator, str) or not separator):
                problem(
                    "mapping.option_invalid",
                    f"the separator of {heading!r} must be a non-empty text",
                    separator,
                    heading,
                    "columns",
                )
            else:
                columns.append(Column(heading=str(heading), field=target, separator=separator))
        seen: dict[str, str] = {}
        for column in columns:
            if column.field in {"extras", "ignore"}:
                continue
            if column.field in seen:
                problem(
                    "mapping.field_twice",
                    f"{column.field!r} is fed by both {seen[column.field]!r} and {column.heading!r}",
                    column.field,
                    column.heading,
                    "columns",
                )
            seen[column.field] = column.heading
        constants = document.get("constants", {})
        if not isinstance(constants, MappingABC):
            problem("mapping.option_invalid", "constants must be a table", constants, "constants")
            constants = {}
        for name in constants:
            if name not in FIELDS and name != "amount.currency":
                problem(
                    "mapping.field_unknown",
                    f"{name!r} is not a field (fields: {', '.join(FIELDS)})",
                    name,
                    name,
                    "constants",
                )
            elif name in seen:
                problem(
                    "mapping.field_twice",
                    f"{name!r} is both a constant and the column {seen[name]!r}",
                    name,
                    name,
                    "constants",
                )
        if problems:
            raise PledgeDataError(problems)
        return cls(columns=tuple(columns), constants=dict(constants), source=source, **options)

    def line_of(self, heading: str) -> int | None:
        """Return the line of the mapping file that maps ``heading`` (for located issues)."""
        if self.source is None:
            return None
        try:
            text = Path(self.source).read_text(encoding="utf-8")
        except OSError:
            return None
        return _line_of(text, heading, "columns")


def _error_line(error: tomllib.TOMLDecodeError) -> int | None:
    # Python 3.14 gives lineno; before, the line is only in the message.
    line = getattr(error, "lineno", None)
    if isinstance(line, int):
        return line
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else None


def _option_problem(key: str, value: object) -> str | None:  # noqa: C901, PLR0911 - one answer per option
    if key == "sheet":
        return (
            None
            if isinstance(value, (str, int)) and not isinstance(value, bool)
            else "a name or an index"
        )
    if key == "header_row":
        return (
            None
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1
            else "a row number from 1"
        )
    if key == "locale":
        return None if value in LOCALES else f"one of {', '.join(LOCALES)}"
    if key == "date_order":
        return None if value in {"day_first", "month_first"} else "day_first or month_first"
    if key == "month_precision":
        return None if isinstance(value, bool) else "true or false"
    if key == "ranges":
        return None if value in {"error", "low", "high", "mid"} else "error, low, high or mid"
    if key == "qualifiers":
        return None if value in {"keep", "error"} else "keep or error"
    if key == "default_currency":
        return (
            None
            if isinstance(value, str) and is_currency(value)
            else "an ISO 4217 code such as USD"
        )
    if key == "unmapped":
        return None if value in {"error", "extras", "ignore"} else "error, extras or ignore"
    if key == "delimiter":
        return None if value in {",", ";", "\t"} else "',', ';' or a tab"
    if key in {"separator", "encoding"}:
        return None if isinstance(value, str) and value else "a non-empty text"
    return None


def _line_of(text: str | None, key: str, table: str = "") -> int | None:
    """Find the line that sets ``key`` (inside ``[table]`` when given) in a TOML text."""
    if text is None:
        return None
    pattern = re.compile(
        r'^\s*(?:"'
        + re.escape(key.replace('"', '\\"'))
        + r'"|'
        + r"'"
        + re.escape(key)
        + r"'|"
        + re.escape(key)
        + r")\s*="
    )
    inside = not table
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.strip("[] ") == table
            continue
        if inside and pattern.match(line):
            return number
    return None
