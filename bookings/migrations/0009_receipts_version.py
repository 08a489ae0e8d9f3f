"""Every write of a fuel receipt bumps the version of its trip's vehicle (bookings.db)."""

from django.db import migrations

from bookings.db import RECEIPTS_VERSION_TRIGGER


class Migration(migrations.Migration):
    dependencies = [("bookings", "0008_incident_home_version_trigger")]

    operations = [
        migrations.RunPython(RECEIPTS_VERSION_TRIGGER.create, RECEIPTS_VERSION_TRIGGER.drop),
    ]
