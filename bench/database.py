"""The bench database: a SQLite file under var/bench/ or a PostgreSQL database whose name
contains "bench", seeded with seed_bench at a scale and reused while the scale is the same."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from common import ROOT, VENV_BIN, WORK, log


def database_url(args: argparse.Namespace) -> str:
    if args.db == "sqlite":
        return f"sqlite:///{WORK / f'sqlite-{args.label}.sqlite3'}"  # sqlite:////abs/path
    url = args.database_url or os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("--db postgres needs a postgres:// URL in --database-url or DATABASE_URL")
    if "bench" not in urlsplit(url).path:
        raise SystemExit("the bench empties its database: its name must contain 'bench'")
    return url


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def database_key(url: str) -> str:
    kind = "sqlite" if url.startswith("sqlite") else "postgres"
    return f"{kind}-{hashlib.sha256(url.encode()).hexdigest()[:8]}"


def manage(env: dict[str, str], *arguments: str) -> None:
    """A management command; its output goes to stderr (stdout is for the Markdown tables)."""
    command = [str(VENV_BIN / "python"), str(ROOT / "manage.py"), *arguments]
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=sys.stderr)


def prepare_database(args: argparse.Namespace, env: dict[str, str], url: str) -> dict[str, Any]:
    """Seed the bench data unless the same scale is already there; returns the manifest.
    One data set per database (a SQLite file per label, one PostgreSQL database)."""
    manifest_path = WORK / f"{database_key(url)}.json"
    scale = {"associations": args.associations, "vehicles": args.vehicles, "months": args.months}
    if manifest_path.exists() and not args.reseed:
        manifest = json.loads(manifest_path.read_text())
        same = all(manifest["scale"][key] == value for key, value in scale.items())
        if same and count_associations(url) == args.associations:
            log(f"reusing the data of {manifest_path.name}; --reseed to rebuild")
            manage(env, "migrate", "--noinput", "-v", "0")  # the code's schema (new tables)
            return manifest
    log(f"preparing the database: {scale}")
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(sqlite_path(url) + suffix).unlink(missing_ok=True)
    (WORK / f"{database_key(url)}-slots").unlink(missing_ok=True)  # bench/run.py SlotBlocks
    manage(env, "migrate", "--noinput", "-v", "0")
    if not url.startswith("sqlite"):
        manage(env, "flush", "--noinput", "-v", "0")
    manage(
        env, "seed_bench", "--force", "--accounts-out", str(manifest_path),
        *[f"--{key}={value}" for key, value in scale.items()],
    )  # fmt: skip
    analyze(url)
    return json.loads(manifest_path.read_text())


def count_associations(url: str) -> int | None:
    """Associations in the database, to check that it still holds the manifest's data."""
    try:
        connection = connect(url)
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT COUNT(*) FROM members_association")
            return int(cursor.fetchone()[0])
        finally:
            connection.close()
    except Exception:  # no file, no table yet: seed
        return None


def connect(url: str) -> Any:
    if url.startswith("sqlite"):
        import sqlite3

        if not Path(sqlite_path(url)).exists():
            raise FileNotFoundError(sqlite_path(url))
        return sqlite3.connect(sqlite_path(url))
    import psycopg2

    return psycopg2.connect(url)


def analyze(url: str) -> None:
    """Fresh planner statistics, as a production database has after autovacuum or a
    scheduled `PRAGMA optimize`."""
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(sqlite_path(url)) as connection:
            connection.execute("ANALYZE")
        return
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()
