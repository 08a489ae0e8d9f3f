"""No overlap, ever, on PostgreSQL: btree_gist and the exclusion constraint (see bookings/db.py).
SQLite skips both; there the services serialise check and insert in IMMEDIATE transactions."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from bookings.db import PostgresOnly, no_overlap_constraint


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0001_bookings_trips_feeds"),
    ]

    operations = [
        BtreeGistExtension(),
        PostgresOnly(migrations.AddConstraint(model_name="booking", constraint=no_overlap_constraint())),
    ]
