"""manifest.json: what a backup holds and how to check it after a restore.

It names the database snapshot (vendor, member, SHA-256), the rows of every table and the
applied migrations as the snapshot saw them, every media file with its SHA-256 and size,
and the files the rows name that the media store did not hold when the backup was taken.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from core.backups.archive import BackupError, Digest

FORMAT = "carshare-backup"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class DatabaseFacts:
    """What a database holds, read in one snapshot: rows per table, applied migrations
    (app -> names), and the names of the stored files its rows refer to."""

    row_counts: dict[str, int]
    migrations: dict[str, list[str]]
    file_names: list[str]

    def total_rows(self) -> int:
        return sum(self.row_counts.values())


@dataclass(frozen=True)
class Manifest:
    created_at: str
    app_version: str
    django_version: str
    database_vendor: str
    database_member: str
    database_digest: Digest
    database: DatabaseFacts
    media_storage: str
    files: dict[str, Digest]
    files_named_but_missing: list[str] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def media_bytes(self) -> int:
        return sum(digest.bytes for digest in self.files.values())

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw: dict[str, Any] = json.loads(data)
            if raw.get("format") != FORMAT:
                raise BackupError("This file is not a carshare backup (unknown manifest format).")
            if raw["format_version"] != FORMAT_VERSION:
                raise BackupError(
                    f"This backup has format version {raw['format_version']}; this version "
                    f"of carshare reads version {FORMAT_VERSION}."
                )
            return cls(
                **{
                    **raw,
                    "database_digest": Digest(**raw["database_digest"]),
                    "database": DatabaseFacts(**raw["database"]),
                    "files": {name: Digest(**d) for name, d in raw["files"].items()},
                }
            )
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(f"The backup's manifest is unreadable ({error!r}).") from error
