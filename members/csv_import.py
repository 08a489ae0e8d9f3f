"""Reading a members CSV file, without the database: columns, values and per-row errors.

Files come from spreadsheets kept by volunteers: UTF-8 or Windows-1252, commas or
semicolons, French or English column names, dates as 31/12/1990 or 1990-12-31.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Field, Model
from django.utils.translation import gettext as _

from core.csvexport import cell_as_typed
from core.errors import DomainError
from core.timeutils import add_years
from members.drivers import MIN_AGE_AT_LICENCE
from members.models import DriverProfile, User
from members.services.profiles import PostalAddress, check_address

MAX_ROWS = 5000

# Canonical column → accepted spellings (compared without accents, case or punctuation).
COLUMNS: dict[str, tuple[str, ...]] = {
    "email": ("email", "e_mail", "courriel", "mail", "adresse_e_mail", "adresse_email"),
    "first_name": ("first_name", "prenom"),
    "last_name": ("last_name", "nom", "nom_de_famille"),
    "phone": ("phone", "telephone", "tel", "portable"),
    "role": ("role",),
    "birth_date": ("birth_date", "date_de_naissance", "naissance"),
    "licence_number": ("licence_number", "numero_de_permis", "n_permis", "permis"),
    "licence_issued_on": ("licence_issued_on", "date_du_permis", "date_de_permis"),
    "licence_issued_by": ("licence_issued_by", "delivre_par", "autorite"),
    "accompanied_driving": ("accompanied_driving", "aac", "conduite_accompagnee"),
    "post_licence_training": ("post_licence_training", "formation_post_permis"),
    "joined_on": ("joined_on", "date_d_adhesion", "adhesion"),
    "street": ("street", "adresse", "adresse_postale", "rue", "voie"),
    "postcode": ("postcode", "code_postal", "cp"),
    "town": ("town", "ville", "localite", "commune"),
    "birth_place": ("birth_place", "lieu_de_naissance"),
}
ADDRESS_COLUMNS = ("street", "postcode", "town")
# Free-text columns and the field that will hold them (for their length).
TEXT_FIELDS: dict[str, tuple[type[Model], str]] = {
    "email": (User, "email"),
    "first_name": (User, "first_name"),
    "last_name": (User, "last_name"),
    "phone": (User, "phone"),
    "licence_number": (DriverProfile, "licence_number"),
    "licence_issued_by": (DriverProfile, "licence_issued_by"),
    "birth_place": (DriverProfile, "birth_place"),
}
DATE_COLUMNS = ("birth_date", "licence_issued_on", "joined_on")
BOOL_COLUMNS = ("accompanied_driving", "post_licence_training")
ROLES = {
    "": "member",
    "member": "member",
    "membre": "member",
    "adherent": "member",
    "admin": "admin",
    "administrator": "admin",
    "administrateur": "admin",
    "administratrice": "admin",
}
TRUE_WORDS = {"1", "oui", "o", "yes", "y", "true", "vrai", "x"}
FALSE_WORDS = {"", "0", "non", "n", "no", "false", "faux"}
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$"),
    re.compile(r"^(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})$"),
)


@dataclass
class ImportRow:
    line: int
    values: dict[str, str]
    dates: dict[str, dt.date | None] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    role: str = "member"
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def email(self) -> str:
        return self.values.get("email", "")


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for row in self.rows if row.errors)

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0 and bool(self.rows)


def decode(raw: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, which Excel writes in France."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def parse_members_csv(text: str, *, today: dt.date) -> ImportPreview:
    """Rows with their values and errors; duplicates within the file are errors."""
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        return ImportPreview(rows=[], file_errors=[_("The file is empty.")])
    reader = csv.reader(io.StringIO(text), dialect=_sniff(lines[0]))
    header = next(reader)
    mapping, ignored = _map_header(header)
    if "email" not in mapping.values():
        return ImportPreview(
            rows=[], file_errors=[_("The file needs an “email” column (or “courriel”).")]
        )
    preview = ImportPreview(rows=[], ignored_columns=ignored)
    seen: dict[str, int] = {}
    for line_number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(preview.rows) >= MAX_ROWS:
            preview.file_errors.append(
                _("The file has more than %(max)s rows: split it.") % {"max": MAX_ROWS}
            )
            break
        # An export of ours put an apostrophe before a leading = + - @ (core.csvexport).
        row = _parse_row(line_number, [cell_as_typed(cell) for cell in cells], mapping, today)
        _check_duplicate(row, seen)
        preview.rows.append(row)
    if not preview.rows and not preview.file_errors:
        preview.file_errors.append(_("The file has a header line but no member."))
    return preview


def _sniff(first_line: str) -> type[csv.Dialect]:
    return csv.excel if first_line.count(",") > first_line.count(";") else _Semicolon


class _Semicolon(csv.excel):
    delimiter = ";"


def _normalise(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")


def _map_header(header: list[str]) -> tuple[dict[int, str], list[str]]:
    aliases = {alias: column for column, names in COLUMNS.items() for alias in names}
    mapping: dict[int, str] = {}
    ignored: list[str] = []
    for index, name in enumerate(header):
        column = aliases.get(_normalise(name))
        if column is None or column in mapping.values():
            if name.strip():
                ignored.append(name.strip())
            continue
        mapping[index] = column
    return mapping, ignored


def _parse_row(line: int, cells: list[str], mapping: dict[int, str], today: dt.date) -> ImportRow:
    values = dict.fromkeys(COLUMNS, "")
    for index, column in mapping.items():
        values[column] = cells[index].strip() if index < len(cells) else ""
    values["email"] = values["email"].lower()
    row = ImportRow(line=line, values=values)
    _check_email(row)
    _check_lengths(row)
    _check_role(row)
    for column in DATE_COLUMNS:
        row.dates[column] = _parse_date(row, column)
    for column in BOOL_COLUMNS:
        row.flags[column] = _parse_bool(row, column)
    _check_dates(row, today)
    _check_address(row)
    return row


def _check_address(row: ImportRow) -> None:
    """The same rule as the profile page: all three parts or none, a postcode of five digits."""
    address = PostalAddress(*(row.values[column] for column in ADDRESS_COLUMNS))
    try:
        address = check_address(address)
    except DomainError as error:
        row.errors.append(str(error.message))
        return
    row.values.update(street=address.street, postcode=address.postcode, town=address.town)


def _check_email(row: ImportRow) -> None:
    if not row.email:
        row.errors.append(_("The e-mail address is missing."))
        return
    try:
        validate_email(row.email)
    except ValidationError:
        row.errors.append(_("“%(email)s” is not a valid e-mail address.") % {"email": row.email})


def _check_lengths(row: ImportRow) -> None:
    for column, (model, name) in TEXT_FIELDS.items():
        longest = cast("Field[Any, Any]", model._meta.get_field(name)).max_length
        if longest is not None and len(row.values[column]) > longest:
            row.errors.append(
                _("%(column)s: %(length)s characters, at most %(max)s.")
                % {"column": column, "length": len(row.values[column]), "max": longest}
            )


def _check_role(row: ImportRow) -> None:
    role = ROLES.get(_normalise(row.values["role"]))
    if role is None:
        row.errors.append(
            _("Unknown role “%(role)s” (write member or admin).") % {"role": row.values["role"]}
        )
    else:
        row.role = role


def _parse_date(row: ImportRow, column: str) -> dt.date | None:
    text = row.values[column]
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                break
    row.errors.append(
        _("%(column)s: “%(value)s” is not a possible date (write 31/12/1990).")
        % {"column": column, "value": text}
    )
    return None


def _parse_bool(row: ImportRow, column: str) -> bool:
    text = _normalise(row.values[column])
    if text in TRUE_WORDS:
        return True
    if text not in FALSE_WORDS:
        row.errors.append(
            _("%(column)s: write oui or non, not “%(value)s”.")
            % {"column": column, "value": row.values[column]}
        )
    return False


def _check_dates(row: ImportRow, today: dt.date) -> None:
    birth, issued = row.dates["birth_date"], row.dates["licence_issued_on"]
    for column in ("birth_date", "licence_issued_on"):
        day = row.dates[column]
        if day is not None and day > today:
            row.errors.append(_("%(column)s is in the future.") % {"column": column})
    if birth and issued and issued < add_years(birth, MIN_AGE_AT_LICENCE):
        row.errors.append(
            _("The licence cannot have been issued before the age of %(age)s.")
            % {"age": MIN_AGE_AT_LICENCE}
        )


def _check_duplicate(row: ImportRow, seen: dict[str, int]) -> None:
    if not row.email:
        return
    first = seen.setdefault(row.email, row.line)
    if first != row.line:
        row.errors.append(
            _("%(email)s is already on line %(line)s of the file.")
            % {"email": row.email, "line": first}
        )
