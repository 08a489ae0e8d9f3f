"""python manage.py backup PATH: one archive with the database, the media and a manifest."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backups.archive import BackupError
from core.backups.backup import create_backup


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


class Command(BaseCommand):
    help = (
        "Write one archive (gzip-compressed tar) holding a consistent snapshot of the database "
        "(SQLite online backup or pg_dump), every media file of the configured storage and a "
        "manifest (rows per table, migrations, SHA-256 of every file). Restore it with "
        "`manage.py restore PATH`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to write (replaced if present)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = create_backup(options["path"], log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        facts = manifest.database
        self.stdout.write(
            f"Database: {len(facts.row_counts)} tables, {facts.total_rows()} rows "
            f"({manifest.database_vendor}, {megabytes(manifest.database_digest.bytes)})."
        )
        self.stdout.write(
            f"Media: {len(manifest.files)} files ({megabytes(manifest.media_bytes())})."
        )
        for name in manifest.files_named_but_missing:
            self.stderr.write(f"Warning: the database names {name}, which the store lacks.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {report.path} ({megabytes(report.archive_bytes)}) "
                f"in {report.seconds:.1f} s."
            )
        )
