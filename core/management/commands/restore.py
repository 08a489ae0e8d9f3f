"""python manage.py restore PATH: load a backup into an empty database and media store."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.backups.archive import BackupError
from core.backups.restore import migration_state, restore_backup
from core.management.commands.backup import megabytes


class Command(BaseCommand):
    help = (
        "Load an archive written by `manage.py backup` into an EMPTY database and an empty "
        "media store, then check the result against the archive's manifest (rows per table, "
        "migrations, SHA-256 of every file)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", type=Path, help="the archive to restore")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="ERASE the configured database and media store first, if they are not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(
                options["path"], replace=options["replace"], log=self.stdout.write
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = report.manifest
        facts = manifest.database
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest.created_at} in {report.seconds:.1f} s. "
                f"Verified against its manifest: {len(facts.row_counts)} tables, "
                f"{facts.total_rows()} rows, {len(manifest.files)} files "
                f"({megabytes(manifest.media_bytes())}), all identical."
            )
        )
        if manifest.files_named_but_missing:
            self.stderr.write(
                f"Warning: {len(manifest.files_named_but_missing)} files named by the database "
                "were already missing when the backup was taken (listed in its manifest)."
            )
        pending, unknown = migration_state()
        if unknown:
            self.stderr.write(
                "Warning: the backup has migrations this code does not know (it comes from a "
                f"newer version): {', '.join(unknown)}."
            )
        if pending:
            self.stdout.write(
                f"{pending} migrations of this version are not applied yet: "
                "run `python manage.py migrate`."
            )
