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

A migration runs `create` (and `drop` backwards) through RunPython, on PostgreSQL (one
PL/pgSQL function and trigger) and SQLite (three triggers). An UPDATE that changes a row's
key bumps both keys, the lower first (a fixed order, so two such updates cannot wait for
each other on PostgreSQL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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

    def create(self, apps: Any, schema_editor: Any) -> None:
        vendor = schema_editor.connection.vendor
        statements = self.postgres() if vendor == "postgresql" else self.sqlite()
        for statement in statements:
            schema_editor.execute(statement)

    def drop(self, apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            statements = [
                f"DROP TRIGGER IF EXISTS {self.name} ON {self.table}",
                f"DROP FUNCTION IF EXISTS {self.name}_bump()",
            ]
        else:
            statements = [
                f"DROP TRIGGER IF EXISTS {self.name}_{event}"
                for event in ("insert", "delete", "update")
            ]
        for statement in statements:
            schema_editor.execute(statement)
