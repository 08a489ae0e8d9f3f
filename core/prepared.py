"""Queries of the hot path (every signed-in page: the session, the person, their
memberships, the unread count, the versions a cached page is keyed by) compiled to SQL once
per process, then run with new values.

Django builds a queryset's SQL again on every evaluation: for a one-row query that is most
of its cost (~0.2–0.4 ms of CPU against ~0.03 ms to run it on SQLite). A `PreparedQuery` is
still written with the ORM — the same filters, joins and converters — but compiled once per
database connection settings, with sentinel values where the arguments go; each call puts
the arguments in their places and runs the SQL through a plain cursor, then applies the
ORM's converters to the rows (aware datetimes, booleans, decimals as the ORM gives them).

    memberships = PreparedQuery(
        lambda user_id: Membership.objects.filter(user_id=user_id).values_list("pk", "role"),
        user_id=int,
    )
    memberships.rows(user_id=7)  # [(1, "admin"), ...]

On PostgreSQL the statement is also prepared on the database session (PREPARE, then EXECUTE
with the values): PostgreSQL plans it once per session, not once per request. Set
`PREPARED_STATEMENTS=0` behind a pooler that does not keep sessions (PgBouncer in
transaction mode): the SQL is then sent as it is.

The build function must give a `values_list` queryset (rows are tuples) whose SQL depends
only on the arguments' values (not on which values: no `__in` of a variable length, no
branch on an argument).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)

_counter = itertools.count(1)
_SENTINEL_INT_BASE = 7_310_000_000_000


def _sentinel(kind: type) -> Any:
    """A value of `kind` that no real argument has, found again among the compiled SQL's
    parameters (as the ORM adapts it for the database)."""
    number = next(_counter)
    if kind is int:
        return _SENTINEL_INT_BASE + number
    if kind is str:
        return f"prepared-query-sentinel-{number}"
    if kind is dt.datetime:
        return dt.datetime(1901, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=number)
    raise TypeError(f"PreparedQuery arguments are int, str or datetime, not {kind!r}")


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    slots: dict[str, tuple[int, ...]]  # argument -> indexes of its parameter
    compiler: Any
    converters: dict[int, Any]


class PreparedQuery:
    """An ORM `values_list` query compiled once per database and process (see the module)."""

    def __init__(
        self, build: Callable[..., QuerySet[Any, Any]], using: str = DEFAULT_DB_ALIAS, **kinds: type
    ) -> None:
        self.build = build
        self.using = using
        self.kinds = kinds
        self._compiled: _Compiled | None = None
        self.name = f"carshare_prepared_{next(_counter)}"

    def _compile(self) -> _Compiled:
        if self._compiled is not None:
            return self._compiled
        sentinels = {name: _sentinel(kind) for name, kind in self.kinds.items()}
        queryset = self.build(**sentinels)
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()
        slots: dict[str, tuple[int, ...]] = {}
        for name, value in sentinels.items():
            adapted = self._adapt(value)
            found = tuple(i for i, param in enumerate(params) if param == adapted)
            if not found:
                raise ValueError(f"PreparedQuery: argument {name!r} is not among the parameters")
            slots[name] = found
        fields = compiler.select[0 : compiler.col_count]
        converters = compiler.get_converters([column for column, _sql, _alias in fields])
        # Any thread may use it: the SQL and the converters do not depend on the connection
        # (a thread compiling at the same time gives the same result).
        self._compiled = _Compiled(sql, tuple(params), slots, compiler, converters)
        return self._compiled

    def _adapt(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return connections[self.using].ops.adapt_datetimefield_value(value)
        return value

    def rows(self, **values: Any) -> list[tuple[Any, ...]]:
        """The rows for these argument values, converted as the ORM converts them."""
        compiled = self._compile()
        params = list(compiled.params)
        for name, indexes in compiled.slots.items():
            adapted = self._adapt(values[name])
            for index in indexes:
                params[index] = adapted
        connection = connections[self.using]
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and settings.PREPARED_STATEMENTS:
                cursor.execute(*self._postgres_statement(connection, compiled, params))
            else:
                cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [
                tuple(row) for row in compiled.compiler.apply_converters(rows, compiled.converters)
            ]
        return [tuple(row) for row in rows]

    def _postgres_statement(
        self, connection: Any, compiled: _Compiled, params: list[Any]
    ) -> tuple[str, list[Any]]:
        """`EXECUTE` of the statement prepared on this database session (PREPARE'd the
        first time): PostgreSQL plans it once per session instead of once per request."""
        raw = connection.connection
        session = (id(raw), raw.get_backend_pid())
        known: tuple[tuple[int, int], set[str]] | None = getattr(connection, _PREPARED, None)
        if known is None or known[0] != session:
            known = (session, set())
            setattr(connection, _PREPARED, known)
        if self.name not in known[1]:
            # Not undone by a rollback: a prepared statement lasts as long as the session.
            # On the driver's own cursor: not a query of the request (query counts and the
            # debug log see the EXECUTE, whichever request happened to prepare it).
            with raw.cursor() as raw_cursor:
                raw_cursor.execute(f"PREPARE {self.name} AS {_numbered(compiled.sql)}")
            known[1].add(self.name)
        arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
        return f"EXECUTE {self.name}{arguments}", params


# Where a database connection keeps the statements prepared on its current session.
_PREPARED = "carshare_prepared_statements"


def _numbered(sql: str) -> str:
    """Django's `%s` placeholders as PostgreSQL's `$1, $2…`, and `%%` as `%`."""
    numbers = itertools.count(1)
    return re.sub(r"%%|%s", lambda m: "%" if m.group(0) == "%%" else f"${next(numbers)}", sql)


def field_names(model: type[Model], prefix: str = "") -> list[str]:
    """The `values_list` names of every concrete field of `model` (through `prefix`, e.g.
    "association__" for a related model), in the order `instance` reads them."""
    return [f"{prefix}{field.attname}" for field in model._meta.concrete_fields]


def instance(model: type[M], values: Sequence[Any], using: str = DEFAULT_DB_ALIAS) -> M:
    """A model instance from the values of `field_names(model)`, as a queryset gives it."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(using, names, list(values))
