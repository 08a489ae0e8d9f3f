
import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_notifications_moved_out'),
    ]

    operations = [
        migrations.AddField(
            model_name='association',
            name='receipt_approval_threshold',
            field=models.DecimalField(decimal_places=2, default=Decimal('150.00'), help_text='A receipt above it, or without a photo, is refunded only once an owner of the car or an administrator approves it.', max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('10000.00'))], verbose_name='fuel receipts above this amount wait for approval (€)'),
        ),
        migrations.AlterField(
            model_name='association',
            name='deposit_amount',
            field=models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('10000.00'))], verbose_name='fixed deposit amount'),
        ),
        migrations.AlterField(
            model_name='association',
            name='membership_fee',
            field=models.DecimalField(decimal_places=2, default=Decimal('0.00'), max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('10000.00'))], verbose_name='membership fee'),
        ),
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['target_type', 'target_id'], name='audit_target'),
        ),
        migrations.AddConstraint(
            model_name='association',
            constraint=models.CheckConstraint(condition=models.Q(('receipt_approval_threshold__gte', 0), ('receipt_approval_threshold__lte', Decimal('10000.00'))), name='association_receipt_threshold_range'),
        ),
    ]
