"""Issue 16: the triggers that bump the association's home version (members.HomeVersion)
on every write of what its home page shows (vehicles/db.py; on SQLite made after every
migrate, see core.versioning)."""

from django.db import migrations

from vehicles.db import VERSION_TRIGGERS


class Migration(migrations.Migration):

    dependencies = [
        ('vehicles', '0006_photo_on_public_page'),
        ('members', '0013_home_version'),
    ]

    operations = [
        *(migrations.RunPython(trigger.create, trigger.drop) for trigger in VERSION_TRIGGERS),
    ]
