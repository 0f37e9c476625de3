"""The pledge model: :class:`Pledger`, :class:`Pledge` and :class:`Target`.

Instances are frozen attrs classes with keyword-only arguments; collections are
tuples, so instances are hashable and keep the order the pledger gave. Every rule
that belongs to one field is a validator here and raises :class:`PledgeDataError`
with one :class:`Issue` whose path names the field (``$.amount.currency``). Rules
that span fields or records live in :mod:`p2c_pledges.rules`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

import attrs
from attrs import Attribute, define, field

from ._checks import checks, optional
from ._extras import FrozenObject, freeze_extras
from ._text import is_blank, text_issue
from .codes import (
    SDG,
    CountryGroup,
    FocusArea,
    Metric,
    PledgeStatus,
    PledgeType,
    Region,
    Sector,
    TargetGroup,
)
from .countries import normalize_country, region_of
from .errors import PledgeDataError, brief_repr, brief_text
from .money import MAX_FRACTION_DIGITS, MAX_INTEGER_DIGITS, Money, check_amount
from .units import check_unit, quantity


__all__ = ["Pledge", "Pledger", "Target"]

#: The longest text a field takes: far beyond any honest title or description.
MAX_TEXT_LENGTH = 100_000


def _path(attribute: Attribute[Any], index: int | None = None) -> str:
    # The alias is the field's name in files and in __init__ (Pledger's region).
    name = attribute.alias or attribute.name
    return f"$.{name}" if index is None else f"$.{name}[{index}]"


@checks("text")
def _text(_instance: object, attribute: Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise PledgeDataError.single(
            "value.type",
            f"{attribute.name} must be a string, not {type(value).__name__} ({brief_repr(value)})",
            value,
            _path(attribute),
        )
    if (problem := text_issue(value)) is not None:
        code, message = problem
        raise PledgeDataError.single(code, f"{attribute.name} {message}", value, _path(attribute))
    if is_blank(value):
        raise PledgeDataError.single(
            "text.empty",
            f"{attribute.name} must not be empty (white space and invisible format "
            "characters such as U+200B show nothing)",
            value,
            _path(attribute),
        )
    if len(value) > MAX_TEXT_LENGTH:
        raise PledgeDataError.single(
            "text.too_long",
            f"{attribute.name} has {len(value)} characters; the limit is {MAX_TEXT_LENGTH}",
            value[:80] + "...",
            _path(attribute),
        )


@checks("date")
def _date(_instance: object, attribute: Attribute[Any], value: object) -> None:
    # datetime is a subclass of date, but a time of day is not part of a pledge.
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise PledgeDataError.single(
            "value.type",
            f"{attribute.name} must be a datetime.date, not {type(value).__name__} ({brief_repr(value)})",
            value,
            _path(attribute),
        )


def _member_of(kind: type[enum.Enum]) -> Callable[[object, Attribute[Any], object], None]:
    @checks("member")
    def validate(_instance: object, attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise PledgeDataError.single(
                "value.enum",
                f"{attribute.name} must be a {kind.__name__}, not {brief_repr(value)} "
                f"(known: {', '.join(str(m.value) for m in kind)})",
                value,
                _path(attribute),
            )

    return validate


def _tuple_of(
    kind: type, *, non_empty: bool = False
) -> Callable[[object, Attribute[Any], tuple[Any, ...]], None]:
    """Validate a tuple whose items are all ``kind`` and are not repeated."""

    @checks("list", non_empty=non_empty)
    def validate(_instance: object, attribute: Attribute[Any], value: tuple[Any, ...]) -> None:
        if not isinstance(value, tuple):
            raise PledgeDataError.single(
                "value.type",
                f"{attribute.name} must be a list, not {type(value).__name__} ({brief_repr(value)})",
                value,
                _path(attribute),
            )
        if non_empty and not value:
            raise PledgeDataError.single(
                "list.empty", f"{attribute.name} needs at least one value", value, _path(attribute)
            )
        seen: set[object] = set()
        for index, item in enumerate(value):
            if not isinstance(item, kind) or (kind is SDG and isinstance(item, bool)):
                raise PledgeDataError.single(
                    "value.enum" if issubclass(kind, enum.Enum) else "value.type",
                    f"{attribute.name} holds {brief_repr(item)}, which is not a {kind.__name__}",
                    item,
                    _path(attribute, index),
                )
            if item in seen:
                raise PledgeDataError.single(
                    "list.duplicate",
                    f"{attribute.name} lists {_shown(item)} twice",
                    item,
                    _path(attribute, index),
                )
            seen.add(item)

    return validate


def _shown(item: object) -> str:
    return brief_repr(item.value if isinstance(item, enum.Enum) else item)


def _to_tuple(value: Iterable[Any]) -> Any:
    # A str is iterable, but "access" is one value, not six letters. What is not
    # iterable at all (None, a number) is left as it is for the validator to name.
    if isinstance(value, (str, bytes)):
        return (value,)
    if isinstance(value, (set, frozenset)):
        # A set's order follows the per-process hash seed; the written file must
        # not, so a set is put in a defined order (see _set_order).
        return tuple(sorted(value, key=_set_order))
    if hasattr(value, "__iter__"):
        return tuple(value)
    return value


def _set_order(item: object) -> tuple[Any, ...]:
    """Order the values of a set: vocabulary members as declared, numbers and dates by value,
    pledgers and targets field by field, anything else by its repr.

    The type name comes first, so a set mixing types still sorts (and the
    validator then names the value of the wrong type).
    """
    kind = type(item).__name__
    if isinstance(item, enum.Enum):
        return (kind, list(type(item)).index(item), "", ())
    if isinstance(item, int) or (isinstance(item, Decimal) and item.is_finite()):
        return (kind, item, "", ())
    if isinstance(item, dt.date):
        return (kind, 0, item.isoformat(), ())
    if isinstance(item, str):
        return (kind, 0, item, ())
    if isinstance(item, (Pledger, Target)):
        fields = attrs.fields(type(item))
        return (kind, 0, "", tuple(_set_order(getattr(item, f.name)) for f in fields if f.eq))
    return (kind, 0, repr(item), ())


def _to_sdgs(value: Iterable[Any]) -> Any:
    items = _to_tuple(value)
    if not isinstance(items, tuple):
        return items
    sdgs = []
    for index, item in enumerate(items):
        if isinstance(item, int) and not isinstance(item, (bool, SDG)):
            if not 1 <= item <= 17:
                raise PledgeDataError.single(
                    "sdg.range",
                    f"SDG {brief_repr(item)} does not exist: the goals are numbered 1 to 17",
                    item,
                    f"$.sdgs[{index}]",
                )
            item = SDG(item)  # noqa: PLW2901 - an int goal becomes its enum member
        sdgs.append(item)
    return tuple(sdgs)


def _to_country(value: object) -> object:
    # alpha-3 is accepted on input and normalized; anything else is left for the validator.
    if isinstance(value, str) and len(value) == 3:
        try:
            return normalize_country(value)
        except PledgeDataError:
            return value
    return value


def _to_countries(value: Iterable[Any]) -> Any:
    items = _to_tuple(value)
    if not isinstance(items, tuple):
        return items
    return tuple(_to_country(item) for item in items)


@checks("country")
def _country(_instance: object, attribute: Attribute[Any], value: object) -> None:
    normalize_country(value, path=_path(attribute))  # type: ignore[arg-type]


@checks("country")
def _countries(_instance: object, attribute: Attribute[Any], value: tuple[Any, ...]) -> None:
    if isinstance(value, tuple):
        for index, item in enumerate(value):
            normalize_country(item, path=_path(attribute, index))
    _tuple_of(str)(_instance, attribute, value)


@checks("positive")
def _positive_decimal(_instance: object, attribute: Attribute[Any], value: object) -> None:
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise PledgeDataError.single(
            "value.type",
            f"{attribute.name} must be a Decimal or an int, not {type(value).__name__} ({brief_repr(value)})",
            value,
            _path(attribute),
        )
    if not value.is_finite() or value <= 0:
        raise PledgeDataError.single(
            "value.not_positive",
            f"{attribute.name} must be a finite number above zero, not {brief_text(str(value))}",
            value,
            _path(attribute),
        )
    if check_amount(value, path=_path(attribute)):
        raise PledgeDataError.single(
            "value.out_of_range",
            f"{attribute.name} {brief_text(str(value))} is beyond the limits of {MAX_INTEGER_DIGITS} digits "
            f"before and {MAX_FRACTION_DIGITS} after the decimal point",
            value,
            _path(attribute),
        )


def _exact_decimal(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


@checks("share")
def _progress(_instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, float) or not isinstance(value, Decimal):
        raise PledgeDataError.single(
            "value.type",
            f"progress must be a Decimal share between 0 and 1, not {type(value).__name__} ({brief_repr(value)})",
            value,
            _path(attribute),
        )
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
        raise PledgeDataError.single(
            "progress.range",
            f"progress is a share between 0 and 1, not {brief_text(str(value))}",
            value,
            _path(attribute),
        )


@checks("url")
def _url(_instance: object, attribute: Attribute[Any], value: object) -> None:
    if value is None:
        return
    _text(_instance, attribute, value)
    value = str(value)  # _text has checked that it is one
    if not value.startswith(("https://", "http://")) or any(c.isspace() for c in value):
        raise PledgeDataError.single(
            "url.invalid",
            f"source_url must be an http(s) URL without spaces, not {brief_repr(value)}",
            value,
            _path(attribute),
        )


def _instance_of(kind: type) -> Callable[[object, Attribute[Any], object], None]:
    @checks("instance")
    def validate(_instance: object, attribute: Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise PledgeDataError.single(
                "value.type",
                f"{attribute.alias or attribute.name} must be a {kind.__name__}, "
                f"not {type(value).__name__} ({brief_repr(value)})",
                value,
                _path(attribute),
            )

    return validate


@define(frozen=True, kw_only=True)
class Target:
    """A measurable target of a pledge: a metric and how much of it, in a unit.

    Args:
        metric: What is counted (:class:`~p2c_pledges.codes.Metric`).
        value: How much, above zero, as a Decimal (an int is made a Decimal).
        unit: A unit of the metric's dimension, as pint writes it: ``"people"``,
            ``"school"``, ``"km"``, ``"mi"``, ``"Mbit/s"``.
        deadline: The date by which the target is to be met, if the pledge says.

    Raises:
        PledgeDataError: ``unit.dimension`` when the unit does not fit the metric
            (fibre in people), ``unit.unknown``, ``value.not_positive``.
    """

    metric: Metric = field(validator=_member_of(Metric))
    value: Decimal = field(converter=_exact_decimal, validator=_positive_decimal)
    unit: str = field()
    deadline: dt.date | None = field(default=None, validator=optional(_date))

    @unit.validator
    @checks("unit")
    def _check_unit(self, _attribute: Attribute[str], value: object) -> None:
        issues = check_unit(self.metric, value)
        if issues:
            raise PledgeDataError(issues)

    @property
    def quantity(self) -> Any:
        """The target as a pint Quantity (Decimal magnitude) of :func:`p2c_pledges.units.registry`."""
        return quantity(self.value, self.unit)


@define(frozen=True, kw_only=True)
class Pledger:
    """Who makes a pledge.

    Args:
        name: The organization or government, as it names itself.
        sector: Its sector (:class:`~p2c_pledges.codes.Sector`).
        country: ISO 3166-1 alpha-2 code of its home country (alpha-3 is accepted
            and normalized); ``None`` for an international organization.
        region: Its ITU-D region; derived from ``country`` when absent.

    The region is derived, not stored, when it is not given:
    ``attrs.evolve(pledger, country="FR")`` gives the new country's region,
    while a region given explicitly stays what it was given. Equality and the
    hash look at the region the pledger has, given or derived.

    .. versionchanged:: 0.2
       ``attrs.evolve`` derives the region again from a new country.
    """

    name: str = field(validator=_text)
    sector: Sector = field(validator=_member_of(Sector))
    country: str | None = field(default=None, converter=_to_country, validator=optional(_country))
    #: The region the pledger has: the one given, else the country's.
    region: Region | None = field(default=None, init=False)
    # The region as given (None when it is derived), under its own name so that
    # attrs.evolve, which passes every init field's value on, passes this one.
    _given_region: Region | None = field(
        default=None,
        alias="region",
        validator=optional(_instance_of(Region)),
        eq=False,
        repr=False,
    )

    def __attrs_post_init__(self) -> None:
        region = self._given_region
        if region is None and self.country is not None:
            region = region_of(self.country)
        object.__setattr__(self, "region", region)


@define(frozen=True, kw_only=True)
class Pledge:
    """One pledge made to the Partner2Connect Digital Coalition.

    Every field is described, with its vocabulary and its source, in the Data
    model page of the documentation (``docs/data-model.md``).

    Raises:
        PledgeDataError: with one located issue for the first field that is invalid.
    """

    id: str = field(validator=_text)
    title: str = field(validator=_text)
    pledger: Pledger = field(validator=_instance_of(Pledger))
    pledge_types: tuple[PledgeType, ...] = field(
        converter=_to_tuple, validator=_tuple_of(PledgeType, non_empty=True)
    )
    focus_areas: tuple[FocusArea, ...] = field(
        converter=_to_tuple, validator=_tuple_of(FocusArea, non_empty=True)
    )
    announced_on: dt.date = field(validator=_date)
    description: str | None = field(default=None, validator=optional(_text))
    co_pledgers: tuple[Pledger, ...] = field(
        default=(), converter=_to_tuple, validator=_tuple_of(Pledger)
    )
    amount: Money | None = field(default=None, validator=optional(_instance_of(Money)))
    value_date: dt.date | None = field(default=None, validator=optional(_date))
    period_start: dt.date | None = field(default=None, validator=optional(_date))
    period_end: dt.date | None = field(default=None, validator=optional(_date))
    beneficiary_countries: tuple[str, ...] = field(
        default=(), converter=_to_countries, validator=_countries
    )
    beneficiary_regions: tuple[Region, ...] = field(
        default=(), converter=_to_tuple, validator=_tuple_of(Region)
    )
    beneficiary_groups: tuple[CountryGroup, ...] = field(
        default=(), converter=_to_tuple, validator=_tuple_of(CountryGroup)
    )
    target_groups: tuple[TargetGroup, ...] = field(
        default=(), converter=_to_tuple, validator=_tuple_of(TargetGroup)
    )
    sdgs: tuple[SDG, ...] = field(default=(), converter=_to_sdgs, validator=_tuple_of(SDG))
    targets: tuple[Target, ...] = field(
        default=(), converter=_to_tuple, validator=_tuple_of(Target)
    )
    status: PledgeStatus = field(
        default=PledgeStatus.ANNOUNCED, validator=_member_of(PledgeStatus)
    )
    progress: Decimal | None = field(default=None, converter=_exact_decimal, validator=_progress)
    source_url: str | None = field(default=None, validator=_url)
    extras: Mapping[str, Any] = field(
        factory=FrozenObject, converter=freeze_extras, hash=False, repr=False
    )

    @property
    def conversion_date(self) -> dt.date:
        """The date whose exchange rate converts the amount (``value_date``, else ``announced_on``)."""
        return self.value_date if self.value_date is not None else self.announced_on

    @property
    def pledgers(self) -> tuple[Pledger, ...]:
        """The pledger followed by the co-pledgers."""
        return (self.pledger, *self.co_pledgers)
