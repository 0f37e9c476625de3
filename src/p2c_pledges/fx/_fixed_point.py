"""Exact rounding of amount times rate to cents in 64-bit integers, for the columnar path.

The columnar path multiplies unscaled integers: an amount's units (``amount *
10**scale``) times a rate's units, divided by a power of ten and rounded half to
even to cents. When every product fits 64 bits, :func:`round_half_even` divides
them. When a rate has many digits (the 28-digit cross rates of the ECB), the
products do not fit: :func:`fixed_point_cents` splits each rate into an integer
part and a binary fraction, multiplies in 32-bit halves so that no step
overflows, and leaves to Python's exact integers only the rows whose fraction is
too close to one half to call.

Each row is looked up through two indexes, as the columnar path keeps them: a
row's ``index`` selects a slot, and ``slot_pair[slot]`` names the rate (the
position in ``rate_units``) of that slot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np


if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = ["BLOCK", "SHORT_BITS", "fixed_point_block", "fixed_point_cents", "round_half_even"]

#: Rows per block of the fixed-point arithmetic: its arrays stay in the CPU cache.
BLOCK = 1 << 16
#: Amounts of at most this many bits need only 64 bits of a rate's fraction.
SHORT_BITS = 40


def round_half_even(values: NDArray[np.int64], places: int) -> NDArray[np.int64]:
    """Divide integers by ``10**places``, rounding half to even."""
    if places <= 0:
        scaled: NDArray[np.int64] = values * 10**-places
        return scaled
    divisor = 10**places
    quotient, remainder = np.divmod(values, divisor)  # floor division: remainder >= 0
    twice = remainder * 2
    up = (twice > divisor) | ((twice == divisor) & (quotient % 2 == 1))
    rounded: NDArray[np.int64] = quotient + up
    return rounded


def fixed_point_cents(
    units: NDArray[np.int64],
    index: NDArray[Any],
    slot_pair: NDArray[np.int32],
    rate_units: list[int],
    places: int,
    *,
    bits: int,
    nonnegative: bool,
) -> NDArray[np.int64]:
    """Round ``units * rate / 10**places`` half to even, exactly, in 64-bit integers.

    For rates of many digits (28-digit cross rates), whose products need more than
    64 bits. Per pair, ``rate / 10**places`` is an integer part and a fraction; the
    fraction is written with 96 binary digits, so that each row's product is its
    integer part, exact, and the top 64 bits of its fraction, short of the true
    fraction by less than 2**-33. A row is rounded here unless that fraction is
    within 2**-32 of one half (ties, and one row in four billion otherwise): those
    rows are rounded from the exact Python integers.

    When no amount has more than ``SHORT_BITS`` bits, 64 binary digits of the
    fraction are enough: the product's fraction is then short by less than
    ``2**(bits - 64)``, and the rows within that of one half are the ones left to
    Python integers.

    Returns:
        The cents as decimal128 words: a row per row, the low and the high 64 bits.
    """
    divisor = 10**places
    precise = bits > SHORT_BITS
    # Per pair: the integer part, and the fraction as 96 bits in three 32-bit parts.
    fractions = [((r % divisor) << 96) // divisor for r in rate_units]
    parts = [
        np.array([(f >> shift) & 0xFFFFFFFF for f in fractions], dtype=np.uint64)[slot_pair]
        for shift in ((64, 32, 0) if precise else (64, 32))
    ]
    whole_pair = np.array([r // divisor for r in rate_units], dtype=np.uint64)
    whole = whole_pair[slot_pair] if whole_pair.any() else None
    # How far from one half (in units of 2**-64) a fraction is too close to call.
    window = 1 << (32 if precise else bits)
    words = np.empty((len(units), 2), dtype=np.int64)
    close: list[NDArray[np.intp]] = []
    # In blocks that stay in the CPU cache: each step is a pass over the block.
    for start in range(0, len(units), BLOCK):
        block = slice(start, start + BLOCK)
        rounded, near = fixed_point_block(
            units[block],
            index[block],
            parts,
            whole,
            window=window,
            nonnegative=nonnegative,
        )
        words[block, 0] = rounded
        if nonnegative:
            words[block, 1] = 0
        else:
            np.right_shift(rounded, 63, out=words[block, 1])
        if near.any():
            close.append(np.flatnonzero(near) + start)
    for row in np.concatenate(close).tolist() if close else ():
        exact, rest = divmod(
            abs(int(units[row])) * rate_units[int(slot_pair[index[row]])],
            divisor,
        )
        exact += 2 * rest > divisor or (2 * rest == divisor and exact % 2 == 1)
        cents = exact if units[row] >= 0 else -exact
        words[row, 0] = cents
        words[row, 1] = -1 if cents < 0 else 0
    return words


def fixed_point_block(
    units: NDArray[np.int64],
    index: NDArray[Any],
    parts: list[NDArray[np.uint64]],
    whole: NDArray[np.uint64] | None,
    *,
    window: int,
    nonnegative: bool,
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """The rounded cents of one block, and the rows whose rounding is too close to call."""
    low32 = np.uint64(0xFFFFFFFF)
    shift = np.uint64(32)
    if nonnegative:
        magnitude = units.view(np.uint64)
    else:
        negative = units < 0
        magnitude = np.abs(units).view(np.uint64)
    x_low, x_high = magnitude & low32, magnitude >> shift
    # magnitude * (the top 64 bits of the fraction) as 128 bits (hi, lo), from
    # 32-bit halves; buffers are reused, each temporary costs a pass over memory.
    f_hl, f_hh = parts[1][index], parts[0][index]
    ll, lh = x_low * f_hl, x_low * f_hh
    np.multiply(x_high, f_hl, out=f_hl)
    np.multiply(x_high, f_hh, out=f_hh)
    hl, hi = f_hl, f_hh
    middle = ll >> shift
    spare = lh & low32
    middle += spare
    np.bitwise_and(hl, low32, out=spare)
    middle += spare
    fraction = ll
    np.bitwise_and(fraction, low32, out=fraction)
    np.left_shift(middle, shift, out=spare)
    fraction |= spare
    np.right_shift(lh, shift, out=lh)
    hi += lh
    np.right_shift(hl, shift, out=hl)
    hi += hl
    np.right_shift(middle, shift, out=middle)
    hi += middle
    if len(parts) > 2:
        # magnitude * (the next 32 bits) / 2**32, added to the fraction's top 64 bits.
        f_low = parts[2][index]
        np.multiply(x_low, f_low, out=lh)
        np.multiply(x_high, f_low, out=f_low)
        partial = np.add(fraction, f_low, out=middle)
        hi += partial < fraction
        np.right_shift(lh, shift, out=lh)
        fraction = np.add(partial, lh, out=lh)
        hi += fraction < partial
    if whole is not None:
        hi += magnitude * whole[index]
    half = np.uint64(1 << 63)
    np.subtract(fraction, half - np.uint64(window), out=spare)
    near = spare <= np.uint64(2 * window)
    hi += fraction > half
    rounded = hi.view(np.int64)
    if not nonnegative:
        np.negative(rounded, out=rounded, where=negative)
    return rounded, near
