from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = _("Cost-sharing accounts")

    def ready(self) -> None:
        from ledger import notifications, scans
        from notifications.registry import register_jobs, register_kinds
        from vehicles.record_pages import register_record_page

        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)
        # Recording maintenance posts its cost: the page is the ledger's (same URL as before).
        register_record_page("maintenance", "ledger:maintenance_add")
