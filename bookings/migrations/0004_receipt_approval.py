"""Fuel receipts wait for approval when they are large or have no photo. Receipts recorded
before were refunded at check-in: they are approved."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def approve_earlier_receipts(apps, schema_editor):
    apps.get_model("bookings", "FuelReceipt").objects.update(status="approved")


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0003_numeric_bounds'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='fuelreceipt',
            name='decided_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='fuelreceipt',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='fuelreceipt',
            name='refusal_reason',
            field=models.TextField(blank=True, max_length=2000, verbose_name='reason for refusal'),
        ),
        migrations.AddField(
            model_name='fuelreceipt',
            name='status',
            field=models.CharField(choices=[('pending', 'waiting for approval'), ('approved', 'approved'), ('refused', 'refused')], default='pending', max_length=10, verbose_name='status'),
        ),
        migrations.RunPython(approve_earlier_receipts, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='fuelreceipt',
            index=models.Index(condition=models.Q(('status', 'pending')), fields=['trip'], name='fuel_receipt_pending'),
        ),
        migrations.AddConstraint(
            model_name='fuelreceipt',
            constraint=models.CheckConstraint(condition=models.Q(('status__in', ['pending', 'approved', 'refused'])), name='fuel_receipt_status_valid'),
        ),
        migrations.AddConstraint(
            model_name='fuelreceipt',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'refused'), _negated=True), models.Q(('refusal_reason', ''), _negated=True), _connector='OR'), name='fuel_receipt_refusal_has_reason'),
        ),
    ]
