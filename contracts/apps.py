from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = _("Contracts and documents")

    def ready(self) -> None:
        from contracts import notifications, scans
        from core.bounded import add_preload
        from notifications.registry import register_jobs, register_kinds

        register_kinds(*notifications.KINDS)
        register_jobs(*scans.JOBS)

        # Rendering workers start with the sandbox imported and the default templates
        # compiled (see contracts/preload.py).
        add_preload("contracts.worker", "contracts.preload")
