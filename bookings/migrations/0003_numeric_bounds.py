
import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bookings', '0002_no_overlap_constraint'),
    ]

    operations = [
        migrations.AlterField(
            model_name='booking',
            name='accepted_deductible',
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=8, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('50000.00'))], verbose_name='higher deductible accepted by the driver (€)'),
        ),
        migrations.AlterField(
            model_name='booking',
            name='estimated_km',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(10000)], verbose_name='estimated km'),
        ),
        migrations.AlterField(
            model_name='fuelreceipt',
            name='amount',
            field=models.DecimalField(decimal_places=2, max_digits=8, validators=[django.core.validators.MinValueValidator(Decimal('0.01')), django.core.validators.MaxValueValidator(Decimal('9999.99'))], verbose_name='amount (€)'),
        ),
        migrations.AlterField(
            model_name='trip',
            name='fuel_level_in',
            field=models.PositiveSmallIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='fuel or charge level at return (%)'),
        ),
        migrations.AlterField(
            model_name='trip',
            name='fuel_level_out',
            field=models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='fuel or charge level at departure (%)'),
        ),
        migrations.AlterField(
            model_name='trip',
            name='odometer_gap_km',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000000)]),
        ),
        migrations.AlterField(
            model_name='trip',
            name='odometer_in',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000000)], verbose_name='odometer at return (km)'),
        ),
        migrations.AlterField(
            model_name='trip',
            name='odometer_out',
            field=models.PositiveIntegerField(validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000000)], verbose_name='odometer at departure (km)'),
        ),
        migrations.AlterField(
            model_name='trip',
            name='previous_odometer_in',
            field=models.PositiveIntegerField(blank=True, null=True, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000000)]),
        ),
    ]
