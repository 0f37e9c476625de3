"""Arrow plumbing for the columnar path: the input columns checked and read, the output built.

Input columns arrive as Arrow arrays or chunked arrays, NumPy arrays, pandas or
Polars series, or Python lists; each is made one Arrow array of the type the
conversion reads (decimals, three-letter codes, dates), or refused with an issue
naming the column. Output arrays are built from NumPy buffers without copies.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

import numpy as np

# pyarrow ships no type information; an override in pyproject would make these unused.
import pyarrow as pa  # type: ignore[import-untyped, unused-ignore]
import pyarrow.compute as pc  # type: ignore[import-untyped, unused-ignore]

from .. import _syntax
from ..errors import Issue, PledgeDataError
from ._convert import _PRODUCTS


if TYPE_CHECKING:
    from numpy.typing import NDArray


__all__ = [
    "DECIMAL_SYNTAX",
    "amount_array",
    "as_array",
    "bitmap",
    "column_error",
    "currency_array",
    "date_array",
    "decimal128_from_int64",
    "decimal128_from_words",
    "dictionary",
    "int_view",
    "is_view",
    "parse_amounts",
    "single",
    "to_arrow",
    "valid_rows",
]

#: The readers' decimal syntax, anchored for Arrow's regular expressions.
DECIMAL_SYNTAX = f"^{_syntax.DECIMAL_SYNTAX.pattern}$"


def column_error(code: str, name: str, message: str, value: object = None) -> PledgeDataError:
    return PledgeDataError.single(
        code=code, message=message, value=value, path=f"$.{name}", column=name
    )


def single(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks()
    return column


def as_array(column: object, name: str) -> pa.Array:
    """One Arrow array of a column given as Arrow, NumPy, pandas, Polars or a list."""
    if not isinstance(column, (pa.Array, pa.ChunkedArray)):
        column = to_arrow(column, name)
    return single(column)


def amount_array(column: object, name: str) -> pa.Array:
    """The amounts as a decimal array, or a located error."""
    array = as_array(column, name)
    kind = array.type
    if pa.types.is_decimal(kind):
        return array
    if pa.types.is_floating(kind):
        raise column_error(
            "value.float_money",
            name,
            f"the {name} column is {kind}: floats never become money; "
            "give decimal128 or decimal strings",
            str(kind),
        )
    if pa.types.is_integer(kind):
        return array.cast(pa.decimal128(20, 0))
    if pa.types.is_null(kind):
        return pa.nulls(len(array), pa.decimal128(1, 0))
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or is_view(kind):
        return parse_amounts(array.cast(pa.string()), name)
    raise column_error(
        "value.type",
        name,
        f"the {name} column is {kind}, not decimals or decimal strings",
        str(kind),
    )


def is_view(kind: pa.DataType) -> bool:
    return bool(getattr(pa.types, "is_string_view", lambda _: False)(kind))


def parse_amounts(text: pa.Array, name: str) -> pa.Array:
    # Amounts as text are read as the JSON reader reads them (a JSON number:
    # no "+1", "1_000", " 1.5" or Arabic digits, which Arrow or Decimal accept).
    syntax = pc.match_substring_regex(text, DECIMAL_SYNTAX)
    if pc.all(syntax).as_py() is not False:
        try:
            return text.cast(pa.decimal128(38, 18))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    # The slow path, only for bad data: say which rows are not decimals.
    issues = []
    for index, cell in enumerate(text.to_pylist()):
        if cell is None:
            continue
        try:
            number = Decimal(cell)
            fits = number.is_finite() and number == number.quantize(
                Decimal("1E-18"), context=_PRODUCTS
            )
            fits = fits and abs(number) < Decimal(10) ** 20
            fits = fits and re.fullmatch(DECIMAL_SYNTAX, cell) is not None
        except (InvalidOperation, ArithmeticError):
            fits = False
        if not fits:
            issues.append(
                Issue(
                    code="value.invalid",
                    message=f"{name} {index} is {cell!r}, not a decimal of at most 20 integer "
                    "and 18 fraction digits",
                    value=cell,
                    path=f"$.{name}[{index}]",
                    column=name,
                )
            )
    if not issues:  # pragma: no cover - every refusal of Arrow's is one of the above
        raise AssertionError(f"Arrow refused the {name} column, yet every cell is a decimal")
    raise PledgeDataError(issues)


def currency_array(column: object, name: str) -> pa.Array:
    array = as_array(column, name)
    kind = array.type
    if pa.types.is_dictionary(kind):
        value_type = kind.value_type
        if pa.types.is_string(value_type):
            return array
        if pa.types.is_large_string(value_type) or is_view(value_type):
            return array.cast(pa.dictionary(kind.index_type, pa.string()))
    elif pa.types.is_string(kind):
        return array
    elif pa.types.is_large_string(kind) or is_view(kind):
        return array.cast(pa.string())
    elif pa.types.is_null(kind):
        return pa.nulls(len(array), pa.string())
    raise column_error(
        "value.type",
        name,
        f"the {name} column is {kind}, not ISO 4217 codes as strings",
        str(kind),
    )


def date_array(column: object, name: str) -> pa.Array:
    array = as_array(column, name)
    kind = array.type
    if pa.types.is_date32(kind):
        return array
    if pa.types.is_date64(kind):
        return array.cast(pa.date32())
    if pa.types.is_null(kind):
        return pa.nulls(len(array), pa.date32())
    raise column_error(
        "value.type", name, f"the {name} column is {kind}, not dates (date32)", str(kind)
    )


def to_arrow(column: object, name: str) -> pa.Array:
    try:
        return pa.array(column, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError) as error:
        raise column_error(
            "value.type", name, f"the {name} column is not an Arrow array ({error})"
        ) from None


def int_view(array: pa.Array, dtype: type[np.integer[Any]], width: int) -> NDArray[Any]:
    """The values buffer of a fixed-width array as NumPy integers, zero-copy."""
    buffer = array.buffers()[1]
    values = np.frombuffer(buffer, dtype=dtype, count=(array.offset + len(array)) * width)
    return values[array.offset * width :]


def valid_rows(array: pa.Array) -> NDArray[np.bool_] | None:
    """A NumPy mask of the non-null rows, or ``None`` when every row is valid."""
    if array.null_count == 0:
        return None
    return np.asarray(array.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def bitmap(flags: NDArray[np.bool_]) -> pa.Buffer:
    """An Arrow bitmap (least significant bit first) of the flags."""
    return pa.py_buffer(np.packbits(flags, bitorder="little"))


def dictionary(
    indices: NDArray[np.int32],
    validity: pa.Buffer | None,
    null_count: int,
    values: list[str] | pa.Array,
) -> pa.DictionaryArray:
    index_array = pa.Array.from_buffers(
        pa.int32(), len(indices), [validity, pa.py_buffer(indices)], null_count=null_count
    )
    # Every valid index is in range, by construction: no pass to check them.
    if not isinstance(values, pa.Array):
        values = pa.array(values, type=pa.string())
    return pa.DictionaryArray.from_arrays(index_array, values, safe=False)


def decimal128_from_words(
    words: NDArray[np.int64], kind: pa.DataType, validity: pa.Buffer | None, null_count: int
) -> pa.Array:
    """A decimal128 array of 16-byte little-endian integers, given as (low, high) int64 words."""
    return pa.Array.from_buffers(
        kind, len(words), [validity, pa.py_buffer(words)], null_count=null_count
    )


def decimal128_from_int64(
    values: NDArray[np.int64], kind: pa.DataType, validity: pa.Buffer | None, null_count: int
) -> pa.Array:
    words = np.empty((len(values), 2), dtype=np.int64)
    words[:, 0] = values
    np.right_shift(values, 63, out=words[:, 1])
    return decimal128_from_words(words, kind, validity, null_count)
