"""Checks that span fields or records, reported as located :class:`~p2c_pledges.Issue` objects.

Rules that belong to one field (a currency code, an SDG number, a progress share
between 0 and 1) are enforced when a :class:`~p2c_pledges.model.Pledge` is built,
so an object that exists already passes them. The checks here need more than one
field or more than one pledge. Paths are those of the JSON document
(``$.pledges[3].period_end``), so that an issue found after reading a file points
at the same place as one found while reading it.

=========================  ========  ===============================================
code                       severity  what
=========================  ========  ===============================================
``id.duplicate``           error     two pledges share an id
``period.order``           error     the period ends before it starts
``amount.negative``        error     a pledged amount below zero
``amount.missing``         warning   a financial pledge states no amount
``value_date.after_end``   warning   the value date falls after the period's end
``value_date.unused``      warning   a value date on a pledge with no amount
``progress.status``        warning   a completed pledge whose progress share is not 1
``pledger.region``         warning   a pledger's region differs from its country's
``pledger.repeated``       warning   the pledger is also listed as a co-pledger
=========================  ========  ===============================================
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType

from .codes import PledgeStatus, PledgeType
from .countries import region_of
from .errors import CODES, Issue, PledgeDataError, Severity
from .model import Pledge
from .money import withdrawn_on


__all__ = ["RULE_CODES", "check", "check_pledge", "raise_for_errors"]

#: Every code that :func:`check` can report, with its severity.
RULE_CODES: Mapping[str, Severity] = MappingProxyType(
    {name: code.severity for name, code in CODES.items() if code.area == "rule"}
)


def _issue(code: str, message: str, value: object, path: str) -> Issue:
    return Issue(code=code, message=message, value=value, path=path, severity=RULE_CODES[code])


def check_pledge(pledge: Pledge, *, path: str = "$") -> Iterator[Issue]:
    """Yield the issues of one pledge whose rules span its fields."""
    if (
        pledge.period_start is not None
        and pledge.period_end is not None
        and pledge.period_end < pledge.period_start
    ):
        yield _issue(
            "period.order",
            f"the period ends on {pledge.period_end}, before it starts on {pledge.period_start}",
            pledge.period_end.isoformat(),
            f"{path}.period_end",
        )
    if pledge.amount is None:
        if PledgeType.FINANCIAL in pledge.pledge_types:
            yield _issue(
                "amount.missing",
                "a financial pledge states no amount, so it adds nothing to totals",
                None,
                f"{path}.amount",
            )
        if pledge.value_date is not None:
            yield _issue(
                "value_date.unused",
                "a value date is given, but there is no amount to convert",
                pledge.value_date.isoformat(),
                f"{path}.value_date",
            )
    else:
        yield from _withdrawn(pledge, path)
    if pledge.amount is not None and pledge.amount.amount < 0:
        yield _issue(
            "amount.negative",
            f"the pledged amount {pledge.amount} is below zero",
            str(pledge.amount.amount),
            f"{path}.amount.amount",
        )
    if (
        pledge.value_date is not None
        and pledge.period_end is not None
        and pledge.value_date > pledge.period_end
    ):
        yield _issue(
            "value_date.after_end",
            f"the value date {pledge.value_date} is after the period's end {pledge.period_end}",
            pledge.value_date.isoformat(),
            f"{path}.value_date",
        )
    if (
        pledge.status is PledgeStatus.COMPLETED
        and pledge.progress is not None
        and pledge.progress != Decimal(1)
    ):
        yield _issue(
            "progress.status",
            f"the pledge is completed, but its progress share is {pledge.progress}, not 1",
            str(pledge.progress),
            f"{path}.progress",
        )
    yield from _pledger_issues(pledge, path)


def _withdrawn(pledge: Pledge, path: str) -> Iterator[Issue]:
    """A pledge dated after its currency stopped being legal tender (babel's currency data)."""
    assert pledge.amount is not None  # noqa: S101 - the caller checked
    ended = withdrawn_on(pledge.amount.currency)
    dated = pledge.conversion_date
    if ended is not None and dated > ended:
        yield _issue(
            "currency.withdrawn",
            f"{pledge.amount.currency} stopped being legal tender on {ended}, before the "
            f"pledge's date {dated}: was another currency meant?",
            pledge.amount.currency,
            f"{path}.amount.currency",
        )


def _pledger_issues(pledge: Pledge, path: str) -> Iterator[Issue]:
    for index, pledger in enumerate(pledge.pledgers):
        where = f"{path}.pledger" if index == 0 else f"{path}.co_pledgers[{index - 1}]"
        if pledger.country is not None and pledger.region is not None:
            expected = region_of(pledger.country)
            if expected is not None and expected is not pledger.region:
                yield _issue(
                    "pledger.region",
                    f"{pledger.name} is given the region {pledger.region.value}, but "
                    f"{pledger.country} is in {expected.value}",
                    pledger.region.value,
                    f"{where}.region",
                )
    for index, co_pledger in enumerate(pledge.co_pledgers):
        if co_pledger == pledge.pledger:
            yield _issue(
                "pledger.repeated",
                f"{co_pledger.name} is both the pledger and a co-pledger",
                co_pledger.name,
                f"{path}.co_pledgers[{index}]",
            )


def check(pledges: Iterable[Pledge]) -> list[Issue]:
    """Return the issues of a collection of pledges, errors and warnings, in document order.

    Paths are those of the JSON envelope: ``$.pledges[i]...``.
    """
    issues: list[Issue] = []
    first_index_of: dict[str, int] = {}
    for index, pledge in enumerate(pledges):
        path = f"$.pledges[{index}]"
        if pledge.id in first_index_of:
            issues.append(
                _issue(
                    "id.duplicate",
                    f"the id {pledge.id!r} is already used by pledge {first_index_of[pledge.id]}",
                    pledge.id,
                    f"{path}.id",
                )
            )
        else:
            first_index_of[pledge.id] = index
        issues.extend(check_pledge(pledge, path=path))
    return issues


def raise_for_errors(issues: Iterable[Issue]) -> None:
    """Raise :class:`~p2c_pledges.PledgeDataError` with the error-severity issues, if there are any.

    Warnings alone never raise.
    """
    errors = [issue for issue in issues if issue.severity is Severity.ERROR]
    if errors:
        raise PledgeDataError(errors)
