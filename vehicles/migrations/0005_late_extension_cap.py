
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vehicles', '0004_tank_capacity'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='vehicle',
            name='vehicle_booking_rules_bounded',
        ),
        migrations.AddField(
            model_name='vehicle',
            name='max_late_extension_hours',
            field=models.PositiveSmallIntegerField(default=24, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(72)], verbose_name='a late return extends a booking by at most (hours)'),
        ),
        migrations.AddConstraint(
            model_name='vehicle',
            constraint=models.CheckConstraint(condition=models.Q(('min_notice_hours__lte', 720), ('buffer_minutes__lte', 1440), ('max_late_extension_hours__gte', 1), ('max_late_extension_hours__lte', 72), models.Q(('max_booking_hours__isnull', True), ('max_booking_hours__lte', 2160), _connector='OR')), name='vehicle_booking_rules_bounded'),
        ),
    ]
