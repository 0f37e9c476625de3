"""JSON Schema (2020-12) and Frictionless Table Schema, generated from the model.

Everything here is derived from :mod:`._fields` (the attrs classes, their types
and their validators) and from the data the validators use (the vocabularies of
:mod:`p2c_pledges.codes`, babel's currencies, the ISO country codes, the text
and amount limits). Nothing is written by hand but the wording of titles.

The JSON Schema agrees with the readers: a document that :func:`~p2c_pledges.io.load`
accepts, the schema accepts, and the other way round, except for the rules
listed in :data:`NOT_IN_JSON_SCHEMA` (``docs/files.md`` explains each).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Literal

from .. import countries, units
from .._once import once
from .._text import REFUSED_CHARACTER, is_blank
from ..codes import SDG
from ..model import MAX_TEXT_LENGTH, Pledge
from ..money import LARGEST_AMOUNT, MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, _currencies
from ._fields import CLASSES, LINK, TABLES, Column, Kind, Rule, Table, describe, rules_of
from ._json import SCHEMA_VERSION


__all__ = [
    "NOT_IN_JSON_SCHEMA",
    "NOT_IN_TABLE_SCHEMA",
    "SCHEMA_ID",
    "datapackage",
    "json_schema",
    "table_schema",
]

#: The identifier of the JSON Schema of this layout version.
SCHEMA_ID = (
    "https://github.com/p2c-pledges/p2c-pledges/schemas/"
    f"{SCHEMA_VERSION}/pledge-document.schema.json"
)
_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TABLE_SCHEMA = "https://datapackage.org/profiles/2.0/tableschema.json"
_DATA_PACKAGE = "https://datapackage.org/profiles/2.0/datapackage.json"

#: The issue codes of the readers whose rule JSON Schema cannot say, each with why.
NOT_IN_JSON_SCHEMA: Mapping[str, str] = MappingProxyType(
    {
        "id.duplicate": "uniqueness of one property across the items of an array",
        "period.order": "a comparison between two fields (period_end before period_start)",
        "list.duplicate": "items that are equal once read but written differently "
        "(GHA and GH, 1.0 and 1.00, a pledger with and without its derived region); "
        "items written the same are refused by uniqueItems",
        "unit.unknown": "whether pint knows a unit (the schema checks its syntax only)",
        "unit.dimension": "whether a unit measures what the metric counts",
        "value.out_of_range": "the digit limits of an amount written with an exponent "
        "(1E+25), and exponents beyond what a Decimal holds",
        "progress.range": "the range of a progress share written with an exponent (5E+1)",
        "amount.negative": "the sign of an amount written with an exponent (-5E+2)",
        "text.encoding": "a lone surrogate (a \\ud800 escape): validators hold strings in "
        "UTF-8 or UTF-16 and their patterns see it differently (jsonschema-rs cannot hold one)",
    }
)

#: The issue codes of the CSV reader whose rule the Table Schema cannot say, each with
#: why: ``frictionless validate`` passes a cell the library refuses with one of these.
NOT_IN_TABLE_SCHEMA: Mapping[str, str] = MappingProxyType(
    {
        "decimal.syntax": "the Table Schema's number is XML Schema's decimal with an exponent, "
        "NaN and INF: it reads +1, .5, 5. and spaces around a number (frictionless also "
        "1_000 and other scripts' digits), which are not JSON numbers",
        "date.syntax": "a date type has no pattern: frictionless reads 2022-6-7 (one-digit "
        "month and day) as a date",
        "value.out_of_range": "the digits after the decimal point of an amount or a "
        "target's value (the maximum bounds those before it)",
        "list.duplicate": "a value repeated within a ';'-joined cell (GH;GH, GH;GHA)",
        "unit.unknown": "whether pint knows a unit (the schema checks its syntax only)",
        "unit.dimension": "whether a unit measures what the metric counts",
        "period.order": "a comparison between two cells (period_end before period_start)",
    }
)

# Python's str.isspace(), spelled out so that the patterns mean the same in
# ECMA-262 (where \s is a slightly different set) and in Python's re.
_SPACE_BUT_BLANK = (
    "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)
_SPACE = " " + _SPACE_BUT_BLANK


def _class_of(code_points: list[int]) -> str:
    """The inside of a character class of code points, as ranges of \\u escapes.

    Code points beyond the BMP are written as themselves: a \\u escape is one
    UTF-16 unit in ECMA-262, and Ajv reads patterns with the ``u`` flag.
    """
    parts = []
    start = 0
    while start < len(code_points):
        end = start
        while end + 1 < len(code_points) and code_points[end + 1] == code_points[end] + 1:
            end += 1
        first, last = code_points[start], code_points[end]
        parts.append(_escaped(first) if first == last else f"{_escaped(first)}-{_escaped(last)}")
        start = end + 1
    return "".join(parts)


def _escaped(code_point: int) -> str:
    return f"\\u{code_point:04x}" if code_point <= 0xFFFF else chr(code_point)


# The text rule (p2c_pledges._text): the C0 controls no text holds, and the
# characters that show nothing (white space and Unicode's format characters, Cf,
# which lie in planes 0 and 1 and among the tags of plane 14). Lone surrogates
# are beyond the schema (NOT_IN_JSON_SCHEMA).
_CONTROL = _class_of([point for point in range(0x20) if REFUSED_CHARACTER.match(chr(point))])


@once
def _blank() -> str:
    points = [*range(0x20000), *range(0xE0000, 0xE1000)]
    return _class_of(
        [
            point
            for point in points
            if is_blank(chr(point)) and not REFUSED_CHARACTER.match(chr(point))
        ]
    )


def _text_inner() -> str:
    """A text with a visible character and no control: blanks, the first visible one, the rest.

    The three parts cannot match the same character two ways, so no string
    makes a validator backtrack. Unanchored: the Table Schema's form
    (Frictionless matches ``^pattern$``).
    """
    blank = _blank()
    return f"[{blank}]*[^{blank}{_CONTROL}][^{_CONTROL}]*"


def _text_pattern() -> str:
    """The text rule as a JSON Schema pattern (anchored)."""
    return _anchored(_text_inner())


# "$" also matches before a final newline in Python's re, which a JSON Schema
# validator written in Python uses; the lookahead makes it the end, in both.
_END = "$(?!\\n)"
_EXPONENT = "[eE][+-]?[0-9]+"
_AMOUNT = (
    f"(?:0|[1-9][0-9]{{0,{MAX_INTEGER_DIGITS - 1}}})(?:\\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?"
    f"|-0(?:\\.0{{1,{MAX_FRACTION_DIGITS}}})?"
    f"|-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?{_EXPONENT}"
)
# Above zero (a digit 1-9 before any exponent), within Money's digit limits
# when written without an exponent, as the model checks a target's value.
_POSITIVE = (
    f"(?=[0-9.]*[1-9])(?:(?:0|[1-9][0-9]{{0,{MAX_INTEGER_DIGITS - 1}}})"
    f"(?:\\.[0-9]{{1,{MAX_FRACTION_DIGITS}}})?"
    f"|(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?{_EXPONENT})"
)
_SHARE = f"0(?:\\.[0-9]+)?|1(?:\\.0+)?|-0(?:\\.0+)?|-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?{_EXPONENT}"
# A date as datetime.date.fromisoformat reads YYYY-MM-DD: years 0001 to 9999, the
# days of each month, 29 February in leap years only. The pattern says all of
# it, so that validators whose `format: date` is laxer (Ajv and jsonschema-rs
# accept the year 0000) or that do not assert formats read dates alike.
# Each alternative is told apart by its first characters, so nothing backtracks.
_YEAR = "(?:[1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DATE = (
    f"{_YEAR}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    "|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)"
    "|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    f"|{_LEAP_YEAR}-02-29"
)
_URL = f"https?://[^{_SPACE}{_CONTROL}]*"


#: The largest amount a Money holds, as the Table Schema bounds numbers (a string, exact).
_LARGEST_AMOUNT = str(LARGEST_AMOUNT)

_MAX_UNIT_LENGTH = units._MAX_UNIT_LENGTH  # noqa: SLF001 - the same package


def _unit_syntax() -> str:
    pattern = units._UNIT_SYNTAX.pattern  # noqa: SLF001 - the same package
    return pattern.replace("[^\\S ]", f"[{_SPACE_BUT_BLANK}]").replace("\\s", f"[{_SPACE}]")


def _anchored(pattern: str) -> str:
    return f"^(?:{pattern}){_END}"


@once
def _country_codes() -> list[str]:
    names, alpha2_of = countries._codes()  # noqa: SLF001 - the same package
    return sorted([*names, *alpha2_of])


def _enum_values(kind: type) -> list[Any]:
    return [member.value for member in kind]  # type: ignore[attr-defined]


def _json_value(value: Any) -> Any:
    """The JSON form of a default value."""
    if isinstance(value, tuple):
        return [_json_value(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    return getattr(value, "value", value)


def _enum_schema(rule: Rule) -> dict[str, Any]:
    if rule.of is SDG:
        return {"type": "integer", "enum": _enum_values(SDG)}
    return {"type": "string", "enum": _enum_values(rule.of)}  # type: ignore[arg-type]


# The JSON Schema of one value of each kind (an item, for a list).
_JSON_OF_KIND: dict[Kind, Callable[[Rule], dict[str, Any]]] = {
    Kind.TEXT: lambda _: {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_TEXT_LENGTH,
        "pattern": _text_pattern(),
    },
    Kind.ENUM: _enum_schema,
    Kind.DATE: lambda _: {"type": "string", "format": "date", "pattern": _anchored(_DATE)},
    Kind.AMOUNT: lambda _: {"type": "string", "pattern": _anchored(_AMOUNT)},
    Kind.POSITIVE: lambda _: {"type": "string", "pattern": _anchored(_POSITIVE)},
    Kind.SHARE: lambda _: {"type": "string", "pattern": _anchored(_SHARE)},
    Kind.CURRENCY: lambda _: {
        "type": "string",
        "pattern": _anchored("[A-Z]{3}"),
        "enum": sorted(_currencies()),
    },
    Kind.COUNTRY: lambda _: {
        "type": "string",
        "pattern": _anchored("[A-Z]{2,3}"),
        "enum": _country_codes(),
    },
    Kind.URL: lambda _: {
        "type": "string",
        "maxLength": MAX_TEXT_LENGTH,
        "pattern": _anchored(_URL),
    },
    Kind.UNIT: lambda _: {
        "type": "string",
        "maxLength": _MAX_UNIT_LENGTH,
        "pattern": _anchored(_unit_syntax()),
    },
    Kind.OBJECT: lambda rule: {"$ref": f"#/$defs/{rule.of.__name__}"},  # type: ignore[union-attr]
}


def _property(rule: Rule) -> dict[str, Any]:
    schema = _JSON_OF_KIND[rule.kind](rule)
    if rule.many:
        schema = {"type": "array", "items": schema, "uniqueItems": True}
        if rule.non_empty:
            schema["minItems"] = 1
    if rule.optional and rule.kind is Kind.OBJECT:
        # null first: Ajv reports the errors of each branch in order, and the
        # other validators report the anyOf, so all three then locate an error
        # in a nullable object (amount) at the object, not two places.
        schema = {"anyOf": [{"type": "null"}, schema]}
    elif rule.optional:
        schema = {"anyOf": [schema, {"type": "null"}]}
    described: dict[str, Any] = {"title": _title(rule.name)}
    if rule.description:
        described["description"] = rule.description
    if not rule.required:
        described["default"] = _json_value(rule.default)
    return {**described, **schema}


def _title(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _class_schema(cls: type) -> dict[str, Any]:
    summary, _ = describe(cls)
    rules = rules_of(cls)
    return {
        "title": cls.__name__,
        "description": summary,
        "type": "object",
        "properties": {rule.name: _property(rule) for rule in rules},
        "required": [rule.name for rule in rules if rule.required],
        "additionalProperties": False,
    }


# The name, in the document schema's $defs, of a bare array of pledges.
_BARE_ARRAY = "Pledges"


@once
def _json_schema(root: str) -> dict[str, Any]:
    definitions = {cls.__name__: _class_schema(cls) for cls in CLASSES}
    if root == "pledge":
        return {
            "$schema": _DIALECT,
            "$id": SCHEMA_ID.replace("pledge-document", "pledge"),
            **definitions["Pledge"],
            "$defs": {name: value for name, value in definitions.items() if name != "Pledge"},
        }
    # The envelope is the root, not an anyOf of it and a bare array: through an
    # anyOf, validators report every error once, at the root, with the whole
    # document in the message, instead of at /pledges/0/pledger/country.
    definitions[_BARE_ARRAY] = {
        "title": "Pledges",
        "description": "A bare array of pledges, which the readers accept as a document too.",
        "type": "array",
        "items": {"$ref": "#/$defs/Pledge"},
        # No uniqueItems, although two equal pledges share an id (id.duplicate):
        # validators compare objects pairwise, which is quadratic in the number
        # of pledges (python-jsonschema cannot sort dicts). The lists within a
        # pledge are short and have it.
    }
    return {
        "$schema": _DIALECT,
        "$id": SCHEMA_ID,
        "title": "Partner2Connect pledges",
        "description": "A document of pledges made to ITU's Partner2Connect Digital "
        f'Coalition: {{"schema_version": "{SCHEMA_VERSION}", "pledges": [...]}}. '
        f"A bare array of pledges is #/$defs/{_BARE_ARRAY}. " + describe(Pledge)[0],
        "type": "object",
        "properties": {
            "schema_version": {
                "title": "Schema version",
                "description": "The version of this layout; readers accept every 1.x.",
                "type": "string",
                "pattern": _anchored("1\\.[0-9]+"),
                "examples": [SCHEMA_VERSION],
            },
            "pledges": {
                "title": "Pledges",
                "$ref": f"#/$defs/{_BARE_ARRAY}",
            },
        },
        "required": ["schema_version", "pledges"],
        "additionalProperties": False,
        "$defs": definitions,
    }


def json_schema(
    root: Literal["document", "pledge"] = "document", *, ref_template: str | None = None
) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a pledge document, generated from the model.

    Args:
        root: ``"document"`` for a JSON file: the envelope is the root, and
            ``$defs`` holds ``Pledges``, the schema of a bare array of pledges
            (the readers accept both); ``"pledge"`` for one pledge, such as a
            line of a JSON Lines file.
        ref_template: Where the definitions will live in another document, such
            as ``"#/components/schemas/{name}"`` for OpenAPI 3.1: every reference
            is written with it, and the schema has no ``$id`` (which would make
            them relative to the schema's own URI). Move ``$defs`` there:
            ``components = schema.pop("$defs")``. By default references are
            ``#/$defs/{name}``, within the schema.

    The rules that JSON Schema cannot say are listed in
    :data:`~p2c_pledges.io.NOT_IN_JSON_SCHEMA`. Dates have ``format: date`` and a
    pattern that says the calendar, for validators that do not assert formats.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2
       ``ref_template``. The document's root is the envelope (it was an ``anyOf``
       of the envelope and a bare array), so that validators locate errors at
       ``/pledges/0/...``; the bare array is ``#/$defs/Pledges``.
    """
    if root not in ("document", "pledge"):
        raise ValueError(f"root is 'document' or 'pledge', not {root!r}")
    schema = copy.deepcopy(_json_schema(root))
    if ref_template is None:
        return schema
    if "{name}" not in ref_template:
        raise ValueError(
            f"ref_template must hold '{{name}}', as '#/components/schemas/{{name}}' does, not {ref_template!r}"
        )
    del schema["$id"]
    _rewrite_refs(schema, ref_template)
    return schema


def _rewrite_refs(value: Any, ref_template: str) -> None:
    """Write every ``#/$defs/NAME`` reference in ``value`` with ``ref_template``, in place."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                item["$ref"] = ref_template.format(name=ref.removeprefix("#/$defs/"))
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


# -- Table Schema -------------------------------------------------------------------


def _list_pattern(item: str) -> str:
    return f"(?:{item})(?:;(?:{item}))*"


def _one_of(words: list[str]) -> str:
    """A pattern that matches exactly the words, written as a trie.

    At each character one branch at most can go on (``GH(?:A)?``, not ``GH|GHA``),
    so a list of them never makes a validator backtrack.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for character in word:
            node = node.setdefault(character, {})
        node[""] = {}
    return _branches(trie)


def _branches(node: dict[str, Any]) -> str:
    branches = [re.escape(key) + _branches(child) for key, child in sorted(node.items()) if key]
    if not branches:
        return ""
    body = "|".join(branches)
    if "" in node:
        return f"(?:{body})?"
    return body if len(branches) == 1 else f"(?:{body})"


# The Table Schema type and constraints of a cell of each kind (not a list).
_CELL_OF_KIND: dict[Kind, Callable[[Rule], dict[str, Any]]] = {
    Kind.TEXT: lambda _: {
        "type": "string",
        # Frictionless matches "^pattern$": the text rule, unanchored (one way to
        # match each character).
        "constraints": {"minLength": 1, "maxLength": MAX_TEXT_LENGTH, "pattern": _text_inner()},
    },
    Kind.ENUM: lambda rule: {
        "type": "string",
        "constraints": {"enum": _enum_values(rule.of)},  # type: ignore[arg-type]
    },
    Kind.DATE: lambda _: {"type": "date"},
    # The largest amount bounds the digits before the point (and refuses INF,
    # which the Table Schema's number type reads); those after it are beyond the
    # Table Schema (NOT_IN_TABLE_SCHEMA).
    Kind.AMOUNT: lambda _: {
        "type": "number",
        "constraints": {"minimum": 0, "maximum": _LARGEST_AMOUNT},
    },
    Kind.POSITIVE: lambda _: {
        "type": "number",
        "constraints": {"exclusiveMinimum": 0, "maximum": _LARGEST_AMOUNT},
    },
    Kind.SHARE: lambda _: {"type": "number", "constraints": {"minimum": 0, "maximum": 1}},
    Kind.CURRENCY: lambda _: {"type": "string", "constraints": {"enum": sorted(_currencies())}},
    Kind.COUNTRY: lambda _: {"type": "string", "constraints": {"enum": _country_codes()}},
    Kind.URL: lambda _: {
        "type": "string",
        "format": "uri",
        "constraints": {"maxLength": MAX_TEXT_LENGTH, "pattern": _URL},
    },
    Kind.UNIT: lambda _: {
        "type": "string",
        "constraints": {"maxLength": _MAX_UNIT_LENGTH, "pattern": _unit_syntax()},
    },
}


def _cell(column: Column) -> dict[str, Any]:
    rule = column.rule
    if not rule.many:
        return _CELL_OF_KIND[rule.kind](rule)
    if rule.kind is Kind.ENUM:
        values = [str(value) for value in _enum_values(rule.of)]  # type: ignore[arg-type]
    elif rule.kind is Kind.COUNTRY:
        values = _country_codes()
    else:
        raise RuntimeError(f"a list of {rule.kind.value} has no Table Schema pattern")
    return {"type": "string", "constraints": {"pattern": _list_pattern(_one_of(values))}}


def _field(column: Column) -> dict[str, Any]:
    cell = _cell(column)
    field: dict[str, Any] = {
        "name": column.heading,
        "title": _title(column.heading.replace("/", " ")),
    }
    description = column.rule.description
    if column.rule.many:
        description = (description + " " if description else "") + "Values separated by ';'."
    if description:
        field["description"] = description
    field.update(cell)
    if column.required:
        field.setdefault("constraints", {})["required"] = True
    return field


def _table(name: str) -> Table:
    for table in TABLES:
        if table.name == name:
            return table
    raise ValueError(f"no table {name!r}; the tables are {', '.join(t.name for t in TABLES)}")


@once
def _table_schema(name: str) -> dict[str, Any]:
    table = _table(name)
    schema: dict[str, Any] = {
        "$schema": _TABLE_SCHEMA,
        "fields": [_field(column) for column in table.columns],
        "missingValues": [""],
    }
    if table.field is None:
        schema["primaryKey"] = ["id"]
    else:
        schema["foreignKeys"] = [
            {"fields": [LINK], "reference": {"resource": "pledges", "fields": ["id"]}}
        ]
    return schema


def table_schema(table: str = "pledges") -> dict[str, Any]:
    """Return the Frictionless Table Schema (v2) of one CSV table, generated from the model.

    Args:
        table: ``"pledges"`` (one row per pledge), or a child table linked by
            ``pledge_id``: ``"targets"``, ``"co_pledgers"``.

    .. versionadded:: 0.1.0
    """
    return copy.deepcopy(_table_schema(table))


def datapackage(paths: dict[str, str]) -> dict[str, Any]:
    """Return the Data Package descriptor of CSV tables, given each table's file name."""
    return {
        "$schema": _DATA_PACKAGE,
        "name": "p2c-pledges",
        "title": "Partner2Connect pledges",
        "description": describe(Pledge)[0],
        "resources": [
            {
                "name": table.name,
                "type": "table",
                "path": paths[table.name],
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                # Said, so that no reader guesses it from the data (an apostrophe
                # or a tab in a cell can mislead a sniffer).
                "dialect": {
                    "header": True,
                    "delimiter": ",",
                    "quoteChar": '"',
                    "doubleQuote": True,
                    "lineTerminator": "\r\n",
                },
                "schema": table_schema(table.name),
            }
            for table in TABLES
        ],
    }
