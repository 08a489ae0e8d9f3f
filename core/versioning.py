"""Version counters that database triggers bump on every write of a table, whoever writes
(pages, API, admin, bulk inserts, a shell): the keys of cached fragments hold them, so a
cache can never serve what a write has changed.

    VersionTrigger(
        name="bookings_booking_version",
        table="bookings_booking",
        versions="bookings_vehiclebookingsversion",
        key="vehicle_id",
        row_key="{row}.vehicle_id",   # the key of a written row; {row} is NEW or OLD
    )

On PostgreSQL a migration runs `create` (and `drop` backwards) through RunPython: one
PL/pgSQL function and trigger, which every later ALTER TABLE keeps. SQLite rebuilds a table
for most schema changes (a new table, a copy, DROP, RENAME): that drops the rebuilt table's
own triggers, and a RENAME fails while another table's trigger reads the dropped one (the
legs' trigger reads their transaction). So on SQLite the app's triggers (three each) are
dropped before every `migrate` and created again after it (`manage_sqlite_triggers`,
connected in the apps' `ready`), and the migrations' RunPython does nothing there. An
UPDATE that changes a row's key bumps both keys, the lower first (a fixed order, so two
such updates cannot wait for each other on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate


@dataclass(frozen=True)
class VersionTrigger:
    name: str
    table: str
    versions: str
    key: str
    row_key: str

    def _bump(self, key_sql: str, when: str = "") -> str:
        return (
            f"INSERT INTO {self.versions} ({self.key}, version) "
            f"SELECT {key_sql}, 1 WHERE ({key_sql}) IS NOT NULL {when}"
            f"ON CONFLICT ({self.key}) DO UPDATE SET version = {self.versions}.version + 1"
        )

    def _keys(self) -> tuple[str, str]:
        return self.row_key.format(row="NEW"), self.row_key.format(row="OLD")

    def postgres(self) -> list[str]:
        new, old = self._keys()
        return [
            f"""CREATE OR REPLACE FUNCTION {self.name}_bump() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {self._bump(new)};
  ELSIF TG_OP = 'DELETE' THEN
    {self._bump(old)};
  ELSE
    {self._bump(f"LEAST({old}, {new})")};
    IF ({new}) IS DISTINCT FROM ({old}) THEN
      {self._bump(f"GREATEST({old}, {new})")};
    END IF;
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {self.name} AFTER INSERT OR UPDATE OR DELETE ON {self.table}
FOR EACH ROW EXECUTE FUNCTION {self.name}_bump()""",
        ]

    def sqlite(self) -> list[str]:
        new, old = self._keys()
        return [
            f"CREATE TRIGGER {self.name}_insert AFTER INSERT ON {self.table} "
            f"BEGIN {self._bump(new)}; END",
            f"CREATE TRIGGER {self.name}_delete AFTER DELETE ON {self.table} "
            f"BEGIN {self._bump(old)}; END",
            f"CREATE TRIGGER {self.name}_update AFTER UPDATE ON {self.table} "
            f"BEGIN {self._bump(f'min({old}, {new})')}; "
            f"{self._bump(f'max({old}, {new})', f'AND ({new}) IS NOT ({old})')}; END",
        ]

    def sqlite_drop(self) -> list[str]:
        events = ("insert", "delete", "update")
        return [f"DROP TRIGGER IF EXISTS {self.name}_{event}" for event in events]

    def create(self, apps: Any, schema_editor: Any) -> None:
        """RunPython: the trigger on PostgreSQL; on SQLite `manage_sqlite_triggers` makes it
        after the whole migrate."""
        if schema_editor.connection.vendor == "postgresql":
            for statement in self.postgres():
                schema_editor.execute(statement)

    def drop(self, apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            statements = [
                f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
                f"DROP FUNCTION IF EXISTS {self.name}_bump()",
            ]
        else:
            statements = self.sqlite_drop()
        for statement in statements:
            schema_editor.execute(statement)


def manage_sqlite_triggers(app_config: AppConfig, triggers: Sequence[VersionTrigger]) -> None:
    """On SQLite, drop the app's version triggers before every `migrate` (and flush) and
    create them again after it, once the tables they read and write exist."""

    def before(using: str, **kwargs: Any) -> None:
        connection = connections[using]
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            for trigger in triggers:
                for statement in trigger.sqlite_drop():
                    cursor.execute(statement)

    def after(using: str, **kwargs: Any) -> None:
        connection = connections[using]
        if connection.vendor != "sqlite":
            return
        before(using)
        tables = set(connection.introspection.table_names())
        with connection.cursor() as cursor:
            for trigger in triggers:
                if {trigger.table, trigger.versions} <= tables:
                    for statement in trigger.sqlite():
                        cursor.execute(statement)

    uid = f"{app_config.label}.version_triggers"
    pre_migrate.connect(before, sender=app_config, weak=False, dispatch_uid=uid)
    post_migrate.connect(after, sender=app_config, weak=False, dispatch_uid=uid)
