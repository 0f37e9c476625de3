"""The values of :attr:`Pledge.extras <p2c_pledges.Pledge>`: JSON with string keys, frozen deeply.

Kept extras are what a reader found and did not know, written back as they
came. They are checked and frozen when a pledge is built, once: an object
becomes a :class:`FrozenObject` (a read-only mapping), an array a tuple, and
what JSON cannot hold (a key that is not a string, NaN or an infinity, a set,
a Decimal, a text that UTF-8 cannot carry) is a located issue. The caller's
mapping is copied all the way down, so what the caller changes later does not
reach the pledge.

Equality follows JSON, not Python: ``true`` is not ``1`` and ``1`` is not
``1.0``, because they are written differently; the hash agrees with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from ._text import text_issue
from .errors import PledgeDataError, child_path


__all__ = ["FrozenObject", "freeze_extras", "thaw"]


class FrozenObject(Mapping[str, Any]):
    """A JSON object that cannot change: its arrays are tuples, its objects FrozenObjects.

    It pickles, copies and deep-copies to an equal object, and is hashable.

    Args:
        items: A mapping of JSON values with string keys (lists or tuples for
            arrays, mappings for objects).

    Raises:
        PledgeDataError: ``value.type`` for a key or value that JSON cannot
            hold, ``value.not_finite`` for NaN or an infinity,
            ``text.encoding`` / ``text.control`` for a text of a lone surrogate or
            a control character, ``json.depth`` for nesting deeper than Python
            follows, each at its JSON path under ``$``.
    """

    __slots__ = ("_items", "_key")

    _items: dict[str, Any]
    _key: Any

    def __init__(self, items: Mapping[str, Any] | None = None) -> None:
        frozen, key = _freeze_object({} if items is None else items, "$", set())
        object.__setattr__(self, "_items", frozen)
        object.__setattr__(self, "_key", key)

    @classmethod
    def _of(cls, items: dict[str, Any], key: Any) -> FrozenObject:
        # From _freeze_object only: the items are frozen already.
        self = object.__new__(cls)
        object.__setattr__(self, "_items", items)
        object.__setattr__(self, "_key", key)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a FrozenObject cannot change (setting {name!r})")

    def __getitem__(self, key: str) -> Any:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenObject):
            return bool(self._key == other._key)
        if isinstance(other, Mapping):
            try:
                return bool(self._key == FrozenObject(other)._key)
            except PledgeDataError:
                return False
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __hash__(self) -> int:
        return hash(self._key)

    def __repr__(self) -> str:
        return f"FrozenObject({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenObject], tuple[dict[str, Any]]]:
        return (FrozenObject, (self._items,))

    def __copy__(self) -> FrozenObject:
        return self

    def __deepcopy__(self, _memo: dict[int, Any]) -> FrozenObject:
        return self


# Keys that tell JSON's kinds apart where Python's equality does not (True == 1 == 1.0).
_BOOL, _INT, _FLOAT, _ARRAY, _OBJECT = range(5)


def _freeze(value: Any, path: str, open_containers: set[int]) -> tuple[Any, Any]:  # noqa: C901, PLR0911 - one branch per JSON kind
    """Return the frozen form of a JSON value and its equality key."""
    kind = type(value)
    if value is None:
        return None, None
    if kind is bool:
        return value, (_BOOL, value)
    if kind is int:
        return value, (_INT, value)
    if kind is float:
        if not math.isfinite(value):
            raise PledgeDataError.single(
                "value.not_finite",
                f"{value!r} is not a JSON number: JSON has no NaN or infinity",
                value,
                path,
            )
        return value, (_FLOAT, value)
    if kind is str:
        problem = text_issue(value)
        if problem is not None:
            code, message = problem
            raise PledgeDataError.single(code, f"the extra text {message}", value, path)
        return value, value
    if isinstance(value, (list, tuple)):
        _enter(value, path, open_containers)
        items = []
        keys = []
        for index, item in enumerate(value):
            frozen, key = _freeze(item, child_path(path, index), open_containers)
            items.append(frozen)
            keys.append(key)
        open_containers.discard(id(value))
        return tuple(items), (_ARRAY, tuple(keys))
    if isinstance(value, Mapping):
        _enter(value, path, open_containers)
        frozen_object = FrozenObject._of(*_freeze_object(value, path, open_containers))  # noqa: SLF001
        open_containers.discard(id(value))
        return frozen_object, (_OBJECT, frozen_object._key)  # noqa: SLF001
    raise PledgeDataError.single(
        "value.type",
        f"an extra value must be a JSON value (a string, a number, true, false, null, "
        f"an array or an object), not a {kind.__name__}",
        value,
        path,
    )


def _enter(container: object, path: str, open_containers: set[int]) -> None:
    if id(container) in open_containers:
        raise PledgeDataError.single(
            "value.type", "an extra value holds itself, which JSON cannot write", None, path
        )
    open_containers.add(id(container))


def _freeze_object(
    value: Mapping[Any, Any], path: str, open_containers: set[int]
) -> tuple[dict[str, Any], Any]:
    if isinstance(value, FrozenObject):
        return value._items, value._key  # noqa: SLF001 - frozen already
    items: dict[str, Any] = {}
    keys = []
    for name, item in value.items():
        if type(name) is not str:
            raise PledgeDataError.single(
                "value.type",
                f"an extra key must be a string, not {type(name).__name__} ({name!r}): "
                "JSON writes every key as a string, so 1 and '1' would become one key",
                name,
                path,
            )
        problem = text_issue(name)
        if problem is not None:
            code, message = problem
            raise PledgeDataError.single(code, f"the extra key {message}", name, path)
        frozen, key = _freeze(item, child_path(path, name), open_containers)
        items[name] = frozen
        keys.append((name, key))
    return items, frozenset(keys)


def freeze_extras(value: object, path: str = "$.extras") -> FrozenObject:
    """Check that ``value`` is a mapping of JSON values with string keys, and freeze it deeply.

    Raises:
        PledgeDataError: one located issue (see :class:`FrozenObject`).
    """
    if isinstance(value, FrozenObject):
        return value
    if not isinstance(value, Mapping):
        raise PledgeDataError.single(
            "value.type", f"extras must be a mapping, not {type(value).__name__}", value, path
        )
    try:
        return FrozenObject._of(*_freeze_object(value, path, {id(value)}))  # noqa: SLF001
    except RecursionError:
        raise PledgeDataError.single(
            "json.depth",
            "extras nest deeper than Python follows (its recursion limit)",
            None,
            path,
        ) from None


def thaw(value: Any) -> Any:
    """Return the plain JSON form of a frozen value: dicts and lists, as ``json.dumps`` takes."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value
