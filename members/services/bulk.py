"""One INSERT statement for many rows, whatever their number.

Django's `bulk_create` splits its INSERTs on SQLite into batches of 999 bound values (the
old compile-time limit), so an import's query count would grow with its rows. On SQLite
the rows travel instead as one JSON parameter unpacked by `json_each`; elsewhere
(PostgreSQL has no such limit) `bulk_create` already sends one statement.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.db.models.fields import AutoFieldMixin

# A helper of the members services; no service here.
__all__: list[str] = []


def insert_all(objs: Sequence[models.Model]) -> None:
    """Insert unsaved instances of one model in a single statement (no ids are set back)."""
    if not objs:
        return
    model = type(objs[0])
    connection = connections[router.db_for_write(model) or DEFAULT_DB_ALIAS]
    if connection.vendor != "sqlite":
        model._default_manager.bulk_create(objs)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not isinstance(f, AutoFieldMixin)]
    rows = [
        [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields] for obj in objs
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column or f.attname) for f in fields)
    values = ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(fields)))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) SELECT {values} FROM json_each(%s)"  # noqa: S608 - names come from the model, values are one parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(rows, default=_plain)])


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot insert a {type(value).__name__} through JSON")
