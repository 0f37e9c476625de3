"""The one written form of numbers and dates in files, for every reader.

Pledge files (:mod:`p2c_pledges.io`) and rate files (:mod:`p2c_pledges.fx`) read
numbers and dates by these expressions, and the columnar path by the same pattern:
one rule, declared once, below both layers that use it.
"""

from __future__ import annotations

import re


__all__ = ["DATE_SYNTAX", "DECIMAL_SYNTAX", "INTEGER_SYNTAX"]

#: A decimal is written as a JSON number inside a string: ``"1500000.00"``, ``"-0.5"``,
#: ``"1E+3"``. No sign ``+``, no leading zeros, no spaces, no ``_``, no NaN or infinity,
#: ASCII digits only.
DECIMAL_SYNTAX = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
#: An integer as JSON writes it (in a CSV list cell of SDGs): no sign ``+``, no
#: leading zeros (``09`` is refused, as the Table Schema refuses it), no spaces.
INTEGER_SYNTAX = re.compile(r"-?(?:0|[1-9][0-9]*)")
#: A date is ISO 8601's extended calendar form and nothing else: ``2022-06-07``.
DATE_SYNTAX = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
