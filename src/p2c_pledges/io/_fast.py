"""The readers' fast path: structuring generated per class for records that are valid.

Building a :class:`~p2c_pledges.Pledge` through its ``__init__`` runs a converter
and a validator per field, which dominates reading a large file (the figures are
on the Performance page). Here each field is checked once, inline, against the
same rules, values that repeat in a file (dates, pledgers, lists of vocabulary
values, units) are checked once and shared, and the frozen slotted instance is
filled through its slot descriptors, as attrs's own ``__init__`` does.

The readers of a pledge record, from JSON (:meth:`FastPath.json_reader`) and from
a CSV row (:func:`csv_reader`), are generated from the pledge's field rules
(:func:`._fields.rules_of`, which reads what each validator says it checks), as
cattrs generates its structure functions: a field added to the model is read
here without a line written by hand, and a kind of field these generators do not
know stops them with an error that names it. The objects inside a pledge (its
pledger, amount, targets) have small readers of their own below.

The guarantee: :meth:`FastPath.pledge` either returns the object that
:func:`p2c_pledges.io.structure` returns for the same record, equal field by
field, or raises. It raises for anything it is not sure of, invalid or merely
unusual (``4.0`` as an SDG), and the reader then asks the strict converter,
which is the reference and says what is wrong. The property tests in
``tests/test_io_fast.py`` hold the two to that.
"""

from __future__ import annotations

import collections
import datetime as dt
import enum
import functools
import itertools
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, NamedTuple, TypeVar

import attrs

from .. import countries
from .._extras import FrozenObject
from .._text import takes
from ..codes import (
    SDG,
    CountryGroup,
    FocusArea,
    Metric,
    PledgeType,
    Region,
    Sector,
    TargetGroup,
)
from ..model import MAX_TEXT_LENGTH, Pledge, Pledger, Target
from ..money import Money, _currencies, check_amount
from ..units import check_unit
from ._convert import DATE_SYNTAX, DECIMAL_SYNTAX, INTEGER_SYNTAX
from ._fields import LIST_ESCAPE, LIST_SEPARATOR, TABLES, Kind, Rule, file_keys, rules_of


__all__ = [
    "CHILD_COLUMNS",
    "MAIN_COLUMNS",
    "RECORD_CHILDREN",
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


def column_assembler(cls: type[T]) -> Callable[[list[Iterable[Any]], int], list[T]]:
    """Return a function that fills ``count`` new frozen slotted ``cls`` from one column per field, in order.

    As :func:`assembler`, for many instances at once: each slot is set over all of
    them by ``map`` in C (a third less time than a call per instance).
    """
    setters = [cls.__dict__[field.name].__set__ for field in attrs.fields(cls)]  # type: ignore[arg-type]
    new = object.__new__

    def assemble(columns: list[Iterable[Any]], count: int) -> list[T]:
        made: list[T] = list(map(new, itertools.repeat(cls, count)))
        for setter, column in zip(setters, columns, strict=True):
            collections.deque(map(setter, made, column), maxlen=0)
        return made

    return assemble


_new_pledge = assembler(Pledge)
_new_pledger = assembler(Pledger)
_new_money = assembler(Money)
_new_target = assembler(Target)
_new_pledges = column_assembler(Pledge)

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
_SDGS = _members(SDG)

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


def above_zero(number: Decimal) -> bool:
    """Whether a target's value is above zero (zero, -0 and negative values are not)."""
    # Decimal's own tests are cheaper than "> 0".
    return bool(number) and not number.is_signed()


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


_PLEDGER_FIELDS, _PLEDGER_DEFAULTS = _picker(Pledger, _defaults(Pledger))
_TARGET_FIELDS, _TARGET_DEFAULTS = _picker(Target, _defaults(Target))


class RuleChecks:
    """The error rules of :mod:`p2c_pledges.rules`, checked on a record's values as it is read.

    :meth:`check` raises :class:`Decline` for a record that may break one, so
    that the reader builds it the long way and lets the rules say what is wrong.
    """

    #: The fields the rules read, in the order :meth:`breaks` takes them.
    FIELDS = ("id", "amount", "period_start", "period_end")

    def __init__(self, *, unique_ids: bool) -> None:
        self.ids: dict[str, int] | None = {} if unique_ids else None

    def breaks(
        self,
        identifier: str,
        money: Money | None,
        start: dt.date | None,
        end: dt.date | None,
        index: int,
    ) -> bool:
        """Tell whether a record may break a rule: a repeated id, a negative amount, an inverted period."""
        ids = self.ids
        return (
            (ids is not None and ids.setdefault(identifier, index) != index)
            or (money is not None and money.amount.is_signed() and money.amount < 0)
            or (start is not None and end is not None and end < start)
        )

    def any_breaks(
        self,
        identifiers: list[str],
        moneys: list[Money | None],
        starts: list[dt.date | None],
        ends: list[dt.date | None],
    ) -> bool:
        """:meth:`breaks` over columns: whether any record, read in order from index 0, may break a rule.

        The same rules a column at a time, and nothing recorded (:meth:`record`
        records the ids once the records are kept); ids already recorded answer
        True. ``tests/test_io_arrow.py`` holds it to :meth:`breaks` record by record.
        """
        ids = self.ids
        if ids is not None and (ids or len(set(identifiers)) != len(identifiers)):
            return True
        amounts = [money.amount for money in moneys if money is not None]
        if any(map(Decimal.is_signed, amounts)) and min(amounts) < 0:
            return True
        # A missing end is the last day, a missing start the first (dict.get in C).
        last: Callable[[Any, Any], Any] = {None: dt.date.max}.get
        first: Callable[[Any, Any], Any] = {None: dt.date.min}.get
        before: Callable[[Any, Any], bool] = operator.lt
        return any(map(before, map(last, ends, ends), map(first, starts, starts)))

    def record(self, identifiers: list[str]) -> None:
        """Record the ids of records kept, read in order from index 0, as :meth:`breaks` does."""
        if self.ids is not None:
            self.ids.update(zip(identifiers, itertools.count()))

    def check(
        self,
        identifier: str,
        index: int,
        money: Money | None,
        start: dt.date | None,
        end: dt.date | None,
    ) -> None:
        """Decline a record that may break a rule (:meth:`breaks`).

        It is :class:`Retry`: the values are valid, so the fast path without the
        rules builds the pledge, and the rules then say what is wrong.
        """
        if self.breaks(identifier, money, start, end, index):
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
        self._moneys: dict[tuple[str, str], Money] = {}
        self._country_codes = countries._codes()  # noqa: SLF001 - the same package
        # The country tables of the read's context, looked up once a read (as the
        # cached pledgers hold their regions for the whole read).
        self._region_of = _regions().get
        self._money_codes = _currencies()  # bound: a call per amount costs more

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
        return self._pledgers.get(key) or self._new_pledger(key)

    def pledger_of(self, key: tuple[Any, ...]) -> Pledger:
        """Return the Pledger of (name, sector, country, region) as written, None for absent."""
        return self._pledgers.get(key) or self._new_pledger(key)

    def _new_pledger(self, key: tuple[Any, ...]) -> Pledger:
        name, sector, code, region = key
        names, alpha2_of = self._country_codes  # country(code), with the codes bound once a read
        alpha2 = None if code is None else (str(code) if code in names else alpha2_of[code])
        given = _REGIONS[region] if region is not None else None
        member = given
        if member is None and alpha2 is not None:
            member = self._region_of(alpha2)
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

    def money(self, raw: Any) -> Money:
        """Return the Money of a JSON object."""
        if type(raw) is not dict or not _MONEY_KEYS.issuperset(raw):
            raise Decline
        currency = raw["currency"]
        written = raw["amount"]
        # Only strings are cached (amount() takes no other), so 1 == 1.0 find nothing.
        known = self._moneys.get((written, currency))
        if known is not None:
            return known
        if type(currency) is not str or currency not in self._money_codes:
            raise Decline
        money = _new_money(amount(written), currency)
        if len(self._moneys) < CACHE_LIMIT:
            self._moneys[written, currency] = money
        return money

    def target(self, metric: Any, value: Any, unit: Any, deadline: Any) -> Target:
        """Return the Target of its four fields as written, None for an absent deadline."""
        member = _METRICS[metric]
        number = self.target_value(value)
        if (member, unit) not in self._units:
            self.unit(member, unit)
        if deadline is not None:
            deadline = self._dates.get(deadline) or self.date(deadline)
        return _new_target(member, number, unit, deadline)

    @staticmethod
    def target_value(value: Any) -> Decimal:
        """Return the Decimal of a target's value, above zero, else decline."""
        number = amount(value)  # a target's value has Money's digit limits
        if not above_zero(number):
            raise Decline
        return number

    def unit(self, member: Metric, unit: Any) -> str:
        """Return ``unit`` if it is a unit of the metric's dimension, else decline."""
        if (member, unit) not in self._units:
            if type(unit) is not str or check_unit(member, unit):
                raise Decline
            if len(self._units) < CACHE_LIMIT:
                self._units.add((member, unit))
        return unit  # type: ignore[no-any-return]

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

    def lists(self, kind: type) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
        """The cache lookup (by tuple of items) and the reader of a JSON array of ``kind``."""
        if kind is SDG:
            return self._sdgs.get, self.sdgs
        if kind is str:  # country codes
            return self._countries.get, self.countries
        cache = self._vocabularies[kind]
        return cache.get, lambda values: self.vocabulary(values, kind)

    def objects(self, kind: type) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
        """The readers of one JSON object of ``kind``, and of an array of them."""
        one: dict[type, Callable[[Any], Any]] = {Pledger: self.pledger, Money: self.money}
        many: dict[type, Callable[[Any], Any]] = {Pledger: self.pledgers, Target: self.targets}
        return one.get(kind, _no_reader(kind)), many.get(kind, _no_reader(kind))

    def json_reader(
        self, rules: RuleChecks | None = None, keys: list[int] | None = None
    ) -> Callable[[Any, int], Pledge]:
        """Return the function that reads the JSON object at an index into a Pledge, or raises.

        The function is generated from the pledge's fields (:func:`_json_reader_source`),
        with the caches bound to local names: it runs once per pledge.

        Args:
            rules: The error rules to check; a pledge that may break one is built
                and raised as :class:`RuleBroken`, for the rules to say which.
            keys: A list to append each record's count of keys to, before the
                record is checked: for a record the function builds, the count
                of :func:`keys_at_least`, in fewer steps; for one it declines,
                a count not to use (a caller that goes on after a decline
                cannot use the list).
        """
        return _json_reader_factory()(self, rules, keys)

    def column_reader(self) -> Callable[[list[Any]], list[Pledge | None]]:
        """Return the function that reads many JSON objects field by field: a Pledge or None for each.

        Each field's check is the record reader's (the same generated lines,
        :func:`_json_checks_source`), run once per distinct value *object* in
        the field's column: a reader that hands many records the very same value
        (a sheet's column, where the answer of a cell is shared by every row
        holding that cell) has it checked once, and the instances are then
        assembled in one pass. None is a record it did not take (a value it
        declined, a key the model does not know, not a dict): the record reader
        reads that one and says what is wrong. The error rules are not checked
        here; the caller checks them record by record, in the records' order
        (:meth:`RuleChecks.breaks`, as :meth:`Reading.within_rules` does).
        """
        checks = _json_checks_factory()(self, None)
        defaults = _defaults(Pledge)
        fields = list(zip(defaults, defaults.values(), checks, strict=True))
        new = _new_pledges

        def read(records: list[Any]) -> list[Pledge | None]:
            count = len(records)
            if not all(type(record) is dict for record in records):
                return [read([record])[0] if type(record) is dict else None for record in records]
            present: set[Any] = set().union(*records)
            if not _PLEDGE_KEYS.issuperset(present):
                known = _PLEDGE_KEYS.issuperset
                return [read([record])[0] if known(record) else None for record in records]
            columns: list[Any] = []
            refused: set[int] = set()  # the records with a value declined
            for key, default, check in fields:
                if key not in present:  # left out of every record: its default, checked once
                    try:
                        columns.append(itertools.repeat(check(default), count))
                    except Exception:  # noqa: BLE001 - a required field: every record declines
                        return [None] * count
                    continue
                column, declined = _checked_column(
                    [record.get(key, default) for record in records], check
                )
                columns.append(column)
                refused.update(declined)
            built: list[Pledge | None] = list(
                new([*columns, itertools.repeat(_NO_EXTRAS, count)], count)
            )
            for at in refused:
                built[at] = None
            return built

        return read


def _checked_column(values: list[Any], check: Callable[[Any], Any]) -> tuple[list[Any], list[int]]:
    """Check each distinct value object of a column once; return the column checked and the rows declined.

    The caller holds the values for the whole call, so an id is one object. The
    checks run in C (``map``) until one declines; then each value is checked
    alone, and the rows of the declined ones are returned (their checked value
    is None).
    """
    ids = list(map(id, values))
    distinct = dict(zip(ids, values, strict=True))
    try:
        if len(distinct) == len(values):  # every value its own object (a text column)
            return list(map(check, values)), []
        answers = dict(zip(distinct, map(check, distinct.values()), strict=True))
    except Exception:  # noqa: BLE001 - a value declined: find which, one by one
        answers, declined = {}, set()
        for ident, value in distinct.items():
            try:
                answers[ident] = check(value)
            except Exception:  # noqa: BLE001 - declined: the record reader decides
                answers[ident] = None
                declined.add(ident)
        return list(map(answers.__getitem__, ids)), [
            at for at, ident in enumerate(ids) if ident in declined
        ]
    return list(map(answers.__getitem__, ids)), []


def _no_reader(kind: type) -> Callable[[Any], Any]:
    def refuse(value: Any) -> Any:
        raise RuntimeError(f"the fast path has no reader of {kind.__name__} objects ({value!r})")

    return refuse


def _json_field_lines(rule: Rule, name: str) -> list[str]:  # noqa: C901 - one case per kind
    """The lines that check and convert one field's JSON value, held in the local ``name``."""
    v = name
    lines: list[str]
    if rule.kind in {Kind.TEXT, Kind.URL} and not rule.many:
        url = f" or not web_address({v})" if rule.kind is Kind.URL else ""
        lines = [
            f"if type({v}) is not str or len({v}) > longest{url} or not text_takes({v}):",
            "    raise Decline",
        ]
    elif rule.kind is Kind.DATE and not rule.many:
        lines = [f"{v} = dates({v}) or date({v})"]
    elif rule.kind is Kind.SHARE and not rule.many:
        lines = [f"{v} = known_shares({v}) or share_of({v})"]
    elif rule.kind is Kind.ENUM and not rule.many:
        lines = [f"{v} = members_{v}[{v}]"]
    elif rule.many and rule.kind in {Kind.ENUM, Kind.COUNTRY}:
        lines = [
            f"if type({v}) is not list:",
            "    raise Decline",
            f"{v} = known_{v}(tuple({v})) or read_{v}({v})",
        ]
        if rule.of is not None and issubclass(rule.of, int):
            # true == 1: a list with true would find a cached list with 1.
            lines += [
                f"if bool in map(type, {v}_written):",
                "    raise Decline",
            ]
            lines.insert(0, f"{v}_written = {v}")
        if rule.non_empty:
            lines += [f"if not {v}:", "    raise Decline"]
    elif rule.kind is Kind.OBJECT:
        lines = [f"{v} = read_{v}({v})"]
    else:
        raise RuntimeError(
            f"the fast path cannot read {rule.name} ({rule.kind.value}"
            f"{', many' if rule.many else ''}): add its case to _json_field_lines"
        )
    if rule.optional:
        return [f"if {v} is not None:", *(f"    {line}" for line in lines)]
    if not rule.required:  # left out: the default, put by the assembler's caller
        return [f"if {v} is not _ABSENT:", *(f"    {line}" for line in lines)]
    return lines


class _FieldCode(NamedTuple):
    """What the JSON readers of a class are generated from: per field, its local and its lines."""

    rules: tuple[Rule, ...]
    names: list[str]  # the local of each field, in the fields' order
    setup: list[str]  # the lines of ``make(fast, rules)`` that bind the caches
    namespace: dict[str, Any]
    lines: list[list[str]]  # each field's lines, checking and converting its local


def _json_field_code(cls: type) -> _FieldCode:
    """The per-field code of the JSON readers of ``cls``, from its field rules (:func:`._fields.rules_of`)."""
    rules = rules_of(cls)
    names = [f"f_{rule.name}" for rule in rules]
    setup = [
        "def make(fast, rules, keys=None):",
        "    checking = rules is not None",
        "    counting = keys is not None",
        "    count_keys = keys.append if keys is not None else None",
        "    breaks = rules.breaks if rules is not None else None",
        "    dates = fast._dates.get",
        "    date = fast.date",
        "    known_shares = fast._shares.get",
        "    share_of = fast.progress",
    ]
    namespace: dict[str, Any] = {
        "Decline": Decline,
        "Retry": Retry,
        "RuleBroken": RuleBroken,
        "_ABSENT": _ABSENT,
        "_NO_EXTRAS": _NO_EXTRAS,
        "_new": assembler(cls),
        "longest": MAX_TEXT_LENGTH,
        "text_takes": takes,
        "web_address": _URL.fullmatch,
    }
    lines = []
    for rule, name in zip(rules, names, strict=True):
        if rule.kind is Kind.ENUM and not rule.many:
            namespace[f"members_{name}"] = _members(rule.of)  # type: ignore[arg-type]
        elif rule.many and rule.kind in {Kind.ENUM, Kind.COUNTRY}:
            of = str if rule.kind is Kind.COUNTRY else rule.of
            namespace[f"of_{name}"] = of
            setup.append(f"    known_{name}, read_{name} = fast.lists(of_{name})")
        elif rule.kind is Kind.OBJECT:
            namespace[f"of_{name}"] = rule.of
            index = 1 if rule.many else 0
            setup.append(f"    read_{name} = fast.objects(of_{name})[{index}]")
        field = _json_field_lines(rule, name)
        if rule.kind is Kind.ENUM and not rule.many and not rule.required and not rule.optional:
            namespace[f"default_{name}"] = rule.default
            # A left-out member takes its default before the lookup.
            field = [f"{name} = default_{name} if {name} is _ABSENT else members_{name}[{name}]"]
        lines.append(field)
    return _FieldCode(tuple(rules), names, setup, namespace, lines)


def _key_count_lines(cls: type, value: Callable[[str], str], *, strict: bool) -> list[str]:
    """The lines that count, in the local ``count``, the keys of a record ``raw`` of ``cls`` and of its objects'.

    The objects are the fields of kind :attr:`Kind.OBJECT` (a pledge's pledger,
    amount, targets and co-pledgers); other objects (in extras) are not
    counted. ``value`` gives the expression of a field's JSON value, by field
    name. Strict, only dicts are counted, which never counts more keys than a
    record has, whatever it holds (:func:`keys_at_least`); otherwise each item
    of an object list is taken for a dict, as it is in every record the fast
    path builds: the count of a record it declines is not used.
    """
    lines = ["count = len(raw)"]
    for rule in rules_of(cls):
        if rule.kind is not Kind.OBJECT:
            continue
        v = value(rule.name)
        if not rule.many:
            lines += [f"if type({v}) is dict:", f"    count += len({v})"]
        elif strict:
            lines += [
                f"if type({v}) is list:",
                f"    for item in {v}:",
                "        if type(item) is dict:",
                "            count += len(item)",
            ]
        else:
            lines += [f"if type({v}) is list and {v}:", f"    count += sum(map(len, {v}))"]
    return lines


def _keys_at_least_source(cls: type) -> dict[str, Any]:
    """Build ``keys_at_least(raw)`` for records of ``cls`` (:func:`_key_count_lines`, strict)."""
    key = file_keys(cls)
    objects = [rule.name for rule in rules_of(cls) if rule.kind is Kind.OBJECT]
    lines = [
        "def keys_at_least(raw):",
        "    if type(raw) is not dict:",
        "        return 0",
        "    get = raw.get",
        # Each object field's value, fetched once before the count.
        *(f"    value_{name} = get({key[name]!r})" for name in objects),
        *(f"    {line}" for line in _key_count_lines(cls, "value_{}".format, strict=True)),
        "    return count",
    ]
    return _compiled(lines, {})


def _json_reader_source(cls: type) -> dict[str, Any]:
    """Build ``make(fast, rules)``, which returns the JSON reader of ``cls`` records.

    Returns the namespace it was made in: ``make``, and its source as ``__source__``.

    One local per field, named after it, checked and converted by its rule
    (:func:`._fields.rules_of`), then the instance assembled in field order;
    values left out take the field's default. Generated as cattrs generates its
    structure functions: straight-line code, no loop over the fields per record.
    """
    code = _json_field_code(cls)
    names = code.names
    local = dict(zip([rule.name for rule in code.rules], names, strict=True))
    pick, defaults = _picker(cls, _defaults(cls))
    namespace = code.namespace | {"pick": pick, "defaults": defaults, "field_count": len(defaults)}
    checked = ", ".join(local[field] for field in RuleChecks.FIELDS)
    lines = [
        *code.setup,
        "    def read(raw, index=0):",
        "        merged = defaults | raw  # TypeError for anything but a dict: declined",
        "        if len(merged) != field_count:  # a key that the model does not know",
        "            raise Retry",
        f"        ({', '.join(names)},) = pick(merged)",
        "        if counting:",
        *(
            f"            {line}"
            for line in _key_count_lines(cls, local.__getitem__, strict=False)
        ),
        "            count_keys(count)",
        *(f"        {line}" for field in code.lines for line in field),
        f"        broken = checking and breaks({checked}, index)",
        f"        built = _new({', '.join(names)}, _NO_EXTRAS)",
        "        if broken:",
        "            raise RuleBroken(built)",
        "        return built",
        "    return read",
    ]
    return _compiled(lines, namespace)


def _json_checks_source(cls: type) -> dict[str, Any]:
    """Build ``make(fast, rules)``, which returns one check per field of ``cls``, in order.

    Each check takes the field's JSON value and returns the value the instance
    holds, or raises: the same lines as the record reader's
    (:func:`_json_reader_source`), one function per field, for readers that go
    column by column (:meth:`FastPath.column_reader`).
    """
    code = _json_field_code(cls)
    lines = list(code.setup)
    for name, field in zip(code.names, code.lines, strict=True):
        lines += [
            f"    def check_{name}({name}):",
            *(f"        {line}" for line in field),
            f"        return {name}",
        ]
    lines.append(f"    return [{', '.join(f'check_{name}' for name in code.names)}]")
    return _compiled(lines, code.namespace)


def _compiled(lines: list[str], namespace: dict[str, Any]) -> dict[str, Any]:
    """Run a generated reader's source in ``namespace``, keeping the source as ``__source__``."""
    source = "\n".join(lines)
    namespace["__source__"] = source
    exec(source, namespace)  # noqa: S102 - the source is built from the model's fields
    return namespace


#: Count the keys of a pledge record's objects: its own, its pledger's, its
#: amount's, its targets' and its co-pledgers'. A lower bound: objects elsewhere
#: (in extras, or where a pledge has none) are not counted, so counting fewer
#: keys than a text writes only sends it to the slow check of repeated keys.
keys_at_least: Callable[[Any], int] = _keys_at_least_source(Pledge)["keys_at_least"]


@functools.cache
def _json_checks_factory() -> Callable[[FastPath, None], list[Callable[[Any], Any]]]:
    make: Callable[[FastPath, None], list[Callable[[Any], Any]]]
    make = _json_checks_source(Pledge)["make"]
    return make


@functools.cache
def _json_reader_factory() -> Callable[
    [FastPath, RuleChecks | None, list[int] | None], Callable[[Any, int], Pledge]
]:
    make: Callable[[FastPath, RuleChecks | None, list[int] | None], Callable[[Any, int], Pledge]]
    make = _json_reader_source(Pledge)["make"]
    return make


#: The main table's columns in the order of the CSV layout (which :func:`csv_reader` unpacks).
MAIN_COLUMNS = tuple(column.heading for column in TABLES[0].columns)
#: The child tables' columns (after ``pledge_id``) in the order the reader takes them.
CHILD_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {table.name: tuple(column.heading for column in table.columns[1:]) for table in TABLES[1:]}
)


def _text_cell(cell: str) -> str:
    """The text of a cell (one leading apostrophe removed), if it passes the text rule."""
    return text(cell.removeprefix("'"))


def _sdg(item: str) -> SDG:
    """The SDG of an item written as its number, else decline (``+9`` and ``9.0`` too)."""
    if not INTEGER_SYNTAX.fullmatch(item):
        raise Decline
    return _SDGS[int(item)]  # type: ignore[no-any-return]


def _split(cell: str) -> list[str]:
    if LIST_ESCAPE in cell:
        raise Decline  # escaped separators: the long way
    return cell.split(LIST_SEPARATOR)


class CsvCells:
    """The caches of the CSV fast path, keyed by cells as written."""

    def __init__(self, fast: FastPath) -> None:
        self.fast = fast
        self.lists: dict[type, dict[str, tuple[Any, ...]]] = {}
        self.pledgers: dict[tuple[str, ...], Pledger] = {}
        names, alpha2_of = fast._country_codes  # noqa: SLF001 - the same family
        #: The alpha-2 code of each alpha-2 and alpha-3 code (as :func:`country` answers).
        self.alpha2: dict[str, str] = {**{code: code for code in names}, **alpha2_of}

    def cache(self, kind: type) -> dict[str, tuple[Any, ...]]:
        """The cache of the list cells of one kind."""
        return self.lists.setdefault(kind, {})

    def vocabulary(self, cell: str, kind: type) -> tuple[Any, ...]:
        """The tuple of vocabulary values (or of country codes, for ``str``) of a list cell."""
        cache = self.cache(kind)
        known = cache.get(cell)
        if known is not None:
            return known
        result = self.list_of(cell, kind)
        if len(cache) < CACHE_LIMIT:
            cache[cell] = result
        return result

    def list_of(self, cell: str, kind: type) -> tuple[Any, ...]:
        """:meth:`vocabulary` without the cache (the arrow engine reads the items of many cells at once)."""
        result = tuple(map(self.item_reader(kind), _split(cell)))
        if len(set(result)) != len(result):
            raise Decline
        return result

    def item_reader(self, kind: type) -> Callable[[str], Any]:
        """The reader of one item of a list cell of ``kind``: its value, else an exception."""
        if kind is SDG:
            return _sdg
        if kind is str:
            return self.alpha2.__getitem__
        return _MEMBERS[kind].__getitem__

    @staticmethod
    def money(cells: tuple[str, str]) -> Money | None:
        """The Money of (amount, currency) cells, None when both are empty."""
        amount_cell, currency = cells
        if not amount_cell and not currency:
            return None
        if currency not in _currencies() or not _PLAIN_AMOUNT.fullmatch(amount_cell):
            raise Decline
        return _new_money(Decimal(amount_cell), currency)

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


#: The child tables of a CSV record, in the order the record holds their rows:
#: ``(main row, target rows, co-pledger rows)``.
RECORD_CHILDREN = ("targets", "co_pledgers")


def csv_reader(
    fast: FastPath,
    pick: Callable[[list[str]], tuple[str, ...]],
    children: Mapping[str, Callable[[list[str]], tuple[str, ...]]],
    rules: RuleChecks | None = None,
) -> Callable[[tuple[list[str], Any, Any], int], Pledge]:
    """Return the function that reads one row of the main table (and its child rows).

    The function is generated from the pledge's field rules and the CSV layout
    (:func:`_csv_reader_source`).

    Args:
        fast: The fast path of the read, whose caches it shares.
        pick: Gives the cells of :data:`MAIN_COLUMNS` of a row, in that order.
        children: For each child table, gives the cells of :data:`CHILD_COLUMNS`.
        rules: The error rules; a record that may break one is :class:`Retry`.

    The record it reads is (row, target rows, co-pledger rows) (:data:`RECORD_CHILDREN`),
    each child list None or a list of (row number, cells).
    """
    return _csv_reader_factory()(fast, CsvCells(fast), pick, children, rules)


def _csv_cell_lines(rule: Rule, v: str) -> list[str]:  # noqa: C901, PLR0911 - one case per kind
    """The lines that check and convert one cell, held in the local ``v``."""
    if rule.kind is Kind.TEXT and not rule.many and rule.required:
        return [
            f'{v} = {v}.removeprefix("\'")',
            f"if len({v}) > longest or not text_takes({v}):",
            "    raise Decline",
        ]
    if rule.kind is Kind.TEXT and not rule.many:
        return [f"{v} = text_cell({v}) if {v} else None"]
    if rule.kind is Kind.URL and not rule.many and not rule.required:
        return [f"{v} = url_cell({v}, web_address, longest) if {v} else None"]
    if rule.kind is Kind.DATE and not rule.many:
        if rule.required:
            return [f"{v} = dates({v}) or date({v})"]
        return [f"{v} = (dates({v}) or date({v})) if {v} else None"]
    if rule.kind is Kind.SHARE and not rule.many and not rule.required:
        return [f"{v} = (known_shares({v}) or share_of({v})) if {v} else None"]
    if rule.kind is Kind.ENUM and not rule.many:
        if rule.required:
            return [f"{v} = members_{v}[{v}]"]
        return [f"{v} = members_{v}[{v}] if {v} else default_{v}"]
    if rule.many and rule.kind in {Kind.ENUM, Kind.COUNTRY}:
        lookup = f"known_{v}({v}) or vocabulary({v}, of_{v})"
        if rule.required:
            # An empty cell is an empty list: refused when the list may not be empty.
            return [f"if not {v}:", "    raise Decline", f"{v} = {lookup}"]
        return [f"{v} = ({lookup}) if {v} else default_{v}"]
    raise RuntimeError(
        f"the CSV fast path cannot read {rule.name} ({rule.kind.value}"
        f"{', many' if rule.many else ''}): add its case to _csv_cell_lines"
    )


def _csv_reader_source(cls: type) -> dict[str, Any]:
    """Build ``make(fast, cells, pick, children, rules)``, which returns the CSV row reader of ``cls``.

    Each field is read from its columns of :data:`MAIN_COLUMNS` (an object's
    fields from theirs: the pledger's four, the amount's two) or from its child
    table's rows, by the field's rule; then the instance is assembled in field
    order. Returns the namespace: ``make``, and its source as ``__source__``.
    """
    columns = TABLES[0].columns
    column_of = {column.heading: f"c_{index}" for index, column in enumerate(columns)}
    namespace: dict[str, Any] = {
        "Decline": Decline,
        "Retry": Retry,
        "_NO_EXTRAS": _NO_EXTRAS,
        "_new": assembler(cls),
        "longest": MAX_TEXT_LENGTH,
        "text_takes": takes,
        "text_cell": _text_cell,
        "url_cell": _url_cell,
        "web_address": _URL.fullmatch,
        "target_of": _target_of,
    }
    setup = [
        "def make(fast, cells, pick, children, rules):",
        "    breaks = rules.breaks if rules is not None else None",
        "    dates = fast._dates.get",
        "    date = fast.date",
        "    known_shares = fast._shares.get",
        "    share_of = fast.progress",
        "    vocabulary = cells.vocabulary",
        "    known_pledgers = cells.pledgers.get",
        "    pledger_of = cells.pledger",
        "    money_of = cells.money",
    ]
    body: list[str] = []
    fields: list[str] = []
    for rule in rules_of(cls):
        v = f"f_{rule.name}"
        fields.append(v)
        if rule.kind is Kind.OBJECT and rule.many:
            position = 1 + RECORD_CHILDREN.index(rule.name)
            one = {Pledger: "pledger_of(pick_{v}(row))", Target: "target_of(fast, pick_{v}(row))"}
            if rule.of not in one:
                raise RuntimeError(f"the CSV fast path cannot read {rule.name} rows")
            setup.append(f"    pick_{v} = children.get({rule.name!r})")
            body += [
                f"{v} = ()",
                f"if record[{position}] and pick_{v} is not None:",
                f"    {v} = tuple([{one[rule.of].format(v=v)} for _, row in record[{position}]])",
                f"    if len({v}) > 1 and len(set({v})) != len({v}):",
                "        raise Decline",
            ]
        elif rule.kind is Kind.OBJECT:
            cells = ", ".join(
                column_of[column.heading] for column in columns if column.path[0] == rule.name
            )
            if rule.of is Pledger:
                body.append(f"{v} = known_pledgers(({cells},)) or pledger_of(({cells},))")
            elif rule.of is Money:
                body.append(f"{v} = money_of(({cells},))")
            else:
                raise RuntimeError(f"the CSV fast path cannot read {rule.name} columns")
        else:
            body.append(f"{v} = {column_of[rule.name]}")
            body += _csv_cell_lines(rule, v)
            if rule.kind is Kind.ENUM and not rule.many:
                namespace[f"members_{v}"] = _members(rule.of)  # type: ignore[arg-type]
            if rule.many:
                namespace[f"of_{v}"] = str if rule.kind is Kind.COUNTRY else rule.of
                setup.append(f"    known_{v} = cells.cache(of_{v}).get")
            if not rule.required:
                namespace[f"default_{v}"] = rule.default
    checked = ", ".join(f"f_{field}" for field in RuleChecks.FIELDS)
    lines = [
        *setup,
        "    def read(record, index=0):",
        f"        ({', '.join(column_of.values())},) = pick(record[0])",
        *(f"        {line}" for line in body),
        f"        if breaks is not None and breaks({checked}, index):",
        "            raise Retry",
        f"        return _new({', '.join(fields)}, _NO_EXTRAS)",
        "    return read",
    ]
    return _compiled(lines, namespace)


@functools.cache
def _csv_reader_factory() -> Callable[..., Callable[[tuple[list[str], Any, Any], int], Pledge]]:
    make: Callable[..., Callable[[tuple[list[str], Any, Any], int], Pledge]]
    make = _csv_reader_source(Pledge)["make"]
    return make


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
