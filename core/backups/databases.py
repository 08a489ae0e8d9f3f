"""The database half of a backup: a consistent snapshot with its facts, and its load.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page in one step
under a read lock, so the copy is consistent while the site runs; the facts are read from
the copy. PostgreSQL: one REPEATABLE READ transaction exports its snapshot, `pg_dump
--snapshot` dumps exactly that snapshot (custom format) and the facts are read in the same
transaction. The libpq tools get the password through PGPASSWORD in their environment,
never on their command line (which any local user can read).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps
from django.db import DatabaseError, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.models import FileField

from core.backups.archive import BackupError
from core.backups.manifest import DatabaseFacts


class Cursor(Protocol):
    def execute(self, sql: str, params: Any = ..., /) -> Any: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


TABLES_SQL = {
    "sqlite": (
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ),
    "postgresql": (
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ),
}


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_facts(cursor: Cursor, vendor: str) -> DatabaseFacts:
    """Rows per table, applied migrations and the stored files named by rows."""
    cursor.execute(TABLES_SQL[vendor])
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 - quoted names
        counts[table] = int(cursor.fetchall()[0][0])
    migrations: dict[str, list[str]] = defaultdict(list)
    if "django_migrations" in counts:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        for app, name in cursor.fetchall():
            migrations[app].append(name)
    return DatabaseFacts(counts, dict(migrations), _file_names(cursor, set(tables)))


def _file_names(cursor: Cursor, tables: set[str]) -> list[str]:
    names: set[str] = set()
    for table, column in file_columns():
        if table in tables:
            cursor.execute(
                f"SELECT {quote(column)} FROM {quote(table)} "  # noqa: S608 - quoted names
                f"WHERE {quote(column)} IS NOT NULL AND {quote(column)} <> ''"
            )
            names.update(row[0] for row in cursor.fetchall())
    return sorted(names)


def file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of the installed models."""
    return sorted(
        (model._meta.db_table, field.column)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, FileField) and field.column
    )


class BackupDatabase(Protocol):
    vendor: str
    member: str  # the snapshot's name in the archive

    def snapshot(self, target: Path) -> DatabaseFacts: ...
    def is_empty(self) -> bool: ...
    def empty(self) -> None: ...
    def load(self, dump: Path) -> None: ...
    def facts(self) -> DatabaseFacts: ...


def backup_database(alias: str = "default") -> BackupDatabase:
    """The backup strategy for the database `alias` (SQLite or PostgreSQL)."""
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return SqliteDatabase(Path(connections[alias].settings_dict["NAME"]))
    if vendor == "postgresql":
        return PostgresDatabase(alias)
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")


class SqliteDatabase:
    vendor = "sqlite"
    member = "database.sqlite3"

    def __init__(self, path: Path) -> None:
        self.path = path

    def _connect(self, path: Path) -> sqlite3.Connection:
        return sqlite3.connect(path, timeout=20)

    def snapshot(self, target: Path) -> DatabaseFacts:
        if not self.path.exists():
            raise BackupError(f"The database file {self.path} does not exist.")
        source, copy = self._connect(self.path), self._connect(target)
        try:
            source.backup(copy)
            return read_facts(copy.cursor(), self.vendor)
        finally:
            source.close()
            copy.close()

    def is_empty(self) -> bool:
        return not self.path.exists() or not self.facts().row_counts

    def empty(self) -> None:
        """Nothing to do: the backup API replaces the whole file's content."""

    def load(self, dump: Path) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        source, target = self._connect(dump), self._connect(self.path)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()

    def facts(self) -> DatabaseFacts:
        connection = self._connect(self.path)
        try:
            return read_facts(connection.cursor(), self.vendor)
        finally:
            connection.close()


class PostgresDatabase:
    vendor = "postgresql"
    member = "database.pgdump"

    def __init__(self, alias: str) -> None:
        self.alias = alias

    @contextmanager
    def _cursor(self, *, autocommit: bool = True) -> Iterator[Any]:
        # Its own connection: the caller's may be inside a transaction.
        connection = connections.create_connection(self.alias)
        try:
            connection.set_autocommit(autocommit)
            with connection.cursor() as cursor:
                yield cursor
            if not autocommit:
                connection.rollback()
        finally:
            connection.close()

    def snapshot(self, target: Path) -> DatabaseFacts:
        with self._cursor(autocommit=False) as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump reads exactly the snapshot this transaction keeps open; so do the facts.
            dump = ("--format=custom", f"--snapshot={snapshot}", f"--file={target}")
            self._run("pg_dump", *dump)
            return read_facts(cursor, self.vendor)

    def is_empty(self) -> bool:
        with self._cursor() as cursor:
            cursor.execute(TABLES_SQL[self.vendor])
            return not cursor.fetchall()

    def empty(self) -> None:
        """Drop and recreate the schema: tables, views, functions and extensions go."""
        try:
            with self._cursor() as cursor:
                cursor.execute("SELECT current_schema()")
                schema = quote(cursor.fetchone()[0])
                cursor.execute(f"DROP SCHEMA {schema} CASCADE")
                cursor.execute(f"CREATE SCHEMA {schema}")
        except DatabaseError as error:
            raise BackupError(
                f"Could not empty the database ({error}); restore into a new, empty database."
            ) from error

    def load(self, dump: Path) -> None:
        # One transaction: a failure leaves the database as empty as it was.
        self._run(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(dump),
        )

    def facts(self) -> DatabaseFacts:
        with self._cursor() as cursor:
            return read_facts(cursor, self.vendor)

    def _run(self, program: str, *arguments: str) -> None:
        executable = shutil.which(program)
        if executable is None:
            raise BackupError(
                f"{program} is not installed: install the PostgreSQL client tools "
                "(Debian: postgresql-client), of the server's major version or newer."
            )
        command, env = libpq_arguments(connections[self.alias].settings_dict)
        completed = subprocess.run(  # noqa: S603 - fixed program, arguments from settings
            [executable, *command, *arguments],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise BackupError(f"{program} failed: {completed.stderr.strip()}")


def libpq_arguments(settings_dict: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    """How pg_dump and pg_restore reach the database of `settings_dict`: host, port, user and
    database as arguments; the password and the TLS settings in the environment (as
    Django's dbshell passes them), never on the command line."""
    _args, env = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    command = [f"--dbname={settings_dict['NAME']}"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command.append(f"{option}={settings_dict[key]}")
    env = dict(env or {})
    timeout = settings_dict.get("OPTIONS", {}).get("connect_timeout")
    if timeout:
        env["PGCONNECT_TIMEOUT"] = str(timeout)
    return command, env
