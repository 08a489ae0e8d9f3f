import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_numeric_bounds'),
    ]

    operations = [
        migrations.AddField(
            model_name='association',
            name='receipt_approval_threshold',
            field=models.DecimalField(decimal_places=2, default=Decimal('150.00'), help_text='A receipt above it, or without a photo, is refunded only once an owner of the car or an administrator approves it.', max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('10000.00'))], verbose_name='fuel receipts above this amount wait for approval (€)'),
        ),
        migrations.AddConstraint(
            model_name='association',
            constraint=models.CheckConstraint(condition=models.Q(('receipt_approval_threshold__gte', 0), ('receipt_approval_threshold__lte', Decimal('10000.00'))), name='association_receipt_threshold_range'),
        ),
    ]
