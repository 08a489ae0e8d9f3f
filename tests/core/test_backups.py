"""manage.py backup / restore.

The round trip runs on the database of the pass (SQLite in CI's first pass, PostgreSQL in
its second): demo data and uploads are backed up in-process, restored by the real command
in another process into a new database (a file, or a PostgreSQL database this test
creates) and a new media folder, and read back through the application.
The other tests use small SQLite files and local folders, whatever the pass.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import stat
import subprocess
import sys
import tarfile
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection

from core.backups.archive import MANIFEST_NAME, ArchiveReader, ArchiveWriter, BackupError
from core.backups.backup import create_backup
from core.backups.databases import SqliteDatabase, libpq_arguments
from core.backups.manifest import Manifest
from core.backups.restore import restore_backup
from members.models import DriverProfile
from tests.core.backup_probe import figures

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and modules
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


@pytest.fixture
def new_target(tmp_path):
    """Makes the environment of a process that uses a new, empty database (of the pass's
    kind) and a new media folder."""
    created: list[str] = []

    def make(label: str) -> dict[str, str]:
        if connection.vendor == "postgresql":
            settings_dict = connection.settings_dict
            name = f"{settings_dict['NAME']}_{label}"
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            url = (
                f"postgres://{quote(settings_dict['USER'])}:{quote(settings_dict['PASSWORD'])}"
                f"@{settings_dict['HOST']}:{settings_dict['PORT']}/{name}"
            )
        else:
            url = f"sqlite:///{tmp_path / f'{label}.sqlite3'}"
        env = {k: v for k, v in os.environ.items() if k != "MEDIA_STORAGE_URL"}
        return {
            **env,
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "carshare.settings",
            "DATABASE_URL": url,
            "MEDIA_ROOT": str(tmp_path / f"{label}-media"),
        }

    yield make
    with connection.cursor() as cursor:
        for name in created:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.mark.django_db(transaction=True)
def test_restore_gives_back_the_same_rows_balances_and_files(settings, tmp_path, new_target):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    profile = DriverProfile.objects.get(user__email="bruno@villerouge.example")
    profile.licence_scan.save("permis.png", ContentFile(PNG))
    before = figures()
    assert before["files"] and any(before["balances"].values())
    archive = tmp_path / "carshare.tar.gz"
    out = io.StringIO()

    call_command("backup", str(archive), stdout=out)
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive), stdout=out)
    env = new_target("restored")
    restored = manage("manage.py", "restore", str(archive), env=env)

    assert restored.returncode == 0, restored.stderr
    assert "all identical" in restored.stdout
    probe = manage("-m", "tests.core.backup_probe", env=env)
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout) == before


# --- Small archives: a SQLite file of a few rows and a local folder -----------------------


def sqlite_file(path: Path, rows: int = 3) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO things (name) VALUES (?)", [(f"t{i}",) for i in range(rows)])
    return path


def folder(path: Path, files: dict[str, bytes] | None = None) -> FileSystemStorage:
    storage = FileSystemStorage(location=path)
    for name, data in (files or {}).items():
        storage.save(name, ContentFile(data))
    return storage


@pytest.fixture
def small_backup(tmp_path) -> Path:
    source = SqliteDatabase(sqlite_file(tmp_path / "source.sqlite3"))
    files = {"private/a/1.png": PNG, "private/b/2.pdf": b"%PDF"}
    storage = folder(tmp_path / "source-media", files)
    return create_backup(tmp_path / "small.tar.gz", database=source, storage=storage).path


def test_the_manifest_holds_rows_and_checksums_and_the_archive_is_private(small_backup):
    with ArchiveReader(small_backup) as archive:
        manifest = Manifest.from_json(archive.read_bytes(MANIFEST_NAME))
    assert manifest.database.row_counts == {"things": 3}
    assert sorted(manifest.files) == ["private/a/1.png", "private/b/2.pdf"]
    assert manifest.files["private/b/2.pdf"].bytes == 4
    assert len(manifest.database_digest.sha256) == 64
    assert stat.S_IMODE(small_backup.stat().st_mode) == 0o600


def test_restore_into_empty_targets_verifies_rows_and_bytes(small_backup, tmp_path):
    target = SqliteDatabase(tmp_path / "target.sqlite3")
    media = folder(tmp_path / "target-media")

    report = restore_backup(small_backup, database=target, storage=media)

    assert report.manifest.database.row_counts == target.facts().row_counts == {"things": 3}
    with media.open("private/a/1.png") as handle:
        assert handle.read() == PNG


def test_restore_refuses_a_database_that_is_not_empty(small_backup, tmp_path):
    target = SqliteDatabase(sqlite_file(tmp_path / "target.sqlite3", rows=1))
    media = folder(tmp_path / "target-media")

    with pytest.raises(BackupError, match="The database is not empty"):
        restore_backup(small_backup, database=target, storage=media)
    assert target.facts().row_counts == {"things": 1}
    assert not (tmp_path / "target-media").exists()


def test_restore_refuses_a_media_store_that_is_not_empty(small_backup, tmp_path):
    target = SqliteDatabase(tmp_path / "target.sqlite3")
    media = folder(tmp_path / "target-media", {"private/old.pdf": b"%PDF-old"})

    with pytest.raises(BackupError, match="The media store is not empty"):
        restore_backup(small_backup, database=target, storage=media)
    assert target.is_empty()
    assert media.listdir("private") == ([], ["old.pdf"])


def test_replace_erases_the_targets_then_restores(small_backup, tmp_path):
    target = SqliteDatabase(sqlite_file(tmp_path / "target.sqlite3", rows=7))
    media = folder(tmp_path / "target-media", {"private/old.pdf": b"%PDF-old"})

    restore_backup(small_backup, replace=True, database=target, storage=media)

    assert target.facts().row_counts == {"things": 3}
    assert not media.exists("private/old.pdf")
    assert media.exists("private/b/2.pdf")


def rewrite(archive: Path, change) -> None:
    """Rewrite `archive` with change(name, data) -> data applied to each member."""
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    with tarfile.open(archive, "w:gz") as tar:
        for member, data in members:
            data = change(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))


def test_a_corrupt_file_is_refused_before_anything_is_written(small_backup, tmp_path):
    rewrite(small_backup, lambda name, data: data[:-1] + b"X" if name.endswith(".png") else data)
    target = SqliteDatabase(tmp_path / "target.sqlite3")
    media = folder(tmp_path / "target-media")

    with pytest.raises(BackupError, match=r"media/private/a/1.png does not match its checksum"):
        restore_backup(small_backup, database=target, storage=media)
    assert target.is_empty()
    assert not (tmp_path / "target-media").exists()


def test_a_backup_of_another_database_kind_is_refused(small_backup, tmp_path):
    def as_postgresql(name: str, data: bytes) -> bytes:
        if name != MANIFEST_NAME:
            return data
        return replace(Manifest.from_json(data), database_vendor="postgresql").to_json()

    rewrite(small_backup, as_postgresql)
    with pytest.raises(BackupError, match="holds a postgresql database"):
        restore_backup(
            small_backup,
            database=SqliteDatabase(tmp_path / "t.sqlite3"),
            storage=folder(tmp_path / "m"),
        )


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive at all")
    with pytest.raises(BackupError, match="not a readable backup archive"):
        restore_backup(junk, database=SqliteDatabase(tmp_path / "t.sqlite3"))
    with ArchiveWriter(tmp_path / "other.tar.gz") as archive:
        archive.add_bytes(MANIFEST_NAME, b'{"format": "something-else"}')
    with pytest.raises(BackupError, match="not a carshare backup"):
        restore_backup(tmp_path / "other.tar.gz", database=SqliteDatabase(tmp_path / "t.sqlite3"))


def test_a_failed_backup_leaves_no_archive(tmp_path):
    missing = SqliteDatabase(tmp_path / "absent.sqlite3")
    with pytest.raises(BackupError, match="does not exist"):
        create_backup(tmp_path / "b.tar.gz", database=missing, storage=folder(tmp_path / "m"))
    assert list(tmp_path.glob("b.tar.gz*")) == []


def test_the_command_names_a_missing_folder(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", str(tmp_path / "nowhere" / "b.tar.gz"), stdout=io.StringIO())


def test_pg_tools_get_the_password_in_their_environment_only():
    settings_dict = {
        "NAME": "carshare",
        "USER": "carshare",
        "PASSWORD": "s3cret pass",
        "HOST": "db.example",
        "PORT": "5432",
        "OPTIONS": {"sslmode": "require", "connect_timeout": 5},
    }
    command, env = libpq_arguments(settings_dict)
    assert not any("s3cret" in argument for argument in command)
    assert command == [
        "--dbname=carshare",
        "--host=db.example",
        "--port=5432",
        "--username=carshare",
    ]
    assert env == {"PGPASSWORD": "s3cret pass", "PGSSLMODE": "require", "PGCONNECT_TIMEOUT": "5"}
