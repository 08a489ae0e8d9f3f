
import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0002_recipient_by_address'),
    ]

    operations = [
        migrations.AlterField(
            model_name='notification',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(1000)], verbose_name='attempts'),
        ),
        migrations.AlterField(
            model_name='scanrun',
            name='checked',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000000000)], verbose_name='rows checked'),
        ),
        migrations.AlterField(
            model_name='scanrun',
            name='created',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000000000)], verbose_name='notifications created'),
        ),
        migrations.AlterField(
            model_name='scanrun',
            name='sent',
            field=models.PositiveIntegerField(default=0, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(2000000000)], verbose_name='notifications sent'),
        ),
    ]
