"""Issue 16: the triggers that bump the association's home version (members.HomeVersion)
on every write of what its home page shows (bookings/db.py; on SQLite made after every
migrate, see core.versioning)."""

from django.db import migrations

from bookings.db import INCIDENT_HOME_VERSION_TRIGGER


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0007_versions_series_waiting_list'),
        ('members', '0013_home_version'),
    ]

    operations = [
        migrations.RunPython(
            INCIDENT_HOME_VERSION_TRIGGER.create, INCIDENT_HOME_VERSION_TRIGGER.drop
        ),
    ]
