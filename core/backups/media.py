"""The media half of a backup: every file of the configured storage (local disk or S3-compatible
object storage), listed, read and written through Django's storage API only."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from django.core.files import File
from django.core.files.storage import Storage

from core.backups.archive import BackupError, Digest, digest_of


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name of `storage` under `folder`, folders first-level sorted, depth first."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a local media folder not created yet
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, posixpath.join(folder, sub) if folder else sub)


def is_empty(storage: Storage) -> bool:
    return next(stored_names(storage), None) is None


def empty(storage: Storage) -> int:
    """Delete every file of `storage`; returns how many."""
    names = list(stored_names(storage))
    for name in names:
        storage.delete(name)
    return len(names)


def store(storage: Storage, name: str, content: File[bytes]) -> None:
    """Save `content` under exactly `name` (the rows refer to it by that name)."""
    saved = storage.save(name, content)
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"The media store already holds {name!r}; restore needs it empty.")


def stored_digest(storage: Storage, name: str) -> Digest | None:
    """The digest of a stored file, read back from the storage; None if it is missing."""
    try:
        with storage.open(name, "rb") as handle:
            return digest_of(handle)
    except FileNotFoundError:
        return None
