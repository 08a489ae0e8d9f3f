"""API tokens moved to django-rest-knox (hashed, expiring). The old table of DRF's authtoken
app held every key in clear: it is dropped, not migrated, because keys issued to unverified
addresses cannot be told apart from the others. Clients ask for a new token once."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("members", "0003_notifications_outbox")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
