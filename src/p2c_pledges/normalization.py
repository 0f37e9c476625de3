"""Normalizing pledges to US dollars: each pledge's conversion, or why it could not convert.

This is the pledge-level face of :mod:`p2c_pledges.fx` (layer 4: it needs the
model, which ``fx`` must not import). It converts each pledge's amount at the rate
of its value date (``value_date``, else ``announced_on``, and records which),
with the same rules as :func:`p2c_pledges.fx.to_usd`.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Literal

from attrs import define

from .errors import Issue, PledgeDataError
from .fx import DEFAULT_POLICY, Conversion, Policy, RateLookupError, RateSource, to_usd
from .model import Pledge
from .money import Money, rounded


__all__ = ["Normalized", "NormalizedPledge", "normalize"]

# Exact for any sum of fewer than 10**134 values of at most 66 digits.
_SUM_PRECISION = 200


@define(frozen=True, kw_only=True)
class NormalizedPledge:
    """One pledge and its USD value, or the reason it has none.

    Attributes:
        pledge: The pledge.
        conversion: Its conversion, when it has an amount that converted.
        reason: Why it could not convert, when it has an amount that did not.
        reason_code: The issue code of ``reason`` (``rate.missing``,
            ``rate.no_source``), for programs.
        date_used: The date whose rate was asked for.
        date_from: ``value_date``, or ``announced_on`` when the pledge gives no value date.
    """

    pledge: Pledge
    conversion: Conversion | None
    reason: str | None
    date_used: dt.date
    date_from: Literal["value_date", "announced_on"]
    reason_code: str | None = None  # last: added in 0.2, with a default

    @property
    def usd_exact(self) -> Decimal | None:
        """The exact USD value, or ``None``."""
        return self.conversion.usd_exact if self.conversion is not None else None


@define(frozen=True, kw_only=True)
class Normalized:
    """The result of :func:`normalize`: every pledge, converted or not, and exact totals."""

    items: tuple[NormalizedPledge, ...]
    policy: Policy

    def __iter__(self) -> Iterator[NormalizedPledge]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def converted(self) -> list[NormalizedPledge]:
        """The pledges with a USD value."""
        return [item for item in self.items if item.conversion is not None]

    @property
    def failures(self) -> list[NormalizedPledge]:
        """The pledges with an amount that could not be converted, each with its reason."""
        return [item for item in self.items if item.reason is not None]

    @property
    def without_amount(self) -> list[NormalizedPledge]:
        """The pledges that state no amount."""
        return [item for item in self.items if item.pledge.amount is None]

    @property
    def total_exact(self) -> Decimal:
        """The exact sum of the converted pledges' unrounded USD values."""
        # The default context (28 digits) would round: a value can have 66 digits
        # (38 of an amount times 28 of a computed rate).
        with decimal.localcontext(decimal.Context(prec=_SUM_PRECISION)):
            return sum(
                (item.conversion.usd_exact for item in self.converted if item.conversion),
                Decimal(0),
            )

    def records(self) -> list[dict[str, str]]:
        """One flat record per pledge: amount, USD value and the rate's provenance, as text.

        Columns: ``id, amount, currency, date_used, date_from, usd, usd_exact,
        rate_usd_per_unit, rate_date, source, rule, fallback, error`` (empty where
        they do not apply).
        """
        rows = []
        for item in self.items:
            conversion, amount = item.conversion, item.pledge.amount
            quote = conversion.quote if conversion is not None else None
            rows.append(
                {
                    "id": item.pledge.id,
                    "amount": str(amount.amount) if amount else "",
                    "currency": amount.currency if amount else "",
                    "date_used": item.date_used.isoformat(),
                    "date_from": item.date_from,
                    "usd": str(conversion.usd.amount) if conversion else "",
                    "usd_exact": str(conversion.usd_exact) if conversion else "",
                    "rate_usd_per_unit": str(quote.usd_per_unit) if quote else "",
                    "rate_date": quote.rate_date.isoformat() if quote else "",
                    "source": quote.source if quote else "",
                    "rule": quote.rule if quote else "",
                    "fallback": ("true" if quote.fallback else "false") if quote else "",
                    "error": item.reason or "",
                }
            )
        return rows

    @property
    def total(self) -> Money:
        """The USD total, rounded once to cents (half to even)."""
        return rounded(self.total_exact, "USD")


def normalize(
    pledges: Iterable[Pledge],
    rates: RateSource,
    policy: Policy = DEFAULT_POLICY,
    *,
    strict: bool = False,
) -> Normalized:
    """Convert every pledge's amount to US dollars.

    One pledge that cannot convert does not stop the batch: its reason is
    recorded. With ``strict=True`` any failure raises instead, with every failure
    located by the pledge's index.

    Raises:
        PledgeDataError: Only with ``strict=True``: one ``rate.missing`` or
            ``rate.no_source`` issue per pledge that could not convert.
    """
    items = []
    issues: list[Issue] = []
    for index, pledge in enumerate(pledges):
        date_from: Literal["value_date", "announced_on"] = (
            "value_date" if pledge.value_date is not None else "announced_on"
        )
        on = pledge.conversion_date
        conversion, reason, reason_code = None, None, None
        if pledge.amount is not None:
            try:
                conversion = to_usd(pledge.amount, on, rates, policy)
            except RateLookupError as error:
                reason, reason_code = error.issues[0].message, error.issues[0].code
                issues.extend(
                    Issue(
                        code=issue.code,
                        message=issue.message,
                        value=issue.value,
                        path=f"$.pledges[{index}].amount.currency",
                    )
                    for issue in error.issues
                )
        items.append(
            NormalizedPledge(
                pledge=pledge,
                conversion=conversion,
                reason=reason,
                reason_code=reason_code,
                date_used=on,
                date_from=date_from,
            )
        )
    if strict and issues:
        raise PledgeDataError(issues)
    return Normalized(items=tuple(items), policy=policy)
