"""Money: an exact Decimal amount in an ISO 4217 currency.

Floats never become money. ``Money(amount=0.1, currency="USD")`` is an error,
not a silent ``Decimal(0.1)`` (which is 0.1000000000000000055511151231257827...):
a float has already lost the amount that was written.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from attrs import define, field
from babel.core import get_global
from babel.numbers import get_currency_precision, list_currencies

from ._checks import checks
from .errors import Issue, PledgeDataError, brief_repr, brief_text


__all__ = [
    "LARGEST_AMOUNT",
    "MAX_FRACTION_DIGITS",
    "MAX_INTEGER_DIGITS",
    "NOT_MONEY",
    "CurrencyMismatchError",
    "Money",
    "check_amount",
    "check_currency",
    "is_currency",
    "minor_units",
    "rounded",
    "withdrawn_on",
]

#: An amount has at most this many digits before the decimal point (below 10**20,
#: beyond any pledge: world GDP is about 10**14 USD).
MAX_INTEGER_DIGITS = 20
#: An amount has at most this many digits after the decimal point. Together with
#: :data:`MAX_INTEGER_DIGITS` every amount fits Arrow's ``decimal128(38, 18)``.
MAX_FRACTION_DIGITS = 18
#: The largest amount these limits hold (its negation is the smallest): the bound that
#: the Table Schema states and the strategies draw within.
LARGEST_AMOUNT = Decimal(f"{'9' * MAX_INTEGER_DIGITS}.{'9' * MAX_FRACTION_DIGITS}")

# Sums of up to 10**20 amounts of 38 digits stay exact at this precision; the
# Inexact trap turns any rounding that would still happen into an error.
_EXACT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero],
)


class CurrencyMismatchError(ValueError):
    """Arithmetic or ordering between amounts of two different currencies."""


#: ISO 4217 codes that are not money a pledge can be stated in: no currency
#: (XXX), testing (XTS), precious metals (XAU, XAG, XPT, XPD), European bond-market
#: units (XBA to XBD) and the ISO "fund" codes of settlement and indexation units
#: (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW). The units of account that
#: institutions do commit funds in stay money: XDR (IMF special drawing right),
#: XUA (African Development Bank unit of account) and XSU (SUCRE).
NOT_MONEY = frozenset(
    {"XXX", "XTS", "XAU", "XAG", "XPT", "XPD", "XBA", "XBB", "XBC", "XBD"}
    | {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW"}
)


@functools.cache
def _iso_codes() -> frozenset[str]:
    return frozenset(list_currencies())


@functools.cache
def _currencies() -> frozenset[str]:
    """The codes a Money may carry: ISO 4217 codes babel knows, less :data:`NOT_MONEY`."""
    return _iso_codes() - NOT_MONEY


def is_currency(code: str) -> bool:
    """Tell whether ``code`` is an ISO 4217 code that babel knows (case-sensitive)."""
    return code in _iso_codes()


@functools.cache
def withdrawn_on(code: str) -> dt.date | None:
    """The last day a currency was legal tender anywhere, by babel's currency data; ``None`` if it still is.

    DEM ended on 2002-05-15 (in Montenegro; in Germany on 2002-02-28), HRK on 2023-01-14,
    ANG on 2025-06-30. The last day anywhere counts.

    .. versionadded:: 0.2
    """
    uses = [
        use
        for territory in get_global("territory_currencies").values()
        for use in territory
        if use[0] == code and use[3]
    ]
    if not uses or any(use[2] is None for use in uses):
        return None
    return max(dt.date(*use[2]) for use in uses)


def minor_units(currency: str) -> int:
    """Return the number of minor-unit digits of a currency (2 for USD, 0 for JPY, 3 for BHD)."""
    return int(get_currency_precision(currency))


def check_currency(code: object, *, path: str = "$.currency") -> list[Issue]:
    """Return the issues of a currency code: none when it is a known ISO 4217 code."""
    if not isinstance(code, str):
        return [
            Issue(
                code="value.type",
                message=f"a currency code must be a string, not {type(code).__name__} "
                f"({brief_repr(code)})",
                value=code,
                path=path,
            )
        ]
    if code in NOT_MONEY:
        return [
            Issue(
                code="currency.not_money",
                message=f"{brief_repr(code)} is an ISO 4217 code, but not money a pledge can be stated in "
                "(no currency, a test code, a metal or a fund unit)",
                value=code,
                path=path,
            )
        ]
    if is_currency(code):
        return []
    upper = code.upper()
    if upper != code and is_currency(upper):
        message = f"{brief_repr(code)} is not an ISO 4217 code; currency codes are upper-case: did you mean {upper!r}?"
    else:
        message = f"{brief_repr(code)} is not an ISO 4217 currency code"
    return [Issue(code="currency.unknown", message=message, value=code, path=path)]


def check_amount(amount: object, *, path: str = "$.amount") -> list[Issue]:
    """Return the issues of a money amount: none when it is a finite Decimal within the limits."""
    if isinstance(amount, float):
        return [
            Issue(
                code="value.float_money",
                message=(
                    f"the amount {amount!r} is a float, which has already lost the written "
                    "value; give a Decimal made from text, such as Decimal('0.1')"
                ),
                value=amount,
                path=path,
            )
        ]
    if not isinstance(amount, Decimal):
        return [
            Issue(
                code="value.type",
                message=f"an amount must be a Decimal, not {type(amount).__name__} ({brief_repr(amount)})",
                value=amount,
                path=path,
            )
        ]
    if not amount.is_finite():
        return [
            Issue(
                code="value.not_finite",
                message=f"the amount {amount} is not a finite number",
                value=amount,
                path=path,
            )
        ]
    _, digits, exponent = amount.as_tuple()
    exponent = int(exponent)  # finite, checked above, so an int
    fraction_digits = max(0, -exponent)
    integer_digits = max(0, len(digits) + exponent)
    if integer_digits > MAX_INTEGER_DIGITS or fraction_digits > MAX_FRACTION_DIGITS:
        return [
            Issue(
                code="value.out_of_range",
                message=(
                    f"the amount {brief_text(str(amount))} has {integer_digits} digits before and "
                    f"{fraction_digits} after the decimal point; the limits are "
                    f"{MAX_INTEGER_DIGITS} and {MAX_FRACTION_DIGITS}"
                ),
                value=amount,
                path=path,
            )
        ]
    return []


def _amount(value: Any) -> Any:
    # int is exact, so it becomes a Decimal; bool is an int but never an amount.
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


@checks("amount")
def _validate_amount(_instance: object, _attribute: object, value: Any) -> None:
    issues = check_amount(value)
    if issues:
        raise PledgeDataError(issues)


@checks("currency")
def _validate_currency(_instance: object, _attribute: object, value: Any) -> None:
    issues = check_currency(value)
    if issues:
        raise PledgeDataError(issues)


@define(frozen=True, order=False)
class Money:
    """An exact amount of money in one currency.

    Args:
        amount: A :class:`~decimal.Decimal` (an ``int`` is accepted and made a
            Decimal exactly). A float, NaN or infinity is an error.
        currency: An upper-case ISO 4217 code that babel knows.

    Raises:
        PledgeDataError: ``value.float_money``, ``value.type``, ``value.not_finite``,
            ``value.out_of_range`` or ``currency.unknown``.

    Arithmetic (``+``, ``-``, comparison) works only between amounts of the same
    currency and raises :class:`CurrencyMismatchError` otherwise; multiplying
    by a Decimal or an int gives Money (there is no division: split money with
    :func:`p2c_pledges.aggregate.split_evenly`, which keeps every cent). Sums are exact (never rounded);
    round once, at the end, with :meth:`quantize`.
    """

    amount: Decimal = field(converter=_amount, validator=_validate_amount)
    currency: str = field(validator=_validate_currency)

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        locale: str = "en",
        default_currency: str | None = None,
        pledger_country: str | None = None,
        beneficiary_countries: Sequence[str] = (),
    ) -> Money:
        """Read an amount as people write it: ``"EUR 155 million"``, ``"€155m"``, ``"CHF 1'250'000"``.

        Numbers are read as ``locale`` writes them (``"1 250 000,50 EUR"`` with
        ``locale="fr"``); scale words (thousand, million, billion, k, m, bn, ...)
        are exact; the currency is an ISO code, a currency name or a symbol of the
        locale. A sign that several currencies share (``$``, ``kr``) is an error
        listing them unless ``default_currency`` is one of them. The rules are in
        the "Currency normalization" page of the documentation.

        Args:
            text: The amount as written.
            locale: The babel locale whose number format, symbols and names apply.
            default_currency: The currency when the text names none, or names a
                shared sign that this currency writes.
            pledger_country: The pledger's alpha-2 country: it decides whether
                ``FCFA`` is XOF or XAF when it belongs to one of the CFA unions.
            beneficiary_countries: The beneficiary countries: they decide ``FCFA``
                when the pledger's country does not and they all belong to one union.

        Raises:
            PledgeDataError: ``money.unparsable``, ``currency.unknown``,
                ``currency.ambiguous``, ``currency.missing``, ``currency.conflict``,
                ``locale.unknown``, ``value.type``, ``text.too_long`` (a text of more
                than 1,000 characters), or any issue of :class:`Money`.

        .. versionadded:: 0.1.0
        .. versionchanged:: 0.2
           ``pledger_country`` and ``beneficiary_countries`` decide the CFA franc;
           scale words of the six UN languages; ``Ksh`` and other local abbreviations.
        """
        from ._parse_money import parse_money  # noqa: PLC0415 - parsing loads babel's locale data

        amount, currency = parse_money(
            text,
            locale=locale,
            default_currency=default_currency,
            pledger_country=pledger_country,
            beneficiary_countries=beneficiary_countries,
        )
        return cls(amount, currency)

    @property
    def minor_units(self) -> int:
        """The number of decimal places of the currency's minor unit (babel's precision)."""
        return minor_units(self.currency)

    def quantize(self) -> Money:
        """Round to the currency's minor units with ROUND_HALF_EVEN (banker's rounding).

        USD 2.675 becomes USD 2.68 and USD 2.665 becomes USD 2.66; JPY has no minor
        unit, so JPY 2.5 becomes JPY 2.
        """
        return rounded(self.amount, self.currency)

    def _same(self, other: Money, operation: str) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot {operation} {self.currency} {self.amount} and "
                f"{other.currency} {other.amount}: convert one currency first"
            )

    # The operands are typed as what works (Money, a Decimal or an int factor), so
    # that a type checker refuses money + 0.1 before it runs; at run time any
    # operand is checked, and one that cannot work is refused with a reason.
    def __add__(self, other: Money) -> Money:
        given: object = other
        if not isinstance(given, Money):
            return _not_money(self, given, "add")
        self._same(given, "add")
        return Money(_EXACT.add(self.amount, given.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        given: object = other
        if not isinstance(given, Money):
            return _not_money(self, given, "subtract")
        self._same(given, "subtract")
        return Money(_EXACT.subtract(self.amount, given.amount), self.currency)

    if not TYPE_CHECKING:
        # Only at run time: reached when the left operand is not Money (0.1 + money,
        # sum(moneys)), to say why. Declared to a type checker, they would make
        # 0.1 + money look fine to it.
        def __radd__(self, other: object) -> Money:
            return _not_money(self, other, "add")

        def __rsub__(self, other: object) -> Money:
            return _not_money(self, other, "subtract")

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError(
                f"cannot multiply {self} by the float {factor!r}: a float has already lost "
                "the written value; give a Decimal made from text, such as Decimal('0.5')"
            )
        if isinstance(factor, bool) or not isinstance(factor, (Decimal, int)):
            return NotImplemented
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise PledgeDataError.single(
                code="value.not_finite",
                message=f"cannot multiply {self} by {factor}: the factor is not a finite number",
                value=str(factor),
                path="$.amount",
            )
        try:
            product = _EXACT.multiply(self.amount, Decimal(factor))
        except decimal.DecimalException:
            raise PledgeDataError.single(
                code="value.out_of_range",
                message=f"{self} times {brief_text(str(factor))} is not exact within the amount limits",
                value=brief_text(str(factor)),
                path="$.amount",
            ) from None
        return Money(product, self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        # copy_negate and copy_abs are exact whatever the context's precision; a
        # zero stays unsigned, so that -USD 0 is not written "USD -0".
        amount = self.amount.copy_abs() if not self.amount else self.amount.copy_negate()
        return Money(amount, self.currency)

    def __abs__(self) -> Money:
        return Money(self.amount.copy_abs(), self.currency)

    def __lt__(self, other: Money) -> bool:
        given: object = other
        if not isinstance(given, Money):
            return NotImplemented
        self._same(given, "compare")
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        given: object = other
        if not isinstance(given, Money):
            return NotImplemented
        self._same(given, "compare")
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        given: object = other
        if not isinstance(given, Money):
            return NotImplemented
        self._same(given, "compare")
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        given: object = other
        if not isinstance(given, Money):
            return NotImplemented
        self._same(given, "compare")
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.currency} {self.amount}"


def _not_money(money: Money, other: object, operation: str) -> Money:
    """Refuse ``+`` and ``-`` between Money and a number, saying why; anything else is NotImplemented."""
    if isinstance(other, (float, int, Decimal)) and not isinstance(other, bool):
        hint = (
            "a float is never money"
            if isinstance(other, float)
            else f"make it Money first, Money(..., {money.currency!r})"
        )
        start = (
            f"; for sum(), start from Money(0, {money.currency!r})"
            if operation == "add" and not other
            else ""
        )
        raise TypeError(
            f"cannot {operation} {money} and the {type(other).__name__} {brief_repr(other)}: "
            f"{hint}{start}"
        )
    # NotImplemented passes for any return type in Python's protocol, not in mypy's.
    return NotImplemented  # type: ignore[no-any-return]


#: The integer digits beyond which :func:`rounded` refuses a value: far beyond any
#: sum of amounts (20 digits) at any rate, and the bound that keeps a value such as
#: ``Decimal("1E+999999999")`` from asking for a billion digits.
_MAX_ROUNDED_DIGITS = 200


def rounded(exact: Decimal, currency: str) -> Money:
    """Return a computed amount (a conversion, a total) rounded once to the currency's minor units.

    Half to even, at whatever precision the value needs. The digit limits of
    :data:`~p2c_pledges.money.MAX_INTEGER_DIGITS` and :data:`~p2c_pledges.money.MAX_FRACTION_DIGITS` are limits on
    the amounts a pledge states; a value derived from valid amounts (the USD
    value of BHD 99,999,999,999,999,999,999 has 21 digits) is never refused for
    its size. Arithmetic on the result (``+``, ``-``) checks the limits again.

    A negative value that rounds to zero is zero (``USD 0.00``, never ``USD -0.00``).

    Raises:
        PledgeDataError: ``value.not_finite``, ``currency.unknown``, or
            ``value.out_of_range`` for a value of 200 digits or more before the
            decimal point.

    .. versionadded:: 0.2
    """
    issues = check_currency(currency)
    given: object = exact  # a caller without type checking may pass anything
    if not (isinstance(given, Decimal) and given.is_finite()):
        issues += check_amount(given)
    elif exact.adjusted() >= _MAX_ROUNDED_DIGITS:
        issues.append(
            Issue(
                code="value.out_of_range",
                message=f"the value {brief_text(str(exact))} has {exact.adjusted() + 1} digits "
                f"before the decimal point; money is rounded up to {_MAX_ROUNDED_DIGITS}",
                value=brief_text(str(exact)),
                path="$.amount",
            )
        )
    if issues:
        raise PledgeDataError(issues)
    places = Decimal(1).scaleb(-minor_units(currency))
    _, digits, exponent = exact.as_tuple()
    # An explicit context: the caller's precision or rounding must not change money.
    context = decimal.Context(
        prec=len(digits) + max(0, int(exponent)) + 30, rounding=decimal.ROUND_HALF_EVEN
    )
    amount = exact.quantize(places, context=context)
    money = object.__new__(Money)
    # The one way past the validators: the amount is a finite Decimal, checked above,
    # and only its size, which the input limits do not govern, is left unchecked. A
    # value that rounds to zero is zero, not "-0.00".
    object.__setattr__(money, "amount", amount or amount.copy_abs())
    object.__setattr__(money, "currency", currency)
    return money
