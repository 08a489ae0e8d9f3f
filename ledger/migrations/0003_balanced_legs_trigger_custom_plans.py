"""The balance trigger plans its query at each call.

PL/pgSQL caches the plan of the trigger's SUM per session; a plan made while `ledger_leg` is
small (a sequential scan) would be kept once the table has grown within the session, and a
bulk of deferred checks would then each scan the whole table. A custom plan each time uses
the index on `transaction_id` whatever the table's size when the session started.
"""

from django.db import migrations

FORWARD = "ALTER FUNCTION ledger_check_balanced() SET plan_cache_mode = force_custom_plan"
BACKWARD = "ALTER FUNCTION ledger_check_balanced() RESET plan_cache_mode"


def _on_postgresql(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("ledger", "0002_balanced_legs_trigger")]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD), elidable=False),
    ]
