"""Problems found in pledge data, each with a stable code and a location.

Every reader and validator of the library reports problems as :class:`Issue`
objects and raises them together in one :class:`PledgeDataError`, so a user
sees every problem of a file at once instead of fixing them one run at a time.
"""

from __future__ import annotations

import enum
import json
import math
import re
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

import attrs
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

    @property
    def pointer(self) -> str:
        """Where the value is, as a JSON Pointer (RFC 6901); ``$.a[0]["b.c"]`` is ``/a/0/b.c``.

        ``$`` (the whole document) is the empty pointer ``""``.

        .. versionadded:: 0.2
        """
        tokens: list[str] = []
        position = 1  # after the "$"
        while position < len(self.path):
            step = _STEP.match(self.path, position)
            if step is None:  # not a path the library writes: the rest is one token
                tokens.append(self.path[position:])
                break
            name, index, quoted = step.groups()
            tokens.append(name or index or json.loads(quoted))
            position = step.end()
        return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)

    def to_dict(self) -> dict[str, Any]:
        """Return the issue as JSON-ready data: every value is one that JSON can hold.

        The keys are the attributes, the severity's wire value and ``pointer``.
        A value that JSON cannot hold becomes its text: ``inf`` and ``NaN``,
        bytes (``"b'\\xff'"``), a Decimal or a date, a string with a lone
        surrogate (escaped ``\\udc80``).

        .. versionadded:: 0.2
        """
        # Every attribute, from the class's own field list: a new one cannot be left out.
        data = {field.name: _json_safe(getattr(self, field.name)) for field in attrs.fields(Issue)}
        data["pointer"] = _json_safe(self.pointer)
        return data


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def child_path(path: str, key: str | int) -> str:
    """Return the JSON path of ``key`` inside the value at ``path``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if _NAME.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


# One step of a JSON path as io writes it: .name, [0] or ["any key"].
_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]|\[("(?:[^"\\]|\\.)*")\]')


def _json_safe(value: object) -> Any:  # noqa: PLR0911 - one return per kind of value
    """Return ``value`` with what JSON cannot hold (or UTF-8 cannot encode) turned into text."""
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        # A lone surrogate (from a JSON "\udc80") breaks a UTF-8 response: write it escaped.
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, enum.Enum):
        return _json_safe(value.value)
    if isinstance(value, Mapping):
        return {str(_json_safe(key)): _json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        return [_json_safe(item) for item in items]
    if isinstance(value, (bytes, bytearray)):
        return repr(bytes(value))
    return _json_safe(str(value))


def _field_issues(value: Iterable[Issue]) -> tuple[Issue, ...]:
    return tuple(value)


_UNPROCESSABLE = 422


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

    def __reduce__(self) -> tuple[type[PledgeDataError], tuple[tuple[Issue, ...]]]:
        # Rebuilt from its issues: the default state of an exception would be set
        # attribute by attribute, which a frozen class refuses (pickle, deepcopy).
        return (type(self), (self.issues,))

    @property
    def codes(self) -> list[str]:
        """The codes of the issues, in the order they were found."""
        return [issue.code for issue in self.issues]

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"issues": [...]}``, each issue as :meth:`Issue.to_dict` gives it.

        .. versionadded:: 0.2
        """
        return {"issues": [issue.to_dict() for issue in self.issues]}

    def problem(
        self,
        *,
        status: int = 422,
        type: str = "about:blank",  # noqa: A002 - the member's name in RFC 9457
        title: str | None = None,
        instance: str | None = None,
    ) -> dict[str, Any]:
        """Return an RFC 9457 problem document (``application/problem+json``) for the error.

        With the default ``type`` (``about:blank``) the title is the HTTP
        status phrase, as the RFC asks; pass your own problem type URI and
        title to say more. The issues are in the extension member ``issues``.

        .. versionadded:: 0.2
        """
        # RFC 9110's name for 422; Python before 3.13 still says "Unprocessable Entity".
        phrase = "Unprocessable Content" if status == _UNPROCESSABLE else HTTPStatus(status).phrase
        document: dict[str, Any] = {
            "type": type,
            "title": title or phrase,
            "status": status,
            "detail": _json_safe(str(self)),
        }
        if instance is not None:
            document["instance"] = instance
        document["issues"] = self.to_dict()["issues"]
        return document

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{count} issue" + ("" if count == 1 else "s")
        return head + ":\n" + "\n".join(f"  {issue}" for issue in self.issues)
