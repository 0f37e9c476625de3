"""Problems found in pledge data, each with a stable code and a location.

Every reader and validator of the library reports problems as :class:`Issue`
objects and raises them together in one :class:`PledgeDataError`, so a user
sees every problem of a file at once instead of fixing them one run at a time.
"""

from __future__ import annotations

import enum
import json
import math
import os
import re
import reprlib
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from types import MappingProxyType
from typing import Any, NamedTuple, Self

import attrs
from attrs import define, field


__all__ = ["CODES", "Code", "Issue", "PledgeDataError", "Severity", "codes_of"]


class Severity(enum.Enum):
    """How bad an issue is: an ``error`` makes the data invalid, a ``warning`` does not."""

    ERROR = "error"
    WARNING = "warning"


class Code(NamedTuple):
    """What an issue code means, which part of the library raises it, and how bad it is.

    .. versionadded:: 0.2
    """

    meaning: str
    #: ``read`` (the file readers and writers), ``workbook`` (the library's own
    #: .xlsx), ``rule`` (:mod:`p2c_pledges.rules`), ``model`` (the fields' rules),
    #: ``money`` (:meth:`Money.parse <p2c_pledges.Money.parse>`, formatting),
    #: ``rate`` (exchange rates and rate tables) or ``sheet`` (the sheet import).
    area: str
    severity: Severity = Severity.ERROR


#: Every issue code the library raises, declared once: its meaning, its area and its
#: severity. ``io.ISSUE_CODES``, ``rules.RULE_CODES``, ``sheets.ISSUE_CODES`` and
#: ``conformance.ALL_CODES`` are views of it (:func:`codes_of`), and a test fails
#: when the source raises a code that is not here.
#:
#: .. versionadded:: 0.2
CODES: Mapping[str, Code] = MappingProxyType(
    {
        # The readers and writers (p2c_pledges.io).
        "json.syntax": Code("the file is not valid JSON (the row is the line)", "read"),
        "json.depth": Code(
            "arrays and objects nest deeper than the reader follows (the recursion limit)", "read"
        ),
        "key.duplicate": Code(
            "a JSON object writes one key twice (the record is not read: a value is lost)", "read"
        ),
        "file.encoding": Code("the file is not UTF-8", "read"),
        "document.type": Code("a JSON document is neither an object nor an array", "read"),
        "schema_version.unsupported": Code(
            "a schema_version this library does not read (not 1.x)", "read"
        ),
        "key.missing": Code("a required key (or a required cell) is absent", "read"),
        "key.unknown": Code(
            "a key the model does not know (the default for unknown keys)", "read"
        ),
        "key.dropped": Code(
            "a warning: an unknown key was dropped, as unknown='drop' asked",
            "read",
            Severity.WARNING,
        ),
        "key.conflict": Code(
            "two kept keys name one extra, or (writing) an extra key is a field or column", "read"
        ),
        "cell.too_long": Code(
            "(writing) a cell longer than the file takes back: a CSV cell beyond "
            "csv.field_size_limit() (131,072 characters by default), a workbook cell beyond 32,767",
            "read",
        ),
        "value.type": Code(
            "a value of the wrong JSON type: a number for a string, a string for a list", "read"
        ),
        "value.invalid": Code(
            "a value the converter refused for a reason it did not name", "read"
        ),
        "decimal.syntax": Code(
            "a decimal string that is not a JSON number (1,5 or +1 or 1_000)", "read"
        ),
        "date.syntax": Code("a date that is not a calendar date written YYYY-MM-DD", "read"),
        "column.unknown": Code("a CSV column the model does not know", "read"),
        "column.missing": Code("a CSV table lacks a required column", "read"),
        "column.duplicate": Code("a CSV header names a column twice", "read"),
        "csv.row_length": Code("a CSV row has more or fewer cells than the header", "read"),
        "csv.syntax": Code("the file is not valid CSV (a stray quote, a cell too long)", "read"),
        "pledge_id.unknown": Code(
            "a child table's row names a pledge the main table does not have", "read"
        ),
        "datapackage.invalid": Code("the data package descriptor is not usable", "read"),
        "datapackage.path": Code(
            "a resource's file is missing, unreadable, outside the descriptor's folder (through a link too), or another table's",
            "read",
        ),
        "datapackage.changed": Code(
            "a table is not the one whose hash the descriptor records", "read"
        ),
        "issues.limit": Code("the read stopped at max_issues; there may be more", "read"),
        "text.encoding": Code(
            "a text holds a lone surrogate (a JSON \\ud800 escape), which UTF-8 cannot", "read"
        ),
        # The library's own workbook (p2c_pledges.io: .xlsx); the sheet import raises them too.
        "file.unreadable": Code(
            "the file cannot be read as what its name says: a damaged workbook, a rate table that is not CSV",
            "workbook",
        ),
        "sheet.unknown": Code("the workbook has no sheet of that name or index", "workbook"),
        "cell.precision": Code("a number cell of more than 15 significant digits", "workbook"),
        "cell.number": Code("a number cell that is not finite", "workbook"),
        "cell.unwritable": Code(
            "(writing) a text a workbook cell cannot hold: an empty extra, or U+FFFE or U+FFFF",
            "workbook",
        ),
        # The rules that span fields or records (p2c_pledges.rules).
        "id.duplicate": Code("two pledges of one file share an id", "rule"),
        "period.order": Code("period_end is before period_start", "rule"),
        "amount.negative": Code("an amount below zero", "rule"),
        "amount.missing": Code(
            "a financial pledge that states no amount", "rule", Severity.WARNING
        ),
        "value_date.after_end": Code(
            "the value date is after the end of the pledge's period", "rule", Severity.WARNING
        ),
        "value_date.unused": Code(
            "a value date on a pledge without an amount", "rule", Severity.WARNING
        ),
        "progress.status": Code(
            "a completed pledge whose progress share is not 1", "rule", Severity.WARNING
        ),
        "pledger.region": Code(
            "a pledger's given region is not its country's", "rule", Severity.WARNING
        ),
        "pledger.repeated": Code(
            "the pledger is also listed as a co-pledger", "rule", Severity.WARNING
        ),
        "currency.withdrawn": Code(
            "a pledge dated after its currency's last day of legal tender",
            "rule",
            Severity.WARNING,
        ),
        "text.empty": Code("a text field is empty or blank", "model"),
        "text.too_long": Code("a text field is longer than 100,000 characters", "model"),
        "text.control": Code(
            "a text holds a C0 control character other than tab, LF and CR", "model"
        ),
        "value.enum": Code("a value that is not in the field's vocabulary", "model"),
        "list.empty": Code("a list that needs at least one value is empty", "model"),
        "list.duplicate": Code(
            "a list names the same value twice (once read: GHA and GH are one)", "model"
        ),
        "sdg.range": Code("an SDG number outside 1 to 17", "model"),
        "value.not_positive": Code("a target's value is not above zero", "model"),
        "value.out_of_range": Code("a number beyond 20 integer or 18 fraction digits", "model"),
        "value.float_money": Code("an amount given as a float (in JSON: a number)", "model"),
        "value.not_finite": Code("an amount that is NaN or infinite", "model"),
        "progress.range": Code("a progress share outside 0 to 1", "model"),
        "url.invalid": Code("a source URL that is not http(s) or holds a space", "model"),
        "currency.unknown": Code("a code that is not ISO 4217 (codes are upper-case)", "model"),
        "currency.not_money": Code(
            "an ISO 4217 code that is not money for a pledge (XXX, XTS, metals, fund units)",
            "model",
        ),
        "country.unknown": Code("a code that is not ISO 3166-1", "model"),
        "unit.unknown": Code("a unit pint does not know", "model"),
        "unit.dimension": Code("a unit that does not measure what the metric counts", "model"),
        "money.unparsable": Code("a text that is not one amount", "money"),
        "currency.ambiguous": Code(
            "a sign several currencies share ($, kr), and no default among them", "money"
        ),
        "currency.missing": Code("an amount that names no currency, and no default", "money"),
        "currency.conflict": Code("an amount that names two currencies", "money"),
        "locale.unknown": Code("a locale babel does not know", "money"),
        "rate.no_source": Code("converting: no rate source knows the currency", "rate"),
        "rate.missing": Code(
            "converting: no rate fits the policy for the currency and date", "rate"
        ),
        "rate.invalid": Code("a rate table: a rate that is not above zero", "rate"),
        "rate.not_number": Code("a rate table: a rate that is not a number", "rate"),
        "rate.conflict": Code(
            "a rate table: rows of one currency and date disagree, and no rule decides", "rate"
        ),
        "frequency.invalid": Code("a rate table: a frequency other than D, M or A", "rate"),
        "date.invalid": Code(
            "a rate table: a date that is not a calendar date written YYYY-MM-DD", "rate"
        ),
        "row.length": Code("a rate table: a row with more or fewer cells than the header", "rate"),
        # Importing the sheets people hold (p2c_pledges.sheets).
        "file.format": Code(
            "the file is not a sheet the import reads (.xlsx, .xlsm, .ods, .csv)", "sheet"
        ),
        "heading.missing": Code("no row of the sheet holds the headings", "sheet"),
        "column.unmapped": Code(
            "a heading that the mapping does not name (unmapped = 'error')", "sheet"
        ),
        "cell.formula_uncached": Code("a formula cell with no cached value", "workbook"),
        "cell.error": Code(
            "a cell holding an error value (#N/A, #DIV/0!...) where a value was expected",
            "workbook",
        ),
        "cell.merged": Code(
            "a data cell covered by a merged cell: whether its value is each row's or "
            "one for them all, the sheet does not say",
            "sheet",
        ),
        "row.blank": Code(
            "a warning: a blank row inside the table, skipped", "sheet", Severity.WARNING
        ),
        "row.hidden": Code(
            "a warning: a row hidden in the sheet, read like the others", "sheet", Severity.WARNING
        ),
        "value.ambiguous": Code("a label or synonym that names several values", "sheet"),
        "country.ambiguous": Code("a country name that names several countries", "sheet"),
        "beneficiary.group_narrowed": Code(
            "a warning: 'Pacific SIDS' read as SIDS (the narrowing is logged)",
            "sheet",
            Severity.WARNING,
        ),
        "amount.range": Code(
            "a range, and no ranges rule in the mapping (a warning once a rule chose)", "sheet"
        ),
        "amount.qualifier": Code(
            "a warning: a qualifier (approx., over 3 years) kept in extras",
            "sheet",
            Severity.WARNING,
        ),
        "amount.in_kind": Code(
            "a warning: an in-kind pledge, no amount", "sheet", Severity.WARNING
        ),
        "date.order": Code("an all-digit date, and no date_order in the mapping", "sheet"),
        "date.imprecise": Code(
            "a month without a day (an error, or a warning with month_precision)", "sheet"
        ),
        "date.time_dropped": Code(
            "a warning: a date cell with a time of day, the time dropped",
            "sheet",
            Severity.WARNING,
        ),
        "target.unparsed": Code(
            "a warning: a target text of no simple shape, kept in the description",
            "sheet",
            Severity.WARNING,
        ),
        "mapping.syntax": Code("the mapping file is not valid TOML", "sheet"),
        "mapping.type": Code("the mapping is not a table", "sheet"),
        "mapping.option_unknown": Code("an option the mapping does not have", "sheet"),
        "mapping.option_invalid": Code("an option with a wrong value", "sheet"),
        "mapping.field_unknown": Code(
            "a column or constant names a field that does not exist", "sheet"
        ),
        "mapping.field_twice": Code(
            "two columns, or a column and a constant, feed one field", "sheet"
        ),
        "mapping.field_missing": Code(
            "no column or constant feeds a field every pledge needs", "sheet"
        ),
        "mapping.heading_missing": Code(
            "the mapping names a heading that the sheet lacks", "sheet"
        ),
    }
)


def codes_of(*areas: str) -> Mapping[str, str]:
    """The codes of some areas of :data:`p2c_pledges.errors.CODES`, with their meanings, read-only.

    .. versionadded:: 0.2
    """
    unknown = set(areas) - {code.area for code in CODES.values()}
    if unknown:
        raise ValueError(f"no area {sorted(unknown)}; the areas are those of errors.Code")
    return MappingProxyType(
        {name: code.meaning for name, code in CODES.items() if code.area in areas}
    )


class _Brief(reprlib.Repr):
    """reprlib's bounded repr, that also survives an int too long for ``str()``."""

    def repr_int(self, x: int, level: int) -> str:
        try:
            return super().repr_int(x, level)
        except ValueError:  # beyond sys.get_int_max_str_digits()
            return f"<an int of {x.bit_length()} bits>"


_BRIEF = _Brief()
_BRIEF.maxlevel = 3
_BRIEF.maxstring = _BRIEF.maxother = _BRIEF.maxlong = 80


def brief_repr(value: object) -> str:
    """The repr of a value, for a message: about 80 characters at most, and never an exception.

    A message names the value it is about, but a 10 MB string, an int of 5,000
    digits (whose ``str()`` Python refuses) or a list nested 3,000 deep must not
    become a 10 MB message, nor an exception other than the one being raised.
    """
    try:
        return _BRIEF.repr(value)
    except Exception:  # noqa: BLE001 - a repr that fails still gets a name
        return f"<a {type(value).__name__}>"


def brief_text(text: str) -> str:
    """A text for a message, its middle elided beyond 80 characters (a Decimal of 5,000 digits)."""
    return text if len(text) <= _BRIEF.maxother else text[:38] + "..." + text[-38:]


def _severity(value: Severity | str) -> Severity:
    # Severity("error") is Severity.ERROR: a string severity must not pass as a
    # string that raise_for_errors and Severity.ERROR comparisons never match.
    try:
        return Severity(value)
    except ValueError:
        raise ValueError(
            f"severity is a Severity ('error' or 'warning'), not {brief_repr(value)}"
        ) from None


def _file(value: str | os.PathLike[str] | None) -> str | None:
    # A path object names a file as well as its text does.
    return os.fspath(value) if isinstance(value, os.PathLike) else value


def _text_or_none(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise TypeError(
            f"{type(instance).__name__}.{attribute.name} is a str or None, "
            f"not {type(value).__name__} ({brief_repr(value)})"
        )


def _text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(
            f"{type(instance).__name__}.{attribute.name} is a str, "
            f"not {type(value).__name__} ({brief_repr(value)})"
        )


def _row(_instance: object, _attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError(
            f"Issue.row is an int or None, not {type(value).__name__} ({brief_repr(value)})"
        )


@define(frozen=True, kw_only=True)
class Issue:
    """One problem, located.

    Attributes:
        code: A stable, dotted identifier such as ``currency.unknown``; programs
            match on it, people read ``message``.
        message: A human sentence that names the problem and the value.
        value: The offending value as it was given (``None`` when there is none).
        path: The JSON path of the value (``$.pledges[3].amount.currency``), or
            ``$`` for the document as a whole.
        severity: ``Severity.ERROR`` unless the data stays usable.
        file: The file the value came from, when it came from a file.
        row: The 1-based line of the file (CSV data rows count from 2, after
            the header; JSON Lines count from 1).
        column: The CSV column heading, when there is one.
        cell: The spreadsheet cell, as ``Pledges!I7``, when the value came from
            a sheet (``p2c_pledges.sheets``).

    An issue is hashable whatever its value (a list, a set): the hash leaves the
    value out, equality does not. ``severity`` may be given as its wire value
    (``"warning"``) and is kept as the :class:`Severity`; ``file`` may be a path
    object and is kept as its text. A field of the wrong type is a ``TypeError``
    (a ``ValueError`` for an unknown severity), at once.

    .. versionchanged:: 0.2
       ``cell``.
    """

    code: str = field(validator=_text)
    message: str = field(validator=_text)
    value: Any = field(default=None, hash=False, repr=brief_repr)
    path: str = field(default="$", validator=_text)
    severity: Severity = field(default=Severity.ERROR, converter=_severity)
    file: str | None = field(default=None, converter=_file, validator=_text_or_none)
    row: int | None = field(default=None, validator=_row)
    column: str | None = field(default=None, validator=_text_or_none)
    cell: str | None = field(default=None, validator=_text_or_none)

    def location(self) -> str:
        """Say where the issue is, as ``file:row [column] path`` (``file Sheet!I7 [column] path`` for a sheet)."""
        parts = []
        if self.file is not None and self.cell is not None:
            parts.append(f"{self.file} {self.cell}")
        elif self.file is not None:
            parts.append(self.file if self.row is None else f"{self.file}:{self.row}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"[{self.column}]")
        parts.append(self.path)
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.code}: {self.message}"

    @property
    def pointer(self) -> str:
        """Where the value is, as a JSON Pointer (RFC 6901); ``$.a[0]["b.c"]`` is ``/a/0/b.c``.

        ``$`` (the whole document) is the empty pointer ``""``.

        .. versionadded:: 0.2
        """
        tokens = [str(step) for step in path_steps(self.path)]
        return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as JSON-ready data: every value is one that JSON can hold.

        The keys are the attributes, the severity's wire value and ``pointer``.
        A value that JSON cannot hold becomes its text: ``inf`` and ``NaN``,
        bytes (``"b'\\xff'"``), a Decimal or a date, a string with a lone
        surrogate (escaped ``\\udc80``).

        .. versionadded:: 0.2
        """
        # Every attribute, from the class's own field list: a new one cannot be left out.
        data = {
            field.name: _json_safe(getattr(self, field.name), 0) for field in attrs.fields(Issue)
        }
        data["pointer"] = _json_safe(self.pointer, 0)
        return data


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def child_path(path: str, key: str | int) -> str:
    """Return the JSON path of ``key`` inside the value at ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _NAME.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


# One step of a JSON path as io writes it: .name, [0] or ["any key"].
_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]|\[("(?:[^"\\]|\\.)*")\]')


def path_steps(path: str) -> list[str | int]:
    """Return the keys (str) and array indexes (int) of a JSON path, as :func:`child_path` writes them.

    ``$.a[0]["b.c"]`` is ``["a", 0, "b.c"]``; a path the library does not write
    keeps its rest as one key.
    """
    steps: list[str | int] = []
    position = 1  # after the "$"
    while position < len(path):
        step = _STEP.match(path, position)
        if step is None:
            steps.append(path[position:])
            break
        name, index, quoted = step.groups()
        steps.append(
            name if name is not None else int(index) if index is not None else json.loads(quoted)
        )
        position = step.end()
    return steps


# Deeper than this, a value is written as its brief repr: json.dumps and the
# consumers of the document (a browser, jq) stop at a nesting depth of their own,
# and a list that holds itself would never end.
_MAX_JSON_DEPTH = 32


def _json_safe(value: object, depth: int) -> Any:  # noqa: C901, PLR0911 - one return per kind of value
    """Return ``value`` with what JSON cannot hold (or UTF-8 cannot encode) turned into text."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        # An int Python cannot write as text (beyond sys.get_int_max_str_digits()).
        return int(value) if value.bit_length() < _INT_TEXT_BITS else brief_repr(value)
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else str(value)
    if isinstance(value, str):
        # A lone surrogate (from a JSON "\udc80") breaks a UTF-8 response: write it escaped.
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, enum.Enum):
        return _json_safe(value.value, depth)
    if isinstance(value, (Mapping, list, tuple, set, frozenset)) and depth >= _MAX_JSON_DEPTH:
        return brief_repr(value)
    if isinstance(value, Mapping):
        return {
            str(_json_safe(key, depth + 1)): _json_safe(item, depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=brief_repr) if isinstance(value, (set, frozenset)) else value
        return [_json_safe(item, depth + 1) for item in items]
    if isinstance(value, (bytes, bytearray)):
        return brief_repr(bytes(value)) if len(value) > _BRIEF.maxstring else repr(bytes(value))
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - a value whose str() fails is still written
        text = brief_repr(value)
    return _json_safe(text, depth)


# 4300 digits (Python's default limit of int to text) need about 14,284 bits; any
# int below this many bits has fewer digits than the smallest limit Python allows (640).
_INT_TEXT_BITS = 2000


def _field_issues(value: Iterable[Issue]) -> tuple[Issue, ...]:
    given: object = value  # a caller without type checking may pass anything
    if isinstance(given, (Issue, str, bytes)) or not isinstance(given, Iterable):
        # One Issue, or a message: not a list of issues (a str would be one per letter).
        raise TypeError(
            f"a PledgeDataError takes a list of Issue objects, not a {type(given).__name__} "
            f"({brief_repr(given)}): PledgeDataError([issue]), or PledgeDataError.single(code, message)"
        )
    return tuple(value)


_UNPROCESSABLE = 422


@define(frozen=True, kw_only=False, eq=False)
class PledgeDataError(ValueError):
    """Invalid pledge data: carries every :class:`Issue` found, not only the first.

    It is a :class:`ValueError`, so code that catches bad values in general
    catches it too.
    """

    issues: tuple[Issue, ...] = field(converter=_field_issues)

    def __attrs_post_init__(self) -> None:
        if not self.issues:
            raise ValueError("a PledgeDataError needs at least one issue")
        given: tuple[object, ...] = self.issues  # a caller may pass anything
        strays = [item for item in given if not isinstance(item, Issue)]
        if strays:
            raise TypeError(f"a PledgeDataError holds Issue objects, not {strays[0]!r}")

    def __reduce__(self) -> tuple[type[PledgeDataError], tuple[tuple[Issue, ...]]]:
        # Rebuilt from its issues: the default state of an exception would be set
        # attribute by attribute, which a frozen class refuses (pickle, deepcopy).
        return (type(self), (self.issues,))

    @classmethod
    def single(
        cls,
        code: str,
        message: str,
        value: Any = None,
        path: str = "$",
        *,
        severity: Severity = Severity.ERROR,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        cell: str | None = None,
    ) -> Self:
        """The error of one located issue: the one way the library raises a single issue.

        The arguments are those of :class:`Issue`.

        .. versionadded:: 0.2
        """
        issue = Issue(
            code=code,
            message=message,
            value=value,
            path=path,
            severity=severity,
            file=file,
            row=row,
            column=column,
            cell=cell,
        )
        return cls((issue,))

    @property
    def codes(self) -> list[str]:
        """The codes of the issues, in the order they were found."""
        return [issue.code for issue in self.issues]

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"issues": [...]}``, each issue as :meth:`Issue.to_dict` gives it.

        .. versionadded:: 0.2
        """
        return {"issues": [issue.to_dict() for issue in self.issues]}

    def problem(
        self,
        *,
        status: int = 422,
        type: str = "about:blank",  # noqa: A002 - the member's name in RFC 9457
        title: str | None = None,
        instance: str | None = None,
    ) -> dict[str, Any]:
        """Return an RFC 9457 problem document (``application/problem+json``) for the error.

        With the default ``type`` (``about:blank``) the title is the HTTP
        status phrase, as the RFC asks; pass your own problem type URI and
        title to say more. The issues are in the extension member ``issues``.
        A status that no RFC names (499) has no phrase: the document then has
        no ``title`` unless one is given.

        Raises:
            ValueError: ``status`` is not an int from 100 to 599.

        .. versionadded:: 0.2
        """
        given: object = status  # a caller without type checking may pass anything
        if isinstance(given, bool) or not isinstance(given, int) or not 100 <= status <= 599:
            raise ValueError(f"status is an HTTP status code, 100 to 599, not {brief_repr(given)}")
        # RFC 9110's name for 422; Python before 3.13 still says "Unprocessable Entity".
        if status == _UNPROCESSABLE:
            phrase: str | None = "Unprocessable Content"
        else:
            try:
                phrase = HTTPStatus(status).phrase
            except ValueError:  # a code that no RFC registers (499): no phrase to give
                phrase = None
        document: dict[str, Any] = {"type": type}
        if title or phrase:
            document["title"] = title or phrase
        document["status"] = int(status)
        document["detail"] = _json_safe(str(self), 0)
        if instance is not None:
            document["instance"] = instance
        document["issues"] = self.to_dict()["issues"]
        return document

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{count} issue" + ("" if count == 1 else "s")
        return head + ":\n" + "\n".join(f"  {issue}" for issue in self.issues)
