
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_receipt_approval_threshold'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='auditentry',
            index=models.Index(fields=['target_type', 'target_id'], name='audit_target'),
        ),
    ]
