"""Countries: ISO 3166-1 codes, their ITU-D region, and dated country groups.

The data lives in ``p2c_pledges/data/`` as JSON files that each carry their
``source`` and ``as_of`` date:

- ``country_codes.json``: ISO 3166-1 alpha-2 and alpha-3 codes, from the CLDR
  data that babel ships (regenerate with ``scripts/build_country_codes.py``).
- ``itu_regions.json``: the ITU-D region of each ITU Member State.
- ``country_groups.json``: membership of the UN lists of Least Developed
  Countries (LDC), Landlocked Developing Countries (LLDC) and Small Island
  Developing States (SIDS), with the dates countries joined or graduated.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

from attrs import define

from ._once import once
from .codes import CountryGroup, Region
from .errors import Issue, PledgeDataError


__all__ = [
    "CountryGroup",
    "DataSource",
    "country_name",
    "groups_of",
    "in_group",
    "is_country",
    "members",
    "normalize_country",
    "region_of",
    "sources",
]


@define(frozen=True, kw_only=True)
class DataSource:
    """Where a bundled data file comes from and how current it is."""

    file: str
    source: str
    as_of: dt.date


@define(frozen=True, kw_only=True)
class _Membership:
    country: str
    group: CountryGroup
    start: dt.date | None
    end: dt.date | None

    def covers(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


def _read(name: str) -> dict[str, Any]:
    text = (files("p2c_pledges") / "data" / name).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@once
def _codes() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """Return (alpha-2 → English name, alpha-3 → alpha-2)."""
    document = _read("country_codes.json")
    names = {row["alpha2"]: row["name"] for row in document["countries"]}
    alpha2_of = {row["alpha3"]: row["alpha2"] for row in document["countries"]}
    return names, alpha2_of


@once
def _regions() -> Mapping[str, Region]:
    document = _read("itu_regions.json")
    return {
        country: Region(region)
        for region, countries in document["regions"].items()
        for country in countries
    }


@once
def _memberships() -> tuple[_Membership, ...]:
    document = _read("country_groups.json")
    return tuple(
        _Membership(
            country=country,
            group=CountryGroup(entry["group"]),
            start=dt.date.fromisoformat(entry["from"]) if "from" in entry else None,
            end=dt.date.fromisoformat(entry["until"]) if "until" in entry else None,
        )
        for entry in document["memberships"]
        for country in entry["countries"]
    )


def sources() -> list[DataSource]:
    """Return the source and as-of date of every bundled country data file."""
    result = []
    for name in ("country_codes.json", "itu_regions.json", "country_groups.json"):
        document = _read(name)
        result.append(
            DataSource(
                file=name,
                source=document["source"],
                as_of=dt.date.fromisoformat(document["as_of"]),
            )
        )
    return result


def is_country(code: str) -> bool:
    """Tell whether ``code`` is an ISO 3166-1 alpha-2 code (upper-case)."""
    return code in _codes()[0]


def normalize_country(code: str, *, path: str = "$") -> str:
    """Return the ISO 3166-1 alpha-2 code of ``code``, given as alpha-2 or alpha-3.

    Codes are case-sensitive, as in ISO 3166: ``"gh"`` is an error that suggests
    ``"GH"``, so that nothing the user wrote is silently changed.

    Raises:
        PledgeDataError: ``country.unknown`` when ``code`` is neither.
    """
    names, alpha2_of = _codes()
    if isinstance(code, str):
        if code in names:
            return code
        if code in alpha2_of:
            return alpha2_of[code]
        upper = code.upper()
        if upper != code and (upper in names or upper in alpha2_of):
            hint = f"; country codes are upper-case: did you mean {upper!r}?"
        else:
            hint = ""
    else:
        hint = f" (a {type(code).__name__}, not a string)"
    raise PledgeDataError(
        [
            Issue(
                code="country.unknown",
                message=f"{code!r} is not an ISO 3166-1 alpha-2 or alpha-3 country code{hint}",
                value=code,
                path=path,
            )
        ]
    )


def country_name(code: str) -> str:
    """Return the English name of an alpha-2 country code.

    Raises:
        PledgeDataError: ``country.unknown`` for a code that is not a country.
    """
    return _codes()[0][normalize_country(code)]


def region_of(code: str) -> Region | None:
    """Return the ITU-D region of a country, or ``None`` for a territory outside them.

    Raises:
        PledgeDataError: ``country.unknown`` for a code that is not a country.
    """
    return _regions().get(normalize_country(code))


def in_group(code: str, group: CountryGroup, on: dt.date) -> bool:
    """Tell whether a country belonged to a UN country group on a given day.

    Membership is dated: Bhutan is an LDC on 2023-12-12 and not on 2023-12-13,
    the day its graduation took effect. Every country with an ITU-D region is in
    ``global``.

    Raises:
        PledgeDataError: ``country.unknown`` for a code that is not a country.
    """
    country, wanted = normalize_country(code), CountryGroup(group)
    if wanted is CountryGroup.GLOBAL:
        return country in _regions()
    return any(m.country == country and m.group is wanted and m.covers(on) for m in _memberships())


def groups_of(code: str, on: dt.date) -> frozenset[CountryGroup]:
    """Return the UN country groups a country belonged to on a given day.

    ``global`` is not a list a country joins, so it is never among them.
    """
    country = normalize_country(code)
    return frozenset(m.group for m in _memberships() if m.country == country and m.covers(on))


def members(group: CountryGroup, on: dt.date) -> frozenset[str]:
    """Return the alpha-2 codes of the members of a UN country group on a given day.

    The members of ``global`` are every country with an ITU-D region (the ITU
    Member States of ``itu_regions.json``), whatever the day.

    .. versionchanged:: 0.2 ``global``.
    """
    wanted = CountryGroup(group)
    if wanted is CountryGroup.GLOBAL:
        return frozenset(_regions())
    return frozenset(m.country for m in _memberships() if m.group is wanted and m.covers(on))
