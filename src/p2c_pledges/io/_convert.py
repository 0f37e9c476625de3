"""The strict cattrs converter: the reference for what a pledge file may hold.

Every reader goes through the rules written here. The readers' hand-specialized
fast path (:mod:`._fast`) only ever accepts what this converter accepts and
builds the same objects; when it declines a record, this converter reads it
again and says what is wrong, with the JSON path of each problem.

Strict means no coercion that could hide a mistake: ``"123"`` is not an int,
``1.9`` is not an int, ``"false"`` is not a bool, a string is not a list of
characters, a decimal is a string (a JSON number has already been through a
float), a date is ``YYYY-MM-DD``, an enum is one of its values.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar, get_args, get_origin, overload

import attrs
from cattrs import Converter
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .._extras import thaw
from .._syntax import DATE_SYNTAX, DECIMAL_SYNTAX, INTEGER_SYNTAX
from ..codes import VOCABULARIES
from ..errors import Issue, PledgeDataError, child_path
from ..model import Pledge, Pledger, Target
from ..money import Money
from ._fields import file_keys


__all__ = [
    "DATE_SYNTAX",
    "DECIMAL_SYNTAX",
    "INTEGER_SYNTAX",
    "child_path",
    "converter",
    "issues_from",
    "make_converter",
    "structure",
    "unstructure",
]

T = TypeVar("T")


def reroot(issue: Issue, path: str) -> Issue:
    """Return ``issue`` with its path, relative to a value (``$.currency``), moved under ``path``."""
    if path == "$":
        return issue
    return attrs.evolve(issue, path=path + issue.path[1:])


def kind_of(value: object) -> str:  # noqa: PLR0911 - one return per JSON kind
    """Name the JSON kind of a value for a message: ``a number``, ``an array``..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


def structure_str(value: Any, _type: object = str) -> str:
    """Return ``value`` if it is a string."""
    if type(value) is str:
        return value
    raise PledgeDataError.single("value.type", f"expected a string, not {kind_of(value)}", value)


def structure_decimal(value: Any, _type: object = Decimal) -> Decimal:
    """Return the Decimal written in a string, keeping its exponent (``"1.50"`` stays ``1.50``)."""
    if type(value) is str:
        if DECIMAL_SYNTAX.fullmatch(value):
            try:
                return Decimal(value)
            except InvalidOperation:  # an exponent beyond what Decimal holds
                raise PledgeDataError.single(
                    "value.out_of_range", f"{value!r} is beyond the range of a decimal", value
                ) from None
        raise PledgeDataError.single(
            "decimal.syntax",
            f"{value!r} is not a decimal number: write digits with '.' as the decimal "
            "point, such as \"1500000.00\" (no spaces, thousands separators or '+')",
            value,
        )
    if type(value) in (int, float):
        raise PledgeDataError.single(
            "value.type",
            f'a decimal is written as a string ("{value}"), not {kind_of(value)}: a JSON '
            "number is read as a float by most programs, which loses digits",
            value,
        )
    raise PledgeDataError.single(
        "value.type", f"expected a decimal string, not {kind_of(value)}", value
    )


def structure_money_amount(value: Any, _type: object = Decimal) -> Decimal:
    """Like :func:`structure_decimal`, but a JSON number is ``value.float_money``."""
    if type(value) in (int, float):
        raise PledgeDataError.single(
            "value.float_money",
            f"the amount {value!r} is a JSON number, which most programs read as a float "
            f'and so lose the written value; write it as a string ("{value}")',
            value,
        )
    return structure_decimal(value)


def structure_date(value: Any, _type: object = dt.date) -> dt.date:
    """Return the date written ``YYYY-MM-DD``."""
    if type(value) is not str:
        raise PledgeDataError.single(
            "value.type", f"expected a date string, not {kind_of(value)}", value
        )
    if DATE_SYNTAX.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise PledgeDataError.single(
        "date.syntax", f"{value!r} is not a calendar date written YYYY-MM-DD", value
    )


def _enum_hook(kind: type[enum.Enum]) -> Callable[[Any, object], enum.Enum]:
    members = {member.value: member for member in kind}
    known = ", ".join(str(member.value) for member in kind)

    if issubclass(kind, int):
        # The SDGs: an integer from 1 to 17. JSON has one kind of number, so 4.0 is 4.
        def structure_int_enum(value: Any, _type: object = kind) -> enum.Enum:
            if type(value) is float and value.is_integer():
                value = int(value)
            if type(value) is int:
                member = members.get(value)
                if member is not None:
                    return member
                raise PledgeDataError.single(
                    "sdg.range",
                    f"SDG {value} does not exist: the goals are numbered 1 to 17",
                    value,
                )
            raise PledgeDataError.single(
                "value.type", f"expected an integer, not {kind_of(value)}", value
            )

        return structure_int_enum

    def structure_enum(value: Any, _type: object = kind) -> enum.Enum:
        if type(value) is str:
            member = members.get(value)
            if member is not None:
                return member
            raise PledgeDataError.single(
                "value.enum", f"{value!r} is not a {kind.__name__} (known: {known})", value
            )
        raise PledgeDataError.single(
            "value.type", f"expected a {kind.__name__} string, not {kind_of(value)}", value
        )

    return structure_enum


def _is_tuple_of(kind: Any) -> bool:
    arguments = get_args(kind)
    return get_origin(kind) is tuple and len(arguments) == 2 and arguments[1] is Ellipsis


#: The items of one list whose issues are each reported; past them, one
#: ``issues.limit`` issue says how many more failed. So a request body of a
#: million bad items costs as much as a hundred (the read's default limit).
ITEM_ISSUES: Final = 100


def _tuple_hook(kind: Any, conv: Converter) -> Callable[[Any, object], tuple[Any, ...]]:
    item_type = get_args(kind)[0]
    item = conv.get_structure_hook(item_type)

    def structure_tuple(value: Any, _type: object = kind) -> tuple[Any, ...]:
        # A string is iterable, but "access" is not a list of six letters.
        if type(value) is not list:
            raise PledgeDataError.single(
                "value.type", f"expected an array, not {kind_of(value)}", value
            )
        # The items one by one, not cattrs's list hook: it builds an exception per
        # failing item, of every item, before the read could stop at its limit.
        result = []
        issues: list[Issue] = []
        failed = 0
        for index, raw in enumerate(value):
            try:
                result.append(item(raw, item_type))
            except Exception as error:  # noqa: BLE001 - every failure becomes located issues
                failed += 1
                if failed > ITEM_ISSUES:
                    issues.append(_items_left(value, index, failed))
                    break
                issues.extend(issues_from(error, raw, child_path("$", index)))
        if issues:
            raise PledgeDataError(issues)
        return tuple(result)

    return structure_tuple


def _items_left(value: list[Any], index: int, failed: int) -> Issue:
    """The issue that stands for the items of a list left unchecked after ITEM_ISSUES failed."""
    return Issue(
        code="issues.limit",
        message=f"{failed - 1} items of this list of {len(value)} have issues; the items from "
        f"{index} on are not checked one by one",
        value=len(value),
        path="$",
    )


def _class_hook(cls: type[T], conv: Converter) -> Callable[[Any, object], T]:
    # Each field under its key in files (Pledger's _given_region is "region").
    renamed: dict[str, Any] = {
        name: override(rename=key) for name, key in file_keys(cls).items() if name != key
    }
    if cls is Money:
        generated = make_dict_structure_fn(
            cls, conv, amount=override(struct_hook=structure_money_amount)
        )
    elif cls is Pledge:
        generated = make_dict_structure_fn(cls, conv, extras=override(omit=True))
    else:
        generated = make_dict_structure_fn(cls, conv, **renamed)

    def structure_object(value: Any, _type: object = cls) -> T:
        if type(value) is not dict:
            raise PledgeDataError.single(
                "value.type", f"expected an object, not {kind_of(value)}", value
            )
        return generated(value)

    return structure_object


def _value_of(member: enum.Enum) -> Any:
    return member.value


def _tuple_to_list(kind: Any, conv: Converter) -> Callable[[tuple[Any, ...]], list[Any]]:
    item = conv.get_unstructure_hook(get_args(kind)[0])
    return lambda value: [item(element) for element in value]


def _pledge_to_dict(conv: Converter) -> Callable[[Pledge], dict[str, Any]]:
    generated = make_dict_unstructure_fn(
        Pledge, conv, _cattrs_omit_if_default=True, extras=override(omit=True)
    )
    names = frozenset(field.name for field in attrs.fields(Pledge))

    def unstructure_pledge(pledge: Pledge) -> dict[str, Any]:
        document: dict[str, Any] = generated(pledge)
        for key, value in pledge.extras.items():
            if key in names:
                raise PledgeDataError.single(
                    "key.conflict",
                    f"the extra key {key!r} is also a field of Pledge; rename it",
                    key,
                )
            document[key] = thaw(value)
        return document

    return unstructure_pledge


def make_converter() -> Converter:
    """Return a new strict cattrs converter, configured as the library's own.

    Its hooks refuse floats as money, read and write decimals and dates as strings
    and enums as their values, and forbid unknown keys. It is a new object: hooks
    registered on it change what it structures and unstructures, and nothing of the
    library (:func:`p2c_pledges.io.structure`, the file readers), which use their own.

    .. versionadded:: 0.2
    """
    conv = Converter(
        forbid_extra_keys=True, detailed_validation=True, prefer_attrib_converters=False
    )
    conv.register_structure_hook(str, structure_str)
    conv.register_structure_hook(Decimal, structure_decimal)
    conv.register_structure_hook(dt.date, structure_date)
    # Each vocabulary by its class: cattrs dispatches on the class hierarchy
    # first, so the str hook would otherwise take the str enums (and int, SDG).
    for kind in VOCABULARIES:
        conv.register_structure_hook(kind, _enum_hook(kind))
    conv.register_structure_hook_factory(_is_tuple_of, _tuple_hook)
    conv.register_structure_hook_factory(attrs.has, _class_hook)

    for kind in VOCABULARIES:  # by class, as for structuring: str would take them as they are
        conv.register_unstructure_hook(kind, _value_of)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_unstructure_hook(dt.date, dt.date.isoformat)
    conv.register_unstructure_hook_factory(_is_tuple_of, _tuple_to_list)
    for cls in (Money, Target):
        conv.register_unstructure_hook(
            cls, make_dict_unstructure_fn(cls, conv, _cattrs_omit_if_default=True)
        )
    # A pledger is written with the region it has, given or derived (the file then
    # says it; reading it back gives an equal pledger).
    conv.register_unstructure_hook(
        Pledger,
        make_dict_unstructure_fn(
            Pledger,
            conv,
            _cattrs_omit_if_default=True,
            _cattrs_include_init_false=True,
            _given_region=override(omit=True),
        ),
    )
    conv.register_unstructure_hook(Pledge, _pledge_to_dict(conv))
    return conv


#: The library's one strict cattrs converter, private: ``converter.structure(obj, Pledge)``
#: raises cattrs's exception groups; :func:`structure` turns them into located issues.
#: ``p2c_pledges.io.converter`` gives it with a DeprecationWarning (see io.__getattr__).
converter = make_converter()


# Overloads, because a TypeVar with a default class made ``structure(raw)`` a
# ``Never`` for mypy (and unknown for pyright): with no class, it is a Pledge.
@overload
def structure(raw: Any, *, path: str = "$") -> Pledge: ...
@overload
def structure(raw: Any, cls: type[T], *, path: str = "$") -> T: ...
def structure(raw: Any, cls: type[Any] = Pledge, *, path: str = "$") -> Any:
    """Build a model object from JSON-like data (dicts, lists, strings, numbers).

    Args:
        raw: What ``json.loads`` gives for one object of the class.
        cls: :class:`~p2c_pledges.Pledge`, :class:`~p2c_pledges.Pledger`,
            :class:`~p2c_pledges.Target` or :class:`~p2c_pledges.Money`.
        path: The JSON path of ``raw`` in its document, for the issues.

    Raises:
        PledgeDataError: with every issue found, each at its JSON path.
    """
    try:
        return converter.structure(raw, cls)
    except Exception as error:  # noqa: BLE001 - every failure becomes located issues
        raise PledgeDataError(issues_from(error, raw, path)) from None


def unstructure(value: Pledge | Pledger | Target | Money) -> dict[str, Any]:
    """Return the JSON-ready dict of a model object (decimals and dates as strings)."""
    document: dict[str, Any] = converter.unstructure(value)
    return document


def issues_from(error: BaseException, raw: Any, path: str = "$") -> list[Issue]:
    """Turn what the converter raised while structuring ``raw`` into located issues.

    cattrs raises exception groups whose notes name the attribute or index where
    each failure happened; an attrs validator that fails inside ``__init__`` comes
    without its field, so its class's validators are run again one by one to
    find every field at fault, not only the first.
    """
    return list(_walk(error, raw, path))


def _get(raw: Any, key: str | int) -> Any:
    try:
        return raw[key]
    except (KeyError, IndexError, TypeError):
        return None


def _walk(error: BaseException, raw: Any, path: str) -> Iterator[Issue]:
    if isinstance(error, PledgeDataError):
        for issue in error.issues:
            yield reroot(issue, path)
    elif isinstance(error, ClassValidationError):
        yield from sorted(_class_issues(error, raw, path), key=_field_order(error.cl, path))
    elif isinstance(error, IterableValidationError):
        located_items, others = error.group_exceptions()
        for sub, item_note in located_items:
            index = item_note.index
            yield from _walk(sub, _get(raw, index), child_path(path, index))
        for sub in others:
            yield from _walk(sub, raw, path)
    elif isinstance(error, KeyError):
        # The generated code reads raw["name"] inside the attribute's own try.
        name = path.rsplit(".", 1)[-1]
        yield Issue(code="key.missing", message=f"{name} is required", value=None, path=path)
    else:
        yield Issue(code="value.invalid", message=str(error) or repr(error), value=raw, path=path)


def _class_issues(error: ClassValidationError, raw: Any, path: str) -> Iterator[Issue]:
    located, others = error.group_exceptions()
    keys = file_keys(error.cl)
    for sub, note in located:
        key = keys.get(note.name, note.name)
        yield from _walk(sub, _get(raw, key), child_path(path, key))
    from_init = []
    for sub in others:
        if isinstance(sub, ForbiddenExtraKeysError):
            for key in sorted(sub.extra_fields):
                yield _unknown_key(key, _get(raw, key), child_path(path, key), error.cl)
        elif isinstance(sub, PledgeDataError):
            from_init.append(sub)
        else:
            yield from _walk(sub, raw, path)
    # attrs validators run only once every field is structured, and stop at the
    # first failure: run them one by one on the fields that did structure.
    failed = {note.name for _, note in located}
    found = _validator_issues(error.cl, raw, path, skip=failed)
    yield from found
    if not found:
        for sub in from_init:
            yield from _walk(sub, raw, path)


def _field_order(cls: type, path: str) -> Callable[[Issue], int]:
    """Sort the issues of one object by the order of its fields (unknown keys last)."""
    order = {key: index for index, key in enumerate(file_keys(cls).values())}
    start = len(path) + 1

    def position(issue: Issue) -> int:
        name = re.split(r"[.\[]", issue.path[start:], maxsplit=1)[0]
        return order.get(name, len(order))

    return position


def _unknown_key(key: str, value: object, path: str, cls: type) -> Issue:
    known = ", ".join(file_keys(cls).values())
    return Issue(
        code="key.unknown",
        message=f"{key!r} is not a field of {cls.__name__} (known: {known})",
        value=value,
        path=path,
    )


def _validator_issues(
    cls: type, raw: Mapping[str, Any], path: str, *, skip: set[str]
) -> list[Issue]:
    """Run each attrs converter and validator of ``cls`` on its own and collect every issue.

    Fields named in ``skip`` (already reported) and fields that do not structure
    are left out; a validator that needs one of them is not run.
    """
    values = types.SimpleNamespace()
    keys = file_keys(cls)
    for field in attrs.fields(attrs.resolve_types(cls)):
        if field.name not in skip and field.name in keys:
            try:
                setattr(values, field.name, _field_value(field, keys[field.name], raw))
            except (Exception, _Absent):  # noqa: BLE001, S112 - reported by the structuring itself
                continue
    issues: list[Issue] = []
    for field in attrs.fields(cls):
        if field.validator is None or not hasattr(values, field.name):
            continue
        try:
            field.validator(values, field, getattr(values, field.name))
        except PledgeDataError as error:
            issues.extend(reroot(issue, path) for issue in error.issues)
        except AttributeError:  # the validator reads a field that is at fault itself
            continue
    return issues


class _Absent(Exception):  # noqa: N818 - a signal, not an error
    """A required field is absent: there is no value to validate."""


def _field_value(field: attrs.Attribute[Any], key: str, raw: Mapping[str, Any]) -> Any:
    """Return what ``__init__`` would give a field (``key`` in files): structured, defaulted, converted."""
    default: Any = field.default
    if key in raw:
        value = converter.structure(raw[key], field.type)  # type: ignore[arg-type]
    elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        value = default.factory()
    elif default is not attrs.NOTHING:
        value = default
    else:
        raise _Absent
    if field.converter is not None:
        value = field.converter(value)  # type: ignore[operator]
    return value
