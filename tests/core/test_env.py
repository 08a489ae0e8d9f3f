from pathlib import Path

import pytest

from core.env import (
    ImproperEnvironment,
    parse_database_url,
    parse_email_url,
    parse_media_storage_url,
)


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


def test_no_media_storage_url_keeps_the_media_on_local_disk():
    assert parse_media_storage_url(None) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_an_s3_media_storage_url_names_endpoint_bucket_prefix_and_keys():
    entry = parse_media_storage_url(
        "s3://AKIA1:se%2Fcr%2Bet@minio.internal:9000/carshare-media/prod/uploads"
        "?region=eu-west-3&secure=0"
    )
    options = entry["OPTIONS"]
    assert entry["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["endpoint_url"] == "http://minio.internal:9000"
    assert (options["bucket_name"], options["location"]) == ("carshare-media", "prod/uploads")
    assert (options["access_key"], options["secret_key"]) == ("AKIA1", "se/cr+et")
    assert (options["region_name"], options["addressing_style"]) == ("eu-west-3", "path")
    # Private objects only: no ACL header (the bucket's private default), no overwrite.
    assert options["default_acl"] is None and options["file_overwrite"] is False


def test_an_s3_url_without_keys_leaves_them_to_boto3_and_defaults_to_https():
    options = parse_media_storage_url("s3://s3.eu-west-3.amazonaws.com/media-bucket")["OPTIONS"]
    assert options["endpoint_url"] == "https://s3.eu-west-3.amazonaws.com"
    assert options["access_key"] is None and options["secret_key"] is None
    assert (options["location"], options["region_name"]) == ("", "us-east-1")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://h/bucket", "scheme must be s3"),
        ("s3://k:s@h:9000/", "must name a bucket"),
        ("s3://k:s@h:9000/Bad_Bucket", "must name a bucket"),
        ("s3://k:s@/bucket", "must name the S3 endpoint's host"),
        ("s3://k:s@h:port/bucket", "invalid port"),
        ("s3://onlykey@h/bucket", "both the access key and the secret key"),
        ("s3://k:s@h/bucket?secure=maybe", "secure must be a boolean"),
        ("s3://k:s@h/bucket?addressing=dns", "addressing must be path or virtual"),
        ("s3://k:s@h/bucket?regoin=eu-west-3", "unknown parameters regoin"),
        ("s3://k:s@h/bucket?region=a&region=b", "repeats region"),
    ],
)
def test_a_bad_media_storage_url_stops_with_a_message(url, message):
    with pytest.raises(ImproperEnvironment, match=message):
        parse_media_storage_url(url)
