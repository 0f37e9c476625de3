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

import contextlib
import contextvars
import datetime as dt
import json
import os
import pkgutil
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from attrs import define

from ._once import once
from .codes import CountryGroup, Region
from .errors import Issue, PledgeDataError, brief_repr


__all__ = [
    "CountryGroup",
    "CountryTables",
    "DataSource",
    "country_name",
    "groups_of",
    "in_group",
    "is_country",
    "load_tables",
    "members",
    "normalize_country",
    "region_of",
    "sources",
    "use_tables",
]


@define(frozen=True, kw_only=True)
class DataSource:
    """Where a bundled data file comes from and how current it is."""

    file: str
    source: str
    as_of: dt.date
    #: True for a table the user gave (``--groups``, ``--regions``), layered over the bundled one.
    user: bool = False


@define(frozen=True, kw_only=True)
class _Membership:
    country: str
    group: CountryGroup
    start: dt.date | None
    end: dt.date | None

    def covers(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on < self.end)


def _read(name: str) -> dict[str, Any]:
    # Through the package's loader, as importlib.resources would (from a zip too),
    # without its imports of tempfile and shutil: a tenth of the start-up budget
    # of a web worker, whose first read needs the country codes.
    data = pkgutil.get_data("p2c_pledges", f"data/{name}")
    if data is None:  # pragma: no cover - a loader that cannot read data files
        raise FileNotFoundError(f"p2c_pledges/data/{name}")
    text = data.decode("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


@once
def _codes() -> tuple[Mapping[str, str], Mapping[str, str]]:
    """Return (alpha-2 → English name, alpha-3 → alpha-2)."""
    document = _read("country_codes.json")
    names = {row["alpha2"]: row["name"] for row in document["countries"]}
    alpha2_of = {row["alpha3"]: row["alpha2"] for row in document["countries"]}
    return names, alpha2_of


_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The keys of a membership row: anything else (``"untill"``) would be ignored, so it is refused.
_MEMBERSHIP_KEYS = frozenset({"group", "countries", "from", "until", "note"})


def _day(value: object, path: str, issues: list[Issue]) -> dt.date | None:
    """A ``YYYY-MM-DD`` day, or an issue (``20291124`` too: the files write ISO days)."""
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(value)
    issues.append(
        Issue(
            code="date.syntax",
            message=f"{value!r} is not a day written YYYY-MM-DD",
            value=value,
            path=path,
        )
    )
    return None


def _country_list(value: object, path: str, issues: list[Issue]) -> list[str]:
    """The alpha-2 codes of a list of country codes; every problem as an issue."""
    if not isinstance(value, list):
        issues.append(
            Issue(
                code="value.type",
                message=f"a list of country codes, not {type(value).__name__}",
                value=value,
                path=path,
            )
        )
        return []
    found = []
    for index, country in enumerate(value):
        try:
            found.append(normalize_country(country, path=f"{path}[{index}]"))
        except PledgeDataError as error:
            issues.extend(error.issues)
    return found


def _region_rows(document: Mapping[str, Any], where: str) -> dict[str, Region]:
    """Each country's region; a country listed under two regions is an error, not the last one."""
    regions = document["regions"]
    if not isinstance(regions, Mapping):
        raise PledgeDataError.single(
            code="value.type",
            message=f"'regions' maps a region to its countries, not a {type(regions).__name__}",
            path=f"{where}.regions",
        )
    issues: list[Issue] = []
    rows: dict[str, Region] = {}
    placed: dict[str, str] = {}
    for name, listed in regions.items():
        path = f"{where}.regions.{name}"
        try:
            region = Region(name)
        except ValueError:
            issues.append(
                Issue(
                    code="value.invalid",
                    message=f"{name!r} is not an ITU-D region "
                    f"({', '.join(r.value for r in Region)})",
                    value=name,
                    path=path,
                )
            )
            continue
        for index, country in enumerate(_country_list(listed, path, issues)):
            if country in rows and rows[country] is not region:
                issues.append(
                    Issue(
                        code="value.invalid",
                        message=f"{country} is listed in two regions, {rows[country].value} "
                        f"({placed[country]}) and {region.value}",
                        value=country,
                        path=f"{path}[{index}]",
                    )
                )
                continue
            rows[country], placed[country] = region, f"{path}[{index}]"
    if issues:
        raise PledgeDataError(issues)
    return rows


def _membership_rows(document: Mapping[str, Any]) -> tuple[_Membership, ...]:
    """The dated memberships of a group file; every problem at once, located."""
    entries = document["memberships"]
    if not isinstance(entries, list):
        raise PledgeDataError.single(
            code="value.type",
            message=f"'memberships' is a list of rows, not a {type(entries).__name__}",
            path="$.memberships",
        )
    issues: list[Issue] = []
    rows: list[_Membership] = []
    for index, entry in enumerate(entries):
        path = f"$.memberships[{index}]"
        if not isinstance(entry, Mapping):
            issues.append(
                Issue(code="value.type", message="a row is an object", value=entry, path=path)
            )
            continue
        issues.extend(
            Issue(
                code="key.unknown",
                message=f"{key!r} is not a key of a membership row "
                f"({', '.join(sorted(_MEMBERSHIP_KEYS))})",
                value=key,
                path=f"{path}.{key}",
            )
            for key in entry
            if key not in _MEMBERSHIP_KEYS
        )
        group = _row_group(entry.get("group"), f"{path}.group", issues)
        start = _day(entry["from"], f"{path}.from", issues) if "from" in entry else None
        end = _day(entry["until"], f"{path}.until", issues) if "until" in entry else None
        if start is not None and end is not None and end <= start:
            issues.append(
                Issue(
                    code="period.order",
                    message=f"the membership ends ({end}) on or before it starts ({start})",
                    value=entry["until"],
                    path=f"{path}.until",
                )
            )
        countries = _country_list(entry.get("countries"), f"{path}.countries", issues)
        if group is not None:
            rows.extend(
                _Membership(country=country, group=group, start=start, end=end)
                for country in countries
            )
    if issues:
        raise PledgeDataError(issues)
    return tuple(rows)


def _row_group(value: object, path: str, issues: list[Issue]) -> CountryGroup | None:
    """The group of a row: a UN list (``global`` is every ITU country, not a list to join)."""
    listed = [g.value for g in CountryGroup if g is not CountryGroup.GLOBAL]
    if isinstance(value, str) and value in listed:
        return CountryGroup(value)
    issues.append(
        Issue(
            code="value.invalid",
            message=f"{value!r} is not a group a country joins ({', '.join(listed)})",
            value=value,
            path=path,
        )
    )
    return None


@once
def _bundled_regions() -> Mapping[str, Region]:
    return _region_rows(_read("itu_regions.json"), "$")


@once
def _bundled_memberships() -> tuple[_Membership, ...]:
    return _membership_rows(_read("country_groups.json"))


@define(frozen=True, kw_only=True)
class CountryTables:
    """Regions and group memberships: the bundled tables with a user's tables layered over them.

    A user's row wins for the countries it names: a group file that lists
    Bangladesh as an LDC replaces every bundled LDC row of Bangladesh, and
    leaves every other country (and Bangladesh's other groups) as bundled.
    Build one with :func:`load_tables`; make it answer with :func:`use_tables`.

    .. versionadded:: 0.2
    """

    regions: Mapping[str, Region]
    memberships: tuple[_Membership, ...]
    user_sources: tuple[DataSource, ...]


#: The tables that answer in this context (``None``: the bundled ones).
_ACTIVE: contextvars.ContextVar[CountryTables | None] = contextvars.ContextVar(
    "p2c_pledges_country_tables", default=None
)


def _regions() -> Mapping[str, Region]:
    tables = _ACTIVE.get()
    return _bundled_regions() if tables is None else tables.regions


def _memberships() -> tuple[_Membership, ...]:
    tables = _ACTIVE.get()
    return _bundled_memberships() if tables is None else tables.memberships


def _user_document(path: Path, key: str) -> dict[str, Any]:
    """Read a user's table: a JSON object with ``source``, ``as_of`` and ``key``."""
    where = str(path)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PledgeDataError.single(
            code="json.syntax", message=f"cannot read {where}: {error}", file=where
        ) from None
    issues = [
        Issue(
            code="key.missing",
            message=f"a country table needs '{name}' (the layout of the bundled table)",
            path="$",
            file=where,
        )
        for name in ("source", "as_of", key)
        if not isinstance(document, dict) or name not in document
    ]
    if issues:
        raise PledgeDataError(issues)
    return dict(document)


def _provenance(document: Mapping[str, Any]) -> dt.date:
    """The as-of day of a user's table, checked with its source; or every problem of the two."""
    issues: list[Issue] = []
    as_of = _day(document["as_of"], "$.as_of", issues)
    if not isinstance(document["source"], str) or not document["source"].strip():
        issues.append(
            Issue(
                code="value.invalid",
                message="'source' says where the table comes from: a text, not empty",
                value=document["source"],
                path="$.source",
            )
        )
    if issues or as_of is None:
        raise PledgeDataError(issues)
    return as_of


def _checked(path: Path, key: str, build: Any) -> tuple[Any, DataSource]:
    document = _user_document(path, key)
    try:
        rows = build(document)
        as_of = _provenance(document)
    except PledgeDataError as error:
        raise PledgeDataError(
            [
                Issue(
                    code=issue.code,
                    message=issue.message,
                    value=issue.value,
                    path=issue.path,
                    file=str(path),
                )
                for issue in error.issues
            ]
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise PledgeDataError.single(
            code="value.invalid",
            message=f"{path}: not the layout of the bundled table ({error!r})",
            file=str(path),
        ) from None
    source = DataSource(file=str(path), source=str(document["source"]), as_of=as_of, user=True)
    return rows, source


def load_tables(
    *,
    groups: str | os.PathLike[str] | None = None,
    regions: str | os.PathLike[str] | None = None,
) -> CountryTables:
    """Layer a user's group-membership file and region file over the bundled tables.

    Each file has the layout of the bundled one (``country_groups.json``,
    ``itu_regions.json``), with its own ``source`` and ``as_of``. A user's row
    wins for the (country, group) pairs it names, and for the countries a region
    file names.

    .. versionadded:: 0.2

    Raises:
        PledgeDataError: A file that cannot be read or is not of the layout, with the file.
    """
    region_table = dict(_bundled_regions())
    memberships = _bundled_memberships()
    user: list[DataSource] = []
    if regions is not None:
        rows, source = _checked(Path(regions), "regions", lambda d: _region_rows(d, "$"))
        region_table.update(rows)
        user.append(source)
    if groups is not None:
        rows, source = _checked(Path(groups), "memberships", _membership_rows)
        named = {(m.country, m.group) for m in rows}
        memberships = (
            *(m for m in memberships if (m.country, m.group) not in named),
            *rows,
        )
        user.append(source)
    return CountryTables(
        regions=region_table, memberships=tuple(memberships), user_sources=tuple(user)
    )


@contextlib.contextmanager
def use_tables(tables: CountryTables) -> Iterator[CountryTables]:
    """Answer with ``tables`` inside the ``with`` block (this thread or task only).

    Everything that asks for a region or a group inside it (the readers filling a
    pledger's region, the rules, :mod:`p2c_pledges.query`, summaries) uses them.

    .. versionadded:: 0.2
    """
    token = _ACTIVE.set(tables)
    try:
        yield tables
    finally:
        _ACTIVE.reset(token)


def sources() -> list[DataSource]:
    """Return the source and as-of date of every country data file in use: bundled, then the user's."""
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
    tables = _ACTIVE.get()
    if tables is not None:
        result.extend(tables.user_sources)
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
        hint = f" (of type {type(code).__name__}, not a string)"
    raise PledgeDataError.single(
        code="country.unknown",
        message=f"{brief_repr(code)} is not an ISO 3166-1 alpha-2 or alpha-3 country code{hint}",
        value=code,
        path=path,
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
