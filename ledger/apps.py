from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Cost-sharing accounts")

    def ready(self) -> None:
        from core.versioning import manage_sqlite_triggers
        from ledger import notifications, receivers, scans
        from ledger.db import VERSION_TRIGGERS
        from ledger.exports import personal_files
        from ledger.privacy import unsettled_balances
        from ledger.services.statement_mail import STATEMENT_MAKER, statement_attachment
        from members.exports import register_personal_export
        from members.privacy import register_deletion_check
        from notifications.registry import (
            register_attachment_maker,
            register_jobs,
            register_kinds,
        )
        from vehicles.edit_pages import register_edit_page
        from vehicles.models import MaintenanceEvent

        manage_sqlite_triggers(self, VERSION_TRIGGERS)
        register_edit_page("maintenance", "ledger:maintenance_edit", "event_pk")
        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)
        register_attachment_maker(STATEMENT_MAKER, statement_attachment)
        register_deletion_check("ledger", unsettled_balances)
        register_personal_export("ledger", personal_files)
        post_save.connect(
            receivers.maintenance_saved, sender=MaintenanceEvent, dispatch_uid="ledger.maint"
        )
        post_delete.connect(
            receivers.maintenance_deleted, sender=MaintenanceEvent, dispatch_uid="ledger.maintdel"
        )
