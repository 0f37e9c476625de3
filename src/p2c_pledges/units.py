"""The pint registry for measurable targets.

Counts of things that are not interchangeable (people, schools, households,
sites, devices) are each their own base dimension, so that "1,000 schools" cannot
be added to "1,000 people" and a target of "fibre in people" is an error. Lengths
and data rates are pint's own units (``km``, ``mi``, ``Mbit/s``, ``Gbps``...).

Quantities carry Decimal magnitudes (``non_int_type=Decimal``) so a target of
``Decimal("1250.5") km`` converts to metres exactly.

Money is deliberately not a pint quantity: pint's currency contexts give NaN
without a context and cost about 1.4 ms a conversion, against about 0.2 µs for
Decimal arithmetic (see ``docs/design.md``).
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from ._once import once
from .codes import Metric
from .errors import Issue, PledgeDataError, brief_repr


if TYPE_CHECKING:
    import pint


__all__ = ["DIMENSIONS", "check_unit", "common_unit", "quantity", "registry"]

# A unit is names joined by "*", "/" or spaces, with integer powers: "km", "Mbit/s",
# "bit * s**-1". Anything else (numbers, brackets, 40+ characters) never reaches
# pint's expression evaluator, which raises arbitrary exceptions on odd input.
_MAX_UNIT_LENGTH = 40
# The joint is white space around one "*" or "/", or white space holding at least
# one " ". It is written so that each character has one way to match (the
# whitespace before the first " " is [^\S ], the " " is the joint): the JSON
# Schema and the Table Schema take this pattern, and validators run it on
# strings of any length, where a space that \s* and [*/ ] could both take made
# backtracking exponential in the length of the string.
_UNIT_SYNTAX = re.compile(
    r"[A-Za-z_µ]+(?:\s*(?:\*\*|\^)\s*-?[0-9])?"
    r"(?:[^\S ]*(?:[*/]\s*| \s*(?:[*/]\s*)?)[A-Za-z_µ]+(?:\s*(?:\*\*|\^)\s*-?[0-9])?)*"
)


@once
def registry() -> pint.UnitRegistry[Decimal]:
    """Return the library's one pint registry (made on first use).

    pint itself is imported here, not with the package: it is half of the
    package's import time, and a program whose pledges have no targets never
    needs it.
    """
    import pint  # noqa: PLC0415 - see above

    # pint computes its definitions' factors in the current decimal context: the
    # library's, not a caller's 3 digits or Inexact trap (a failed build is not kept).
    with decimal.localcontext(_computed()):
        units: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
            non_int_type=Decimal, cache_folder=None, on_redefinition="raise"
        )
        units.define("person = [person] = people = persons")
        units.define("school = [school] = schools")
        units.define("household = [household] = households")
        units.define("site = [site] = sites")
        units.define("device = [device] = devices")
    return units


def _computed() -> decimal.Context:
    """The library's context for computed values (28 digits, half to even): ``fx._series.RATES``."""
    from .fx._series import RATES  # noqa: PLC0415 - the fx package loads on first use

    return RATES


#: The dimensionality that each metric's unit must have, written as a unit of it.
DIMENSIONS: Mapping[Metric, str] = MappingProxyType(
    {
        Metric.PEOPLE_CONNECTED: "person",
        Metric.PEOPLE_TRAINED: "person",
        Metric.HOUSEHOLDS_CONNECTED: "household",
        Metric.SCHOOLS_CONNECTED: "school",
        Metric.SITES_CONNECTED: "site",
        Metric.DEVICES_DISTRIBUTED: "device",
        Metric.FIBRE_KM: "km",
        Metric.BANDWIDTH: "bit/s",
    }
)


def _metric(metric: object) -> Metric | None:
    # A Metric, or its wire value ("fibre_km"); None for anything else.
    try:
        return Metric(metric)  # type: ignore[arg-type] # any value is tried
    except (ValueError, TypeError):
        return None


def common_unit(metric: Metric) -> str:
    """Return the unit that totals of a metric are expressed in (km for fibre, bit/s for bandwidth).

    Raises:
        ValueError: ``metric`` is not a :class:`~p2c_pledges.codes.Metric` nor the
            wire value of one.
    """
    known = _metric(metric)
    if known is None:
        names = ", ".join(member.value for member in Metric)
        raise ValueError(f"{brief_repr(metric)} is not a metric; the metrics are {names}")
    return DIMENSIONS[known]


def check_unit(metric: Metric, unit: object, *, path: str = "$.unit") -> list[Issue]:
    """Return the issues of a target's unit: unknown to pint, or of the wrong dimension.

    A ``metric`` that is not a :class:`~p2c_pledges.codes.Metric` (nor the wire
    value of one) is the issue ``value.enum``, at ``path``.
    """
    known = _metric(metric)
    if known is None:
        return [
            Issue(
                code="value.enum",
                message=f"{brief_repr(metric)} is not a metric, so no unit fits it "
                f"(known: {', '.join(member.value for member in Metric)})",
                value=metric,
                path=path,
            )
        ]
    metric = known
    if not isinstance(unit, str):
        return [
            Issue(
                code="value.type",
                message=f"a unit must be a string, not {type(unit).__name__} ({brief_repr(unit)})",
                value=unit,
                path=path,
            )
        ]
    if len(unit) > _MAX_UNIT_LENGTH or not _UNIT_SYNTAX.fullmatch(unit):
        return [_unknown_unit(unit, path)]
    return list(_unit_issues(metric, unit, path))


def _unknown_unit(unit: object, path: str) -> Issue:
    return Issue(
        code="unit.unknown",
        message=f"{brief_repr(unit)} is not a unit that the target registry knows",
        value=unit,
        path=path,
    )


# pint's parse is slow next to a lookup, and pledge files repeat a handful of units.
@functools.lru_cache(maxsize=1024)
def _unit_issues(metric: Metric, unit: str, path: str) -> tuple[Issue, ...]:
    import pint  # noqa: PLC0415 - imported with the registry, on first use

    units = registry()
    try:
        with decimal.localcontext(_computed()):
            parsed = units.parse_units(unit)
            dimensionality = parsed.dimensionality
    except (pint.UndefinedUnitError, ValueError):
        # ValueError: pint refuses names it reads as numbers ("nan", "inf").
        return (_unknown_unit(unit, path),)
    except Exception:  # noqa: BLE001 - pint's own failures on text it half-reads
        # "km^0" (KeyError inside pint) or line breaks between units (an AssertionError
        # of its parser): not a unit the library can read, whatever pint's reason.
        return (_unknown_unit(unit, path),)
    expected = units.parse_units(DIMENSIONS[metric])
    if dimensionality == expected.dimensionality:
        # pint keeps each conversion's factor once computed: computed here, where every
        # target's unit is first met, in the library's context, so that the totals'
        # conversion to the metric's unit never finds one rounded to a caller's 3 digits.
        with decimal.localcontext(_computed()):
            units.Quantity(Decimal(1), parsed).to(common_unit(metric))
    if dimensionality != expected.dimensionality:
        return (
            Issue(
                code="unit.dimension",
                message=(
                    f"a {metric.value} target is measured in {expected.dimensionality} "
                    f"(such as {DIMENSIONS[metric]!r}), but {unit!r} is {dimensionality}"
                ),
                value=unit,
                path=path,
            ),
        )
    return ()


def quantity(value: Decimal, unit: str) -> Any:
    """Return ``value`` in ``unit`` as a pint Quantity of the library's registry.

    The magnitude is a Decimal (an int is made one exactly), as every quantity of
    the registry's is: a float magnitude would fail, later, in the first
    conversion that multiplies it by a Decimal factor.

    Raises:
        PledgeDataError: ``value.type`` for a magnitude that is not a Decimal or an
            int (a float, say), ``value.not_finite`` for NaN or an infinity,
            ``unit.unknown`` for a unit the registry does not know.
    """
    given: object = value  # a caller without type checking may pass anything
    if isinstance(given, int) and not isinstance(given, bool):
        value = Decimal(given)
    elif not isinstance(given, Decimal):
        raise PledgeDataError.single(
            "value.type",
            f"a quantity's magnitude is a Decimal or an int, not {type(given).__name__} "
            f"({brief_repr(given)})",
            given,
            "$.value",
        )
    if not value.is_finite():
        raise PledgeDataError.single(
            "value.not_finite", f"a quantity's magnitude {value} is not finite", value, "$.value"
        )
    written: object = unit
    if (
        not isinstance(written, str)
        or len(unit) > _MAX_UNIT_LENGTH
        or not _UNIT_SYNTAX.fullmatch(unit)
    ):
        raise PledgeDataError((_unknown_unit(written, "$.unit"),))
    try:
        with decimal.localcontext(_computed()):
            return registry().Quantity(value, unit)
    except Exception:  # noqa: BLE001 - pint's own failures, as in _unit_issues
        raise PledgeDataError((_unknown_unit(unit, "$.unit"),)) from None
