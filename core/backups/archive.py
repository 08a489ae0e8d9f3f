"""The backup archive: one gzip-compressed tar file holding the database snapshot, every
media file under `media/` and `manifest.json` (written last, read first).

The archive is written next to its final path and renamed into place once complete, so a
path either holds a whole archive or nothing; it is readable by its owner only (it holds
personal data). Reading never extracts a member by its own name: the manifest says what
to read, and every member is a regular file whose SHA-256 is checked while it is read.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, BinaryIO

MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or a restore cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class Digest:
    """What the manifest keeps of one file: its SHA-256 and its size."""

    sha256: str
    bytes: int


class HashingReader(io.RawIOBase):
    """A binary file that hashes (and counts) what is read through it."""

    def __init__(self, source: IO[bytes]) -> None:
        self.source = source
        self.hash = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        data = self.source.read(-1 if size is None else size)
        self.hash.update(data)
        self.size += len(data)
        return data

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def digest(self) -> Digest:
        return Digest(sha256=self.hash.hexdigest(), bytes=self.size)


def digest_of(source: IO[bytes]) -> Digest:
    """Read `source` to its end and return its digest."""
    reader = HashingReader(source)
    while reader.read(CHUNK):
        pass
    return reader.digest()


class ArchiveWriter:
    """Adds members to a new archive at `path`; `with` commits it, or removes it on error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        descriptor = os.open(self.partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        self.file = os.fdopen(descriptor, "wb")
        # The writer is the context manager: it closes the tar and the file in __exit__.
        self.tar = tarfile.open(fileobj=self.file, mode="w:gz", compresslevel=6)  # noqa: SIM115

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.tar.close()
        self.file.flush()
        os.fsync(self.file.fileno())
        self.file.close()
        if kind is None:
            os.replace(self.partial, self.path)
        else:
            self.partial.unlink(missing_ok=True)

    def add(self, name: str, source: IO[bytes], size: int) -> Digest:
        """Copy `size` bytes of `source` into the member `name`; returns their digest."""
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, int(time.time())
        reader = HashingReader(source)
        try:
            self.tar.addfile(info, reader)
        except OSError as error:  # the source was shorter than it said
            raise BackupError(f"{name}: {error}") from error
        return reader.digest()

    def add_bytes(self, name: str, data: bytes) -> Digest:
        return self.add(name, io.BytesIO(data), len(data))


class ArchiveReader:
    """Reads the members of an archive written by ArchiveWriter."""

    def __init__(self, path: Path) -> None:
        try:
            self.tar = tarfile.open(path, mode="r:gz")  # noqa: SIM115 - closed in __exit__
            self.members = {member.name: member for member in self.tar.getmembers()}
        except (OSError, tarfile.TarError) as error:
            raise BackupError(f"{path} is not a readable backup archive ({error}).") from error

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.tar.close()

    def open(self, name: str) -> IO[bytes]:
        member = self.members.get(name)
        handle = self.tar.extractfile(member) if member is not None and member.isfile() else None
        if handle is None:
            raise BackupError(f"The archive has no file {name!r}: it is incomplete.")
        return handle

    def read_bytes(self, name: str) -> bytes:
        with self.open(name) as handle:
            return handle.read()

    def verify(self, name: str, expected: Digest) -> None:
        """Fail unless the member's bytes match their digest in the manifest."""
        with self.open(name) as handle:
            found = digest_of(handle)
        if found != expected:
            raise BackupError(f"{name} does not match its checksum in the manifest: corrupt.")

    def copy_verified(self, name: str, expected: Digest, destination: BinaryIO) -> None:
        """Copy a member into `destination`, failing if it does not match its digest."""
        with self.open(name) as handle:
            reader = HashingReader(handle)
            shutil.copyfileobj(reader, destination, CHUNK)
        if reader.digest() != expected:
            raise BackupError(f"{name} does not match its checksum in the manifest: corrupt.")
