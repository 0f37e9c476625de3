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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np


if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = [
    "BLOCK",
    "SHORT_BITS",
    "fixed_point_block",
    "fixed_point_cents",
    "round_half_even",
    "short_block",
    "split_rate",
]

#: Rows per block of the fixed-point arithmetic: its arrays stay in the CPU cache.
BLOCK = 1 << 16
#: Amounts of at most this many bits need only 64 bits of a rate's fraction.
SHORT_BITS = 40
# One half, in units of 2**-64.
_HALF = np.uint64(1 << 63)


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


def split_rate(units: int, divisor: int) -> tuple[int, tuple[int, int, int]]:
    """The rate ``units / divisor`` as its integer part and 96 bits of its fraction.

    The fraction's bits come as three 32-bit words, the highest first.
    """
    whole, rest = divmod(units, divisor)
    fraction = (rest << 96) // divisor
    return whole, (fraction >> 64, (fraction >> 32) & 0xFFFFFFFF, fraction & 0xFFFFFFFF)


def fixed_point_cents(
    units: NDArray[np.int64],
    index: NDArray[Any],
    slot_pair: NDArray[np.int32],
    rate_units: Sequence[int] | NDArray[Any],
    places: int,
    *,
    bits: int,
    nonnegative: bool,
    split: tuple[NDArray[np.uint64], NDArray[np.uint64]] | None = None,
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

    ``split`` is the rates split so (:func:`split_rate`) when the caller keeps
    them: the integer parts, and the fractions' words as a row per rate.

    Returns:
        The cents as decimal128 words: a row per row, the low and the high 64 bits.
    """
    divisor = 10**places
    precise = bits > SHORT_BITS
    if split is None:
        # Per rate: the integer part, and the fraction as 96 bits in three 32-bit parts.
        pieces = [split_rate(rate, divisor) for rate in rate_units]
        split = (
            np.array([whole for whole, _ in pieces], dtype=np.uint64),
            np.array([words for _, words in pieces], dtype=np.uint64).reshape(-1, 3),
        )
    whole_rate, fraction = split
    parts = [fraction[:, word][slot_pair] for word in ((0, 1, 2) if precise else (0, 1))]
    if not precise:
        # The fraction's top 64 bits as one word, and as a float (see short_block).
        top = parts[0] << np.uint64(32)
        top |= parts[1]
        parts = [top, top.astype(np.float64)]
    whole = whole_rate[slot_pair] if whole_rate.any() else None
    # How far from one half (in units of 2**-64) a fraction is too close to call.
    window = 1 << (32 if precise else bits)
    words = np.empty((len(units), 2), dtype=np.int64)
    close: list[NDArray[np.intp]] = []
    # In blocks that stay in the CPU cache: each step is a pass over the block.
    for start in range(0, len(units), BLOCK):
        block = slice(start, start + BLOCK)
        rounded, near = (fixed_point_block if precise else short_block)(
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
    near = _near_half(fraction, window, spare)
    hi += fraction > _HALF
    rounded = hi.view(np.int64)
    if not nonnegative:
        np.negative(rounded, out=rounded, where=negative)
    return rounded, near


def short_block(
    units: NDArray[np.int64],
    index: NDArray[Any],
    parts: list[NDArray[Any]],
    whole: NDArray[np.uint64] | None,
    *,
    window: int,
    nonnegative: bool,
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """:func:`fixed_point_block` for amounts of at most ``SHORT_BITS`` bits, in fewer passes.

    ``parts`` are the fraction's top 64 bits ``F``, and ``F`` as a float. The low
    64 bits of ``magnitude * F`` are the product's fraction ``low``, exactly
    (unsigned multiplication wraps around). The rounded product is then
    ``(magnitude * F - low) / 2**64``, plus one where ``low`` is at least one half,
    computed at once in floats with ``low`` read as a signed integer (``low -
    2**64`` from one half up): ``magnitude * F`` is below ``2**104`` and exact to
    about ``2**52`` in a float, so the quotient lands within ``2**-11`` of the
    integer it is, and rounding to the nearest integer gives it exactly. A
    fraction of exactly one half is within ``window`` of it, so left to Python.
    """
    top, top_float = parts
    signed = units if nonnegative else np.abs(units)
    fraction = top[index]
    np.multiply(signed.view(np.uint64), fraction, out=fraction)
    estimate = top_float[index]
    estimate *= signed
    estimate -= fraction.view(np.int64)
    estimate *= 2.0**-64
    rounded = np.rint(estimate).astype(np.int64)
    if whole is not None:
        rounded += signed * whole[index].view(np.int64)
    near = _near_half(fraction, window, np.empty_like(fraction))
    if not nonnegative:
        np.negative(rounded, out=rounded, where=units < 0)
    return rounded, near


def _near_half(
    fraction: NDArray[np.uint64], window: int, spare: NDArray[np.uint64]
) -> NDArray[np.bool_]:
    """Whether each fraction (units of ``2**-64``) is within ``window`` of one half: too close to call.

    ``spare`` is a buffer of the fractions' size that it may overwrite.
    """
    np.subtract(fraction, _HALF - np.uint64(window), out=spare)
    near: NDArray[np.bool_] = spare <= np.uint64(2 * window)
    return near
