
import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_balanced_legs_trigger_custom_plans"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deposit",
            name="amount",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=12,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("0.01")),
                    django.core.validators.MaxValueValidator(Decimal("50000.00")),
                ],
                verbose_name="amount (€)",
            ),
        ),
        migrations.AlterField(
            model_name="ledgertransaction",
            name="amount",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0.00"),
                max_digits=12,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("-9999999999.99")),
                    django.core.validators.MaxValueValidator(Decimal("9999999999.99")),
                ],
                verbose_name="amount (€)",
            ),
        ),
        migrations.AlterField(
            model_name="ledgertransaction",
            name="hours",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=8,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("-999999.99")),
                    django.core.validators.MaxValueValidator(Decimal("999999.99")),
                ],
                verbose_name="hours",
            ),
        ),
        migrations.AlterField(
            model_name="ledgertransaction",
            name="km",
            field=models.IntegerField(
                blank=True,
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(-2000000),
                    django.core.validators.MaxValueValidator(2000000),
                ],
                verbose_name="km",
            ),
        ),
        migrations.AlterField(
            model_name="leg",
            name="amount",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=12,
                validators=[
                    django.core.validators.MinValueValidator(Decimal("-9999999999.99")),
                    django.core.validators.MaxValueValidator(Decimal("9999999999.99")),
                ],
                verbose_name="amount (€)",
            ),
        ),
    ]
