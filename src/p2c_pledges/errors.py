"""Problems found in pledge data, each with a stable code and a location.

Every reader and validator of the library reports problems as :class:`Issue`
objects and raises them together in one :class:`PledgeDataError`, so a user
sees every problem of a file at once instead of fixing them one run at a time.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from attrs import define, field


__all__ = ["Issue", "PledgeDataError", "Severity"]


class Severity(enum.Enum):
    """How bad an issue is: an ``error`` makes the data invalid, a ``warning`` does not."""

    ERROR = "error"
    WARNING = "warning"


@define(frozen=True, kw_only=True)
class Issue:
    """One problem, located.

    Attributes:
        code: A stable, dotted identifier such as ``currency.unknown``; programs
            match on it, people read ``message``.
        message: A human sentence that names the problem and the value.
        value: The offending value as it was given (``None`` when there is none).
        path: The JSON path of the value (``$.pledges[3].amount.currency``), or
            ``$`` for the document as a whole.
        severity: ``Severity.ERROR`` unless the data stays usable.
        file: The file the value came from, when it came from a file.
        row: The 1-based line of the file (CSV data rows count from 2, after
            the header; JSON Lines count from 1).
        column: The CSV column heading, when there is one.
        cell: The spreadsheet cell, as ``Pledges!I7``, when the value came from
            a sheet (``p2c_pledges.sheets``).

    .. versionchanged:: 0.2
       ``cell``.
    """

    code: str
    message: str
    value: Any = None
    path: str = "$"
    severity: Severity = Severity.ERROR
    file: str | None = None
    row: int | None = None
    column: str | None = None
    cell: str | None = None

    def location(self) -> str:
        """Say where the issue is, as ``file:row [column] path`` (``file Sheet!I7 [column] path`` for a sheet)."""
        parts = []
        if self.file is not None and self.cell is not None:
            parts.append(f"{self.file} {self.cell}")
        elif self.file is not None:
            parts.append(self.file if self.row is None else f"{self.file}:{self.row}")
        elif self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"[{self.column}]")
        parts.append(self.path)
        return " ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.code}: {self.message}"


def _field_issues(value: Iterable[Issue]) -> tuple[Issue, ...]:
    return tuple(value)


@define(frozen=True, kw_only=False, eq=False)
class PledgeDataError(ValueError):
    """Invalid pledge data: carries every :class:`Issue` found, not only the first.

    It is a :class:`ValueError`, so code that catches bad values in general
    catches it too.
    """

    issues: tuple[Issue, ...] = field(converter=_field_issues)

    def __attrs_post_init__(self) -> None:
        if not self.issues:
            raise ValueError("a PledgeDataError needs at least one issue")
        given: tuple[object, ...] = self.issues  # a caller may pass anything
        strays = [item for item in given if not isinstance(item, Issue)]
        if strays:
            raise TypeError(f"a PledgeDataError holds Issue objects, not {strays[0]!r}")

    @property
    def codes(self) -> list[str]:
        """The codes of the issues, in the order they were found."""
        return [issue.code for issue in self.issues]

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{count} issue" + ("" if count == 1 else "s")
        return head + ":\n" + "\n".join(f"  {issue}" for issue in self.issues)
