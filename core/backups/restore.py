"""`manage.py restore PATH`: load a backup into an empty database and media store, then
check the result against the manifest.

Order: read the manifest; refuse a store that is not empty (unless `replace`); check every
member's checksum before anything is written; load the database (one transaction on
PostgreSQL); store the media under their own names; read everything back and compare it
with the manifest: rows per table, applied migrations, and each file's SHA-256.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from core.backups import media
from core.backups.archive import MANIFEST_NAME, MEDIA_PREFIX, ArchiveReader, BackupError
from core.backups.databases import BackupDatabase, backup_database
from core.backups.manifest import Manifest


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    seconds: float


def restore_backup(
    path: Path,
    *,
    replace: bool = False,
    database: BackupDatabase | None = None,
    storage: Storage = default_storage,
    log: Callable[[str], None] = lambda line: None,
) -> RestoreReport:
    """Restore the archive at `path` into `database` (default: the configured one) and
    `storage`, then verify the result; raises BackupError."""
    started = time.monotonic()
    database = database or backup_database()
    with ArchiveReader(path) as archive:
        manifest = Manifest.from_json(archive.read_bytes(MANIFEST_NAME))
        _check_target(manifest, database, storage, replace=replace)
        with tempfile.TemporaryDirectory(prefix="carshare-restore-") as work:
            dump = Path(work) / manifest.database_member
            log("Checking the archive's checksums…")
            with dump.open("wb") as handle:
                archive.copy_verified(manifest.database_member, manifest.database_digest, handle)
            for name, digest in manifest.files.items():
                archive.verify(MEDIA_PREFIX + name, digest)
            if replace:
                log("Emptying the database and the media store…")
                database.empty()
                media.empty(storage)
            log(f"Loading the database ({database.vendor})…")
            database.load(dump)
        log(f"Storing {len(manifest.files)} media files…")
        for name, digest in manifest.files.items():
            with archive.open(MEDIA_PREFIX + name) as handle:
                content = File(handle, name=name)
                content.size = digest.bytes  # not guessed from a file named like the member
                media.store(storage, name, content)
    log("Verifying the restored data against the manifest…")
    verify_restored(manifest, database, storage)
    return RestoreReport(manifest, time.monotonic() - started)


def _check_target(
    manifest: Manifest, database: BackupDatabase, storage: Storage, *, replace: bool
) -> None:
    if manifest.database_vendor != database.vendor:
        raise BackupError(
            f"This backup holds a {manifest.database_vendor} database; the configured "
            f"database is {database.vendor}. Restore it into a {manifest.database_vendor} "
            "database (DATABASE_URL)."
        )
    if replace:
        return
    if not database.is_empty():
        raise BackupError(
            "The database is not empty: restore loads into an empty database only. Point "
            "DATABASE_URL at a new database, or pass --replace to erase this one first."
        )
    if not media.is_empty(storage):
        raise BackupError(
            "The media store is not empty: restore writes into an empty one only. Point "
            "MEDIA_ROOT or MEDIA_STORAGE_URL at an empty one, or pass --replace to erase it first."
        )


def verify_restored(manifest: Manifest, database: BackupDatabase, storage: Storage) -> None:
    """Compare the restored database and media with the manifest; raise on any difference."""
    problems = []
    facts = database.facts()
    expected = manifest.database
    for table in sorted(set(expected.row_counts) | set(facts.row_counts)):
        found, wanted = facts.row_counts.get(table), expected.row_counts.get(table)
        if found != wanted:
            problems.append(f"table {table}: {found} rows, the manifest says {wanted}")
    if facts.migrations != expected.migrations:
        problems.append("the applied migrations differ from the manifest's")
    for name, digest in manifest.files.items():
        if media.stored_digest(storage, name) != digest:
            problems.append(f"file {name}: missing or different from the manifest")
    if problems:
        raise BackupError("Verification failed:\n  " + "\n  ".join(problems))


def migration_state(alias: str = "default") -> tuple[int, list[str]]:
    """(migrations of this code not applied yet, applied migrations this code does not know)."""
    connection = connections[alias]
    connection.close()  # read the restored database, not what a kept connection saw
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    pending = len(executor.migration_plan(graph.leaf_nodes()))
    applied = executor.loader.applied_migrations or {}
    unknown = sorted(f"{app}.{name}" for app, name in applied if (app, name) not in graph.nodes)
    return pending, unknown
