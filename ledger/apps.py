from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Cost-sharing accounts")

    def ready(self) -> None:
        from ledger import receivers
        from vehicles.models import MaintenanceEvent

        post_save.connect(
            receivers.maintenance_saved, sender=MaintenanceEvent, dispatch_uid="ledger.maint"
        )
        post_delete.connect(
            receivers.maintenance_deleted, sender=MaintenanceEvent, dispatch_uid="ledger.maintdel"
        )
