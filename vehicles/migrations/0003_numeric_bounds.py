"""Bounds on every number (core.bounds). The booking rules get a database constraint too:
rows written before it (an owner could store a notice of 2,147,483,647 hours) are brought
within the bounds first, so that the constraint can be added on any existing database."""

import django.core.validators
from decimal import Decimal
from django.db import migrations, models


def clamp_booking_rules(apps, schema_editor):
    Vehicle = apps.get_model("vehicles", "Vehicle")
    Vehicle.objects.filter(min_notice_hours__gt=720).update(min_notice_hours=720)
    Vehicle.objects.filter(buffer_minutes__gt=1440).update(buffer_minutes=1440)
    Vehicle.objects.filter(max_booking_hours__gt=2160).update(max_booking_hours=2160)


class Migration(migrations.Migration):
    dependencies = [
        ("vehicles", "0002_rules_and_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="insurancepolicy",
            name="deductible",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=8,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("50000.00")),
                ],
                verbose_name="deductible (€)",
            ),
        ),
        migrations.AlterField(
            model_name="insurancepolicy",
            name="min_driver_age",
            field=models.PositiveSmallIntegerField(
                default=21,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(99),
                ],
                verbose_name="minimum age",
            ),
        ),
        migrations.AlterField(
            model_name="insurancepolicy",
            name="min_licence_years",
            field=models.PositiveSmallIntegerField(
                default=2,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(60),
                ],
                verbose_name="minimum years of licence",
            ),
        ),
        migrations.AlterField(
            model_name="insurancepolicy",
            name="young_driver_deductible",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=8,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("50000.00")),
                ],
                verbose_name="young drivers' deductible (€)",
            ),
        ),
        migrations.AlterField(
            model_name="maintenanceevent",
            name="cost",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=9,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("999999.99")),
                ],
                verbose_name="cost (€)",
            ),
        ),
        migrations.AlterField(
            model_name="maintenanceevent",
            name="odometer",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(2000000),
                ],
                verbose_name="odometer (km)",
            ),
        ),
        migrations.AlterField(
            model_name="tariff",
            name="daily_hour_cap",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=7,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("10000.00")),
                ],
                verbose_name="hourly charge capped per day at (€)",
            ),
        ),
        migrations.AlterField(
            model_name="tariff",
            name="depreciation_per_km",
            field=models.DecimalField(
                blank=True,
                decimal_places=3,
                help_text="From the calculator: purchase value / km to full depreciation.",
                max_digits=6,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("10.000")),
                ],
                verbose_name="depreciation per km (€)",
            ),
        ),
        migrations.AlterField(
            model_name="tariff",
            name="price_per_hour",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=6,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("1000.00")),
                ],
                verbose_name="price per hour (€)",
            ),
        ),
        migrations.AlterField(
            model_name="tariff",
            name="price_per_km",
            field=models.DecimalField(
                decimal_places=3,
                max_digits=6,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0")),
                    django.core.validators.MaxValueValidator(Decimal("10.000")),
                ],
                verbose_name="price per km (€)",
            ),
        ),
        migrations.AlterField(
            model_name="vehicle",
            name="buffer_minutes",
            field=models.PositiveIntegerField(
                default=0,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(1440),
                ],
                verbose_name="buffer between bookings (minutes)",
            ),
        ),
        migrations.AlterField(
            model_name="vehicle",
            name="max_booking_hours",
            field=models.PositiveIntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(2160),
                ],
                verbose_name="maximum booking length (hours)",
            ),
        ),
        migrations.AlterField(
            model_name="vehicle",
            name="min_notice_hours",
            field=models.PositiveIntegerField(
                default=0,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(720),
                ],
                verbose_name="minimum notice (hours)",
            ),
        ),
        migrations.AlterField(
            model_name="vehicle",
            name="usual_radius_km",
            field=models.PositiveIntegerField(
                default=100,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(2000),
                ],
                verbose_name="usual radius (km)",
            ),
        ),
        migrations.RunPython(clamp_booking_rules, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="vehicle",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("min_notice_hours__lte", 720),
                    ("buffer_minutes__lte", 1440),
                    models.Q(
                        ("max_booking_hours__isnull", True),
                        ("max_booking_hours__lte", 2160),
                        _connector="OR",
                    ),
                ),
                name="vehicle_booking_rules_bounded",
            ),
        ),
    ]
