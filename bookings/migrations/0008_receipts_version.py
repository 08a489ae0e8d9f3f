"""Every write of a fuel receipt bumps the version of its trip's vehicle (bookings.db)."""

from django.db import migrations

from bookings.db import RECEIPTS_VERSION_TRIGGER


class Migration(migrations.Migration):
    dependencies = [("bookings", "0007_versions_series_waiting_list")]

    operations = [
        migrations.RunPython(RECEIPTS_VERSION_TRIGGER.create, RECEIPTS_VERSION_TRIGGER.drop),
    ]
