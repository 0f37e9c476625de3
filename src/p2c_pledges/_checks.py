"""What a field validator checks, said on the validator itself.

The model's validators are declared once, in :mod:`p2c_pledges.model` and
:mod:`p2c_pledges.money`; :func:`checks` marks each with what it checks (a text,
a date, a country...), and :func:`optional` makes the one "or None" form of any
of them. The schemas and the readers (:mod:`p2c_pledges.io._fields`) read these
marks, never a function's name, so renaming a validator changes nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar


__all__ = ["KINDS", "checks", "checks_of", "optional"]

#: What a validator may say it checks. ``member``, ``list`` and ``instance`` leave
#: the rest to the field's type (which vocabulary, list of what, which class).
KINDS = frozenset(
    {
        "text",
        "date",
        "member",
        "list",
        "instance",
        "country",
        "positive",
        "share",
        "url",
        "unit",
        "amount",
        "currency",
    }
)

V = TypeVar("V", bound=Callable[..., Any])
_MARK = "_p2c_checks"


def checks(kind: str, *, non_empty: bool = False) -> Callable[[V], V]:
    """Mark a validator with what it checks (one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not one of {sorted(KINDS)}")

    def mark(validator: V) -> V:
        validator.__dict__[_MARK] = (kind, non_empty, False)
        return validator

    return mark


def optional(validator: Callable[[Any, Any, Any], None]) -> Callable[[Any, Any, Any], None]:
    """The validator that takes ``None`` too, and checks anything else with ``validator``."""
    kind, non_empty, _ = checks_of(validator)

    def validate(instance: Any, attribute: Any, value: Any) -> None:
        if value is not None:
            validator(instance, attribute, value)

    validate.__dict__[_MARK] = (kind, non_empty, True)
    return validate


def checks_of(validator: object) -> tuple[str, bool, bool]:
    """What a validator checks, whether its list must not be empty, and whether None passes.

    Raises:
        LookupError: The validator is not marked with :func:`checks`.
    """
    mark = getattr(validator, "__dict__", {}).get(_MARK)
    if mark is None:
        raise LookupError(f"{validator!r} does not say what it checks (p2c_pledges._checks)")
    kind, non_empty, none_passes = mark
    return str(kind), bool(non_empty), bool(none_passes)
