"""What each field of the model holds, read from its type and its attrs validator.

The schemas (:mod:`._schema`) and the CSV layout (:mod:`._csv`) are generated
from this, never written by hand: a field added to the model appears in both,
and a validator this module does not know stops the generation with an error
that says so, instead of a schema that silently says less than the model.
"""

from __future__ import annotations

import enum
import inspect
import re
import types
from typing import Any, Union, get_args, get_origin

import attrs

from .._checks import checks_of
from ..model import Pledge, Pledger, Target
from ..money import Money


__all__ = ["CLASSES", "TABLES", "Column", "Kind", "Rule", "describe", "file_keys", "rules_of"]

#: The classes of a pledge document, in the order their schemas are listed.
CLASSES: tuple[type, ...] = (Pledge, Pledger, Money, Target)


class Kind(enum.Enum):
    """The kinds of value a field holds, as far as the schemas are concerned."""

    TEXT = "text"  # non-blank, at most MAX_TEXT_LENGTH characters
    ENUM = "enum"  # a vocabulary value
    DATE = "date"  # YYYY-MM-DD
    AMOUNT = "amount"  # a decimal within Money's digit limits
    POSITIVE = "positive"  # a decimal above zero
    SHARE = "share"  # a decimal from 0 to 1
    CURRENCY = "currency"  # an ISO 4217 code that babel knows
    COUNTRY = "country"  # an ISO 3166-1 alpha-2 or alpha-3 code
    URL = "url"  # an http(s) URL without spaces
    UNIT = "unit"  # a pint unit expression
    OBJECT = "object"  # one of CLASSES


@attrs.frozen(kw_only=True)
class Rule:
    """What one field holds."""

    name: str
    kind: Kind
    #: The enum (for ENUM) or the class (for OBJECT) of the value or of each item.
    of: type | None = None
    many: bool = False
    non_empty: bool = False
    optional: bool = False  # None is a value (JSON null)
    required: bool = True  # no default
    default: Any = None
    description: str | None = None


# What the model's validators say they check (p2c_pledges._checks), as a schema kind;
# None where the field's type says (which vocabulary, list of what, which class).
_KIND_OF_CHECK: dict[str, Kind | None] = {
    "text": Kind.TEXT,
    "date": Kind.DATE,
    "member": None,
    "list": None,
    "instance": None,
    "country": Kind.COUNTRY,
    "positive": Kind.POSITIVE,
    "share": Kind.SHARE,
    "url": Kind.URL,
    "unit": Kind.UNIT,
    "amount": Kind.AMOUNT,
    "currency": Kind.CURRENCY,
}


def file_keys(cls: type) -> dict[str, str]:
    """Return the key of each field of ``cls`` in a file, by attribute name (not ``extras``).

    A file holds what ``__init__`` takes, by the name it takes it: the alias
    (``region`` for Pledger's ``_given_region``); fields ``__init__`` does not take
    (Pledger's derived ``region``) are not in files.
    """
    return {
        field.name: field.alias or field.name
        for field in attrs.fields(cls)
        if field.init and field.name != "extras"
    }


def _unwrap_optional(kind: Any) -> tuple[Any, bool]:
    if get_origin(kind) in (Union, types.UnionType):
        arguments = [argument for argument in get_args(kind) if argument is not type(None)]
        if len(arguments) == 1 and len(get_args(kind)) == 2:
            return arguments[0], True
    return kind, False


def _kind_of_type(kind: Any) -> tuple[Kind, type] | None:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return Kind.ENUM, kind
    if isinstance(kind, type) and attrs.has(kind):
        return Kind.OBJECT, kind
    return None


def rules_of(cls: type) -> list[Rule]:
    """Return the rule of every field of ``cls`` that a file holds (not ``extras``).

    Raises:
        RuntimeError: A field has a validator or a type this module does not know.
    """
    descriptions = describe(cls)[1]
    rules = []
    keys = file_keys(cls)
    for field in attrs.fields(attrs.resolve_types(cls)):
        if field.name not in keys:
            continue
        name = keys[field.name]
        kind, optional = _unwrap_optional(field.type)
        many = get_origin(kind) is tuple
        item = get_args(kind)[0] if many else kind
        validator = field.validator
        try:
            checks, non_empty, _ = checks_of(validator)
        except LookupError:
            raise RuntimeError(
                f"{cls.__name__}.{name} has the validator {validator!r}, which does not say "
                "what it checks: mark it with p2c_pledges._checks.checks"
            ) from None
        said = _KIND_OF_CHECK[checks]
        typed = _kind_of_type(item)
        if said is None and typed is None:
            raise RuntimeError(f"{cls.__name__}.{name} has a type the schemas cannot say")
        has_default = field.default is not attrs.NOTHING
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        rules.append(
            Rule(
                name=name,
                kind=said if said is not None else typed[0],  # type: ignore[index]
                of=typed[1] if typed is not None else None,
                many=many,
                non_empty=non_empty,
                optional=optional,
                required=not has_default,
                default=default if has_default else None,
                description=descriptions.get(name),
            )
        )
    return rules


_SECTION = re.compile(r"^(Args|Arguments|Attributes|Raises|Returns):\s*$")
_ENTRY = re.compile(r"^(\w+)(?: \([^)]*\))?:\s*(.*)$")


def describe(cls: type) -> tuple[str, dict[str, str]]:
    """Return a class's docstring summary and its fields' descriptions (Args or Attributes)."""
    text = inspect.cleandoc(cls.__doc__ or "")
    paragraphs = text.split("\n\n")
    summary = " ".join(paragraphs[0].split()) if paragraphs and paragraphs[0] else cls.__name__
    fields: dict[str, str] = {}
    section = None
    current: str | None = None
    for line in text.splitlines():
        heading = _SECTION.match(line)
        if heading:
            section, current = heading.group(1), None
            continue
        if section not in ("Args", "Arguments", "Attributes"):
            continue
        if line and not line.startswith(" "):
            section = None
            continue
        entry = (
            _ENTRY.match(line.strip())
            if line.startswith("    ") and not line.startswith("     ")
            else None
        )
        if entry:
            current = entry.group(1)
            fields[current] = entry.group(2)
        elif current is not None and line.strip():
            fields[current] += " " + line.strip()
    # Docstrings are reST: ``code`` and :class:`~a.B` read as code and B in a schema.
    cleaned = {name: _plain(value) for name, value in fields.items()}
    return _plain(summary), cleaned


def _plain(text: str) -> str:
    text = re.sub(r":\w+:`~?(?:[\w.]+\.)?([\w]+)`", r"\1", text)
    return text.replace("``", "`")


@attrs.frozen(kw_only=True)
class Column:
    """A column of a CSV table: its heading, the path of attributes it holds, and its rule."""

    heading: str
    path: tuple[str, ...]
    rule: Rule
    required: bool


@attrs.frozen(kw_only=True)
class Table:
    """One CSV table: the main one (pledges) or a child table linked by ``pledge_id``."""

    name: str
    #: The Pledge field this child table holds (``targets``), None for the main table.
    field: str | None
    cls: type
    columns: tuple[Column, ...]


def _columns(
    cls: type, prefix: tuple[str, ...] = (), parent_required: bool = True
) -> list[Column]:
    columns = []
    for rule in rules_of(cls):
        path = (*prefix, rule.name)
        required = parent_required and rule.required
        if rule.kind is Kind.OBJECT and rule.many:
            continue  # a child table
        if rule.kind is Kind.OBJECT:
            assert rule.of is not None  # noqa: S101 - an OBJECT rule names its class
            columns += _columns(rule.of, path, required)
        else:
            columns.append(Column(heading="/".join(path), path=path, rule=rule, required=required))
    return columns


#: The heading of the column that links a child table's row to its pledge.
LINK = "pledge_id"
#: What separates the items of a list cell in CSV, and what escapes a character in
#: an item (docs/files.md): ``a\\;b`` is the one item ``a;b``.
LIST_SEPARATOR, LIST_ESCAPE = ";", "\\"


def _link_rule() -> Rule:
    (identifier,) = [rule for rule in rules_of(Pledge) if rule.name == "id"]
    return attrs.evolve(
        identifier, name=LINK, description="The id of the pledge this row belongs to."
    )


def _tables() -> tuple[Table, ...]:
    tables = [Table(name="pledges", field=None, cls=Pledge, columns=tuple(_columns(Pledge)))]
    link = Column(heading=LINK, path=(LINK,), rule=_link_rule(), required=True)
    for rule in rules_of(Pledge):
        if rule.kind is Kind.OBJECT and rule.many:
            assert rule.of is not None  # noqa: S101 - an OBJECT rule names its class
            tables.append(
                Table(
                    name=rule.name,
                    field=rule.name,
                    cls=rule.of,
                    columns=(link, *_columns(rule.of)),
                )
            )
    return tuple(tables)


#: The CSV tables of a pledge collection: ``pledges`` first, then one per list of objects.
TABLES: tuple[Table, ...] = _tables()
