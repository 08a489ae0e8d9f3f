from pathlib import Path

import pytest

from core.env import ImproperEnvironment, parse_database_url, parse_email_url


def test_postgres_url_becomes_a_database_entry():
    entry = parse_database_url("postgres://car:p%40ss@127.0.0.1:5433/carshare", base_dir=Path("/x"))
    assert entry["ENGINE"] == "django.db.backends.postgresql"
    assert (entry["NAME"], entry["USER"], entry["PASSWORD"]) == ("carshare", "car", "p@ss")
    assert (entry["HOST"], entry["PORT"]) == ("127.0.0.1", "5433")


def test_sqlite_url_is_relative_to_the_project_and_uses_immediate_transactions():
    entry = parse_database_url("sqlite:///var/other.sqlite3", base_dir=Path("/project"))
    assert entry["NAME"] == Path("/project/var/other.sqlite3")
    assert entry["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in entry["OPTIONS"]["init_command"]


def test_unknown_database_scheme_is_refused():
    with pytest.raises(ImproperEnvironment, match="DATABASE_URL"):
        parse_database_url("mysql://x/y", base_dir=Path("/"))


def test_smtp_url():
    config = parse_email_url("smtp://user:secret@mail.example.org:2525?tls=0")
    assert (config.host, config.port, config.user, config.use_tls) == (
        "mail.example.org",
        2525,
        "user",
        False,
    )


def test_unknown_email_scheme_is_refused():
    with pytest.raises(ImproperEnvironment, match="EMAIL_URL"):
        parse_email_url("pigeon://loft")
