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
from collections.abc import Callable, Collection, Hashable, Iterable
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
from .errors import PledgeDataError
from .fx import DEFAULT_POLICY, Policy, RateSource
from .model import Pledge, Pledger


if TYPE_CHECKING:
    from .normalization import NormalizedPledge


__all__ = [
    "Dimension",
    "Selection",
    "Unconvertible",
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
        return f"{pledger.name} (no country)"
    return pledger.name


# The end of a pledger's key that names its country: " (GH)".
_KEY_END = re.compile(r" \([A-Z]{2}\)\Z")


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


def values_of(pledge: Pledge, dimension: Dimension) -> tuple[Hashable, ...]:
    """Return the distinct values a pledge has on a dimension (possibly none), in a stable order.

    The sector, region and name of every pledger (co-pledgers included) count;
    a beneficiary region comes from the pledge or from a beneficiary country. On
    the beneficiary country and region dimensions, a group the pledge names
    (:class:`~p2c_pledges.codes.CountryGroup`) is a value of its own.
    """
    values = _VALUES[dimension](pledge)
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
    beneficiary_regions: Collection[Region] | None = None,
    country_groups: Collection[CountryGroup] | None = None,
    beneficiary_groups: Collection[CountryGroup] | None = None,
    reaching: Collection[str] | None = None,
    target_groups: Collection[TargetGroup] | None = None,
    sdgs: Collection[SDG | int] | None = None,
    statuses: Collection[PledgeStatus] | None = None,
    ids: Collection[str] | None = None,
    announced_from: dt.date | None = None,
    announced_until: dt.date | None = None,
    usd_from: Decimal | None = None,
    usd_until: Decimal | None = None,
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
        beneficiary_regions: ITU-D regions named by the pledge, or of a beneficiary country.
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
       :class:`Selection` (a list).

    Raises:
        PledgeDataError: ``country.unknown`` for a country code that is not one;
            ``rate.missing`` / ``rate.no_source`` for a pledge a USD range cannot place.
        ValueError: A USD range without ``rates``.
    """
    if unconverted not in ("raise", "exclude"):
        raise ValueError(f"unconverted must be 'raise' or 'exclude', not {unconverted!r}")
    wanted: dict[Callable[[Pledge], Collection[Hashable]], frozenset[Hashable]] = {}
    for dimension, values in (
        (Dimension.FOCUS_AREA, focus_areas),
        (Dimension.PLEDGE_TYPE, pledge_types),
        (Dimension.SECTOR, sectors),
        (Dimension.PLEDGER_REGION, pledger_regions),
        (Dimension.BENEFICIARY_REGION, beneficiary_regions),
        (Dimension.COUNTRY_GROUP, country_groups),
        (Dimension.BENEFICIARY_GROUP, beneficiary_groups),
        (Dimension.TARGET_GROUP, target_groups),
        (Dimension.STATUS, statuses),
    ):
        if values is not None:
            # A single value given as a string is one value, not a set of letters.
            wanted[_VALUES[dimension]] = frozenset([values] if isinstance(values, str) else values)
    if beneficiary_countries is not None:
        wanted[_VALUES[Dimension.BENEFICIARY_COUNTRY]] = _countries(beneficiary_countries)
    if pledger_countries is not None:
        wanted[_pledger_countries] = _countries(pledger_countries)
    if ids is not None:
        wanted[_id] = frozenset([ids] if isinstance(ids, str) else ids)
    reached = _countries(reaching) if reaching is not None else None
    if sdgs is not None:
        wanted[_VALUES[Dimension.SDG]] = frozenset(SDG(goal) for goal in sdgs)
    words = fold(text).split() if text is not None else []
    first = announced_from or dt.date.min
    last = announced_until or dt.date.max

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


def _countries(codes: Collection[str]) -> frozenset[str]:
    # A single code given as a string is one code, not a set of letters.
    return frozenset(
        normalize_country(code) for code in ([codes] if isinstance(codes, str) else codes)
    )


def _check_bounds(*bounds: object) -> None:
    for bound in bounds:
        if bound is not None and (not isinstance(bound, Decimal) or not bound.is_finite()):
            code = "value.float_money" if isinstance(bound, float) else "value.type"
            raise PledgeDataError.single(
                code=code,
                message=f"a USD bound must be a finite Decimal, not {bound!r}",
                value=bound,
            )


def _in_usd_range(
    pledges: list[Pledge],
    low: Decimal | None,
    high: Decimal | None,
    rates: RateSource | None,
    policy: Policy,
    *,
    unconverted: Unconvertible,
) -> tuple[list[Pledge], list[NormalizedPledge]]:
    _check_bounds(low, high)
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
