"""Files and transactions: a file stored by a transaction that rolls back is removed with it.

Django's FileField writes its file when the row is saved, that is inside the service's
transaction, and a rollback does not take the file back. A service that stores files opens
its transaction with `atomic_with_files()` (instead of `transaction.atomic()`) and stores
them with `create_with_files`, `save_with_files` or `store_file`: every file written in the
block is deleted if the block is left by an exception, so a refused check-in leaves neither
rows nor files. A nested block hands its files to the enclosing one, which deletes them if
it rolls back later. Only the outermost transaction decides: services own theirs (callers
do not wrap them), so the outermost block that stores files is an `atomic_with_files`.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.files import File
from django.db import connection, models, transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=models.Model)

# The files stored by the innermost open atomic_with_files block (None outside any).
_stored: ContextVar[list[FieldFile] | None] = ContextVar("stored_files", default=None)


@contextlib.contextmanager
def atomic_with_files() -> Iterator[None]:
    """`transaction.atomic()` that deletes the files stored inside it when it rolls back."""
    enclosing = _stored.get()
    stored: list[FieldFile] = []
    token = _stored.set(stored)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        remove(stored)
        raise
    finally:
        _stored.reset(token)
    if enclosing is not None:
        enclosing.extend(stored)


def create_with_files(model: type[M], **values: Any) -> M:
    """`model.objects.create(**values)`, its files removed if the transaction rolls back."""
    instance = model(**values)
    save_with_files(instance, force_insert=True)
    return instance


def save_with_files(instance: models.Model, **save_options: Any) -> None:
    """`instance.save()`, the files it writes removed if the transaction rolls back."""
    new_files = [
        field.attname
        for field in instance._meta.concrete_fields
        if isinstance(field, models.FileField) and _is_new(getattr(instance, field.attname))
    ]
    with atomic_with_files():
        try:
            instance.save(**save_options)
        finally:  # a row refused after its file was written: the file goes too
            for name in new_files:
                _record(getattr(instance, name))


def store_file(field_file: FieldFile, name: str, content: File[Any]) -> None:
    """`field_file.save(name, content, save=False)` inside an atomic_with_files block."""
    if _stored.get() is None and connection.in_atomic_block:
        raise RuntimeError("Store files inside core.stored_files.atomic_with_files().")
    field_file.save(name, content, save=False)
    _record(field_file)


def remove(files: list[FieldFile]) -> None:
    """Delete stored files; one that cannot be deleted is logged, the others still go."""
    for field_file in files:
        if not field_file.name:
            continue
        try:
            field_file.storage.delete(field_file.name)
        except Exception:  # the storage is down: an orphan, never a second failure
            logger.exception("could not remove the file %s after a rollback", field_file.name)


def _written(field_file: FieldFile) -> bool:
    # Django's own flag: False while an assigned upload waits for the row's save.
    return bool(getattr(field_file, "_committed", True))


def _is_new(field_file: FieldFile) -> bool:
    return bool(field_file) and not _written(field_file)


def _record(field_file: FieldFile) -> None:
    stored = _stored.get()
    if stored is not None and field_file and _written(field_file):
        stored.append(field_file)
