"""Reading a bank statement exported as CSV by a French bank. Pure: bytes in, lines out.

What the exports of the main French banks have in common, and what this reader accepts:
- the text is UTF-8 (with or without a BOM) or Windows-1252 (accents of older exports);
- fields are separated by `;` (sometimes `,` or a tab: the header line decides);
- a few lines may come before the header (account number, balance, dates of the export):
  the header is the first line naming a date column and an amount (or debit/credit) column;
- amounts use a decimal comma, spaces (or non-breaking spaces) between thousands, an
  optional "€" or "EUR", and either one signed column ("Montant") or two columns
  ("Débit" / "Crédit", the debit written with or without its minus sign);
- dates are day first: 05/11/2026, 05/11/26, 05-11-2026, 05.11.2026, or ISO 2026-11-05.

A line that cannot be read is reported with its line number and the reason, never guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.bounds import MAX_AMOUNT

MAX_LINES = 1000
MAX_BYTES = 1024 * 1024

DATE_HEADERS = ("date operation", "date de l operation", "date", "date comptable", "date valeur")
LABEL_HEADERS = (
    "libelle",
    "libelle operation",
    "libelle de l operation",
    "libelle simplifie",
    "detail",
    "details",
    "description",
    "nature de l operation",
    "label",
)
EXTRA_LABEL_HEADERS = ("informations complementaires", "libelle complementaire", "detail 2")
REFERENCE_HEADERS = ("reference", "ref", "reference de l operation", "motif")
AMOUNT_HEADERS = ("montant", "montant eur", "montant euros", "montant en euros", "amount")
DEBIT_HEADERS = ("debit", "debit eur", "debit euros", "debits")
CREDIT_HEADERS = ("credit", "credit eur", "credit euros", "credits")


class StatementError(ValueError):
    """The file is not a bank statement this reader understands (says why)."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class StatementLine:
    row: int  # the line number in the file (1 = first line)
    date: dt.date
    amount: Decimal  # positive: money received; negative: money paid out
    label: str
    reference: str = ""


@dataclass
class Statement:
    lines: list[StatementLine] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, code)
    encoding: str = "utf-8"


def normalise(text: str) -> str:
    """Lower case, without accents or punctuation, single spaces ("Libellé de l'opération"
    → "libelle de l operation")."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain.lower()).split())


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding that read it: UTF-8 when it is valid UTF-8, else
    Windows-1252 (which maps almost every byte; the five it leaves out are refused)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), "utf-8" if encoding == "utf-8-sig" else encoding
        except UnicodeDecodeError:
            continue
    raise StatementError("encoding")


_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_amount(raw: str) -> Decimal | None:
    """ "1 234,56", "-12,50 €", "+20,00", "12.5" → Decimal; "" → None; else ValueError."""
    text = raw.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    text = re.sub(r"(?i)(eur|€)$", "", text).replace("−", "-")
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    if not _NUMBER.match(text):
        raise ValueError(raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(raw)
    return value.quantize(Decimal("0.01"))


_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d-%m-%y")


def parse_date(raw: str) -> dt.date:
    text = raw.strip()
    for fmt in _DATE_FORMATS:
        try:
            # a calendar day: the zone is irrelevant, UTC only satisfies the type
            day = dt.datetime.strptime(text, fmt).replace(tzinfo=dt.UTC).date()
        except ValueError:
            continue
        if 2000 <= day.year <= 2100:
            return day
    raise ValueError(raw)


@dataclass(frozen=True)
class _Columns:
    date: int
    label: int | None
    extra_label: int | None
    reference: int | None
    amount: int | None
    debit: int | None
    credit: int | None


def _find(names: list[str], wanted: tuple[str, ...]) -> int | None:
    for candidate in wanted:
        if candidate in names:
            return names.index(candidate)
    return None


def _columns(row: list[str]) -> _Columns | None:
    names = [normalise(cell) for cell in row]
    date = _find(names, DATE_HEADERS)
    amount = _find(names, AMOUNT_HEADERS)
    debit, credit = _find(names, DEBIT_HEADERS), _find(names, CREDIT_HEADERS)
    if date is None or (amount is None and (debit is None or credit is None)):
        return None
    return _Columns(
        date=date,
        label=_find(names, LABEL_HEADERS),
        extra_label=_find(names, EXTRA_LABEL_HEADERS),
        reference=_find(names, REFERENCE_HEADERS),
        amount=amount,
        debit=debit,
        credit=credit,
    )


def _delimiter(text: str) -> str:
    head = text[:4096]
    counts = {sep: head.count(sep) for sep in (";", "\t", ",")}
    return ";" if counts[";"] else max(counts, key=lambda sep: counts[sep])


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _amount(row: list[str], columns: _Columns) -> Decimal | None:
    if columns.amount is not None:
        return parse_amount(_cell(row, columns.amount))
    debit = parse_amount(_cell(row, columns.debit))
    credit = parse_amount(_cell(row, columns.credit))
    if debit and credit:
        raise ValueError("both")
    if debit:
        return -abs(debit)
    return abs(credit) if credit is not None else None


def read_statement(data: bytes) -> Statement:
    """The lines of a bank statement CSV (see the module's doc). Raises StatementError when
    the file as a whole cannot be read (too large, no header, too many lines)."""
    if len(data) > MAX_BYTES:
        raise StatementError("too_large", limit=MAX_BYTES // 1024)
    text, encoding = decode(data)
    rows = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
    statement = Statement(encoding=encoding)
    columns: _Columns | None = None
    for number, row in enumerate(rows, start=1):
        if columns is None:
            columns = _columns(row)
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(statement.lines) + len(statement.errors) >= MAX_LINES:
            raise StatementError("too_many_lines", limit=MAX_LINES)
        try:
            day = parse_date(_cell(row, columns.date))
        except ValueError:
            statement.errors.append((number, "date"))
            continue
        try:
            amount = _amount(row, columns)
        except ValueError:
            statement.errors.append((number, "amount"))
            continue
        if amount is None or amount == 0:
            statement.errors.append((number, "no_amount"))
            continue
        if abs(amount) > MAX_AMOUNT:
            statement.errors.append((number, "amount_too_large"))
            continue
        label = " ".join(
            part for part in (_cell(row, columns.label), _cell(row, columns.extra_label)) if part
        )
        statement.lines.append(
            StatementLine(
                row=number,
                date=day,
                amount=amount,
                label=" ".join(label.split())[:255],
                reference=_cell(row, columns.reference)[:140],
            )
        )
    if columns is None:
        raise StatementError("no_header")
    return statement
