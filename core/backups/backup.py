"""`manage.py backup PATH`: the database snapshot first, then the media, then the manifest.

The snapshot is taken first: files are only ever added after the rows that name them are
committed, so every file named by the snapshot is already in the store when the media are
copied (a file deleted meanwhile is listed in the manifest as named but missing).
"""

from __future__ import annotations

import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

from core.backups import media
from core.backups.archive import MANIFEST_NAME, MEDIA_PREFIX, ArchiveWriter, BackupError, Digest
from core.backups.databases import BackupDatabase, backup_database
from core.backups.manifest import Manifest


@dataclass(frozen=True)
class BackupReport:
    path: Path
    manifest: Manifest
    archive_bytes: int
    seconds: float


def create_backup(
    path: Path,
    *,
    database: BackupDatabase | None = None,
    storage: Storage = default_storage,
    log: Callable[[str], None] = lambda line: None,
) -> BackupReport:
    """Write one archive at `path`: a snapshot of `database` (default: the configured one),
    the files of `storage`, the manifest."""
    if path.exists() and not path.is_file():
        raise BackupError(f"{path} exists and is not a file.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist.")
    started = time.monotonic()
    database = database or backup_database()
    with tempfile.TemporaryDirectory(prefix="carshare-backup-") as work:
        dump = Path(work) / database.member
        log(f"Database snapshot ({database.vendor})…")
        facts = database.snapshot(dump)
        with ArchiveWriter(path) as archive:
            with dump.open("rb") as handle:
                dump_digest = archive.add(database.member, handle, dump.stat().st_size)
            dump.unlink()
            log("Media files…")
            files = _add_media(archive, storage)
            manifest = Manifest(
                created_at=timezone.now().isoformat(),
                app_version=app_version(),
                django_version=django.get_version(),
                database_vendor=database.vendor,
                database_member=database.member,
                database_digest=dump_digest,
                database=facts,
                media_storage=f"{type(storage).__module__}.{type(storage).__qualname__}",
                files=files,
                files_named_but_missing=sorted(set(facts.file_names) - set(files)),
            )
            archive.add_bytes(MANIFEST_NAME, manifest.to_json())
    return BackupReport(path, manifest, path.stat().st_size, time.monotonic() - started)


def _add_media(archive: ArchiveWriter, storage: Storage) -> dict[str, Digest]:
    files = {}
    for name in media.stored_names(storage):
        with storage.open(name, "rb") as handle:
            files[name] = archive.add(MEDIA_PREFIX + name, handle, storage.size(name))
    return files


def app_version() -> str:
    """The version in pyproject.toml (the project is not an installed package)."""
    try:
        with (Path(settings.BASE_DIR) / "pyproject.toml").open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"
