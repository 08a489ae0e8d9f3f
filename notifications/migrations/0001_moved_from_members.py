"""The outbox, preferences and scheduled runs move from members to this app, with their rows.

The tables were created by members' migration 0003. This migration takes the models into
this app's state as they are (members' 0004 removes them from members' state without
touching the database), then renames the tables to this app's names (a rename keeps every
row, index and constraint) and moves their content types, so that permissions and admin
history follow. The kind column no longer lists the codes of other apps: that was state
only (Django keeps choices out of the database).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ("notification", "notificationpreference", "scanrun")


def move_content_types(apps, schema_editor):
    _relabel(apps, "members", "notifications")


def restore_content_types(apps, schema_editor):
    _relabel(apps, "notifications", "members")


def _relabel(apps, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        if not content_type.objects.filter(app_label=new, model=model).exists():
            content_type.objects.filter(app_label=old, model=model).update(app_label=new)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('members', '0005_notifications_moved_out'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name='ScanRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=60, verbose_name='job')),
                        ('started_at', models.DateTimeField(verbose_name='started at')),
                        ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                        ('outcome', models.CharField(choices=[('running', 'running'), ('succeeded', 'succeeded'), ('failed', 'failed')], default='running', max_length=10, verbose_name='outcome')),
                        ('checked', models.PositiveIntegerField(default=0, verbose_name='rows checked')),
                        ('created', models.PositiveIntegerField(default=0, verbose_name='notifications created')),
                        ('sent', models.PositiveIntegerField(default=0, verbose_name='notifications sent')),
                        ('by_association', models.JSONField(blank=True, default=dict)),
                        ('error', models.TextField(blank=True, verbose_name='error')),
                    ],
                    options={
                        'db_table': 'members_scanrun',
                        'verbose_name': 'scheduled job run',
                        'verbose_name_plural': 'scheduled job runs',
                        'indexes': [models.Index(fields=['name', '-started_at'], name='scanrun_name_started')],
                    },
                ),
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40, verbose_name='kind')),
                        ('key', models.CharField(max_length=255)),
                        ('subject', models.CharField(max_length=255, verbose_name='subject')),
                        ('body', models.TextField(verbose_name='message')),
                        ('url', models.CharField(blank=True, max_length=500, verbose_name='link')),
                        ('by_email', models.BooleanField(default=True, verbose_name='by e-mail')),
                        ('in_app', models.BooleanField(default=True, verbose_name='in the app')),
                        ('status', models.CharField(choices=[('pending', 'pending'), ('sending', 'sending'), ('sent', 'sent'), ('failed', 'failed')], default='pending', max_length=10, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('next_attempt_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent at')),
                        ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                        ('last_error', models.TextField(blank=True, verbose_name='last error')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                        ('association', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='members.association')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'members_notification',
                        'verbose_name': 'notification',
                        'verbose_name_plural': 'notifications',
                        'indexes': [models.Index(fields=['recipient', '-created_at'], name='notification_recipient'), models.Index(condition=models.Q(('status__in', ['pending', 'sending'])), fields=['status', 'next_attempt_at'], name='notification_due'), models.Index(fields=['association', 'status'], name='notification_assoc_status')],
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'key'), name='notification_unique_key'), models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'sending', 'sent', 'failed'])), name='notification_status_valid'), models.CheckConstraint(condition=models.Q(('by_email', True), ('in_app', True), _connector='OR'), name='notification_has_a_channel')],
                    },
                ),
                migrations.CreateModel(
                    name='NotificationPreference',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=40, verbose_name='kind')),
                        ('by_email', models.BooleanField(default=True, verbose_name='by e-mail')),
                        ('in_app', models.BooleanField(default=True, verbose_name='in the app')),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preferences', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'members_notificationpreference',
                        'verbose_name': 'notification preference',
                        'verbose_name_plural': 'notification preferences',
                        'constraints': [models.UniqueConstraint(fields=('user', 'kind'), name='notification_pref_one_per_kind')],
                    },
                ),
            ],
        ),
        migrations.AlterModelTable(name='scanrun', table=None),
        migrations.AlterModelTable(name='notification', table=None),
        migrations.AlterModelTable(name='notificationpreference', table=None),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
