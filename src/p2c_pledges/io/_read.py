"""What every reader does with one record: build it, or say what is wrong, and go on.

A :class:`Reading` holds the state of one read: the issues found so far (up to
a limit), the ids seen (for ``id.duplicate``), and the unknown keys dropped.
Readers hand it one record at a time with its index and a function that adds
the file, row and column to an issue.

The rules of :mod:`p2c_pledges.rules` that make a pledge an error (a period
that ends before it starts, a negative amount, an id used twice) are checked
here, so that a file that loads is a file that is valid: the JSON Schema says
the same. They are imported sideways (``io`` and ``rules`` are both in the
fourth layer) for that reason only. Warnings are left to
:func:`p2c_pledges.rules.check`.
"""

from __future__ import annotations

import contextlib
import importlib
import operator
import warnings
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final, Literal

import attrs

from .. import countries, rules
from .._extras import freeze_extras
from ..errors import Issue, PledgeDataError, Severity
from ..model import Pledge
from ._convert import child_path, structure
from ._fast import FastPath, Retry, RuleBroken, RuleChecks, extras_setter
from ._fast import keys as known_keys


__all__ = [
    "DroppedKeysWarning",
    "Engine",
    "Locate",
    "Reading",
    "Unknown",
    "engine_wanted",
    "split_unknown",
]

#: What a reader does with a key that the model does not know: report it as an
#: error (``key.unknown``), keep it in :attr:`Pledge.extras`, or drop it with a
#: :class:`DroppedKeysWarning`.
Unknown = Literal["error", "keep", "drop"]
#: Which reader parses the CSV tables (``arrow``) or the JSON documents (``msgspec``)
#: of :func:`p2c_pledges.load`.
Engine = Literal["auto", "python", "arrow", "msgspec"]


def engine_wanted(
    engine: Engine, own: Engine, size: int, *, auto_size: int, modules: tuple[str, ...], needs: str
) -> bool:
    """Whether a read asked for ``engine`` tries the engine ``own`` on a file of ``size`` bytes.

    ``auto`` tries it from ``auto_size`` when its ``modules`` import, and decides by
    the size first, so that a small file imports nothing; the engine asked for by
    name must import.

    Raises:
        ImportError: ``own`` asked for by name without its modules, naming what
            it ``needs`` and the extra of its name.
    """
    if engine not in ("auto", own) or (engine == "auto" and size < auto_size):
        return False
    try:
        for module in modules:
            importlib.import_module(module)
    except ImportError as error:
        if engine == own:
            raise ImportError(
                f"engine={own!r} needs {needs}: pip install 'p2c-pledges[{own}]'"
            ) from error
        return False
    return True


#: Adds the file, row and column to an issue found at a JSON path.
Locate = Callable[[Issue], Issue]

#: A record that a reader could not decode (its issue is recorded): counted, not built.
SKIPPED: Final = object()


class DroppedKeysWarning(UserWarning):
    """A reader dropped keys it did not know, as it was asked to (``unknown="drop"``).

    Attributes:
        issues: One ``key.dropped`` warning issue per distinct key, located at its
            first occurrence.
    """

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = tuple(issues)
        shown = "; ".join(f"{issue.location()} ({issue.message})" for issue in issues)
        super().__init__(f"dropped {len(issues)} unknown key(s): {shown}")


class IssueLimitError(Exception):
    """The read found as many issues as it was allowed to; it stops here."""


def split_unknown(raw: dict[str, Any]) -> tuple[dict[str, Any], _Found, list[str]]:
    """Return ``raw`` without the keys the model does not know, those keys, and collisions.

    Unknown keys of nested objects are named by their slash path relative to
    the pledge, as CSV columns are: ``pledger/website``, ``targets/0/note``.
    ``raw`` is not changed; a copy is made only where a key is removed. Where
    each key was found is kept beside it (:attr:`_Found.where`): a slash name
    alone cannot say whether ``a/0`` was a key ``"a/0"``, or ``0`` inside ``a``.

    Two unknown keys can have one name that way: a top-level ``"pledger/website"``
    and ``website`` inside ``pledger``. The first value found is in the keys
    returned, and the name is in the collisions, for the reader to report
    (``key.conflict``): a value is never lost without a word.
    """
    found: _Found = _Found()
    clean = raw
    if not known_keys["pledge"].issuperset(raw):
        clean = {}
        for key, value in raw.items():
            if key in known_keys["pledge"]:
                clean[key] = value
            else:
                found.add(key, value, (key,))
    for name, kind in (("pledger", "pledger"), ("amount", "money")):
        nested = clean.get(name)
        if type(nested) is dict and not known_keys[kind].issuperset(nested):
            clean = clean if clean is not raw else dict(raw)
            clean[name] = _known_part(nested, known_keys[kind], (name,), found)
    for name, kind in (("co_pledgers", "pledger"), ("targets", "target")):
        items = clean.get(name)
        if type(items) is list and any(
            type(item) is dict and not known_keys[kind].issuperset(item) for item in items
        ):
            clean = clean if clean is not raw else dict(raw)
            clean[name] = [
                _known_part(item, known_keys[kind], (name, index), found)
                if type(item) is dict
                else item
                for index, item in enumerate(items)
            ]
    return clean, found, found.collisions


class _Found(dict[str, Any]):
    """The unknown keys found in a record, by slash path, where each was, and the paths found twice."""

    def __init__(self) -> None:
        super().__init__()
        self.collisions: list[str] = []
        #: Each key's place in the record (keys and array indexes), the later one's for a collision.
        self.where: dict[str, tuple[str | int, ...]] = {}

    def add(self, name: str, value: Any, where: tuple[str | int, ...]) -> None:
        """Keep a key found at ``where`` under its slash ``name``, unless the name is taken."""
        if name in self:
            self.collisions.append(name)
        else:
            super().__setitem__(name, value)
        self.where[name] = where if name in self.collisions else self.where.get(name, where)

    def path(self, base: str, name: str) -> str:
        """The JSON path, under ``base``, of the key kept as ``name``."""
        path = base
        for part in self.where.get(name, (name,)):
            path = child_path(path, part)
        return path


def _known_part(
    raw: dict[str, Any], known: frozenset[str], where: tuple[str | int, ...], found: _Found
) -> dict[str, Any]:
    prefix = "".join(f"{part}/" for part in where)
    clean = {}
    for key, value in raw.items():
        if key in known:
            clean[key] = value
        else:
            found.add(prefix + key, value, (*where, key))
    return clean


def _collision_issues(found: _Found, path: str) -> list[Issue]:
    return [
        Issue(
            code="key.conflict",
            message=f"two unknown keys are both kept as the extra {key!r} (a nested key and "
            "a key written with '/'); rename one",
            value=key,
            path=found.path(path, key),
        )
        for key in dict.fromkeys(found.collisions)
    ]


def _extras_issues(extras: _Found, path: str) -> list[Issue]:
    """Locate what makes kept extras not JSON, each at the key where the file has it."""
    issues: list[Issue] = []
    for key, value in extras.items():
        try:
            freeze_extras({key: value}, "$")
        except PledgeDataError as error:
            inside = child_path("$", key)
            issues.extend(
                attrs.evolve(issue, path=extras.path(path, key) + issue.path[len(inside) :])
                for issue in error.issues
            )
    return issues


#: A pledge's values that the error rules read, in the order RuleChecks.breaks takes them.
_RULE_FIELDS: Final = operator.attrgetter(*RuleChecks.FIELDS)


@attrs.define
class Reading:
    """The state of one read.

    Args:
        unknown: What to do with unknown keys.
        max_issues: Stop after this many issues.
        check_rules: Check the error rules of :mod:`p2c_pledges.rules`.
        unique_ids: Check that ids are unique (needs memory for every id: off
            when streaming).
        one: The read is of one pledge, the document itself: its path is ``$``.
        engine: Which reader parses CSV tables or JSON documents: ``"python"``
            (``csv.reader``, the ``json`` module), ``"arrow"`` (CSV), ``"msgspec"`` (JSON)
            or ``"auto"`` (see :func:`p2c_pledges.load`).
    """

    unknown: Unknown = "error"
    max_issues: int = 100
    check_rules: bool = True
    unique_ids: bool = True
    base: str = "$.pledges"
    one: bool = False
    engine: Engine = "python"
    issues: list[Issue] = attrs.field(factory=list)
    #: Rewrites each issue's location as it is added (the workbook reader names cells).
    relocate: Callable[[Issue], Issue] | None = None
    fast: FastPath = attrs.field(factory=FastPath)
    #: The country tables of the read: those in use when it began, as the fast
    #: path's pledgers hold them (:class:`FastPath`), for the records built otherwise too.
    tables: countries.CountryTables | None = attrs.field(
        factory=countries._ACTIVE.get  # noqa: SLF001 - the same package
    )
    rules: RuleChecks | None = attrs.field(init=False)
    _read_fast: Callable[[Any, int], Pledge] = attrs.field(init=False)
    _read_unchecked: Callable[[Any, int], Pledge] = attrs.field(init=False)
    _dropped: dict[str, Issue] = attrs.field(factory=dict)
    _dropped_count: dict[str, int] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        if self.unknown not in ("error", "keep", "drop"):
            raise ValueError(f"unknown must be 'error', 'keep' or 'drop', not {self.unknown!r}")
        if self.max_issues < 1:
            raise ValueError(f"max_issues must be at least 1, not {self.max_issues}")
        self.rules = RuleChecks(unique_ids=self.unique_ids) if self.check_rules else None
        self._read_fast = self.fast.json_reader(self.rules)
        self._read_unchecked = self.fast.json_reader()

    @contextlib.contextmanager
    def own_tables(self) -> Iterator[None]:
        """Answer with the read's country tables (:attr:`tables`) inside the block.

        A lazy read (``iter_load``) may be consumed where other tables are in use;
        each pledge still gets the regions of the read, whichever path builds it.
        """
        token = countries._ACTIVE.set(self.tables)  # noqa: SLF001 - the same package
        try:
            yield
        finally:
            countries._ACTIVE.reset(token)  # noqa: SLF001

    def add(self, issue: Issue) -> None:
        """Record an issue; stop the read (:class:`IssueLimitError`) when the limit is reached."""
        if self.relocate is not None:
            issue = self.relocate(issue)
        self.issues.append(issue)
        if len(self.issues) >= self.max_issues:
            raise IssueLimitError

    def add_all(self, issues: list[Issue], locate: Locate) -> None:
        """Record issues, each located."""
        for issue in issues:
            self.add(locate(issue))

    def path(self, index: int) -> str:
        """Return the JSON path of the record at ``index``."""
        return "$" if self.one else f"{self.base}[{index}]"

    def builder(
        self,
        locate: Locate,
        read: Callable[[Any, int], Pledge] | None = None,
        raw_of: Callable[[Any], Any] | None = None,
    ) -> Callable[[Any, int], Pledge | None]:
        """Return the function that builds the pledge of one record at an index.

        It returns None for a record that fails, having recorded its issues. It
        runs once a record, so the common case stays inline, with its names bound
        to locals.

        Args:
            locate: Adds the file, row and column to an issue.
            read: The fast path for the records (by default, for JSON objects).
            raw_of: Turns a record into its JSON-like form, for the strict
                converter (by default, records are JSON-like already).
        """
        read = read or self._read_fast
        slowly = self._slowly
        checking = self.check_rules
        passes_rules = self._passes_rules

        def build(raw: Any, index: int) -> Pledge | None:
            # A record is read once more at most: a pledge that breaks a rule comes
            # back built; a value the fast path refused goes to the converter alone;
            # only a decline for another reason (unknown keys, a rule checked
            # before building) tries the fast path again.
            try:
                return read(raw, index)  # valid, and within the error rules
            except RuleBroken as broken:
                pledge: Pledge | None = broken.pledge
            except Retry:
                pledge = slowly(raw if raw_of is None else raw_of(raw), self.path(index), locate)
            except Exception:  # noqa: BLE001 - declined: the strict converter decides
                pledge = slowly(
                    raw if raw_of is None else raw_of(raw), self.path(index), locate, fast=False
                )
            if pledge is None or (checking and not passes_rules(pledge, index, locate)):
                return None
            return pledge

        return build

    def within_rules(self, pledge: Pledge, index: int) -> bool:
        """Whether a pledge built without the error rules may be kept as it is.

        For the pledges of :meth:`FastPath.column_reader`, asked in the records'
        order (a repeated id is the later one's); a pledge that may break a rule
        is given to :meth:`builder`'s function, which says which.
        """
        rules = self.rules
        return rules is None or not rules.breaks(*_RULE_FIELDS(pledge), index)

    def pledges(self, raws: Iterable[Any], locate: Locate) -> Iterator[Pledge]:
        """Yield the pledge of each raw record; :data:`SKIPPED` records are counted only."""
        build = self.builder(locate)
        for index, raw in enumerate(raws):
            if raw is not SKIPPED:
                pledge = build(raw, index)
                if pledge is not None:
                    yield pledge

    def _slowly(self, raw: Any, path: str, locate: Locate, *, fast: bool = True) -> Pledge | None:
        extras: _Found = _Found()
        collisions: list[str] = []
        if self.unknown != "error" and type(raw) is dict:
            raw, extras, collisions = split_unknown(raw)
            if self.unknown == "drop":
                self._note_dropped(extras, path, locate)
                extras, collisions = _Found(), []
            elif collisions:
                # Reported, and the record is still read: its other issues are found too.
                self.add_all(_collision_issues(extras, path), locate)
        try:
            try:
                if not fast:  # the fast path refused a value: the converter says which
                    raise Retry  # noqa: TRY301 - one way into the converter
                pledge = self._read_unchecked(raw, 0)  # the caller checks the rules
            except Exception:  # noqa: BLE001 - the converter says why, or builds it
                with self.own_tables():
                    pledge = structure(raw, Pledge, path=path)
        except PledgeDataError as error:
            self.add_all(list(error.issues), locate)
            return None
        if extras:
            try:
                extras_setter(pledge, freeze_extras(extras))
            except PledgeDataError as error:
                self.add_all(_extras_issues(extras, path) or list(error.issues), locate)
                return None
        return None if collisions else pledge

    def _note_dropped(self, dropped: _Found, path: str, locate: Locate) -> None:
        for key, value in dropped.items():
            self.note_dropped(key, value, dropped.path(path, key), locate)

    def note_dropped(self, key: str, value: Any, path: str, locate: Locate) -> None:
        """Record that an unknown key was dropped (warned about once per key, at the end)."""
        count = self._dropped_count.get(key, 0)
        self._dropped_count[key] = count + 1
        if not count:
            self._dropped[key] = locate(
                Issue(
                    code="key.dropped",
                    message=f"{key!r} is not a field that the library knows; dropped",
                    value=value,
                    path=path,
                    severity=Severity.WARNING,
                )
            )

    def _passes_rules(self, pledge: Pledge, index: int, locate: Locate) -> bool:
        valid = True
        ids = self.rules.ids if self.rules is not None else None
        if ids is not None:
            first = ids.setdefault(pledge.id, index)
            if first != index:
                valid = False
                self.add(
                    locate(
                        Issue(
                            code="id.duplicate",
                            message=f"the id {pledge.id!r} is already used by the pledge "
                            f"at {self.path(first)}",
                            value=pledge.id,
                            path=f"{self.path(index)}.id",
                            severity=rules.RULE_CODES["id.duplicate"],
                        )
                    )
                )
        start, end, money = pledge.period_start, pledge.period_end, pledge.amount
        if (start is not None and end is not None and end < start) or (
            money is not None and money.amount < 0
        ):
            with self.own_tables():
                found = list(rules.check_pledge(pledge, path=self.path(index)))
            errors = [issue for issue in found if issue.severity is Severity.ERROR]
            self.add_all(errors, locate)
            valid = valid and not errors
        return valid

    def finish(self) -> None:
        """Warn about dropped keys; raise the issues found, if any."""
        if self._dropped:
            counted = [
                attrs.evolve(
                    issue,
                    message=issue.message
                    + (
                        f" (in {self._dropped_count[key]} places)"
                        if self._dropped_count[key] > 1
                        else ""
                    ),
                )
                for key, issue in self._dropped.items()
            ]
            self._dropped.clear()
            warnings.warn(DroppedKeysWarning(counted), stacklevel=4)
        if self.issues:
            raise PledgeDataError(self.issues)

    def stopped(self) -> None:
        """Add the note that the read stopped at the issue limit."""
        self.issues.append(
            Issue(
                code="issues.limit",
                message=f"the read stopped after {self.max_issues} issues; there may be more "
                "(raise max_issues to see them)",
                value=self.max_issues,
            )
        )
