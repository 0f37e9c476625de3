"""Converting Money to US dollars, one at a time with provenance, or in bulk."""

from __future__ import annotations

import datetime as dt
import decimal
import warnings
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from attrs import define

from ..errors import Issue, PledgeDataError
from ..money import Money, rounded
from ._rates import (
    _METHOD_MOVED,
    _RATES,
    FIXED_BY_CALLER,
    IDENTITY,
    Policy,
    Quote,
    RateLookupError,
    RateSource,
    on_or_before,
)


__all__ = ["BulkResult", "Conversion", "CrossConversion", "convert", "to_usd", "usd_amounts"]

#: The default policy: the latest rate on or before the value date, at most 7 days earlier.
DEFAULT_POLICY = on_or_before(7)
# An amount (38 digits at most) times a rate (28) is exact at this precision.
_PRODUCTS = decimal.Context(prec=80, rounding=ROUND_HALF_EVEN, traps=[decimal.Inexact])


@define(frozen=True, kw_only=True)
class Conversion:
    """Money converted to US dollars, with the rate that did it and where the rate came from.

    Attributes:
        original: The Money converted.
        on: The value date asked for.
        usd_exact: The exact, unrounded USD value (amount times rate).
        quote: The rate and its provenance (date, period, source, rule, fallback).
    """

    original: Money
    on: dt.date
    usd_exact: Decimal
    quote: Quote

    @property
    def usd(self) -> Money:
        """The USD value rounded once to cents, half to even."""
        return rounded(self.usd_exact, "USD")

    @property
    def rate(self) -> Decimal:
        """US dollars per unit of the original currency."""
        return self.quote.usd_per_unit

    @property
    def rate_date(self) -> dt.date:
        """The date of the rate used."""
        return self.quote.rate_date

    @property
    def source(self) -> str:
        """The source that gave the rate."""
        return self.quote.source

    @property
    def rule(self) -> str:
        """The rule that chose the rate (``on_or_before(7)``, ``annual_average``...)."""
        return self.quote.rule

    @property
    def method(self) -> str:
        """The rule that chose the rate, by its name before 0.2.

        .. deprecated:: 0.2
           Use :attr:`rule`.
        """
        warnings.warn(_METHOD_MOVED, DeprecationWarning, stacklevel=2)
        return self.quote.rule

    @property
    def fallback(self) -> bool:
        """True when the rate is not of the value date itself."""
        return self.quote.fallback


def _usd_quote(on: dt.date) -> Quote:
    return Quote(
        currency="USD",
        on=on,
        usd_per_unit=Decimal(1),
        rate_date=on,
        period=(on, on),
        source=IDENTITY,
        rule=IDENTITY,
    )


def _quote(currency: str, on: dt.date, rates: RateSource, policy: Policy) -> Quote:
    if currency == "USD":
        return _usd_quote(on)
    if policy.rule == "fixed" and policy.usd_per_unit is not None:
        return Quote(
            currency=currency,
            on=on,
            usd_per_unit=policy.usd_per_unit,
            rate_date=on,
            period=(on, on),
            source=FIXED_BY_CALLER,
            rule=str(policy),
        )
    return rates.quote(currency, on, policy)


def _check_arguments(money: object, on: object) -> None:
    # Without this a str or datetime value date fails deep inside bisect with a
    # TypeError, which DESIGN section 5 counts as a bug.
    issues = []
    if not isinstance(money, Money):
        issues.append(
            Issue(
                code="value.type",
                message=f"money must be a Money, not {type(money).__name__} ({money!r})",
                value=money,
                path="$.money",
            )
        )
    wrong_date = _date_issue(on, "$.on")
    if wrong_date is not None:
        issues.append(wrong_date)
    if issues:
        raise PledgeDataError(issues)


def _date_issue(on: object, path: str) -> Issue | None:
    """The ``value.type`` issue of a value date that is not a ``datetime.date`` (a datetime is not)."""
    if isinstance(on, dt.date) and not isinstance(on, dt.datetime):
        return None
    return Issue(
        code="value.type",
        message=f"the value date must be a datetime.date, not {type(on).__name__} ({on!r})",
        value=on,
        path=path,
    )


def to_usd(
    money: Money, on: dt.date, rates: RateSource, policy: Policy = DEFAULT_POLICY
) -> Conversion:
    """Convert ``money`` to US dollars at the rate of ``on`` under ``policy``.

    USD converts to itself exactly, at rate 1, and says so (source and method
    ``identity``).

    Raises:
        RateLookupError: ``rate.no_source`` when no source knows the currency,
            ``rate.missing`` when no rate fits the policy (naming the currency, the
            date, and the nearest earlier and later dates that exist).
        PledgeDataError: ``value.type`` when ``money`` is not Money or ``on`` is
            not a ``datetime.date`` (a ``datetime`` is not a value date either).
    """
    _check_arguments(money, on)
    quote = _quote(money.currency, on, rates, policy)
    return Conversion(
        original=money,
        on=on,
        usd_exact=_PRODUCTS.multiply(money.amount, quote.usd_per_unit),
        quote=quote,
    )


@define(frozen=True, kw_only=True)
class CrossConversion:
    """Money converted to another currency through USD, with both legs."""

    to_usd: Conversion
    from_usd: Quote
    exact: Decimal

    @property
    def result(self) -> Money:
        """The converted amount rounded once to the target currency's minor units."""
        return rounded(self.exact, self.from_usd.currency)


def convert(
    money: Money, to: str, on: dt.date, rates: RateSource, policy: Policy = DEFAULT_POLICY
) -> CrossConversion:
    """Convert ``money`` into the currency ``to`` through USD, recording both legs.

    Raises:
        RateLookupError: For either leg, as :func:`~p2c_pledges.to_usd`.
    """
    first = to_usd(money, on, rates, policy)
    second = _quote(to, on, rates, policy)
    with decimal.localcontext(decimal.Context(prec=60)):
        exact = first.usd_exact / second.usd_per_unit
    return CrossConversion(to_usd=first, from_usd=second, exact=exact)


@define(frozen=True, kw_only=True)
class BulkResult:
    """USD values of many amounts: ``usd[i]`` is ``None`` where ``errors`` has ``i``."""

    usd: list[Decimal | None]
    errors: dict[int, str]
    quotes: dict[tuple[str, dt.date], Quote]


#: The reason of an amount without a currency (None), on every bulk path.
MISSING_CURRENCY = "the currency is missing"


def usd_amounts(
    amounts: Iterable[Decimal],
    currencies: Iterable[str],
    dates: Iterable[dt.date],
    rates: RateSource,
    policy: Policy = DEFAULT_POLICY,
) -> BulkResult:
    """Convert many (amount, currency, date) triples to exact USD values, fast.

    The same rules as :func:`~p2c_pledges.to_usd`, without a provenance object per amount: the
    rate of each distinct (currency, date) is looked up once and cached, and the
    loop does one dict lookup and one exact multiplication per amount. The quotes
    used are returned once each in ``quotes``; failures are reasons in ``errors``
    (a NaN or infinite amount is one).

    Raises:
        PledgeDataError: ``value.float_money`` or ``value.type`` for an amount that is
            not a Decimal or an int, or ``value.type`` for a date that is not a
            ``datetime.date``, located by its index.
    """
    cache: dict[tuple[str, dt.date], Decimal] = {}
    failed: dict[tuple[str, dt.date], str] = {}
    quotes: dict[tuple[str, dt.date], Quote] = {}
    usd: list[Decimal | None] = []
    errors: dict[int, str] = {}
    append, lookup = usd.append, cache.get
    amount: object = None
    try:
        with decimal.localcontext(_PRODUCTS):
            for amount, currency, on in zip(amounts, currencies, dates, strict=True):
                rate = lookup((currency, on))
                if rate is None:
                    # The slow path, once per distinct (currency, date): look the rate up.
                    key = (currency, on)
                    if key not in failed:
                        rate = _look_up(key, len(usd), rates, policy, quotes, failed)
                        if rate is not None:
                            cache[key] = rate
                    if rate is None:
                        errors[len(usd)] = failed[key]
                        append(None)
                        continue
                product = amount * rate
                if product.is_finite():
                    append(product)
                else:
                    errors[len(usd)] = f"the amount {amount} is not a finite number"
                    append(None)
    except TypeError:
        # A float or a string amount: the multiplication refuses it. The try costs
        # nothing per item; the issue says which item and why.
        code = "value.float_money" if isinstance(amount, float) else "value.type"
        raise PledgeDataError.single(
            code=code,
            message=f"amount {len(usd)} is {amount!r} ({type(amount).__name__}), not a Decimal",
            value=amount,
            path=f"$[{len(usd)}]",
        ) from None

    return BulkResult(usd=usd, errors=errors, quotes=quotes)


def _look_up(  # noqa: PLR0917 - usd_amounts's slow path, with its caches
    key: tuple[str, dt.date],
    index: int,
    rates: RateSource,
    policy: Policy,
    quotes: dict[tuple[str, dt.date], Quote],
    failed: dict[tuple[str, dt.date], str],
) -> Decimal | None:
    """The rate of a (currency, date) that usd_amounts meets first, kept in ``quotes``; else the reason, in ``failed``.

    Raises:
        PledgeDataError: ``value.type`` for a date that is no ``datetime.date``, at ``index``.
    """
    currency, on = key
    wrong_date = _date_issue(on, f"$[{index}]")
    if wrong_date is not None:  # once per distinct key: free per item
        raise PledgeDataError([wrong_date])
    if currency is None:
        failed[key] = MISSING_CURRENCY
        return None
    try:
        quotes[key] = _quote(currency, on, rates, policy)
    except RateLookupError as error:
        failed[key] = error.issues[0].message
        return None
    return quotes[key].usd_per_unit


def inverse(rate: Decimal) -> Decimal:
    """Units of a currency per USD, from USD per unit (28 significant digits)."""
    return _RATES.divide(Decimal(1), rate)
