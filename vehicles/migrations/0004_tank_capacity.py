import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vehicles', '0003_numeric_bounds'),
    ]

    operations = [
        migrations.AddField(
            model_name='vehicle',
            name='tank_capacity',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Leave empty for a usual figure for its energy.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(300)], verbose_name='tank (litres) or battery (kWh) capacity'),
        ),
        migrations.AddConstraint(
            model_name='vehicle',
            constraint=models.CheckConstraint(condition=models.Q(('tank_capacity__isnull', True), models.Q(('tank_capacity__gte', 1), ('tank_capacity__lte', 300)), _connector='OR'), name='vehicle_tank_capacity_range'),
        ),
    ]
