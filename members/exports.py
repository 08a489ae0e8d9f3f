"""Data exports as zip files: the whole association's data (admins) and a person's own data.

Each app contributes its sections without members importing it: in its AppConfig.ready(),

    register_association_export("vehicles", vehicles_files)   # (Association) -> files
    register_personal_export("bookings", my_booking_files)     # (User) -> files

A section returns `ExportFile`s (`csv_file` and `json_file` build them); they are written
under a folder named after the section, in registration order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone

from core.csvexport import SafeWriter
from members.models import Association, User


@dataclass(frozen=True)
class ExportFile:
    """One file of an export, named relative to its section's folder."""

    name: str
    content: bytes


AssociationExport = Callable[[Association], Iterable[ExportFile]]
PersonalExport = Callable[[User], Iterable[ExportFile]]

_association_sections: dict[str, AssociationExport] = {}
_personal_sections: dict[str, PersonalExport] = {}


def register_association_export(name: str, func: AssociationExport) -> None:
    """Add (or replace) a section of the association export; `name` is its folder."""
    _association_sections[_check_name(name)] = func


def register_personal_export(name: str, func: PersonalExport) -> None:
    """Add (or replace) a section of the "export my data" file; `name` is its folder."""
    _personal_sections[_check_name(name)] = func


def association_sections() -> list[str]:
    return list(_association_sections)


def personal_sections() -> list[str]:
    return list(_personal_sections)


def csv_file(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> ExportFile:
    """A CSV file for spreadsheets: UTF-8 with BOM, semicolons (what French Excel expects),
    no cell a spreadsheet would evaluate (core.csvexport)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return ExportFile(name, buffer.getvalue().encode("utf-8-sig"))


def json_file(name: str, data: Any) -> ExportFile:
    """A JSON file; dates as ISO 8601, amounts as decimal strings."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=_json_default)
    return ExportFile(name, text.encode("utf-8"))


def write_association_export(association: Association) -> IO[bytes]:
    """The association's zip, every registered section, in a rewound temporary file."""
    return _write_zip(
        {name: func(association) for name, func in _association_sections.items()},
        title=f"{association.name} ({association.slug})",
    )


def write_personal_export(user: User) -> IO[bytes]:
    """The person's zip, every registered section, in a rewound temporary file."""
    return _write_zip(
        {name: func(user) for name, func in _personal_sections.items()},
        title=user.email,
    )


def _write_zip(sections: dict[str, Iterable[ExportFile]], *, title: str) -> IO[bytes]:
    # Spooled: small exports stay in memory, large ones (scans) go to disk.
    out = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - returned
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        listing = []
        for section, files in sections.items():
            for file in files:
                archive.writestr(f"{section}/{file.name}", file.content)
                listing.append(f"{section}/{file.name}")
        archive.writestr("README.txt", _readme(title, listing))
    out.seek(0)
    return out


def _readme(title: str, listing: list[str]) -> str:
    lines = [
        f"carshare export: {title}",
        f"generated at {timezone.now().isoformat(timespec='seconds')}",
        "CSV files: UTF-8, semicolon-separated; JSON files: UTF-8.",
        "",
        *listing,
    ]
    return "\n".join(lines) + "\n"


def _check_name(name: str) -> str:
    if not name or "/" in name or name.startswith("."):
        raise ValueError(f"bad export section name: {name!r}")
    return name


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"not exportable as JSON: {type(value).__name__}")
