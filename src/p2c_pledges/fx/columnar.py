"""Converting columns of amounts to US dollars in Arrow, exactly as :func:`~p2c_pledges.to_usd` does.

The columnar path for data teams with Arrow, pandas, Polars, Parquet, Dask or
Spark: :func:`usd_columns` takes an amount, a currency and a value date column
and returns the USD value rounded once to cents (half to even) with the rate's
provenance, deciding every row as :func:`~p2c_pledges.to_usd` decides it.

- The rates are looked up a currency at a time, for all of its distinct value
  dates at once (``fx/_lookup.py``: a binary search over the table's days as
  arrays, averages per month or year, pegs through their anchor), deciding as
  the per-item path decides; the rows then gather their rate by index. A day
  that fails has the reason its source gives.
- The arithmetic is exact integer arithmetic on the decimals' unscaled values:
  64-bit NumPy integers when the product fits them (checked per batch from the
  largest amount and rate), else Arrow ``decimal128`` or ``decimal256``
  multiplication and rounding. No float ever holds an amount or a rate.
- Failures are reasons in the ``error`` column, the same text as
  :func:`~p2c_pledges.fx.usd_amounts` gives; a float amount column is refused.

pyarrow is an optional dependency: ``pip install p2c-pledges[arrow]``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import decimal
import importlib
import warnings
from collections.abc import Iterable, Iterator, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any


try:
    import numpy as np

    # pyarrow ships no type information; an override in pyproject would make these unused.
    import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
    import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]
except ImportError as error:  # pragma: no cover - the test environment has pyarrow
    raise ImportError(
        "p2c_pledges.fx.columnar needs pyarrow: pip install p2c-pledges[arrow]"
    ) from error

from ..errors import Issue, PledgeDataError
from ._arrow import (
    amount_array,
    bitmap,
    column_error,
    currency_array,
    date_array,
    decimal128_from_int64,
    decimal128_from_words,
    dictionary,
    int_view,
    to_arrow,
    valid_rows,
)
from ._convert import _PRODUCTS, DEFAULT_POLICY, MISSING_CURRENCY
from ._fixed_point import fixed_point_cents, round_half_even
from ._lookup import EPOCH_ORDINAL, Found, Gathered, find
from ._rates import Policy, RateSource


if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = ["usd_batches", "usd_columns", "usd_frame", "usd_schema"]

_EPOCH = dt.date(1970, 1, 1)
# The days of the Unix epoch that are calendar dates (datetime.date's range).
_FIRST_DAY = 1 - EPOCH_ORDINAL
_LAST_DAY = dt.date.max.toordinal() - EPOCH_ORDINAL
_INT64_LIMIT = 2**63 - 1
# Every integer of 18 digits fits 64 bits, so 10**18 divides without overflow.
_INT64_DIGITS = 18
_DECIMAL128_DIGITS = 38
_DECIMAL256_DIGITS = 76
_CENT = Decimal("0.01")
# Rounds a product of up to 76 digits to cents (it is inexact: that is the rounding).
_ROUNDING = decimal.Context(prec=80)
_CENTS = 2
# usd is decimal128(38, 2): 36 integer digits.
_USD_TYPE = pa.decimal128(38, 2)
_USD_LIMIT = 10**36
_TEXT = pa.dictionary(pa.int32(), pa.string())
# Above this many (currency, day) cells the keys are hashed instead of counted.
_DENSE_CELLS = 1 << 22
# Three-letter codes read from their bytes: the letters A to Z.
_FIRST_LETTER, _LAST_LETTER = ord("A"), ord("Z")
_LETTERS = 26
# Currency numbers below this index a table; sparser ones are searched.
_DENSE_CODES = 1 << 16

MISSING_AMOUNT = "the amount is missing"
MISSING_DATE = "the value date is missing"


def _usd_exact(usd_exact: bool, exact: bool | None) -> bool:
    """The ``usd_exact`` flag, from its old name ``exact`` with a warning."""
    if exact is None:
        return usd_exact
    warnings.warn(
        "the columnar flag exact= is deprecated since 0.2: it is usd_exact=, the column it "
        "adds (exact is the name of a policy, fx.exact())",
        DeprecationWarning,
        stacklevel=3,
    )
    return exact or usd_exact


def usd_schema(*, usd_exact: bool = False, exact: bool | None = None) -> pa.Schema:
    """The columns :func:`usd_columns` returns, for a Dask ``meta`` or a Spark schema.

    Args:
        usd_exact: Include ``usd_exact``, whose decimal type depends on the data (its
            type here is ``decimal256(76, 38)``, a placeholder).
        exact: The name of ``usd_exact`` before 0.2 (deprecated: ``exact`` is the
            name of a policy, :func:`p2c_pledges.fx.exact`).

    Returns:
        ``usd`` decimal128(38, 2); ``rate_usd_per_unit`` (the rate as exact decimal
        text), ``source``, ``rule`` and ``error`` dictionary-encoded strings;
        ``rate_date`` date32; ``fallback`` bool.

    .. versionadded:: 0.1.0
    """
    exact = _usd_exact(usd_exact, exact)
    fields = [pa.field("usd", _USD_TYPE)]
    if exact:
        fields.append(pa.field("usd_exact", pa.decimal256(76, 38)))
    fields += [
        pa.field("rate_usd_per_unit", _TEXT),
        pa.field("rate_date", pa.date32()),
        pa.field("source", _TEXT),
        pa.field("rule", _TEXT),
        pa.field("fallback", pa.bool_()),
        pa.field("error", _TEXT),
    ]
    return pa.schema(fields)


def _unscaled(number: Decimal, scale: int) -> int:
    """The integer ``number * 10**scale``, exactly (``number`` has at most ``scale`` decimals)."""
    return int(number.scaleb(scale, context=_PRODUCTS))


class _Lookups:
    """The rates of the (currency, day) pairs of a batch, found a currency at a time."""

    def __init__(self, rates: RateSource, policy: Policy) -> None:
        self.rates = rates
        self.policy = policy

    def find(self, pairs: _PairKeys) -> Found:
        """The answers of the pairs, which come in (currency, day) order."""
        found = Found(len(pairs.days))
        days = pairs.days
        # date32 holds days that datetime.date cannot (year 0, year 10000+).
        calendar = (days >= _FIRST_DAY) & (days <= _LAST_DAY)
        for position in np.flatnonzero(~calendar).tolist():
            day = int(days[position])
            found.fail(
                [position], f"the value date (day {day} of the Unix epoch) is not a calendar date"
            )
        starts = np.flatnonzero(np.diff(pairs.currency, prepend=-1))
        ends = np.r_[starts[1:], len(days)]
        for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
            currency = pairs.names[int(pairs.currency[start])]
            positions = np.arange(start, end)[calendar[start:end]]
            found.merge(find(self.rates, currency, days[positions], self.policy), positions)
        return found


class _PairKeys:
    """The distinct (currency, day) pairs of a batch, as arrays in (currency, day) order."""

    __slots__ = ("currency", "days", "names")

    def __init__(
        self, names: list[Any], currency: NDArray[np.int64], days: NDArray[np.int64]
    ) -> None:
        #: The currencies' names, by number.
        self.names = names
        #: Each pair's currency number.
        self.currency = currency
        #: Each pair's day of the Unix epoch.
        self.days = days


class _Pairs:
    """Which distinct (currency, day) pair each row has, or which distinct rate.

    A row's ``index`` selects an entry of a table of ``pair_of_index``'s length (a
    cell of the (currency, day) grid, or the pair itself), which names its pair: the
    rows gather per-pair values from such a small table rather than through a
    per-row pair number. The same rows gather per-rate values through a second
    such object whose ``pair_of_index`` names each entry's rate, and whose
    ``pairs`` are the rates.
    """

    __slots__ = ("count", "index", "pair_of_index", "pairs", "size")

    def __init__(
        self,
        index: NDArray[Any],
        pair_of_index: NDArray[np.int32],
        pairs: _PairKeys | None,
        count: int,
    ) -> None:
        self.index = index
        self.pair_of_index = pair_of_index
        self.pairs = pairs
        #: How many pairs (or rates) there are.
        self.count = count
        self.size = len(index)

    def table(self, per_pair: NDArray[Any]) -> NDArray[Any]:
        """Per-pair values as a table that ``index`` selects from."""
        table: NDArray[Any] = per_pair[self.pair_of_index]
        return table

    def per_row(self, per_pair: NDArray[Any]) -> NDArray[Any]:
        """Per-pair values, one per row."""
        if not self.count:
            return np.zeros(self.size, dtype=per_pair.dtype)
        # Every index is in range: "clip" only spares the check.
        values: NDArray[Any] = np.take(self.table(per_pair), self.index, mode="clip")
        return values


def _three_letters(currency: pa.Array) -> NDArray[np.int64] | None:
    """Number three-letter codes (``A``-``Z`` only, no nulls) from their bytes, or ``None``.

    ISO 4217 codes are such: this reads them from the string buffers without
    hashing each row, as a dictionary encoding would. The numbers are below
    ``26**3``, so that the codes a batch uses are counted, not sorted.
    """
    size = len(currency)
    if not size or currency.null_count or not pa.types.is_string(currency.type):
        return None
    buffers = currency.buffers()
    offsets = np.frombuffer(buffers[1], np.int32, count=size + 1, offset=4 * currency.offset)
    start = int(offsets[0])
    if int(offsets[-1]) - start != 3 * size or not np.all(np.diff(offsets) == 3):
        return None
    letters = np.frombuffer(buffers[2], np.uint8, count=3 * size, offset=start)
    if letters.min() < _FIRST_LETTER or letters.max() > _LAST_LETTER:
        return None
    # The letters as digits of base 26, the first the highest.
    codes = letters[0::3].astype(np.int64)
    codes *= _LETTERS
    codes += letters[1::3]
    codes *= _LETTERS
    codes += letters[2::3]
    codes -= _FIRST_LETTER * (_LETTERS * _LETTERS + _LETTERS + 1)
    return codes


def _letters_name(code: int) -> str:
    """The three letters numbered ``code`` by :func:`_three_letters`."""
    first, rest = divmod(code, _LETTERS * _LETTERS)
    second, third = divmod(rest, _LETTERS)
    return "".join(chr(_FIRST_LETTER + letter) for letter in (first, second, third))


def _currency_codes(currency: pa.Array) -> tuple[NDArray[Any], dict[int, str | None]]:
    """Each row's currency as a number, and the name of each number rows may have.

    A row with a null currency has some number; its result is masked later.
    """
    if not pa.types.is_dictionary(currency.type):
        letters = _three_letters(currency)
        if letters is not None:
            used = np.flatnonzero(np.bincount(letters)).tolist()
            return letters, {code: _letters_name(code) for code in used}
        currency = pc.dictionary_encode(currency)
    indices = currency.indices
    if indices.null_count:
        indices = indices.fill_null(0)
    return indices.to_numpy(), dict(enumerate(currency.dictionary.to_pylist()))


def _valid_currencies(currency: pa.Array) -> NDArray[np.bool_] | None:
    """A mask of the rows that have a currency, or ``None`` when every row has one.

    A dictionary-encoded row is missing its currency when its index is null, and
    also when the index names a null of the dictionary (Arrow's null count sees
    only the first).
    """
    valid = valid_rows(currency)
    if not pa.types.is_dictionary(currency.type) or not currency.dictionary.null_count:
        return valid
    null_entries = np.asarray(
        currency.dictionary.is_null().to_numpy(zero_copy_only=False), dtype=bool
    )
    # A null index reads entry 0 here; the mask of null indices covers it.
    named: NDArray[np.bool_] = ~null_entries[
        currency.indices.fill_null(0).to_numpy(zero_copy_only=False)
    ]
    return named if valid is None else valid & named


def _keys(
    codes: NDArray[Any],
    names: dict[int, str | None],
    days: NDArray[np.int32],
    valid: NDArray[np.bool_] | None,
) -> _Pairs:
    """Give each row its distinct (currency, day) pair; the pairs are in (currency, day) order.

    Rows that are not ``valid`` get the first valid row's pair; their result is
    masked later.
    """
    size = len(days)
    if valid is not None and valid.any():
        first_valid = int(valid.argmax())
        codes = np.where(valid, codes, codes[first_valid])
        days = np.where(valid, days, days[first_valid])
    if not size or not names or (valid is not None and not valid.any()):
        return _Pairs(np.zeros(size, dtype=np.intp), np.zeros(1, dtype=np.int32), None, 0)
    first = int(days.min())
    span = int(days.max()) - first + 1
    # Currencies in the order of their names, so that the result does not depend on
    # the input's encoding; a name twice in a dictionary is one currency.
    ordered = sorted(set(names.values()), key=lambda name: (name is None, name or ""))
    rank = {name: position for position, name in enumerate(ordered)}
    known = sorted(names)
    start_of_code = [rank[names[code]] * span - first for code in known]
    if known[-1] < max(4 * size, _DENSE_CODES):
        base = np.zeros(known[-1] + 1, dtype=np.int64)
        base[known] = start_of_code
        cell = base[codes]
    else:  # a few codes of a large range (three letters), in a small batch
        cell = np.array(start_of_code, dtype=np.int64)[np.searchsorted(known, codes)]
    cell += days
    cells = len(ordered) * span
    if cells <= max(_DENSE_CELLS, size):
        present = np.flatnonzero(np.bincount(cell, minlength=cells))
        pair_of_index = np.zeros(cells, dtype=np.int32)
        pair_of_index[present] = np.arange(len(present), dtype=np.int32)
        index: NDArray[Any] = cell
    else:
        encoded_cells = pc.dictionary_encode(pa.array(cell))
        found = encoded_cells.dictionary.to_numpy()
        order = np.argsort(found)
        present = found[order]
        pair_of_index = np.empty(len(found), dtype=np.int32)
        pair_of_index[order] = np.arange(len(found), dtype=np.int32)
        index = encoded_cells.indices.to_numpy()
    currency_of_pair, day_of_pair = np.divmod(present, span)
    keys = _PairKeys(ordered, currency_of_pair, day_of_pair + first)
    return _Pairs(index, pair_of_index, keys, len(present))


def _extremes(amount: pa.Array) -> tuple[Decimal, bool]:
    """The largest magnitude of the amounts, and whether every amount is valid and not negative."""
    scale = amount.type.scale
    if pa.types.is_decimal128(amount.type) and len(amount) and not amount.null_count:
        words = int_view(amount, np.int64, 2)
        # No high word set: the amounts fit 64 bits when no low word is negative.
        if not words[1::2].any():
            low = words[::2]
            if int(low.min()) >= 0:
                return Decimal(int(low.max())).scaleb(-scale, context=_PRODUCTS), True
    extremes = pc.min_max(amount)
    low, high = extremes["min"].as_py(), extremes["max"].as_py()
    if low is None:
        return Decimal(0), not amount.null_count
    return max(low.copy_abs(), high.copy_abs()), not amount.null_count and low >= 0


def _batch(
    amount: pa.Array,
    currency: pa.Array,
    value_date: pa.Array,
    lookups: _Lookups,
    *,
    exact: bool,
    names: tuple[str, str, str],
) -> pa.RecordBatch:
    size = len(amount)
    if not len(currency) == len(value_date) == size:
        raise PledgeDataError.single(
            code="value.invalid",
            message=f"the columns differ in length: {names[0]} {size}, "
            f"{names[1]} {len(currency)}, {names[2]} {len(value_date)}",
            value=[size, len(currency), len(value_date)],
        )
    valid_amount, valid_currency, valid_date = (
        valid_rows(amount),
        _valid_currencies(currency),
        valid_rows(value_date),
    )
    valid: NDArray[np.bool_] | None = None
    for mask in (valid_amount, valid_currency, valid_date):
        if mask is not None:
            valid = mask if valid is None else valid & mask
    days = int_view(value_date, np.int32, 1)
    pairs = _keys(*_currency_codes(currency), days, valid)

    # Per distinct pair: its rate (a slot) or its reason; the rows gather the rates'
    # values through their pair's slot.
    found = lookups.find(pairs.pairs) if pairs.pairs is not None else Found(0)
    rates = found.gathered()
    converted_pair = found.slot >= 0
    slot_of_pair = np.maximum(found.slot, 0)
    slot_of_index = (
        slot_of_pair[pairs.pair_of_index]
        if len(slot_of_pair)
        else np.zeros(len(pairs.pair_of_index), dtype=np.int32)
    )
    slots = _Pairs(pairs.index, slot_of_index, None, len(rates))

    if pairs.count and converted_pair.all():
        converted = np.ones(size, dtype=bool) if valid is None else valid.copy()
    else:
        converted = pairs.per_row(converted_pair)
        if valid is not None:
            converted &= valid

    # The reasons: the pair's, or the missing input's (the first missing one wins).
    # Only the failing pairs have a reason: the others stay -1.
    reasons = found.reasons
    reasons_full = [*reasons, MISSING_DATE, MISSING_CURRENCY, MISSING_AMOUNT]
    error_index = pairs.per_row(found.reason)
    for offset, mask in ((0, valid_date), (1, valid_currency), (2, valid_amount)):
        if mask is not None:
            error_index = np.where(mask, error_index, np.int32(len(reasons) + offset))

    # The rate and its provenance are null where the row did not convert: one bitmap.
    null_count = size - int(np.count_nonzero(converted))
    validity = bitmap(converted) if null_count else None
    largest, nonnegative = _extremes(amount)
    usd, usd_exact = _multiply(
        amount,
        largest,
        slots,
        rates,
        (converted, validity, null_count),
        exact=exact,
        nonnegative=nonnegative,
    )

    columns = {"usd": usd}
    if exact:
        columns["usd_exact"] = usd_exact
    columns |= {
        **_provenance(found, rates, pairs, slots, validity, null_count),
        "error": dictionary(
            error_index, bitmap(~converted), int(np.count_nonzero(converted)), reasons_full
        ),
    }
    return pa.RecordBatch.from_pydict(columns)


def _provenance(  # noqa: PLR0917 - the answers, then how the rows gather them
    found: Found,
    rates: Gathered,
    pairs: _Pairs,
    slots: _Pairs,
    validity: pa.Buffer | None,
    null_count: int,
) -> dict[str, pa.Array]:
    """The rate and its provenance, a row per row, null where ``validity`` says so.

    The rate, source and rule are the slot's (``slots``); the rate's date and the
    fallback the pair's (``pairs``): a USD-pegged rate is of the day itself.
    """
    size = pairs.size

    def text(per_slot: tuple[NDArray[np.int32], list[str] | pa.Array]) -> pa.DictionaryArray:
        index, values = per_slot
        return dictionary(slots.per_row(index), validity, null_count, values)

    # Each rate's text, as one of the distinct ones: Arrow's hashing finds them.
    encoded = pa.array(rates.text, type=pa.string()).dictionary_encode()
    rate_texts = (encoded.indices.to_numpy().astype(np.int32, copy=False), encoded.dictionary)

    rate_date = pa.Array.from_buffers(
        pa.date32(),
        size,
        [validity, pa.py_buffer(pairs.per_row(found.rate_date))],
        null_count=null_count,
    )
    fallback = pa.Array.from_buffers(
        pa.bool_(), size, [validity, bitmap(pairs.per_row(found.fallback))], null_count=null_count
    )
    return {
        "rate_usd_per_unit": text(rate_texts),
        "rate_date": rate_date,
        "source": text(rates.sources()),
        "rule": text(rates.rules()),
        "fallback": fallback,
    }


def _multiply(
    amount: pa.Array,
    largest: Decimal,
    pairs: _Pairs,
    rates: Gathered,
    mask: tuple[NDArray[np.bool_], pa.Buffer | None, int],
    *,
    exact: bool,
    nonnegative: bool,
) -> tuple[pa.Array, pa.Array | None]:
    """Amount times rate, exactly, and rounded once to cents half to even.

    ``mask`` is the rows that converted, as flags, as a bitmap, and its null count.
    """
    amount_scale = amount.type.scale
    rate_scale = rates.largest_scale()
    largest_amount = _unscaled(largest, amount_scale)
    converted, validity, null_count = mask
    if not (pa.types.is_decimal128(amount.type) and largest_amount <= _INT64_LIMIT):
        return _arrow_product(amount, largest, pairs, rates, converted)
    units = int_view(amount, np.int64, 2)[::2]
    # Beyond 18 fraction digits the power of ten is no int64: NumPy would raise
    # OverflowError, so such amounts keep their scale.
    if _CENTS < amount_scale <= _INT64_DIGITS and not np.any(
        units % 10 ** (amount_scale - _CENTS)
    ):
        # decimal128(38, 18) amounts that are whole cents: count in cents, so that
        # the product more often fits 64 bits.
        units = units // 10 ** (amount_scale - _CENTS)
        largest_amount //= 10 ** (amount_scale - _CENTS)
        amount_scale = _CENTS
    places = amount_scale + rate_scale - _CENTS
    # Amounts in cents multiply the rates themselves, which the lookups keep split
    # (whole and fraction): no rate is then made an integer of the common scale,
    # unless a row is too close to half a cent to call.
    kept = amount_scale == _CENTS and len(rates) > 0 and bool(rates.fits.all())
    if places > _INT64_DIGITS and kept:
        rate_units: Sequence[int] | NDArray[Any] = rates.scaled(rate_scale)
        largest_whole: int | None = int(rates.whole.max())
    else:
        rate_units, _ = rates.units
        largest_rate = int(max(rate_units, default=0))
        product_limit = largest_amount * largest_rate
        if (
            places <= _INT64_DIGITS
            and product_limit <= _INT64_LIMIT
            and (places >= 0 or product_limit * 10**-places <= _INT64_LIMIT)
        ):
            return _int64_product(
                units, amount, largest, pairs, rates, mask, places=places, exact=exact
            )
        largest_whole = largest_rate // 10**places if places > 0 else None
    if (
        exact
        or largest_whole is None
        or not len(rates)
        or largest_amount * (largest_whole + 1) > _INT64_LIMIT
    ):
        return _arrow_product(amount, largest, pairs, rates, converted)
    words = fixed_point_cents(
        units,
        pairs.index,
        pairs.pair_of_index,
        rate_units,
        places,
        bits=largest_amount.bit_length(),
        nonnegative=nonnegative,
        split=(rates.whole, rates.fraction) if kept else None,
    )
    return decimal128_from_words(words, _USD_TYPE, validity, null_count), None


def _int64_product(  # noqa: PLR0917 - the operands of one product, in order
    units: NDArray[np.int64],
    amount: pa.Array,
    largest: Decimal,
    pairs: _Pairs,
    rates: Gathered,
    mask: tuple[NDArray[np.bool_], pa.Buffer | None, int],
    *,
    places: int,
    exact: bool,
) -> tuple[pa.Array, pa.Array | None]:
    """The fast path: every unscaled product fits a 64-bit integer."""
    converted, validity, null_count = mask
    rate_units, _ = rates.units
    products = units * pairs.per_row(rate_units.astype(np.int64))
    usd = decimal128_from_int64(round_half_even(products, places), _USD_TYPE, validity, null_count)
    usd_exact = None
    if exact:
        scale = places + _CENTS
        if scale <= _DECIMAL128_DIGITS:
            kind = pa.decimal128(max(_INT64_DIGITS + 1, scale), scale)
            usd_exact = decimal128_from_int64(products, kind, validity, null_count)
        else:
            usd_exact = _arrow_product(amount, largest, pairs, rates, converted)[1]
    return usd, usd_exact


def _arrow_product(
    amount: pa.Array,
    largest: Decimal,
    pairs: _Pairs,
    rates: Gathered,
    converted: NDArray[np.bool_],
) -> tuple[pa.Array, pa.Array]:
    """The general path: Arrow decimal multiplication in the narrowest type that holds it."""
    rate_units, rate_scale = rates.units
    amount_scale = amount.type.scale
    amount_digits = max(len(str(_unscaled(largest, amount_scale))), amount_scale, 1)
    rate_digits = max(len(str(max(rate_units, default=0))), rate_scale, 1)
    precision = amount_digits + rate_digits + 1
    if precision > 76:
        raise PledgeDataError.single(
            code="value.out_of_range",
            message=f"an amount of {amount_digits} digits times a rate of {rate_digits} "
            "digits needs more than the 76 digits of decimal256",
            value=[amount_digits, rate_digits],
        )
    wide = precision > 38
    decimal = pa.decimal256 if wide else pa.decimal128
    amounts = amount.cast(decimal(amount_digits, amount_scale))
    rate_type = decimal(rate_digits, rate_scale)
    pair_rates = pa.array([Decimal(f"{u}E-{rate_scale}") for u in rate_units], type=rate_type)
    slots = pairs.per_row(np.arange(len(rate_units), dtype=np.int32))
    rates = pair_rates.take(slots) if len(rate_units) else pa.nulls(len(amount), rate_type)
    products = pc.multiply(amounts, rates)
    if not converted.all():
        products = pc.if_else(pa.array(~converted), pa.scalar(None, products.type), products)
    rounded = _round_cents(products)
    integer_digits = products.type.precision - products.type.scale
    if integer_digits > 36:
        too_large = pc.greater_equal(pc.abs(rounded), pa.scalar(Decimal(_USD_LIMIT), rounded.type))
        if pc.any(too_large).as_py():
            raise PledgeDataError.single(
                code="value.out_of_range",
                message="a USD value has more than 36 integer digits",
                value=None,
            )
    usd = rounded.cast(_USD_TYPE)
    return usd, products


def _round_cents(products: pa.Array) -> pa.Array:
    """Round decimals to cents, half to even, exactly.

    Arrow's own rounding is not trusted alone: pyarrow 26 rounds some values wrong
    (``1374389534.7175`` at scale 22 gives ``...534.71``; found by a review).
    Its answer is kept where an exact test holds, the distance from the value to
    it (Arrow's decimal subtraction, exact integers) being under half a cent; the
    other rows (ties, and any it got wrong) are rounded by Python's Decimal. A
    type of 76 digits leaves no room for the subtraction: all its rows go to Decimal.
    """
    kind = products.type
    if kind.scale <= _CENTS:
        return products
    rounded = pc.round(products, ndigits=_CENTS, round_mode="half_to_even")
    if kind.precision < _DECIMAL256_DIGITS:
        wide = pa.decimal256(kind.precision, kind.scale)
        distance = pc.abs(pc.subtract(products.cast(wide), rounded.cast(wide)))
        half = pa.scalar(Decimal("0.005"), distance.type)
        close = pc.fill_null(pc.less(distance, half), fill_value=True)
        wrong = np.flatnonzero(~close.to_numpy(zero_copy_only=False))
    else:
        wrong = np.flatnonzero(products.is_valid().to_numpy(zero_copy_only=False))
    if not len(wrong):
        return rounded
    exact = [
        value.quantize(_CENT, rounding=ROUND_HALF_EVEN, context=_ROUNDING)
        for value in products.take(pa.array(wrong)).to_pylist()
    ]
    mask = np.zeros(len(products), dtype=bool)
    mask[wrong] = True
    return pc.replace_with_mask(rounded, pa.array(mask), pa.array(exact, kind))


def usd_columns(
    amount: pa.Array | pa.ChunkedArray,
    currency: pa.Array | pa.ChunkedArray,
    value_date: pa.Array | pa.ChunkedArray,
    rates: RateSource,
    policy: Policy = DEFAULT_POLICY,
    *,
    usd_exact: bool = False,
    exact: bool | None = None,
) -> pa.Table:
    """Convert columns of amounts to US dollars, row by row as :func:`~p2c_pledges.to_usd` would.

    Args:
        amount: Decimals (``decimal128`` / ``decimal256``), integers, or decimal
            strings. Float columns are refused.
        currency: ISO 4217 codes, strings or dictionary-encoded strings.
        value_date: The value dates, ``date32`` (or ``date64``).
        rates: Where the rates come from.
        policy: Which rate converts a row (default: on or before, at most 7 days).
        usd_exact: Also return ``usd_exact``, the unrounded product (its decimal type
            is the narrowest that holds the data's products).

    Returns:
        A table of the columns of :func:`usd_schema`, one row per input row, in
        order: ``usd`` (rounded once to cents, half to even), the rate and its
        provenance, and ``error``, the reason where a row could not convert (the
        text :func:`~p2c_pledges.fx.usd_amounts` gives; null where it converted).

    Raises:
        PledgeDataError: ``value.float_money`` for a float amount column,
            ``value.type`` for a column of another type, ``value.invalid`` for
            amount strings that are not decimals (each located by row) or columns
            of different lengths, ``value.out_of_range`` for products that no
            Arrow decimal holds.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2
       ``exact`` is now ``usd_exact``, the column it adds (``exact=`` still works,
       with a ``DeprecationWarning``: ``exact`` is the name of a policy).
    """
    exact = _usd_exact(usd_exact, exact)
    lookups = _Lookups(rates, policy)
    batch = _batch(
        amount_array(amount, "amount"),
        currency_array(currency, "currency"),
        date_array(value_date, "value_date"),
        lookups,
        exact=exact,
        names=("amount", "currency", "value_date"),
    )
    return pa.Table.from_batches([batch])


def usd_batches(
    batches: Iterable[pa.RecordBatch],
    rates: RateSource,
    policy: Policy = DEFAULT_POLICY,
    *,
    amount: str = "amount",
    currency: str = "currency",
    value_date: str = "value_date",
    usd_exact: bool = False,
    exact: bool | None = None,
) -> Iterator[pa.RecordBatch]:
    """Convert record batches one at a time, so memory stays bounded (Parquet ``iter_batches``).

    Each distinct (currency, value date) is looked up once for all the batches.

    Args:
        batches: Record batches with the three columns.
        rates: Where the rates come from.
        policy: Which rate converts a row.
        amount: The name of the amount column.
        currency: The name of the currency column.
        value_date: The name of the value date column.
        usd_exact: Also return ``usd_exact`` (its type may differ from batch to batch).

    Returns:
        One result batch (the columns of :func:`usd_schema`) per input batch.

    Raises:
        PledgeDataError: As :func:`usd_columns`; ``column.missing`` for a batch
            without one of the columns.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2
       ``exact`` is now ``usd_exact``, the column it adds (``exact=`` still works,
       with a ``DeprecationWarning``: ``exact`` is the name of a policy).
    """
    exact = _usd_exact(usd_exact, exact)
    lookups = _Lookups(rates, policy)
    names = (amount, currency, value_date)
    for batch in batches:
        missing = [name for name in names if name not in batch.schema.names]
        if missing:
            raise PledgeDataError(
                [
                    Issue(
                        code="column.missing",
                        message=f"the batch has no column {name!r}",
                        value=name,
                        column=name,
                    )
                    for name in missing
                ]
            )
        yield _batch(
            amount_array(batch.column(amount), amount),
            currency_array(batch.column(currency), currency),
            date_array(batch.column(value_date), value_date),
            lookups,
            exact=exact,
            names=names,
        )


def usd_frame(
    frame: Any,
    rates: RateSource,
    policy: Policy = DEFAULT_POLICY,
    *,
    amount: str = "amount",
    currency: str = "currency",
    value_date: str = "value_date",
    usd_exact: bool = False,
    exact: bool | None = None,
) -> Any:
    """Convert the columns of a pandas or Polars DataFrame; the result is a frame of the same kind.

    A pandas result has the input's index and Arrow-backed dtypes
    (``pd.ArrowDtype``), so it fits ``dask.dataframe.map_partitions``.

    Args:
        frame: A pandas or Polars DataFrame (Arrow-backed columns are converted
            without a copy).
        rates: Where the rates come from.
        policy: Which rate converts a row.
        amount: The name of the amount column.
        currency: The name of the currency column.
        value_date: The name of the value date column.
        usd_exact: Also return ``usd_exact``.

    Returns:
        The columns of :func:`usd_schema`, one row per row of ``frame``.

    Raises:
        PledgeDataError: As :func:`usd_columns`; ``column.missing`` for a
            missing column, ``value.type`` for something that is not a frame.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.2
       ``exact`` is now ``usd_exact``, the column it adds (``exact=`` still works,
       with a ``DeprecationWarning``: ``exact`` is the name of a policy).
    """
    exact = _usd_exact(usd_exact, exact)
    names = [amount, currency, value_date]
    columns = list(getattr(frame, "columns", ()))
    if not columns:
        raise column_error(
            "value.type", "frame", f"not a pandas or Polars DataFrame: {type(frame).__name__}"
        )
    missing = [name for name in names if name not in columns]
    if missing:
        raise PledgeDataError(
            [
                Issue(
                    code="column.missing",
                    message=f"the frame has no column {name!r}",
                    value=name,
                    column=name,
                )
                for name in missing
            ]
        )
    module = type(frame).__module__.split(".")[0]
    if module == "polars":
        table = frame.select(names).to_arrow()
    else:
        # Column by column, so that a column Arrow cannot read is named in the issue.
        table = pa.table({name: to_arrow(frame[name], name) for name in names})
    result = usd_columns(
        table.column(amount),
        table.column(currency),
        table.column(value_date),
        rates,
        policy,
        usd_exact=exact,
    )
    if module == "polars":
        pl = importlib.import_module("polars")  # only for a Polars frame, which has imported it
        return pl.from_arrow(result)
    pd = importlib.import_module("pandas")  # only for a pandas frame, which has imported it

    converted = result.to_pandas(types_mapper=pd.ArrowDtype)
    converted.index = frame.index
    return converted
