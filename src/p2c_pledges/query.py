"""Filtering and text search over pledges, and the dimensions pledges are grouped by.

A :class:`Dimension` names a way to classify pledges (focus area, sector, beneficiary
region...); :func:`values_of` gives the values a pledge has on it. Most dimensions
are multi-valued: a pledge with two focus areas has two values. The same function
serves :func:`query` (which keeps pledges having any wanted value) and
:func:`p2c_pledges.summarize` (which groups by the values), so a filter and a group
always agree on what a pledge is.

:func:`query` keeps the pledges that meet every criterion given (criteria are
ANDed; the values listed for one criterion are ORed). Its result is a plain list,
so it composes with everything else that takes pledges. Text search ignores case
and accents: ``"cote d'ivoire"`` finds "Côte d'Ivoire".
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from .codes import (
    SDG,
    CountryGroup,
    FocusArea,
    PledgeStatus,
    PledgeType,
    Region,
    Sector,
    TargetGroup,
)
from .countries import groups_of, members, normalize_country, region_of
from .errors import PledgeDataError, brief_repr
from .fx import DEFAULT_POLICY, Policy, RateSource
from .model import Pledge, Pledger


if TYPE_CHECKING:
    from .normalization import NormalizedPledge


__all__ = [
    "Dimension",
    "Selection",
    "Unconvertible",
    "dimension_of",
    "fold",
    "pledger_key",
    "query",
    "reached_countries",
    "values_of",
]

#: What a USD range does with a pledge whose amount cannot be converted:
#: ``"raise"`` (``rate.missing`` / ``rate.no_source``, naming every such pledge)
#: or ``"exclude"`` (leave it out, and say so in :attr:`Selection.excluded`).
Unconvertible = Literal["raise", "exclude"]


class Selection(list[Pledge]):
    """The pledges a :func:`query` kept: a list, that also says what a USD range left out.

    Attributes:
        excluded: The pledges that a USD range left out because their amount
            could not be converted (``unconverted="exclude"``), each with its
            ``reason`` and ``reason_code``; empty otherwise.

    .. versionadded:: 0.2
    """

    __slots__ = ("excluded",)

    def __init__(
        self, kept: Iterable[Pledge] = (), excluded: Iterable[NormalizedPledge] = ()
    ) -> None:
        super().__init__(kept)
        self.excluded: tuple[NormalizedPledge, ...] = tuple(excluded)

    def __reduce__(
        self,
    ) -> tuple[type[Selection], tuple[list[Pledge], tuple[NormalizedPledge, ...]]]:
        # Rebuilt from its pledges and what it excluded, by every pickle protocol
        # (0 and 1 cannot pickle a class with __slots__ on their own).
        return (type(self), (list(self), self.excluded))

    def __repr__(self) -> str:
        # A list's repr, and what a USD range left out when it left something out.
        kept = super().__repr__()
        if not self.excluded:
            return kept
        ids = [item.pledge.id for item in self.excluded]
        return f"Selection({kept}, excluded={brief_repr(ids)})"


class Dimension(enum.StrEnum):
    """A way to classify pledges; its value is the name used by ``summarize(by=...)`` and the CLI."""

    FOCUS_AREA = "focus_area"
    PLEDGE_TYPE = "pledge_type"
    SECTOR = "sector"
    PLEDGER_REGION = "pledger_region"
    PLEDGER = "pledger"
    BENEFICIARY_COUNTRY = "beneficiary_country"
    BENEFICIARY_REGION = "beneficiary_region"
    BENEFICIARY_GROUP = "beneficiary_group"
    COUNTRY_GROUP = "country_group"
    TARGET_GROUP = "target_group"
    SDG = "sdg"
    STATUS = "status"
    YEAR = "year"
    MONTH = "month"


def _beneficiary_countries(pledge: Pledge) -> tuple[str | CountryGroup, ...]:
    # A stated group is its own value, not spread over its members: a pledge to
    # "All LDCs" is one row, not a share under Haiti (see docs/analysis.md).
    return (*pledge.beneficiary_countries, *pledge.beneficiary_groups)


def _beneficiary_regions(pledge: Pledge) -> frozenset[Region | CountryGroup]:
    regions: set[Region | CountryGroup] = set(pledge.beneficiary_regions)
    regions.update(
        region for code in pledge.beneficiary_countries if (region := region_of(code)) is not None
    )
    regions.update(pledge.beneficiary_groups)
    return frozenset(regions)


def _country_groups(pledge: Pledge) -> frozenset[CountryGroup]:
    # Membership is dated: a country counts in a group if it belonged on the day
    # the pledge was announced (Bhutan is an LDC for a 2022 pledge, not a 2024 one).
    # A group the pledge states counts as well.
    return frozenset(
        group
        for code in pledge.beneficiary_countries
        for group in groups_of(code, pledge.announced_on)
    ).union(pledge.beneficiary_groups)


def reached_countries(pledge: Pledge) -> frozenset[str]:
    """Return the countries a pledge is meant for: those it names, and the members of the
    groups it names on the day it was announced.

    This is the one place where a group becomes countries; summaries and filters
    by beneficiary country or region keep a group as its own value.

    .. versionadded:: 0.2
    """
    reached = set(pledge.beneficiary_countries)
    for group in pledge.beneficiary_groups:
        reached.update(members(group, pledge.announced_on))
    return frozenset(reached)


def pledger_key(pledger: Pledger) -> str:
    """Who a pledger is, in summaries: its name and home country, ``Ministry of ICT (KE)``.

    Two ministries of one name in two countries are two pledgers; a pledger
    without a country is its name alone, unless its name ends as a key does
    (``Ministry (GH)``, of no country): then ``Ministry (GH) (no country)``, never
    the key of the ``Ministry`` of Ghana.
    """
    if pledger.country is not None:
        return f"{pledger.name} ({pledger.country})"
    if _KEY_END.search(pledger.name):
        return pledger.name + _NO_COUNTRY
    return pledger.name


# The end of a pledger's key that names its country: " (GH)".
_KEY_END = re.compile(r" \([A-Z]{2}\)\Z")
_NO_COUNTRY = " (no country)"  # what marks a key-like name of no country


_VALUES: dict[Dimension, Callable[[Pledge], Collection[Hashable]]] = {
    Dimension.FOCUS_AREA: lambda p: p.focus_areas,
    Dimension.PLEDGE_TYPE: lambda p: p.pledge_types,
    Dimension.SECTOR: lambda p: {q.sector for q in p.pledgers},
    Dimension.PLEDGER_REGION: lambda p: {q.region for q in p.pledgers if q.region is not None},
    Dimension.PLEDGER: lambda p: dict.fromkeys(map(pledger_key, p.pledgers)),
    Dimension.BENEFICIARY_COUNTRY: _beneficiary_countries,
    Dimension.BENEFICIARY_REGION: _beneficiary_regions,
    Dimension.BENEFICIARY_GROUP: lambda p: p.beneficiary_groups,
    Dimension.COUNTRY_GROUP: _country_groups,
    Dimension.TARGET_GROUP: lambda p: p.target_groups,
    Dimension.SDG: lambda p: p.sdgs,
    Dimension.STATUS: lambda p: (p.status,),
    Dimension.YEAR: lambda p: (p.announced_on.year,),
    Dimension.MONTH: lambda p: (f"{p.announced_on:%Y-%m}",),
}


def dimension_of(name: object) -> Dimension:
    """Return the :class:`Dimension` of a name (``"focus_area"``) or of a Dimension.

    Raises:
        ValueError: ``name`` is not one, with the names there are.

    .. versionadded:: 0.2
    """
    try:
        return Dimension(name)  # type: ignore[arg-type] # any name is tried, and refused
    except (ValueError, TypeError):
        known = ", ".join(dimension.value for dimension in Dimension)
        raise ValueError(
            f"{brief_repr(name)} is not a dimension; the dimensions are {known}"
        ) from None


def values_of(pledge: Pledge, dimension: Dimension) -> tuple[Hashable, ...]:
    """Return the distinct values a pledge has on a dimension (possibly none), in a stable order.

    The sector, region and name of every pledger (co-pledgers included) count;
    a beneficiary region comes from the pledge or from a beneficiary country. On
    the beneficiary country and region dimensions, a group the pledge names
    (:class:`~p2c_pledges.codes.CountryGroup`) is a value of its own.

    Raises:
        ValueError: ``dimension`` is not a :class:`Dimension` nor the name of one.
    """
    try:
        of = _VALUES[dimension]
    except (KeyError, TypeError):  # not a Dimension, nor a str equal to one
        of = _VALUES[dimension_of(dimension)]
    values = of(pledge)
    if isinstance(values, (set, frozenset)):
        return tuple(sorted(values, key=str))
    return tuple(values)


def fold(text: str) -> str:
    """Return ``text`` case-folded and without accents, for comparisons that ignore both.

    Unicode's compatibility caseless match folds, decomposes, and folds and
    decomposes again: a decomposition can bring out capitals (``🄐`` is ``(A)``),
    so one pass is not idempotent.
    """
    once = unicodedata.normalize("NFKD", text.casefold())
    decomposed = unicodedata.normalize("NFKD", once.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _searchable(pledge: Pledge) -> str:
    parts = [pledge.title, pledge.description or "", *(p.name for p in pledge.pledgers)]
    return fold("\n".join(parts))


def query(
    pledges: Iterable[Pledge],
    *,
    text: str | None = None,
    focus_areas: Collection[FocusArea] | None = None,
    pledge_types: Collection[PledgeType] | None = None,
    sectors: Collection[Sector] | None = None,
    pledger_regions: Collection[Region] | None = None,
    pledger_countries: Collection[str] | None = None,
    beneficiary_countries: Collection[str] | None = None,
    beneficiary_regions: Collection[Region | CountryGroup] | None = None,
    country_groups: Collection[CountryGroup] | None = None,
    beneficiary_groups: Collection[CountryGroup] | None = None,
    reaching: Collection[str] | None = None,
    target_groups: Collection[TargetGroup] | None = None,
    sdgs: Collection[SDG | int] | None = None,
    statuses: Collection[PledgeStatus] | None = None,
    ids: Collection[str] | None = None,
    announced_from: dt.date | None = None,
    announced_until: dt.date | None = None,
    usd_from: Decimal | int | None = None,
    usd_until: Decimal | int | None = None,
    rates: RateSource | None = None,
    policy: Policy = DEFAULT_POLICY,
    unconverted: Unconvertible = "raise",
) -> Selection:
    """Return the pledges that meet every criterion given, in their original order.

    A criterion on a multi-valued dimension keeps a pledge that has at least one
    of the values asked for (:func:`values_of` says which values a pledge has).

    Args:
        text: Words that must all appear (ignoring case and accents) in the title,
            the description, or a pledger's name.
        sectors: Sectors of the pledger or of a co-pledger.
        pledger_regions: ITU-D regions of the pledger or of a co-pledger.
        pledger_countries: ISO 3166-1 codes (alpha-3 accepted) of the home
            country of the pledger or of a co-pledger; a pledger without a
            country matches none.
        beneficiary_countries: ISO 3166-1 codes (alpha-3 accepted) that the
            pledge names among its ``beneficiary_countries``; a pledge naming
            only regions or groups matches none (see ``reaching``).
        beneficiary_regions: ITU-D regions named by the pledge, or of a beneficiary
            country; a :class:`~p2c_pledges.codes.CountryGroup` keeps the pledges
            that name it, as the summary by beneficiary region has it.
        country_groups: LDC / LLDC / SIDS: a beneficiary country belonged to the
            group on the day the pledge was announced, or the pledge names the group.
        beneficiary_groups: Groups the pledge names (``beneficiary_groups``), ``global``
            included. (Added in 0.2.)
        reaching: ISO 3166-1 codes: the pledge names one of them, or names a group
            it belonged to on the announcement day (:func:`reached_countries`).
            (Added in 0.2.)
        ids: Pledge ids, compared exactly (case and spaces count).
        announced_from: First announcement date to keep (inclusive).
        announced_until: Last announcement date to keep (inclusive).
        usd_from: Smallest USD value to keep (inclusive), converted with ``rates``
            and ``policy`` exactly as :func:`p2c_pledges.normalize` does.
        usd_until: Largest USD value to keep (inclusive).
        rates: The rate sources for ``usd_from`` / ``usd_until``.
        policy: The exchange-rate policy for them.
        unconverted: For a USD range, what to do with a pledge whose amount
            cannot be converted: ``"raise"`` (the default) or ``"exclude"``,
            which leaves it out and lists it in :attr:`Selection.excluded`.

    A USD range keeps only pledges that have an amount. A pledge whose amount cannot
    be converted is never silently dropped: the query raises, naming it, or
    excludes it and says so.

    Returns:
        A :class:`Selection`: the list of pledges kept, in their original order.

    .. versionchanged:: 0.2
       ``pledger_countries``, ``ids`` and ``unconverted``; the result is a
       :class:`Selection` (a list); criteria are checked (an unknown value was
       a filter that kept nothing); a USD bound may be an int.

    Every criterion is checked before any pledge is: a value that is not of its
    vocabulary (``focus_areas=["acces"]``) is an error naming the criterion, at
    the path ``$.<criterion>[<index>]``, never a filter that silently keeps nothing.
    A vocabulary value may be given as its wire value (``"access"``), an SDG as an
    int, a USD bound as an int.

    Raises:
        PledgeDataError: ``country.unknown`` for a country code that is not one;
            ``value.enum`` for a value that is not of the criterion's vocabulary;
            ``sdg.range`` for an SDG outside 1 to 17; ``value.type`` for a criterion
            of the wrong type (a text that is not a str, a datetime for a date);
            ``value.float_money`` / ``value.not_finite`` for a USD bound that is a
            float or not finite; ``rate.missing`` / ``rate.no_source`` for a pledge
            a USD range cannot place.
        ValueError: A USD range without ``rates``.
    """
    if unconverted not in ("raise", "exclude"):
        raise ValueError(
            f"unconverted must be 'raise' or 'exclude', not {brief_repr(unconverted)}"
        )
    wanted: dict[Callable[[Pledge], Collection[Hashable]], frozenset[Hashable]] = {}
    for dimension, criterion, kind, values in (
        (Dimension.FOCUS_AREA, "focus_areas", FocusArea, focus_areas),
        (Dimension.PLEDGE_TYPE, "pledge_types", PledgeType, pledge_types),
        (Dimension.SECTOR, "sectors", Sector, sectors),
        (Dimension.PLEDGER_REGION, "pledger_regions", Region, pledger_regions),
        # A stated group is a value of this dimension too (a summary's key), so it filters.
        (
            Dimension.BENEFICIARY_REGION,
            "beneficiary_regions",
            (Region, CountryGroup),
            beneficiary_regions,
        ),
        (Dimension.COUNTRY_GROUP, "country_groups", CountryGroup, country_groups),
        (Dimension.BENEFICIARY_GROUP, "beneficiary_groups", CountryGroup, beneficiary_groups),
        (Dimension.TARGET_GROUP, "target_groups", TargetGroup, target_groups),
        (Dimension.STATUS, "statuses", PledgeStatus, statuses),
        (Dimension.SDG, "sdgs", SDG, sdgs),
    ):
        if values is not None:
            wanted[_VALUES[dimension]] = _members(criterion, kind, values)
    if beneficiary_countries is not None:
        wanted[_VALUES[Dimension.BENEFICIARY_COUNTRY]] = _countries(
            "beneficiary_countries", beneficiary_countries
        )
    if pledger_countries is not None:
        wanted[_pledger_countries] = _countries("pledger_countries", pledger_countries)
    if ids is not None:
        wanted[_id] = _ids(ids)
    reached = _countries("reaching", reaching) if reaching is not None else None
    if text is not None and not isinstance(text, str):
        raise _criterion_error("text", "a string", text)
    words = fold(text).split() if text is not None else []
    first = _date_bound("announced_from", announced_from) or dt.date.min
    last = _date_bound("announced_until", announced_until) or dt.date.max

    def keeps(pledge: Pledge) -> bool:
        return (
            first <= pledge.announced_on <= last
            and all(not values.isdisjoint(of(pledge)) for of, values in wanted.items())
            and all(word in _searchable(pledge) for word in words)
            and (reached is None or not reached.isdisjoint(reached_countries(pledge)))
        )

    kept = [pledge for pledge in pledges if keeps(pledge)]
    if usd_from is None and usd_until is None:
        return Selection(kept)
    # Last, so that only the pledges meeting every other criterion are converted,
    # and those excluded are pledges the query would otherwise have kept.
    return Selection(
        *_in_usd_range(kept, usd_from, usd_until, rates, policy, unconverted=unconverted)
    )


# Filters that are not dimensions to group by (a summary by id would be the list itself).
def _pledger_countries(pledge: Pledge) -> Collection[Hashable]:
    return {pledger.country for pledger in pledge.pledgers if pledger.country is not None}


def _id(pledge: Pledge) -> Collection[Hashable]:
    return (pledge.id,)


# A criterion is checked as the model checks a field: a value that is not one of
# the vocabulary is an error naming the criterion, never a filter that silently
# keeps nothing (focus_areas=["acces"]). The path is the criterion's name, so that
# a service taking the criteria as a JSON request can point at the bad one.
def _criterion_error(
    criterion: str, expected: str, value: object, index: int | None = None
) -> PledgeDataError:
    path = f"$.{criterion}" if index is None else f"$.{criterion}[{index}]"
    return PledgeDataError.single(
        "value.type",
        f"{criterion} must be {expected}, not {type(value).__name__} ({brief_repr(value)})",
        value,
        path,
    )


def _items(criterion: str, values: object, expected: str) -> list[object]:
    # A single value given as a string is one value, not a set of letters.
    if isinstance(values, str):
        return [values]
    if isinstance(values, (bytes, Mapping)) or not isinstance(values, Iterable):
        raise _criterion_error(criterion, expected, values)
    return list(values)


def _members(
    criterion: str, kind: type[enum.Enum] | tuple[type[enum.Enum], ...], values: object
) -> frozenset[Hashable]:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = " or ".join(each.__name__ for each in kinds)
    known = ", ".join(str(member.value) for each in kinds for member in each)
    members: set[Hashable] = set()
    for index, value in enumerate(_items(criterion, values, f"a list of {names}")):
        member = _member(kinds, value)
        if member is None:
            out_of_range = kinds == (SDG,) and type(value) is int
            raise PledgeDataError.single(
                "sdg.range" if out_of_range else "value.enum",
                f"{criterion} holds {brief_repr(value)}, which is not a {names} (known: {known})",
                value,
                f"$.{criterion}[{index}]",
            )
        members.add(member)
    return frozenset(members)


def _member(kinds: tuple[type[enum.Enum], ...], value: object) -> enum.Enum | None:
    """The member ``value`` is, or names, of the first of ``kinds`` that has it; None if none has."""
    if isinstance(value, bool):  # True is the int 1, never SDG 1
        return None
    for kind in kinds:
        if kind is SDG and not isinstance(value, int):  # SDG("1") is no goal
            continue
        try:
            return kind(value)
        except (ValueError, TypeError):
            continue
    return None


def _countries(criterion: str, codes: object) -> frozenset[str]:
    items = _items(criterion, codes, "a list of ISO 3166-1 codes")
    return frozenset(
        normalize_country(code, path=f"$.{criterion}[{index}]")  # type: ignore[arg-type]
        for index, code in enumerate(items)
    )


def _ids(ids: object) -> frozenset[Hashable]:
    items = _items("ids", ids, "a list of pledge ids")
    for index, value in enumerate(items):
        if not isinstance(value, str):
            raise _criterion_error("ids", "a string (a pledge id)", value, index)
    return frozenset(str(value) for value in items)


def _date_bound(criterion: str, value: object) -> dt.date | None:
    # A datetime is a date to Python, but cannot be compared with one.
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise _criterion_error(criterion, "a datetime.date", value)
    return value


def _usd_bound(criterion: str, bound: object) -> Decimal | None:
    if bound is None or (isinstance(bound, Decimal) and bound.is_finite()):
        return bound
    if isinstance(bound, int) and not isinstance(bound, bool):
        return Decimal(bound)  # exact, as Money takes an int
    if isinstance(bound, Decimal):
        code = "value.not_finite"
    elif isinstance(bound, float):
        code = "value.float_money"
    else:
        code = "value.type"
    raise PledgeDataError.single(
        code=code,
        message=f"{criterion}, a USD bound, must be a finite Decimal or an int, "
        f"not {brief_repr(bound)}",
        value=bound,
        path=f"$.{criterion}",
    )


def _in_usd_range(
    pledges: list[Pledge],
    low: Decimal | int | None,
    high: Decimal | int | None,
    rates: RateSource | None,
    policy: Policy,
    *,
    unconverted: Unconvertible,
) -> tuple[list[Pledge], list[NormalizedPledge]]:
    low, high = _usd_bound("usd_from", low), _usd_bound("usd_until", high)
    if rates is None:
        raise ValueError("a USD range needs rates (for example p2c_pledges.fx.bundled_rates())")
    # Imported here: normalization is a sibling in layer 4, needed only for USD ranges,
    # so that a filter and a total convert exactly alike.
    from .normalization import normalize  # noqa: PLC0415

    normalized = normalize(pledges, rates, policy, strict=unconverted == "raise")
    kept = [
        item.pledge
        for item in normalized
        if item.usd_exact is not None
        and (low is None or low <= item.usd_exact)
        and (high is None or item.usd_exact <= high)
    ]
    return kept, normalized.failures
