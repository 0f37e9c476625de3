"""The readers' fast path: structuring specialized by hand for records that are valid.

Building a :class:`~p2c_pledges.Pledge` through its ``__init__`` runs a converter
and a validator per field, which dominates reading a large file (the figures are
on the Performance page). Here each field is checked once, inline, against the
same rules, values that repeat in a file (dates, pledgers, lists of vocabulary
values, units) are checked once and shared, and the frozen slotted instance is
filled through its slot descriptors, as attrs's own ``__init__`` does.

The guarantee: :meth:`FastPath.pledge` either returns the object that
:func:`p2c_pledges.io.structure` returns for the same record, equal field by
field, or raises. It raises for anything it is not sure of, invalid or merely
unusual (``4.0`` as an SDG), and the reader then asks the strict converter,
which is the reference and says what is wrong. The property tests in
``tests/test_io_fast.py`` hold the two to that.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, TypeVar

import attrs

from .. import countries
from .._extras import FrozenObject
from .._text import takes
from ..codes import (
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
from ..model import MAX_TEXT_LENGTH, Pledge, Pledger, Target
from ..money import Money, _currencies, check_amount
from ..units import check_unit
from ._convert import DATE_SYNTAX, DECIMAL_SYNTAX, INTEGER_SYNTAX
from ._fields import TABLES, file_keys


__all__ = [
    "CHILD_COLUMNS",
    "MAIN_COLUMNS",
    "Decline",
    "FastPath",
    "Retry",
    "RuleBroken",
    "RuleChecks",
    "assembler",
    "csv_reader",
    "extras_setter",
    "keys",
]

T = TypeVar("T")


class Decline(Exception):  # noqa: N818 - it is not an error: the converter takes over
    """The fast path does not take this record; the strict converter will."""


class Retry(Decline):
    """Declined for a reason that is not a field's value (unknown keys, a rule checked
    before the pledge is built): the fast path is worth trying again without it."""


class RuleBroken(Decline):
    """A valid pledge that breaks an error rule: the reader reports the rule on it."""

    def __init__(self, pledge: Pledge) -> None:
        super().__init__()
        self.pledge = pledge


def assembler(cls: type[T]) -> Callable[..., T]:
    """Return a function that fills a new frozen slotted ``cls`` from its field values, in order.

    It skips ``__init__``, so its converters, validators and post-init: only for
    values already checked against the same rules.
    """
    names = [field.name for field in attrs.fields(cls)]  # type: ignore[arg-type]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    for name in names:
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
    lines = [f"def assemble_{cls.__name__}({', '.join(names)}):", "    self = _new(_cls)"]
    lines += [f"    _set_{name}(self, {name})" for name in names]
    lines.append("    return self")
    # Straight-line code, as attrs generates its __init__: a loop over the
    # setters would add its own overhead to every field.
    exec("\n".join(lines), namespace)  # noqa: S102 - the source is built from field names
    assemble: Callable[..., T] = namespace[f"assemble_{cls.__name__}"]
    return assemble


_new_pledge = assembler(Pledge)
_new_pledger = assembler(Pledger)
_new_money = assembler(Money)
_new_target = assembler(Target)

_NO_EXTRAS: Final[Mapping[str, Any]] = FrozenObject()
_ABSENT: Final[tuple[()]] = ()

_PLEDGE_KEYS = frozenset(file_keys(Pledge).values())
_PLEDGER_KEYS = frozenset(file_keys(Pledger).values())
_MONEY_KEYS = frozenset(file_keys(Money).values())
_TARGET_KEYS = frozenset(file_keys(Target).values())

#: The keys of each kind of object, by its name in messages.
keys: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "pledge": _PLEDGE_KEYS,
        "pledger": _PLEDGER_KEYS,
        "money": _MONEY_KEYS,
        "target": _TARGET_KEYS,
    }
)
#: Sets the extras of a pledge that a reader built (the slot is read-only otherwise).
extras_setter: Callable[[Pledge, Mapping[str, Any]], None] = Pledge.__dict__["extras"].__set__


def _members(kind: type[enum.Enum]) -> dict[Any, Any]:
    return {member.value: member for member in kind}


_SECTORS = _members(Sector)
_REGIONS = _members(Region)
_METRICS = _members(Metric)
_STATUSES = _members(PledgeStatus)
_SDGS = _members(SDG)
_FIRST_GOAL = SDG.NO_POVERTY

# Plain notation within Money's limits (20 digits before the point, 18 after):
# a string that matches needs no further check. Anything else, such as
# "1E+3", goes the long way through check_amount.
_PLAIN_AMOUNT = re.compile(r"-?(?:0|[1-9][0-9]{0,19})(?:\.[0-9]{1,18})?")
_URL = re.compile(r"https?://\S*")  # Python's \S is exactly "not str.isspace()"

#: Entries each cache of one read may hold; beyond that, values are checked every time.
CACHE_LIMIT = 50_000


def text(value: Any) -> str:
    """Return ``value`` if it passes the model's text rule, else decline."""
    if type(value) is not str or len(value) > MAX_TEXT_LENGTH or not takes(value):
        raise Decline
    return value


def decimal(value: Any) -> Decimal:
    """Return the Decimal of a decimal string, else decline."""
    if type(value) is not str or not DECIMAL_SYNTAX.fullmatch(value):
        raise Decline
    number = Decimal(value)  # InvalidOperation for an exponent too large: declined
    if not number.is_finite():  # pragma: no cover - the syntax allows no NaN
        raise Decline
    return number


def amount(value: Any) -> Decimal:
    """Return the Decimal of an amount string within Money's limits, else decline."""
    if type(value) is str and _PLAIN_AMOUNT.fullmatch(value):
        return Decimal(value)
    number = decimal(value)
    if check_amount(number):
        raise Decline
    return number


def url(value: Any) -> str:
    """Return ``value`` if it is an http(s) URL without spaces, else decline."""
    if not _URL.fullmatch(text(value)):
        raise Decline
    return str(value)


def _picker(
    cls: type, defaults: Mapping[str, Any]
) -> tuple[Callable[[dict[str, Any]], tuple[Any, ...]], dict[str, Any]]:
    """Return an itemgetter of the fields of ``cls`` in order, and the defaults to merge first.

    ``pick(defaults | raw)`` is two calls into C where a ``raw.get`` per field
    would be twenty calls from Python.
    """
    names = [field.name for field in attrs.fields(cls) if field.name in defaults]
    return operator.itemgetter(*names), dict(defaults)


_MISSING: Final = object()  # a required key is absent: declined, the converter says so


def _defaults(cls: type) -> dict[str, Any]:
    """What a record of ``cls`` holds for each key it leaves out, from the class's fields.

    A required field is :data:`_MISSING` (declined: the converter says so); a list
    or a default that is not None is :data:`_ABSENT` (the reader puts the default);
    an optional field is None.
    """
    keys = file_keys(cls)
    defaults: dict[str, Any] = {}
    for field in attrs.fields(cls):
        if field.name in keys:
            if field.default is attrs.NOTHING:
                defaults[keys[field.name]] = _MISSING
            elif field.default is None:
                defaults[keys[field.name]] = None
            else:
                defaults[keys[field.name]] = _ABSENT
    return defaults


_PLEDGE_FIELDS, _PLEDGE_DEFAULTS = _picker(Pledge, _defaults(Pledge))
_PLEDGER_FIELDS, _PLEDGER_DEFAULTS = _picker(Pledger, _defaults(Pledger))
_TARGET_FIELDS, _TARGET_DEFAULTS = _picker(Target, _defaults(Target))


class RuleChecks:
    """The error rules of :mod:`p2c_pledges.rules`, checked on a record's values as it is read.

    :meth:`check` raises :class:`Decline` for a record that may break one, so
    that the reader builds it the long way and lets the rules say what is wrong.
    """

    def __init__(self, *, unique_ids: bool) -> None:
        self.ids: dict[str, int] | None = {} if unique_ids else None

    def check(
        self,
        identifier: str,
        index: int,
        money: Money | None,
        start: dt.date | None,
        end: dt.date | None,
    ) -> None:
        """Decline a record with a repeated id, a negative amount or an inverted period.

        It is :class:`Retry`: the values are valid, so the fast path without the
        rules builds the pledge, and the rules then say what is wrong.
        """
        ids = self.ids
        if (
            (ids is not None and ids.setdefault(identifier, index) != index)
            or (money is not None and money.amount.is_signed() and money.amount < 0)
            or (start is not None and end is not None and end < start)
        ):
            raise Retry


class FastPath:
    """The fast path of one read, with the caches of the values it has checked.

    Caches hold only values that passed; a key equal to a cached key is the
    same JSON value, because JSON strings equal only strings (the SDG lists,
    where ``True == 1``, check their items' types before looking).
    """

    def __init__(self) -> None:
        self._dates: dict[str, dt.date] = {}
        self._pledgers: dict[tuple[Any, ...], Pledger] = {}
        self._countries: dict[tuple[Any, ...], tuple[str, ...]] = {}
        self._units: set[tuple[Metric, str]] = set()
        self._vocabularies: dict[type, dict[tuple[Any, ...], tuple[Any, ...]]] = {
            kind: {} for kind in (FocusArea, PledgeType, Region, CountryGroup, TargetGroup)
        }
        self._sdgs: dict[tuple[Any, ...], tuple[SDG, ...]] = {}
        self._shares: dict[str, Decimal] = {}
        self._country_codes = countries._codes()  # noqa: SLF001 - the same package

    def date(self, value: Any) -> dt.date:
        """Return the date of a ``YYYY-MM-DD`` string, else decline."""
        known = self._dates.get(value)
        if known is not None:
            return known
        if type(value) is not str or not DATE_SYNTAX.fullmatch(value):
            raise Decline
        day = dt.date.fromisoformat(value)  # ValueError for 2022-02-30: declined
        if len(self._dates) < CACHE_LIMIT:
            self._dates[value] = day
        return day

    def optional_date(self, value: Any) -> dt.date | None:
        """Return None for None, else the date."""
        return None if value is None else self.date(value)

    def vocabulary(self, values: Any, kind: type[enum.Enum]) -> tuple[Any, ...]:
        """Return the tuple of vocabulary values of a JSON array of their strings."""
        if type(values) is not list:
            raise Decline
        cache = self._vocabularies[kind]
        key = tuple(values)
        known = cache.get(key)
        if known is not None:
            return known
        members = _MEMBERS[kind]
        result = tuple([members[value] for value in values])
        if len(set(result)) != len(result):
            raise Decline
        if len(cache) < CACHE_LIMIT:
            cache[key] = result
        return result

    def sdgs(self, values: Any) -> tuple[SDG, ...]:
        """Return the SDGs of a JSON array of integers.

        ``true == 1``, so a cached ``(1,)`` would answer for ``[true]``: booleans
        are looked for first. ``4.0`` does find ``(4,)``, as the converter reads it.
        """
        if type(values) is not list or bool in map(type, values):
            raise Decline
        key = tuple(values)
        known = self._sdgs.get(key)
        if known is not None:
            return known
        result = tuple([_SDGS[value] for value in values])
        if len(set(result)) != len(result):
            raise Decline
        if len(self._sdgs) < CACHE_LIMIT:
            self._sdgs[key] = result
        return result

    def countries(self, values: Any) -> tuple[str, ...]:
        """Return the alpha-2 codes of a JSON array of alpha-2 or alpha-3 codes."""
        if type(values) is not list:
            raise Decline
        key = tuple(values)
        known = self._countries.get(key)
        if known is not None:
            return known
        names, alpha2_of = self._country_codes
        result = tuple([value if value in names else alpha2_of[value] for value in values])
        if len(set(result)) != len(result):
            raise Decline
        if len(self._countries) < CACHE_LIMIT:
            self._countries[key] = result
        return result

    def pledger(self, raw: Any) -> Pledger:
        """Return the Pledger of a JSON object."""
        if type(raw) is not dict or not _PLEDGER_KEYS.issuperset(raw):
            raise Decline
        key = _PLEDGER_FIELDS(_PLEDGER_DEFAULTS | raw)
        return self._pledgers.get(key) or self.pledger_of(key)

    def pledger_of(self, key: tuple[Any, ...]) -> Pledger:
        """Return the Pledger of (name, sector, country, region) as written, None for absent."""
        known = self._pledgers.get(key)
        if known is not None:
            return known
        name, sector, code, region = key
        alpha2 = None if code is None else country(code)
        given = _REGIONS[region] if region is not None else None
        member = given
        if member is None and alpha2 is not None:
            member = _regions().get(alpha2)
        # The fields in the model's order: the region the pledger has, then as given.
        pledger = _new_pledger(text(name), _SECTORS[sector], alpha2, member, given)
        if len(self._pledgers) < CACHE_LIMIT:
            self._pledgers[key] = pledger
        return pledger

    def pledgers(self, values: Any) -> tuple[Pledger, ...]:
        """Return the co-pledgers of a JSON array of objects."""
        if type(values) is not list:
            raise Decline
        result = tuple([self.pledger(value) for value in values])
        if len(result) > 1 and len(set(result)) != len(result):
            raise Decline
        return result

    @staticmethod
    def money(raw: Any) -> Money:
        """Return the Money of a JSON object."""
        if type(raw) is not dict or not _MONEY_KEYS.issuperset(raw):
            raise Decline
        currency = raw["currency"]
        if type(currency) is not str or currency not in _currencies():
            raise Decline
        return _new_money(amount(raw["amount"]), currency)

    def target(self, metric: Any, value: Any, unit: Any, deadline: Any) -> Target:
        """Return the Target of its four fields as written, None for an absent deadline."""
        member = _METRICS[metric]
        number = amount(value)  # a target's value has Money's digit limits
        # Zero, negative or -0: Decimal's own tests are cheaper than "<= 0".
        if not number or number.is_signed():
            raise Decline
        if (member, unit) not in self._units:
            if type(unit) is not str or check_unit(member, unit):
                raise Decline
            if len(self._units) < CACHE_LIMIT:
                self._units.add((member, unit))
        if deadline is not None:
            deadline = self._dates.get(deadline) or self.date(deadline)
        return _new_target(member, number, unit, deadline)

    def targets(self, values: Any) -> tuple[Target, ...]:
        """Return the targets of a JSON array of objects."""
        if type(values) is not list:
            raise Decline
        result = []
        for raw in values:
            if type(raw) is not dict:
                raise Decline
            merged = _TARGET_DEFAULTS | raw
            if len(merged) != len(_TARGET_DEFAULTS):  # a key it does not know
                raise Decline
            result.append(self.target(*_TARGET_FIELDS(merged)))
        targets = tuple(result)
        if len(targets) > 1 and len(set(targets)) != len(targets):
            raise Decline
        return targets

    def progress(self, value: Any) -> Decimal:
        """Return the progress share of a decimal string (shares repeat: they are cached)."""
        known = self._shares.get(value)
        if known is not None:
            return known
        share = decimal(value)
        if not 0 <= share <= 1:
            raise Decline
        if len(self._shares) < CACHE_LIMIT:
            self._shares[value] = share
        return share

    def json_reader(  # noqa: C901, PLR0915 - one record, inline
        self, rules: RuleChecks | None = None
    ) -> Callable[[Any, int], Pledge]:
        """Return the function that reads the JSON object at an index into a Pledge, or raises.

        The common case is written out inline, with the caches bound to local
        names: it runs once per pledge, so every call saved counts.

        Args:
            rules: The error rules to check; a pledge that breaks one raises
                :class:`Decline`, and the reader reports it the long way.
        """
        checking = rules is not None
        ids = rules.ids if rules is not None else None
        dates = self._dates.get
        date = self.date
        vocabulary = self.vocabulary
        known_types = self._vocabularies[PledgeType].get
        known_areas = self._vocabularies[FocusArea].get
        known_regions = self._vocabularies[Region].get
        known_country_groups = self._vocabularies[CountryGroup].get
        known_groups = self._vocabularies[TargetGroup].get
        known_countries = self._countries.get
        known_pledgers = self._pledgers.get
        known_shares = self._shares.get
        known_sdgs = self._sdgs.get
        pledger_of = self.pledger_of
        pledger_keys = _PLEDGER_KEYS.issuperset
        targets_of, pledgers_of, money_of = self.targets, self.pledgers, self.money
        sdgs_of, countries_of, share_of = self.sdgs, self.countries, self.progress
        field_count = len(_PLEDGE_DEFAULTS)
        currencies = _currencies()
        plain_amount = _PLAIN_AMOUNT.fullmatch
        web_address = _URL.fullmatch
        longest = MAX_TEXT_LENGTH
        text_takes = takes
        pick, defaults = _PLEDGE_FIELDS, _PLEDGE_DEFAULTS

        def read(raw: Any, index: int = 0) -> Pledge:  # noqa: C901, PLR0912, PLR0915 - inline
            merged = defaults | raw  # TypeError for anything but a dict: declined
            if len(merged) != field_count:  # a key that the model does not know
                raise Retry
            (
                identifier,
                title,
                who,
                pledge_types,
                focus_areas,
                announced_on,
                description,
                co_pledgers,
                money,
                value_date,
                period_start,
                period_end,
                countries,
                regions,
                country_groups,
                groups,
                sdgs,
                targets,
                status,
                progress,
                source_url,
            ) = pick(merged)
            if (
                type(identifier) is not str
                or type(title) is not str
                or len(identifier) > longest
                or len(title) > longest
                or not text_takes(identifier)
                or not text_takes(title)
                or type(who) is not dict
                or not pledger_keys(who)
                or type(pledge_types) is not list
                or type(focus_areas) is not list
            ):
                raise Decline
            written = (who.get("name"), who.get("sector"), who.get("country"), who.get("region"))
            pledger = known_pledgers(written) or pledger_of(written)
            pledge_types = known_types(tuple(pledge_types)) or vocabulary(pledge_types, PledgeType)
            focus_areas = known_areas(tuple(focus_areas)) or vocabulary(focus_areas, FocusArea)
            if not pledge_types or not focus_areas:
                raise Decline
            announced_on = dates(announced_on) or date(announced_on)
            if description is not None and (
                type(description) is not str
                or len(description) > longest
                or not text_takes(description)
            ):
                raise Decline
            if co_pledgers is not _ABSENT:
                co_pledgers = pledgers_of(co_pledgers)
            if money is not None:
                # Both keys present and nothing else; a currency that is not a
                # string is not in the set; a non-string amount fails the match.
                if (
                    type(money) is dict
                    and len(money) == 2
                    and money.get("currency") in currencies
                    and plain_amount(money.get("amount"))  # type: ignore[arg-type]
                ):
                    money = _new_money(Decimal(money["amount"]), money["currency"])
                else:
                    money = money_of(money)
            if value_date is not None:
                value_date = dates(value_date) or date(value_date)
            if period_start is not None:
                period_start = dates(period_start) or date(period_start)
            if period_end is not None:
                period_end = dates(period_end) or date(period_end)
            if countries is not _ABSENT:
                if type(countries) is not list:
                    raise Decline
                countries = known_countries(tuple(countries)) or countries_of(countries)
            if regions is not _ABSENT:
                if type(regions) is not list:
                    raise Decline
                regions = known_regions(tuple(regions)) or vocabulary(regions, Region)
            if country_groups is not _ABSENT:
                if type(country_groups) is not list:
                    raise Decline
                country_groups = known_country_groups(tuple(country_groups)) or vocabulary(
                    country_groups, CountryGroup
                )
            if groups is not _ABSENT:
                if type(groups) is not list:
                    raise Decline
                groups = known_groups(tuple(groups)) or vocabulary(groups, TargetGroup)
            if sdgs is not _ABSENT:
                if type(sdgs) is not list:
                    raise Decline
                known = known_sdgs(tuple(sdgs))
                # true == 1: a list with true would find a cached list with 1.
                if known is None or (_FIRST_GOAL in known and bool in map(type, sdgs)):
                    known = sdgs_of(sdgs)
                sdgs = known
            if targets is not _ABSENT:
                targets = targets_of(targets)
            status = PledgeStatus.ANNOUNCED if status is _ABSENT else _STATUSES[status]
            if progress is not None:
                progress = known_shares(progress) or share_of(progress)
            if source_url is not None and (
                type(source_url) is not str
                or len(source_url) > longest
                or not web_address(source_url)
                or not text_takes(source_url)
            ):
                raise Decline
            # The error rules, inline (see RuleChecks.check): a pledge that may
            # break one is built and handed over, for the rules to say which.
            broken = checking and (
                (ids is not None and ids.setdefault(identifier, index) != index)
                or (money is not None and money.amount.is_signed() and money.amount < 0)
                or (
                    period_start is not None
                    and period_end is not None
                    and period_end < period_start
                )
            )
            pledge = _new_pledge(
                identifier,
                title,
                pledger,
                pledge_types,
                focus_areas,
                announced_on,
                description,
                co_pledgers,
                money,
                value_date,
                period_start,
                period_end,
                countries,
                regions,
                country_groups,
                groups,
                sdgs,
                targets,
                status,
                progress,
                source_url,
                _NO_EXTRAS,
            )
            if broken:
                raise RuleBroken(pledge)
            return pledge

        return read


#: The main table's columns in the order of the CSV layout (which :func:`csv_reader` unpacks).
MAIN_COLUMNS = tuple(column.heading for column in TABLES[0].columns)
#: The child tables' columns (after ``pledge_id``) in the order the reader takes them.
CHILD_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {table.name: tuple(column.heading for column in table.columns[1:]) for table in TABLES[1:]}
)


def _text_cell(cell: str) -> str:
    """The text of a cell (one leading apostrophe removed), if it passes the text rule."""
    return text(cell.removeprefix("'"))


def _split(cell: str) -> list[str]:
    if "\\" in cell:
        raise Decline  # escaped separators: the long way
    return cell.split(";")


class CsvCells:
    """The caches of the CSV fast path, keyed by cells as written."""

    def __init__(self, fast: FastPath) -> None:
        self.fast = fast
        self.lists: dict[type, dict[str, tuple[Any, ...]]] = {}
        self.pledgers: dict[tuple[str, ...], Pledger] = {}

    def cache(self, kind: type) -> dict[str, tuple[Any, ...]]:
        """The cache of the list cells of one kind."""
        return self.lists.setdefault(kind, {})

    def vocabulary(self, cell: str, kind: type) -> tuple[Any, ...]:
        """The tuple of vocabulary values (or of country codes, for ``str``) of a list cell."""
        cache = self.cache(kind)
        known = cache.get(cell)
        if known is not None:
            return known
        items = _split(cell)
        if kind is SDG:
            if not all(INTEGER_SYNTAX.fullmatch(item) for item in items):
                raise Decline
            result: tuple[Any, ...] = tuple([_SDGS[int(item)] for item in items])
        elif kind is str:
            names, alpha2_of = self.fast._country_codes  # noqa: SLF001 - the same family
            result = tuple([item if item in names else alpha2_of[item] for item in items])
        else:
            members = _MEMBERS[kind]
            result = tuple([members[item] for item in items])
        if len(set(result)) != len(result):
            raise Decline
        if len(cache) < CACHE_LIMIT:
            cache[cell] = result
        return result

    def pledger(self, cells: tuple[str, str, str, str]) -> Pledger:
        """The Pledger of (name, sector, country, region) cells."""
        known = self.pledgers.get(cells)
        if known is not None:
            return known
        name, sector, code, region = cells
        pledger = self.fast.pledger_of((_text_cell(name), sector, code or None, region or None))
        if len(self.pledgers) < CACHE_LIMIT:
            self.pledgers[cells] = pledger
        return pledger


def csv_reader(  # noqa: PLR0915 - one row, inline
    fast: FastPath,
    pick: Callable[[list[str]], tuple[str, ...]],
    children: Mapping[str, Callable[[list[str]], tuple[str, ...]]],
    rules: RuleChecks | None = None,
) -> Callable[[tuple[list[str], Any, Any], int], Pledge]:
    """Return the function that reads one row of the main table (and its child rows).

    Args:
        fast: The fast path of the read, whose caches it shares.
        pick: Gives the cells of :data:`MAIN_COLUMNS` of a row, in that order.
        children: For each child table, gives the cells of :data:`CHILD_COLUMNS`.

    The record it reads is (row, target rows, co-pledger rows), each child
    list None or a list of (row number, cells).
    """
    cells = CsvCells(fast)
    dates = fast._dates.get  # noqa: SLF001 - the same family
    date = fast.date
    vocabulary = cells.vocabulary
    types_known = cells.cache(PledgeType).get
    areas_known = cells.cache(FocusArea).get
    countries_known = cells.cache(str).get
    regions_known = cells.cache(Region).get
    country_groups_known = cells.cache(CountryGroup).get
    groups_known = cells.cache(TargetGroup).get
    sdgs_known = cells.cache(SDG).get
    known_pledgers = cells.pledgers.get
    pledger_of = cells.pledger
    known_shares = fast._shares.get  # noqa: SLF001 - the same family
    share_of = fast.progress
    currencies = _currencies()
    plain_amount = _PLAIN_AMOUNT.fullmatch
    web_address = _URL.fullmatch
    longest = MAX_TEXT_LENGTH
    pick_target = children.get("targets")
    pick_partner = children.get("co_pledgers")
    check = rules.check if rules is not None else None

    def read(record: tuple[list[str], Any, Any], index: int = 0) -> Pledge:
        row, target_rows, partner_rows = record
        (
            identifier,
            title,
            name,
            sector,
            country_code,
            region,
            pledge_types,
            focus_areas,
            announced_on,
            description,
            amount_cell,
            currency,
            value_date,
            period_start,
            period_end,
            countries,
            regions,
            country_groups,
            groups,
            sdgs,
            status,
            progress,
            source_url,
        ) = pick(row)
        identifier = identifier.removeprefix("'")
        title = title.removeprefix("'")
        if (
            len(identifier) > longest
            or len(title) > longest
            or not takes(identifier)
            or not takes(title)
            or not pledge_types
            or not focus_areas
        ):
            raise Decline
        written = (name, sector, country_code, region)
        pledger = known_pledgers(written) or pledger_of(written)
        types = types_known(pledge_types) or vocabulary(pledge_types, PledgeType)
        areas = areas_known(focus_areas) or vocabulary(focus_areas, FocusArea)
        announced = dates(announced_on) or date(announced_on)
        money = None
        if amount_cell or currency:
            if currency not in currencies or not plain_amount(amount_cell):
                raise Decline
            money = _new_money(Decimal(amount_cell), currency)
        partners: tuple[Pledger, ...] = ()
        if partner_rows and pick_partner is not None:
            partners = tuple([pledger_of(pick_partner(cells)) for _, cells in partner_rows])  # type: ignore[arg-type]
            if len(partners) > 1 and len(set(partners)) != len(partners):
                raise Decline
        goals: tuple[Target, ...] = ()
        if target_rows and pick_target is not None:
            goals = tuple([_target_of(fast, pick_target(cells)) for _, cells in target_rows])
            if len(goals) > 1 and len(set(goals)) != len(goals):
                raise Decline
        start = (dates(period_start) or date(period_start)) if period_start else None
        end = (dates(period_end) or date(period_end)) if period_end else None
        if check is not None:
            check(identifier, index, money, start, end)
        return _new_pledge(
            identifier,
            title,
            pledger,
            types,
            areas,
            announced,
            _text_cell(description) if description else None,
            partners,
            money,
            (dates(value_date) or date(value_date)) if value_date else None,
            start,
            end,
            (countries_known(countries) or vocabulary(countries, str)) if countries else (),
            (regions_known(regions) or vocabulary(regions, Region)) if regions else (),
            (
                (country_groups_known(country_groups) or vocabulary(country_groups, CountryGroup))
                if country_groups
                else ()
            ),
            (groups_known(groups) or vocabulary(groups, TargetGroup)) if groups else (),
            (sdgs_known(sdgs) or vocabulary(sdgs, SDG)) if sdgs else (),
            goals,
            _STATUSES[status] if status else PledgeStatus.ANNOUNCED,
            (known_shares(progress) or share_of(progress)) if progress else None,
            _url_cell(source_url, web_address, longest) if source_url else None,
            _NO_EXTRAS,
        )

    return read


def _url_cell(cell: str, web_address: Callable[[str], Any], longest: int) -> str:
    value = cell.removeprefix("'")
    if len(value) > longest or not web_address(value) or not takes(value):
        raise Decline
    return value


def _target_of(fast: FastPath, cells: tuple[str, ...]) -> Target:
    metric, value, unit, deadline = cells
    return fast.target(metric, value, unit.removeprefix("'"), deadline or None)


def country(value: Any) -> str:
    """Return the alpha-2 code of an alpha-2 or alpha-3 code, else decline."""
    names, alpha2_of = countries._codes()  # noqa: SLF001 - the same package
    if value in names:
        return str(value)
    return alpha2_of[value]


_regions = countries._regions  # noqa: SLF001 - the same package
_MEMBERS: Mapping[type, Mapping[Any, Any]] = {
    kind: _members(kind) for kind in (FocusArea, PledgeType, Region, CountryGroup, TargetGroup)
}
