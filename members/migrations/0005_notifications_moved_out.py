"""The outbox, preferences and scheduled runs now belong to the notifications app.

State only: the tables and their rows stay; notifications' migration 0001 takes the models
into its own state and renames the tables.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_drop_clear_api_tokens'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name='Notification'),
                migrations.DeleteModel(name='NotificationPreference'),
                migrations.DeleteModel(name='ScanRun'),
            ],
        ),
    ]
