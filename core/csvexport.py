"""The one way the platform writes CSV: semicolons (what French spreadsheets expect) and
cells that cannot start a formula.

A spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@` (and some with a tab or
a carriage return before them) as a formula: a first name `=HYPERLINK("http://…")` typed by
a member would run in the admin's spreadsheet. Text cells starting with one of these get a
leading apostrophe, which spreadsheets show as text (OWASP's advice). Numbers written by the
code (int, Decimal, and `Amount` for a formatted amount with a decimal comma) are not text:
they stay as they are, so a negative balance is still a number.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class Amount(Decimal):
    """A sum of money, written with 2 decimals and a decimal comma (`-36,90`)."""

    def __str__(self) -> str:
        return f"{Decimal(self):.2f}".replace(".", ",")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: Any) -> Any:
    """`value` as a CSV cell that no spreadsheet evaluates: numbers as they are, text
    starting with a formula trigger behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool | int | Decimal | float | dt.date):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def cell_as_typed(text: str) -> str:
    """The text of a cell as it was typed, from one written by `safe_cell` (for imports)."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


class SafeWriter:
    """csv.writer with `;` and every cell through `safe_cell`."""

    def __init__(self, stream: _Writable, *, lineterminator: str = "\r\n") -> None:
        self._writer = csv.writer(stream, delimiter=";", lineterminator=lineterminator)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
